//! The working tree and the index as revisions, without writing to the repository: their
//! trees are built in an in-memory object database layered over the repository's own.

use git2::{IndexAddOption, Oid};

use super::{Repo, Revision};
use crate::error::{Error, Result};

/// Which uncommitted state to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uncommitted {
    /// The index (what `git commit` would record).
    Staged,
    /// The working tree: tracked changes, deletions and untracked files not ignored.
    WorkTree,
}

impl Repo {
    /// A revision for the index or the working tree. Its objects live in memory only.
    pub fn uncommitted(&self, which: Uncommitted) -> Result<Revision> {
        let raw = self.raw();
        if raw.is_bare() {
            return Err(Error::git(
                "reading the working tree",
                git2::Error::from_str("a bare repository has no working tree or index"),
            ));
        }
        let odb = raw.odb().map_err(|e| Error::git("opening the object database", e))?;
        // Writes go to the highest-priority backend: memory, never `.git/objects`.
        let _mempack =
            odb.add_new_mempack_backend(1000).map_err(|e| Error::git("preparing an in-memory object store", e))?;
        let mut index = raw.index().map_err(|e| Error::git("reading the index", e))?;
        if which == Uncommitted::WorkTree {
            index
                .add_all(["*"], IndexAddOption::DEFAULT, None)
                .and_then(|_| index.update_all(["*"], None))
                .map_err(|e| Error::git("reading the working tree", e))?;
        }
        let tree: Oid = index.write_tree().map_err(|e| Error::git("building the tree of uncommitted changes", e))?;
        let rev = match which {
            Uncommitted::Staged => "(index)",
            Uncommitted::WorkTree => "(working tree)",
        };
        Ok(Revision { rev: rev.into(), commit: None, tree })
    }
}

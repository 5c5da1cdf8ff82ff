//! Directory lookups by path, resumed from the previous one: directories asked for in
//! sorted order (`pkg/p1`, `pkg/p2`, …) resolve only the components that differ, so the
//! 40,000 package folders of one parent cost one search each in that parent's listing.

use std::rc::Rc;

use git2::Oid;

use super::{DirListing, EntryKind, Repo};
use crate::error::Result;

/// The last directory resolved in one root tree, with every leading component resolved.
#[derive(Debug, Default)]
pub(super) struct Cursor {
    root: Option<Oid>,
    dir: String,
    /// `dir[..end]` is the directory `tree` (`end` 0: the root), with where in its listing
    /// the last name was found.
    levels: Vec<Level>,
}

#[derive(Debug, Clone)]
struct Level {
    end: usize,
    tree: Oid,
    listing: Rc<DirListing>,
    hint: usize,
}

/// A cursor per side of a comparison.
#[derive(Debug, Default)]
pub(super) struct Cursors {
    slots: [Cursor; 2],
    /// The slot to reuse for a new root.
    next: usize,
}

impl Repo {
    /// The tree id of directory `dir` inside `root`, if it exists.
    pub fn subtree(&self, root: Oid, dir: &str) -> Result<Option<Oid>> {
        if dir.bytes().all(|b| b == b'/') {
            return Ok(Some(root));
        }
        let mut cursors = self.cursors.borrow_mut();
        let slot = match cursors.slots.iter().position(|c| c.root == Some(root)) {
            Some(i) => i,
            None => {
                let listing = self.read_dir(root)?;
                let i = cursors.next;
                cursors.next = 1 - i;
                let level = Level { end: 0, tree: root, listing, hint: 0 };
                cursors.slots[i] = Cursor { root: Some(root), dir: String::new(), levels: vec![level] };
                i
            }
        };
        let cursor = &mut cursors.slots[slot];
        // The deepest level that is a leading part of `dir`, ending at a component boundary.
        let (prev, bytes) = (cursor.dir.as_bytes(), dir.as_bytes());
        let common = prev.iter().zip(bytes).take_while(|(a, b)| a == b).count();
        let keep = cursor
            .levels
            .iter()
            .take_while(|Level { end, .. }| *end == 0 || (*end <= common && bytes.get(*end).is_none_or(|&b| b == b'/')))
            .count();
        cursor.levels.truncate(keep);
        cursor.dir.clear();
        cursor.dir.push_str(dir);
        let last = cursor.levels.last().expect("the root level is kept");
        let (mut end, mut tree) = (last.end, last.tree);
        let slashes_from = |i: usize| i + bytes[i..].iter().take_while(|&&b| b == b'/').count();
        loop {
            end = slashes_from(end);
            if end == bytes.len() {
                return Ok(Some(tree));
            }
            let part_end = bytes[end..].iter().position(|&b| b == b'/').map_or(bytes.len(), |i| end + i);
            let part = &dir[end..part_end];
            let level = cursor.levels.last_mut().expect("a level to search");
            let first = level.listing.lower_bound_from(part, level.hint);
            level.hint = first;
            let found = (first..level.listing.len())
                .map(|i| level.listing.get(i))
                .take_while(|(name, _, _)| *name == part)
                .find(|(_, _, k)| *k == EntryKind::Tree);
            match found {
                Some((_, oid, _)) => tree = oid,
                None => return Ok(None),
            }
            end = part_end;
            if slashes_from(end) == bytes.len() {
                return Ok(Some(tree));
            }
            let listing = self.read_dir(tree)?;
            cursor.levels.push(Level { end, tree, listing, hint: 0 });
        }
    }
}

#[cfg(test)]
mod tests {
    use git2::{Oid, Repository};

    use super::super::{EntryKind, Repo};

    /// A tree holding `paths` (files), written with the tree builder.
    fn tree(repo: &Repository, paths: &[&str]) -> Oid {
        fn build(repo: &Repository, paths: &[Vec<&str>]) -> Oid {
            let mut b = repo.treebuilder(None).unwrap();
            let mut names: Vec<&str> = paths.iter().map(|p| p[0]).collect();
            names.dedup();
            for name in names {
                let below: Vec<Vec<&str>> =
                    paths.iter().filter(|p| p[0] == name && p.len() > 1).map(|p| p[1..].to_vec()).collect();
                if below.is_empty() {
                    b.insert(name, repo.blob(name.as_bytes()).unwrap(), 0o100644).unwrap();
                } else {
                    b.insert(name, build(repo, &below), 0o040000).unwrap();
                }
            }
            b.write().unwrap()
        }
        let mut split: Vec<Vec<&str>> = paths.iter().map(|p| p.split('/').collect()).collect();
        split.sort();
        build(repo, &split)
    }

    #[test]
    fn searches_from_a_hint_find_the_first_entry_not_before_the_name() {
        let mut raw = Vec::new();
        for name in ["a", "b", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] {
            raw.extend_from_slice(format!("40000 {name}\0").as_bytes());
            raw.extend_from_slice(&[7; 20]);
        }
        let listing = super::DirListing::parse(&raw).unwrap();
        for name in ["", "a", "aa", "b", "ba", "c", "f", "ka", "k", "z"] {
            let want = (0..listing.len()).position(|i| listing.get(i).0 >= name).unwrap_or(listing.len());
            for hint in 0..=listing.len() + 1 {
                assert_eq!(listing.lower_bound_from(name, hint), want, "{name:?} from {hint}");
            }
        }
    }

    #[test]
    fn resumed_lookups_agree_with_walks_from_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let raw = Repository::init(dir.path()).unwrap();
        let one = tree(&raw, &["a/b/c/f", "a/b/d/f", "a/x/f", "pkg/p1/f", "pkg/p10/f", "pkg/p2/f", "file", "ab/f"]);
        let two = tree(&raw, &["a/b/c/f", "a/bb/f", "pkg/p1/f", "pkg/p3/sub/f", "file/f"]);
        let repo = Repo::open(Some(dir.path())).unwrap();
        let walk = |root: Oid, d: &str| {
            let mut current = root;
            for part in d.split('/').filter(|p| !p.is_empty()) {
                match repo.read_dir(current).unwrap().named(part).find(|(_, _, k)| *k == EntryKind::Tree) {
                    Some((_, oid, _)) => current = oid,
                    None => return None,
                }
            }
            Some(current)
        };
        let dirs = [
            "",
            "a",
            "a/b",
            "a/b/c",
            "a/b/d",
            "a/bb",
            "a/b/c/f",
            "ab",
            "a",
            "pkg/p1",
            "pkg/p10",
            "pkg/p2",
            "pkg/p3",
            "pkg/p3/sub",
            "pkg",
            "file",
            "a//b/",
            "/a/b",
            "pkg/p1/",
            "nope/x",
            "a/b/c",
            "a/x",
            "a",
        ];
        for (i, d) in dirs.iter().chain(dirs.iter().rev()).enumerate() {
            // Alternating sides, a third root now and then.
            let root = if i % 7 == 6 {
                walk(one, "a").unwrap()
            } else if i % 2 == 0 {
                one
            } else {
                two
            };
            assert_eq!(repo.subtree(root, d).unwrap(), walk(root, d), "{d:?}");
        }
    }
}

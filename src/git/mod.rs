//! Read-only access to a git repository: revisions, tree listings and capped blob reads,
//! memoized by object id so that a second revision costs only what changed.

pub mod lfs;
mod subtree;
pub mod worktree;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use git2::{ErrorCode, ObjectType, Oid, Repository, RepositoryOpenFlags};

use crate::error::{Error, Result};
use crate::fasthash::FoldHash;

/// Blobs above this size are judged by their size and never read.
pub const DEFAULT_BLOB_CAP: u64 = 1024 * 1024;

/// A resolved revision: what the user typed and the commit and tree it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The revision as given (`v1.2.0`, `HEAD~1`, a SHA); `(empty tree)` for the empty side.
    pub rev: String,
    /// The commit, or `None` for the empty tree (a first commit's base).
    pub commit: Option<Oid>,
    /// The root tree.
    pub tree: Oid,
}

/// What kind of tree entry a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular (possibly executable) file.
    File,
    /// A symbolic link; its blob holds the target path.
    Symlink,
    /// A gitlink (submodule); never entered.
    Submodule,
    /// A directory.
    Tree,
}

/// One entry of a tree, with its full path inside the revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Full path, `/`-separated, relative to the repository root.
    pub path: String,
    /// Object id of the blob, tree or submodule commit.
    pub oid: Oid,
    /// Entry kind.
    pub kind: EntryKind,
}

impl Entry {
    /// The last path component.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// The content of a blob as the engine may use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blob {
    /// Read in full (at most the cap).
    Bytes(Vec<u8>),
    /// Larger than the cap: never read.
    TooLarge { size: u64 },
    /// A Git LFS pointer: the real content lives elsewhere.
    Lfs(lfs::LfsPointer),
    /// Not in the object database and not fetchable.
    Missing,
}

/// A change between two trees, by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Path in the head tree (or the base tree for a deletion).
    pub path: String,
    /// Blob or submodule id at base, if the path existed there.
    pub old: Option<Oid>,
    /// Blob or submodule id at head, if the path exists there.
    pub new: Option<Oid>,
}

/// The entries of one tree, sorted by name, parsed straight from the raw tree object: one
/// buffer holds every name, so a listing costs two allocations whatever its size.
#[derive(Debug, Default)]
pub struct DirListing {
    names: String,
    entries: Vec<(std::ops::Range<u32>, Oid, EntryKind)>,
}

impl DirListing {
    /// Parses a raw tree (`<octal mode> <name>\0<20-byte id>` repeated). Names that are not
    /// UTF-8 are converted lossily; entries of unknown modes are skipped.
    fn parse(raw: &[u8]) -> Option<DirListing> {
        // A well-formed entry takes at least 28 bytes (`40000 x\0` and its id): room for all
        // of them at once, where growing a listing of 40,000 folders would copy it repeatedly.
        let entries = Vec::with_capacity(raw.len() / 28 + 1);
        let mut listing = DirListing { names: String::with_capacity(raw.len() / 2), entries };
        let mut rest = raw;
        while !rest.is_empty() {
            let space = rest.iter().position(|&b| b == b' ')?;
            let mode = std::str::from_utf8(&rest[..space]).ok().and_then(|m| i32::from_str_radix(m, 8).ok())?;
            let nul = space + 1 + rest[space + 1..].iter().position(|&b| b == 0)?;
            let oid = Oid::from_bytes(rest.get(nul + 1..nul + 21)?).ok()?;
            if let Some(kind) = kind_of(mode) {
                let start = listing.names.len() as u32;
                listing.names.push_str(&String::from_utf8_lossy(&rest[space + 1..nul]));
                listing.entries.push((start..listing.names.len() as u32, oid, kind));
            }
            rest = &rest[nul + 21..];
        }
        let names = &listing.names;
        // Stable: names that differ only in bytes that are not UTF-8 keep git's order.
        listing.entries.sort_by(|a, b| {
            names[a.0.start as usize..a.0.end as usize].cmp(&names[b.0.start as usize..b.0.end as usize])
        });
        Some(listing)
    }

    /// Name, object id and kind of every entry, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Oid, EntryKind)> + '_ {
        self.entries
            .iter()
            .map(|(range, oid, kind)| (&self.names[range.start as usize..range.end as usize], *oid, *kind))
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries called `name` (one in a well-formed tree), found by binary search: a
    /// directory of 40,000 packages costs a lookup, not a scan.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a str, Oid, EntryKind)> + 'a {
        let start = self.entries.partition_point(|(r, _, _)| &self.names[r.start as usize..r.end as usize] < name);
        (start..self.len()).map(|i| self.get(i)).take_while(move |(n, _, _)| *n == name)
    }

    /// The position of the first entry named `name` or later. From `hint` on when the entry
    /// there comes before `name`, by steps that double: names looked up in sorted order
    /// are found in a few comparisons, not a full binary search.
    pub(crate) fn lower_bound_from(&self, name: &str, hint: usize) -> usize {
        let before = |i: usize| self.get(i).0 < name;
        if hint <= self.len() && (hint == 0 || before(hint - 1)) && (hint == self.len() || !before(hint)) {
            return hint;
        }
        if hint >= self.len() || !before(hint) {
            let end = hint.min(self.len());
            return self.entries[..end]
                .partition_point(|(r, _, _)| &self.names[r.start as usize..r.end as usize] < name);
        }
        let (mut lo, mut step) = (hint + 1, 1);
        while lo + step - 1 < self.len() && before(lo + step - 1) {
            lo += step;
            step *= 2;
        }
        let hi = (lo + step - 1).min(self.len());
        lo + self.entries[lo..hi].partition_point(|(r, _, _)| &self.names[r.start as usize..r.end as usize] < name)
    }

    pub(crate) fn get(&self, i: usize) -> (&str, Oid, EntryKind) {
        let (range, oid, kind) = &self.entries[i];
        (&self.names[range.start as usize..range.end as usize], *oid, *kind)
    }
}

/// A read-only repository with memo tables keyed by object id.
pub struct Repo {
    repo: Repository,
    display_path: PathBuf,
    blob_cap: u64,
    promisor: bool,
    dir_memo: RefCell<HashMap<Oid, Rc<DirListing>, FoldHash>>,
    blob_memo: RefCell<HashMap<Oid, Rc<Blob>, FoldHash>>,
    /// Where the last directory lookups ended, per root tree.
    cursors: RefCell<subtree::Cursors>,
}

fn kind_of(mode: i32) -> Option<EntryKind> {
    // By the type bits, as libgit2 and git read them: odd permission bits (100775, 040755)
    // written by old tools do not hide an entry.
    Some(match mode & 0o170000 {
        0o040000 => EntryKind::Tree,
        0o120000 => EntryKind::Symlink,
        0o160000 => EntryKind::Submodule,
        0o100000 => EntryKind::File,
        _ => return None,
    })
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        return name.to_string();
    }
    // Not `format!`: a diff of 40,000 folders joins 80,000 paths.
    let mut path = String::with_capacity(dir.len() + 1 + name.len());
    path.push_str(dir);
    path.push('/');
    path.push_str(name);
    path
}

/// Bytes of a pack file mapped at once by one window.
const PACK_WINDOW_BYTES: usize = 1 << 20;
/// Bytes of pack files kept mapped in all.
const PACK_MAPPED_LIMIT_BYTES: usize = 16 << 20;

impl Repo {
    /// Opens the repository at `path` (searching upwards), or the one around the current directory.
    pub fn open(path: Option<&Path>) -> Result<Repo> {
        // A read-only scanner runs nothing from the repository, so the owner check that
        // protects against foreign hooks and config does not apply here; the extensions
        // modern git writes are read as libgit2 understands them.
        static OPTIONS: std::sync::Once = std::sync::Once::new();
        // SAFETY: these calls only set process-wide libgit2 options, once, before this process
        // opens its first repository.
        OPTIONS.call_once(|| unsafe {
            let _ = git2::opts::set_verify_owner_validation(false);
            // Objects are addressed by their id already; re-hashing every tree and blob read
            // (SHA-1 with collision detection) costs more than the rest of a diff.
            git2::opts::strict_hash_verification(false);
            let _ = git2::opts::set_extensions(&["partialclone", "worktreeconfig", "preciousobjects", "noop"]);
            // Pack files are read through mapped windows that stay mapped (and resident) until
            // a limit of gigabytes: a diff that reads a few thousand blobs scattered over a
            // large pack would keep most of it in memory. Small windows under a small limit
            // are unmapped as the next ones are read.
            let _ = git2::opts::set_mwindow_size(PACK_WINDOW_BYTES);
            let _ = git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_LIMIT_BYTES);
        });
        let start = match path {
            Some(p) => p.to_path_buf(),
            None => std::env::current_dir().map_err(|source| Error::ReadFile { path: ".".into(), source })?,
        };
        let flags = if path.is_some() { RepositoryOpenFlags::empty() } else { RepositoryOpenFlags::FROM_ENV };
        let repo = Repository::open_ext(&start, flags, std::iter::empty::<&std::ffi::OsStr>()).map_err(|e| {
            if e.code() == ErrorCode::NotFound {
                Error::NotARepository { path: start.clone() }
            } else {
                Error::UnsupportedRepository { path: start.clone(), reason: e.message().to_string() }
            }
        })?;
        let promisor = repo
            .config()
            .ok()
            .map(|cfg| {
                let mut found = cfg.get_string("extensions.partialclone").is_ok();
                if let Ok(mut entries) = cfg.entries(Some(r"remote\..*\.promisor")) {
                    while let Some(Ok(e)) = entries.next() {
                        found |= e.value() == Ok("true");
                    }
                }
                found
            })
            .unwrap_or(false);
        let display_path = repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf();
        Ok(Repo {
            repo,
            display_path,
            blob_cap: DEFAULT_BLOB_CAP,
            promisor,
            dir_memo: RefCell::default(),
            blob_memo: RefCell::default(),
            cursors: RefCell::default(),
        })
    }

    /// Sets the size above which blobs are never read.
    pub fn with_blob_cap(mut self, cap: u64) -> Self {
        self.blob_cap = cap;
        self
    }

    /// The working directory, or the git directory of a bare repository.
    pub fn display_path(&self) -> &Path {
        &self.display_path
    }

    /// The underlying libgit2 handle, for fronts that need more (hooks, upstreams).
    pub fn raw(&self) -> &Repository {
        &self.repo
    }

    /// Resolves `rev` to a commit and its tree.
    pub fn resolve(&self, rev: &str) -> Result<Revision> {
        let object = self.repo.revparse_single(rev).map_err(|e| self.unresolved(rev, e))?;
        if let Some(kind @ (ObjectType::Blob | ObjectType::Tree)) = object.kind() {
            return Err(Error::NotACommit { rev: rev.into(), kind: kind.to_string(), oid: object.id().to_string() });
        }
        let commit = object.peel_to_commit().map_err(|e| match e.code() {
            ErrorCode::NotFound => Error::MissingCommit { rev: rev.into(), oid: object.id().to_string() },
            _ => Error::UnknownRevision { rev: rev.into(), shallow: self.repo.is_shallow() },
        })?;
        let tree = commit.tree_id();
        if let Err(e) = self.repo.find_tree(tree) {
            return Err(match e.code() {
                ErrorCode::NotFound if !self.has_object(tree) => {
                    Error::MissingCommit { rev: rev.into(), oid: commit.id().to_string() }
                }
                _ => Error::corrupt("tree", tree, &e),
            });
        }
        Ok(Revision { rev: rev.into(), commit: Some(commit.id()), tree })
    }

    fn unresolved(&self, rev: &str, e: git2::Error) -> Error {
        // A full SHA that parses but is absent is a missing commit, not a typo.
        if rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()) {
            return Error::MissingCommit { rev: rev.into(), oid: rev.into() };
        }
        // HEAD of a repository without commits is not a typo to fetch.
        if rev.starts_with("HEAD") && self.repo.head().is_err_and(|h| h.code() == ErrorCode::UnbornBranch) {
            return Error::EmptyRepository;
        }
        if matches!(e.code(), ErrorCode::NotFound | ErrorCode::InvalidSpec | ErrorCode::Ambiguous)
            || e.class() == git2::ErrorClass::Reference
        {
            Error::UnknownRevision { rev: rev.into(), shallow: self.repo.is_shallow() }
        } else {
            Error::git(format!("resolving '{rev}'"), e)
        }
    }

    /// Whether the object database has `oid` (present, if perhaps unreadable).
    fn has_object(&self, oid: Oid) -> bool {
        self.repo.odb().is_ok_and(|odb| odb.exists(oid))
    }

    /// Whether `commit` is where a shallow clone's history is cut (listed in `shallow`).
    fn is_shallow_boundary(&self, commit: Oid) -> bool {
        if !self.repo.is_shallow() {
            return false;
        }
        let hex = commit.to_string();
        std::fs::read_to_string(self.repo.commondir().join("shallow"))
            .map(|t| t.lines().any(|l| l.trim() == hex))
            .unwrap_or(true)
    }

    /// The empty tree, as the base of a history's first commit.
    pub fn empty_revision(&self) -> Result<Revision> {
        // Written to an in-memory object store layered over the repository's: nothing
        // reaches `.git/objects` (read-only repositories work).
        let odb = self.repo.odb().map_err(|e| Error::git("opening the object database", e))?;
        let _mempack =
            odb.add_new_mempack_backend(1000).map_err(|e| Error::git("preparing an in-memory object store", e))?;
        let tree = self
            .repo
            .treebuilder(None)
            .and_then(|b| b.write())
            .map_err(|e| Error::git("building the empty tree", e))?;
        Ok(Revision { rev: "(empty tree)".into(), commit: None, tree })
    }

    /// The merge-base of two commits.
    pub fn merge_base(&self, a: Oid, b: Oid) -> Result<Option<Oid>> {
        match self.repo.merge_base(a, b) {
            Ok(oid) => Ok(Some(oid)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(Error::git("computing the merge-base", e)),
        }
    }

    /// The default base for `diff` without revisions: the merge-base of HEAD with its
    /// upstream when there is one, else HEAD's first parent, else the empty tree.
    pub fn default_base(&self, head: &Revision) -> Result<Revision> {
        let head_oid = head.commit.ok_or(Error::EmptyRepository)?;
        if let Ok(h) = self.repo.head()
            && h.is_branch()
        {
            let name = h.shorthand().unwrap_or_default().to_string();
            if let Ok(branch) = self.repo.find_branch(&name, git2::BranchType::Local)
                && let Ok(up) = branch.upstream()
                && let (Some(up_oid), Some(up_name)) = (up.get().target(), up.name().ok().flatten())
                && let Some(mb) = self.merge_base(head_oid, up_oid)?
            {
                let mut r = self.resolve(&mb.to_string())?;
                r.rev = format!("merge-base({up_name})");
                return Ok(r);
            }
        }
        let commit = self.repo.find_commit(head_oid).map_err(|e| Error::git("reading HEAD", e))?;
        match commit.parent_id(0) {
            Ok(parent) => {
                let mut r = self.resolve(&parent.to_string())?;
                r.rev = format!("{}~1", head.rev);
                Ok(r)
            }
            // A shallow clone cuts the history here: the commit has parents, just not in
            // this clone. The empty tree would report every license as merely added.
            Err(_) if self.is_shallow_boundary(head_oid) => Err(Error::ShallowBase { rev: head.rev.clone() }),
            Err(_) => self.empty_revision(),
        }
    }

    /// Paths whose blob, mode or submodule commit differ between two trees. Identical
    /// subtrees are skipped by id, so the cost follows the size of the change.
    pub fn changes(&self, base: Oid, head: Oid) -> Result<Vec<Change>> {
        let mut out = Vec::new();
        self.diff_trees(base, head, &mut String::new(), &mut out)?;
        Ok(out)
    }

    /// Changes below the directory `dir` (a buffer the walk extends and restores).
    fn diff_trees(&self, base: Oid, head: Oid, dir: &mut String, out: &mut Vec<Change>) -> Result<()> {
        if base == head {
            return Ok(());
        }
        let (a, b) = (self.read_dir(base)?, self.read_dir(head)?);
        // Both listings are sorted by name: one merge walk pairs them.
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let (old, new) = match (i < a.len(), j < b.len()) {
                (true, true) => {
                    let (x, y) = (a.get(i), b.get(j));
                    match x.0.cmp(y.0) {
                        std::cmp::Ordering::Less => (Some(x), None),
                        std::cmp::Ordering::Greater => (None, Some(y)),
                        std::cmp::Ordering::Equal => (Some(x), Some(y)),
                    }
                }
                (true, false) => (Some(a.get(i)), None),
                _ => (None, Some(b.get(j))),
            };
            i += usize::from(old.is_some());
            j += usize::from(new.is_some());
            match (old, new) {
                (Some((_, o, ok)), Some((_, n, nk))) if o == n && ok == nk => {}
                (Some((name, o, EntryKind::Tree)), Some((_, n, EntryKind::Tree))) => {
                    let len = dir.len();
                    if len > 0 {
                        dir.push('/');
                    }
                    dir.push_str(name);
                    let found = self.diff_trees(o, n, dir, out);
                    dir.truncate(len);
                    found?
                }
                _ => {
                    let name = old.or(new).map(|e| e.0).unwrap_or_default();
                    let path = join(dir, name);
                    for (side, entry) in [(0, old), (1, new)] {
                        if let Some((_, oid, EntryKind::Tree)) = entry {
                            // A file replaced by a directory (or the reverse): every path below changes.
                            for e in self.walk_kinds(oid, &path, &|_, _| true)? {
                                out.push(if side == 0 {
                                    Change { path: e.path, old: Some(e.oid), new: None }
                                } else {
                                    Change { path: e.path, old: None, new: Some(e.oid) }
                                });
                            }
                        }
                    }
                    let old = old.filter(|(_, _, k)| *k != EntryKind::Tree).map(|(_, o, _)| o);
                    let new = new.filter(|(_, _, k)| *k != EntryKind::Tree).map(|(_, o, _)| o);
                    if old.is_some() || new.is_some() {
                        out.push(Change { path, old, new });
                    }
                }
            }
        }
        Ok(())
    }

    /// The entries of one tree (not recursive), memoized by tree id.
    pub fn read_dir(&self, tree: Oid) -> Result<Rc<DirListing>> {
        if let Some(hit) = self.dir_memo.borrow().get(&tree) {
            return Ok(hit.clone());
        }
        let missing = || Error::MissingCommit { rev: format!("tree {tree}"), oid: tree.to_string() };
        let odb = self.repo.odb().map_err(|e| Error::git("opening the object database", e))?;
        let object = odb.read(tree).map_err(|e| match e.code() {
            ErrorCode::NotFound if !odb.exists(tree) => missing(),
            _ => Error::corrupt("tree", tree, &e),
        })?;
        if object.kind() != ObjectType::Tree {
            let e = git2::Error::from_str(&format!("the object is a {}, not a tree", object.kind()));
            return Err(Error::corrupt("tree", tree, &e));
        }
        let listing = DirListing::parse(object.data()).ok_or_else(|| {
            Error::corrupt("tree", tree, &git2::Error::from_str("the tree object is malformed (truncated entries)"))
        })?;
        let listing = Rc::new(listing);
        self.dir_memo.borrow_mut().insert(tree, listing.clone());
        Ok(listing)
    }

    /// The entries directly inside `dir` of `root` (empty when the directory does not exist).
    pub fn list_dir(&self, root: Oid, dir: &str) -> Result<Vec<Entry>> {
        let Some(tree) = self.subtree(root, dir)? else {
            return Ok(Vec::new());
        };
        Ok(self.read_dir(tree)?.iter().map(|(name, oid, kind)| Entry { path: join(dir, name), oid, kind }).collect())
    }

    /// Whether an entry of `tree`, the directory `dir`, passes `pred` (given its full path
    /// and kind). Nothing is allocated per entry.
    pub fn dir_has(&self, tree: Oid, dir: &str, pred: impl Fn(&str, EntryKind) -> bool) -> Result<bool> {
        let mut path = String::with_capacity(dir.len() + 64);
        path.push_str(dir);
        if !dir.is_empty() {
            path.push('/');
        }
        let dir_len = path.len();
        let found = self.read_dir(tree)?.iter().any(|(name, _, kind)| {
            path.truncate(dir_len);
            path.push_str(name);
            pred(&path, kind)
        });
        Ok(found)
    }

    /// Looks up one path in a tree.
    pub fn entry_at(&self, root: Oid, path: &str) -> Result<Option<Entry>> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let Some(tree) = self.subtree(root, dir)? else {
            return Ok(None);
        };
        Ok(self.read_dir(tree)?.named(name).next().map(|(name, oid, kind)| Entry { path: join(dir, name), oid, kind }))
    }

    /// Every non-directory entry below `tree` whose path passes `keep`, with paths prefixed
    /// by `prefix`. Directory listings are memoized by tree id.
    pub fn walk_kinds(&self, tree: Oid, prefix: &str, keep: &dyn Fn(&str, EntryKind) -> bool) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        // Depth first, one buffer holding `dir/name`: a String is made only for what is kept.
        let mut path = prefix.to_string();
        // The listings being walked, the next entry of each and the length of its path.
        let mut stack = vec![(self.read_dir(tree)?, 0, path.len())];
        while let Some((listing, next, dir_len)) = stack.last_mut() {
            if *next == listing.len() {
                stack.pop();
                continue;
            }
            let (name, oid, kind) = listing.get(*next);
            *next += 1;
            path.truncate(*dir_len);
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(name);
            if kind == EntryKind::Tree {
                stack.push((self.read_dir(oid)?, 0, path.len()));
            } else if keep(&path, kind) {
                out.push(Entry { path: path.clone(), oid, kind });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Maps the first `max` bytes of a blob at most the cap with `f`, in place, without
    /// memoizing the content or fetching it when missing (`None` then, and for larger blobs).
    pub fn with_head<T>(&self, oid: Oid, max: usize, f: impl FnOnce(&[u8]) -> T) -> Result<Option<T>> {
        let odb = self.repo.odb().map_err(|e| Error::git("opening the object database", e))?;
        match odb.read_header(oid) {
            Ok((size, ObjectType::Blob)) if size as u64 <= self.blob_cap => {}
            Ok(_) => return Ok(None),
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(Error::git(format!("reading blob {oid}"), e)),
        }
        // Straight from the object database: no object handle, no copy.
        match odb.read(oid) {
            Ok(object) => Ok(Some(f(&object.data()[..object.data().len().min(max)]))),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(Error::git(format!("reading blob {oid}"), e)),
        }
    }

    /// The first `max` bytes of a blob whatever its size (a card's front matter sits at its
    /// start): streamed from a loose object, else read through `git cat-file` and cut off,
    /// so a huge blob is never held in memory. `None` when neither can read it.
    pub fn read_prefix(&self, oid: Oid, max: usize) -> Result<Option<Vec<u8>>> {
        use std::io::Read;
        let odb = self.repo.odb().map_err(|e| Error::git("opening the object database", e))?;
        let mut buf = Vec::with_capacity(max.min(1 << 20));
        if let Ok((reader, _, ObjectType::Blob)) = odb.reader(oid)
            && reader.take(max as u64).read_to_end(&mut buf).is_ok()
        {
            return Ok(Some(buf));
        }
        // Packed objects cannot be streamed by libgit2: git inflates it, we read the head.
        buf.clear();
        let child = Command::new("git")
            .arg("--git-dir")
            .arg(self.repo.path())
            .args(["cat-file", "blob", &oid.to_string()])
            .env("GIT_NO_LAZY_FETCH", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = child else { return Ok(None) };
        let read = child.stdout.take().map(|out| out.take(max as u64).read_to_end(&mut buf));
        let cut_short = buf.len() < max;
        let _ = child.kill();
        let status = child.wait();
        // Killed after `max` bytes is success; fewer bytes need git's own success.
        let complete = !cut_short || status.is_ok_and(|s| s.success());
        Ok((matches!(read, Some(Ok(_))) && complete).then_some(buf))
    }

    /// Reads a blob, never more than the cap; LFS pointers are recognised, a missing blob
    /// of a partial clone is fetched through `git`. Memoized by blob id.
    pub fn read_blob(&self, oid: Oid) -> Result<Rc<Blob>> {
        if let Some(hit) = self.blob_memo.borrow().get(&oid) {
            return Ok(hit.clone());
        }
        let blob = Rc::new(self.load_blob(oid)?);
        self.blob_memo.borrow_mut().insert(oid, blob.clone());
        Ok(blob)
    }

    fn load_blob(&self, oid: Oid) -> Result<Blob> {
        let odb = self.repo.odb().map_err(|e| Error::git("opening the object database", e))?;
        let size = match odb.read_header(oid) {
            Ok((size, ObjectType::Blob)) => size as u64,
            Ok((_, other)) => {
                return Err(Error::git(
                    format!("object {oid}"),
                    git2::Error::from_str(&format!("is a {other}, not a blob")),
                ));
            }
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(self.fetch_missing(oid)),
            Err(e) => return Err(Error::git(format!("reading blob {oid}"), e)),
        };
        if size > self.blob_cap {
            return Ok(Blob::TooLarge { size });
        }
        let bytes = match self.repo.find_blob(oid) {
            Ok(b) => b.content().to_vec(),
            Err(e) if e.code() == ErrorCode::NotFound && !odb.exists(oid) => return Ok(self.fetch_missing(oid)),
            Err(e) => return Err(Error::corrupt("blob", oid, &e)),
        };
        Ok(classify_bytes(bytes))
    }

    /// Asks `git` for a blob this clone lacks: in a partial clone it fetches from the
    /// promisor remote. Only the size is asked first, so a huge blob is never transferred
    /// into memory.
    fn fetch_missing(&self, oid: Oid) -> Blob {
        if !self.promisor {
            return Blob::Missing;
        }
        let git = |args: &[&str]| {
            Command::new("git")
                .arg("--git-dir")
                .arg(self.repo.path())
                .args(args)
                .env("GIT_TERMINAL_PROMPT", "0")
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .output()
                .ok()
                .filter(|o| o.status.success())
        };
        let hex = oid.to_string();
        let Some(size) =
            git(&["cat-file", "-s", &hex]).and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<u64>().ok())
        else {
            return Blob::Missing;
        };
        if size > self.blob_cap {
            return Blob::TooLarge { size };
        }
        tracing::debug!(%oid, size, "fetched a missing blob through git");
        match git(&["cat-file", "blob", &hex]) {
            Some(o) => classify_bytes(o.stdout),
            None => Blob::Missing,
        }
    }
}

fn classify_bytes(bytes: Vec<u8>) -> Blob {
    match lfs::parse_pointer(&bytes) {
        Some(p) => Blob::Lfs(p),
        None => Blob::Bytes(bytes),
    }
}

/// Resolves a symlink target relative to the link's directory; `None` when it leaves the tree.
pub fn resolve_link(link_path: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = link_path.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::{DirListing, EntryKind, resolve_link};

    #[test]
    fn raw_trees_parse_sorted_with_lossy_names() {
        let id = |b: u8| [b; 20];
        let mut raw = Vec::new();
        for (mode, name, b) in
            [("100644", &b"b.txt"[..], 1u8), ("40000", b"a", 2), ("120000", b"z\xff", 3), ("160000", b"m", 4)]
        {
            raw.extend_from_slice(mode.as_bytes());
            raw.push(b' ');
            raw.extend_from_slice(name);
            raw.push(0);
            raw.extend_from_slice(&id(b));
        }
        let listing = DirListing::parse(&raw).unwrap();
        let got: Vec<(String, EntryKind)> = listing.iter().map(|(n, _, k)| (n.to_string(), k)).collect();
        assert_eq!(
            got,
            [
                ("a".to_string(), EntryKind::Tree),
                ("b.txt".to_string(), EntryKind::File),
                ("m".to_string(), EntryKind::Submodule),
                ("z\u{fffd}".to_string(), EntryKind::Symlink)
            ]
        );
        assert_eq!(listing.get(1).1, git2::Oid::from_bytes(&id(1)).unwrap());
        assert!(DirListing::parse(b"100644 truncated\0abc").is_none(), "a short id is malformed");
        let mut odd = Vec::new();
        for (mode, name) in [("100775", "LICENSE"), ("40755", "src")] {
            odd.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            odd.extend_from_slice(&id(9));
        }
        let kinds: Vec<EntryKind> = DirListing::parse(&odd).unwrap().iter().map(|(_, _, k)| k).collect();
        assert_eq!(kinds, [EntryKind::File, EntryKind::Tree], "odd permission bits keep the entry");
    }

    #[test]
    fn symlinks_stay_inside_the_tree() {
        assert_eq!(resolve_link("LICENSE", "docs/LICENSE.txt").as_deref(), Some("docs/LICENSE.txt"));
        assert_eq!(resolve_link("a/LICENSE", "../LICENSE").as_deref(), Some("LICENSE"));
        assert_eq!(resolve_link("LICENSE", "../outside"), None);
        assert_eq!(resolve_link("LICENSE", "/etc/passwd"), None);
    }
}

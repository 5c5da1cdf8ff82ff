//! Paths of a revision that signal Model Openness Framework components, found by name and
//! memoized per subtree, so the second side of a diff walks only what changed.

use std::collections::HashMap;
use std::rc::Rc;

use git2::Oid;

use super::{Profiler, child_path};
use crate::error::Result;
use crate::git::{EntryKind, Revision};
use crate::knowledge::components;

/// Component signal paths below a directory, by tree id and directory path.
pub(super) type ComponentMemo = HashMap<(Oid, String), Rc<SignalTree>>;

/// A path of a revision that signals MOF components, with those components.
#[derive(Debug, Clone)]
pub struct SignalPath {
    pub path: String,
    pub signals: components::Signals,
}

/// Component signal paths below one directory: its own files and its subdirectories'
/// (shared), so that every path is stored once however deep it sits.
#[derive(Debug, Default)]
pub(super) struct SignalTree {
    files: Vec<SignalPath>,
    dirs: Vec<Rc<SignalTree>>,
}

impl SignalTree {
    fn collect_into(&self, out: &mut Vec<SignalPath>) {
        out.extend(self.files.iter().cloned());
        for d in &self.dirs {
            d.collect_into(out);
        }
    }
}

impl Profiler<'_> {
    /// Paths of a revision that signal a MOF component, with their components (names only,
    /// each path matched once). Subtrees are memoized by id and path, so the second side of
    /// a diff walks and matches only what changed.
    pub fn component_paths(&self, rev: &Revision) -> Result<Vec<SignalPath>> {
        let mut out = Vec::new();
        self.component_paths_below(rev.tree, "")?.collect_into(&mut out);
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn component_paths_below(&self, tree: Oid, dir: &str) -> Result<Rc<SignalTree>> {
        if let Some(hit) = self.component_memo.borrow().get(&(tree, dir.to_string())) {
            return Ok(hit.clone());
        }
        let mut out = SignalTree::default();
        let mut path = String::with_capacity(dir.len() + 64);
        let literals = components::DirLiterals::of(dir);
        for (name, oid, kind) in self.repo.read_dir(tree)?.iter() {
            child_path(&mut path, dir, name);
            match kind {
                EntryKind::Tree => {
                    let below = self.component_paths_below(oid, &path)?;
                    if !below.files.is_empty() || !below.dirs.is_empty() {
                        out.dirs.push(below);
                    }
                }
                EntryKind::Submodule => {}
                _ => {
                    // The literal pre-check rejects most paths before the ignore globs run.
                    let signals = literals.signals(name, &path);
                    if !signals.is_empty() && !self.is_ignored(&path) {
                        out.files.push(SignalPath { path: path.clone(), signals });
                    }
                }
            }
        }
        let out = Rc::new(out);
        self.component_memo.borrow_mut().insert((tree, dir.to_string()), out.clone());
        Ok(out)
    }
}

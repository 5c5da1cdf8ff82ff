//! The pipeline from revisions to findings: tree diff → touched scopes → profiles of
//! those scopes only → drift.

use std::collections::BTreeSet;

use crate::drift::{self, Finding};
use crate::error::Result;
use crate::git::Revision;
use crate::profile::{Profile, Profiler};
use crate::snapshot::{self, ancestors};

/// What `diff` found between two revisions.
#[derive(Debug, Clone)]
pub struct DiffOutcome {
    pub base: Revision,
    pub head: Revision,
    pub findings: Vec<Finding>,
    /// Things the reader should know (files not read, incomplete data).
    pub warnings: Vec<String>,
    /// Relevant paths that changed.
    pub relevant_changes: Vec<String>,
}

/// Compares two revisions. Only scopes that a relevant changed path touches are profiled,
/// with their enclosing scopes for inherited values.
pub fn diff(profiler: &Profiler<'_>, base: &Revision, head: &Revision) -> Result<DiffOutcome> {
    let repo = profiler.repo();
    let changes = repo.changes(base.tree, head.tree)?;
    let relevant: Vec<String> =
        changes.iter().filter(|c| snapshot::classify(&c.path).is_some()).map(|c| c.path.clone()).collect();
    let touched: BTreeSet<String> = relevant.iter().map(|p| snapshot::scope_dir(p).to_string()).collect();
    tracing::debug!(changed = changes.len(), relevant = relevant.len(), scopes = touched.len(), "tree diff");
    let mut outcome = DiffOutcome {
        base: base.clone(),
        head: head.clone(),
        findings: Vec::new(),
        warnings: Vec::new(),
        relevant_changes: relevant,
    };
    if touched.is_empty() {
        return Ok(outcome);
    }
    let dirs: BTreeSet<&str> = touched.iter().flat_map(|d| ancestors(d)).collect();
    let base_profile = profiler.profile_dirs(base, dirs.iter().copied())?;
    let head_profile = profiler.profile_dirs(head, dirs.iter().copied())?;
    let touched: Vec<String> = touched.into_iter().collect();
    outcome.findings = drift::diff_profiles(&base_profile, &head_profile, &touched);
    outcome.warnings = merge_warnings(&base_profile, &head_profile, base, head);
    Ok(outcome)
}

fn merge_warnings(b: &Profile, h: &Profile, base: &Revision, head: &Revision) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (p, rev) in [(b, base), (h, head)] {
        for w in &p.warnings {
            let w = format!("{w} (at {})", rev.rev);
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

/// Everything a revision declares.
pub fn scan(profiler: &Profiler<'_>, rev: &Revision) -> Result<Profile> {
    profiler.profile_all(rev)
}

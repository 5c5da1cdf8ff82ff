//! The pipeline from revisions to findings: tree diff → touched scopes → profiles of
//! those scopes only → drift.

use std::collections::BTreeSet;

use crate::drift::{self, Finding, HeaderChange};
use crate::error::Result;
use crate::git::{Change, Revision};
use crate::profile::{Profile, Profiler, headers};
use crate::snapshot::{self, Role, ancestors};

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
/// with their enclosing scopes for inherited values; ordinary files that changed are read
/// for their `SPDX-License-Identifier` header only.
pub fn diff(profiler: &Profiler<'_>, base: &Revision, head: &Revision) -> Result<DiffOutcome> {
    let repo = profiler.repo();
    let changes = repo.changes(base.tree, head.tree)?;
    let (relevant, ordinary): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| snapshot::classify(&c.path).is_some());
    let touched: BTreeSet<String> = relevant.iter().map(|c| snapshot::scope_dir(&c.path).to_string()).collect();
    let header_changes = header_changes(profiler, head, &ordinary)?;
    tracing::debug!(
        changed = changes.len(),
        relevant = relevant.len(),
        scopes = touched.len(),
        headers = header_changes.len(),
        "tree diff"
    );
    let mut outcome = DiffOutcome {
        base: base.clone(),
        head: head.clone(),
        findings: Vec::new(),
        warnings: Vec::new(),
        relevant_changes: relevant.iter().map(|c| c.path.clone()).collect(),
    };
    if touched.is_empty() && header_changes.is_empty() {
        return Ok(outcome);
    }
    let dirs: BTreeSet<&str> = touched
        .iter()
        .map(String::as_str)
        .chain(header_changes.iter().map(|h| h.scope_dir.as_str()))
        .flat_map(ancestors)
        .collect();
    let base_profile = profiler.profile_dirs(base, dirs.iter().copied())?;
    let head_profile = profiler.profile_dirs(head, dirs.iter().copied())?;
    let touched: Vec<String> = touched.into_iter().collect();
    outcome.findings = drift::diff_profiles(&base_profile, &head_profile, &touched, &header_changes);
    outcome.warnings = merge_warnings(&base_profile, &head_profile, base, head);
    Ok(outcome)
}

/// Ordinary changed files whose header license differs between the sides.
fn header_changes(profiler: &Profiler<'_>, head: &Revision, ordinary: &[&Change]) -> Result<Vec<HeaderChange>> {
    let mut out = Vec::new();
    for c in ordinary.iter().filter(|c| headers::may_have_header(&c.path)) {
        let before = c.old.map(|oid| profiler.header_of(oid)).transpose()?.flatten();
        let after = c.new.map(|oid| profiler.header_of(oid)).transpose()?.flatten();
        if before.as_ref().map(|b| &b.0) == after.as_ref().map(|a| &a.0) {
            continue;
        }
        let scope_dir = declaring_dir(profiler, head, &c.path)?;
        out.push(HeaderChange { path: c.path.clone(), scope_dir, before, after });
    }
    Ok(out)
}

/// The nearest directory above `path` that holds a license declaration, by name only.
fn declaring_dir(profiler: &Profiler<'_>, rev: &Revision, path: &str) -> Result<String> {
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    for d in ancestors(dir) {
        let entries = profiler.repo().list_dir(rev.tree, d)?;
        if entries.iter().any(|e| matches!(snapshot::classify(&e.path), Some(Role::LicenseFile(_)))) {
            return Ok(d.to_string());
        }
    }
    Ok(String::new())
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

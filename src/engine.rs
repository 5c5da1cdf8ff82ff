//! The pipeline from revisions to findings: tree diff → touched scopes → profiles of
//! those scopes only → drift.

use std::collections::{BTreeSet, HashMap};

use crate::drift::{self, Finding, HeaderChange};
use crate::error::Result;
use crate::fasthash::FoldHash;
use crate::git::{Change, EntryKind, Revision};
use crate::knowledge::components;
use crate::profile::openness::{self, Openness};
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
}

/// Touched scope directories whose licensing is not compared: those gone from the head tree
/// (deleting a folder changes nobody's license; what it shipped is a component or dataset
/// finding), and those new at head that are a gone one moved, with the same licensing.
/// Compared, a deleted folder would fall back to the root's license ("CC0-1.0 → Apache-2.0")
/// and a moved one would change twice.
fn departed_scopes(
    repo: &crate::git::Repo,
    base: &Revision,
    head: &Revision,
    touched: &BTreeSet<String>,
    base_profile: &crate::profile::Profile,
    head_profile: &crate::profile::Profile,
) -> Result<BTreeSet<String>> {
    let exists =
        |rev: &Revision, dir: &str| -> Result<bool> { Ok(dir.is_empty() || repo.subtree(rev.tree, dir)?.is_some()) };
    // What a folder says, without where it is: a folder moved elsewhere says the same (its
    // license texts, restrictions and evidence files, by name); one moved and edited does not,
    // and is compared like any other.
    let licensing = |p: &crate::profile::Profile, dir: &str| -> BTreeSet<String> {
        let name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
        let mut says: BTreeSet<String> = p
            .declared_in(dir)
            .map(|d| {
                let hash = d.text.as_ref().map(|t| t.hash.as_str()).unwrap_or_default();
                format!("d|{}|{}|{hash}|{}", d.scope.component.as_str(), d.license, name(&d.path))
            })
            .collect();
        says.extend(
            p.restricted_in(dir).map(|r| format!("r|{}|{}|{}", r.scope.component.as_str(), r.category.name(), r.key)),
        );
        says.extend(p.evidence.iter().filter(|e| e.scope == dir).map(|e| format!("e|{:?}|{}", e.kind, name(&e.path))));
        says
    };
    let basename = |dir: &str| dir.rsplit('/').next().unwrap_or(dir).to_string();
    let mut gone = BTreeSet::new();
    let mut new = Vec::new();
    for dir in touched {
        // Scopes that are no directory on either side (a debian/copyright `Files:` paragraph)
        // are compared as they are.
        match (exists(base, dir)?, exists(head, dir)?) {
            (true, false) => {
                gone.insert(dir.clone());
            }
            (false, true) => new.push(dir),
            _ => {}
        }
    }
    let moved_from: BTreeSet<(String, BTreeSet<String>)> =
        gone.iter().map(|g| (basename(g), licensing(base_profile, g))).collect();
    let mut departed = gone;
    for dir in new {
        if moved_from.contains(&(basename(dir), licensing(head_profile, dir))) {
            departed.insert(dir.clone());
        }
    }
    Ok(departed)
}

/// Compares two revisions. Only scopes that a relevant changed path touches are profiled,
/// with their enclosing scopes for inherited values; ordinary files that changed are read
/// for their `SPDX-License-Identifier` header only.
pub fn diff(profiler: &Profiler<'_>, base: &Revision, head: &Revision) -> Result<DiffOutcome> {
    let repo = profiler.repo();
    let started = std::time::Instant::now();
    let changes = repo.changes(base.tree, head.tree)?;
    tracing::debug!(elapsed_us = started.elapsed().as_micros() as u64, "tree diff done");
    // Each changed path is judged once: whether the policy ignores it, and its role.
    let kept: Vec<(&Change, Option<Role>)> =
        changes.iter().filter(|c| !profiler.is_ignored(&c.path)).map(|c| (c, snapshot::classify(&c.path))).collect();
    let relevant: Vec<(&Change, Role)> = kept.iter().filter_map(|&(c, role)| Some((c, role?))).collect();
    let ordinary: Vec<&Change> = kept.iter().filter(|(_, role)| role.is_none()).map(|&(c, _)| c).collect();
    let mut touched: BTreeSet<String> =
        relevant.iter().map(|&(c, role)| snapshot::scope_dir_as(&c.path, role).to_string()).collect();
    touched.extend(referenced_texts(profiler, base, head, &ordinary)?);
    touched.extend(linked_texts(profiler, base, &kept)?);
    tracing::debug!(elapsed_us = started.elapsed().as_micros() as u64, "referenced texts");
    let header_changes = header_changes(profiler, head, &ordinary)?;
    tracing::debug!(
        changed = changes.len(),
        relevant = relevant.len(),
        scopes = touched.len(),
        headers = header_changes.len(),
        "tree diff"
    );
    let mut outcome =
        DiffOutcome { base: base.clone(), head: head.clone(), findings: Vec::new(), warnings: Vec::new() };
    let component_changed = kept.iter().any(|(c, _)| components::any_matches(&c.path));
    if touched.is_empty() && header_changes.is_empty() && !component_changed {
        return Ok(outcome);
    }
    let starts = touched
        .iter()
        .map(String::as_str)
        .chain(component_changed.then_some(""))
        .chain(header_changes.iter().map(|h| h.scope_dir.as_str()))
        .collect();
    let dirs: Vec<String> = with_ancestors(starts).into_iter().map(String::from).collect();
    tracing::debug!(elapsed_us = started.elapsed().as_micros() as u64, "headers read");
    let mut base_profile = profiler.profile_dirs(base, dirs.iter().map(String::as_str))?;
    let mut head_profile = profiler.profile_dirs(head, dirs.iter().map(String::as_str))?;
    // A changed manifest may declare scopes below its package (debian/copyright `Files:`,
    // REUSE.toml annotations): those scopes are touched too, with their enclosing ones.
    // Changed manifests with their own scope, which is touched already: only a manifest
    // declares for a scope other than its file's (every other declaration's scope is its
    // file's scope directory).
    let changed: HashMap<&str, &str, FoldHash> = relevant
        .iter()
        .filter(|(_, role)| matches!(role, Role::Manifest(_)))
        .map(|&(c, role)| (c.path.as_str(), snapshot::scope_dir_as(&c.path, role)))
        .collect();
    let mut added = Vec::new();
    let declarations = base_profile.declarations.iter().chain(&head_profile.declarations);
    for d in declarations.filter(|d| d.kind == crate::profile::DeclKind::Manifest) {
        if changed.get(d.path.as_str()).is_some_and(|own| *own != d.scope.path) && !touched.contains(&d.scope.path) {
            touched.insert(d.scope.path.clone());
            added.push(d.scope.path.clone());
        }
    }
    // The ancestors of every other touched scope are listed already.
    let listed = |d: &str| dirs.binary_search_by(|x| x.as_str().cmp(d)).is_ok();
    let more: BTreeSet<&str> = added.iter().flat_map(|d| ancestors(d)).filter(|d| !listed(d)).collect();
    if !more.is_empty() {
        let all: BTreeSet<&str> = dirs.iter().map(String::as_str).chain(more).collect();
        base_profile = profiler.profile_dirs(base, all.iter().copied())?;
        head_profile = profiler.profile_dirs(head, all.iter().copied())?;
    }
    let departed = departed_scopes(repo, base, head, &touched, &base_profile, &head_profile)?;
    let touched: Vec<String> = touched.into_iter().filter(|d| !departed.contains(d)).collect();
    outcome.findings = drift::diff_profiles(&base_profile, &head_profile, &touched, &header_changes);
    // Openness needs the component paths of both whole trees (names only, memoized by
    // tree id): only when a component signal, a card or MOT file, or the root's terms
    // changed.
    let model_repo = !head_profile.cards.is_empty() || !base_profile.cards.is_empty() || !head_profile.mot.is_empty();
    let openness_touched = component_changed
        || relevant.iter().any(|(_, role)| matches!(role, Role::Card(_) | Role::MotFile))
        || (model_repo && touched.iter().any(String::is_empty));
    tracing::debug!(
        elapsed_us = started.elapsed().as_micros() as u64,
        openness = openness_touched,
        "profiles compared"
    );
    if openness_touched {
        let (base_paths, head_paths) = (profiler.component_paths(base)?, profiler.component_paths(head)?);
        let (bo, ho) = (openness::openness(&base_paths, &base_profile), openness::openness(&head_paths, &head_profile));
        outcome.findings.extend(drift::openness_findings(&bo, &ho));
        drift::sort_findings(&mut outcome.findings);
    }
    outcome.warnings = merge_warnings(&base_profile, &head_profile, base, head);
    tracing::debug!(elapsed_us = started.elapsed().as_micros() as u64, "diff done");
    Ok(outcome)
}

/// Directories and their ancestors, sorted and once, as the profiles list them. From sorted
/// directories, a walk up stops at an ancestor of the previous one (listed with its own
/// ancestors already), and what it found goes in top first: the final sort has little to do.
fn with_ancestors(mut starts: Vec<&str>) -> Vec<&str> {
    starts.sort();
    starts.dedup();
    let mut dirs: Vec<&str> = Vec::with_capacity(starts.len() + 16);
    for (i, &start) in starts.iter().enumerate() {
        let listed = |d: &str| i > 0 && is_ancestor_or_self(d, starts[i - 1]);
        let mark = dirs.len();
        dirs.extend(ancestors(start).take_while(|d| !listed(d)));
        dirs[mark..].reverse();
    }
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Whether directory `dir` is `path` or one of its ancestors.
fn is_ancestor_or_self(dir: &str, path: &str) -> bool {
    dir.is_empty() || path == dir || (path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/')
}

/// Package directories whose manifest may name a changed ordinary file as its license
/// text (`license-file = "TERMS.txt"`, `SEE LICENSE IN …`): a manifest in the file's
/// directory or the one above, on either side. Code and binary files are never such texts.
fn referenced_texts(
    profiler: &Profiler<'_>,
    base: &Revision,
    head: &Revision,
    ordinary: &[&Change],
) -> Result<BTreeSet<String>> {
    let is_manifest = |path: &str, _| crate::profile::manifest::kind_of(path).is_some();
    let mut memo = [DirMemo::default(), DirMemo::default()];
    let mut out = BTreeSet::new();
    let may_be_text =
        |c: &&&Change| !snapshot::has_code_or_binary_extension(c.path.rsplit('/').next().unwrap_or_default());
    for c in ordinary.iter().filter(may_be_text) {
        let dir = c.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for d in ancestors(dir).take(2) {
            for (side, rev) in [base, head].into_iter().enumerate() {
                if memo[side].check(profiler, rev, d, is_manifest)? {
                    out.insert(d.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// Scopes whose license file is a symlink to a changed file (`LICENSE` → `legal/TERMS.txt`,
/// `packages/x/LICENSE` → `../../LICENSE`). Symlinks may point anywhere, so both trees are
/// walked for license-named symlinks (names only; only those symlinks are read) — but only
/// when a changed file looks like legal text: a license file, a policy or notice, or a file
/// whose name says terms, EULA, legal, agreement, license, copying.
fn linked_texts(
    profiler: &Profiler<'_>,
    base: &Revision,
    changed: &[(&Change, Option<Role>)],
) -> Result<BTreeSet<String>> {
    const LEGAL_WORDS: &[&str] = &["term", "eula", "legal", "agreement", "licen", "copying", "notice", "policy"];
    let looks_legal = |path: &str, role: Option<Role>| {
        let name = path.rsplit('/').next().unwrap_or(path);
        match role {
            Some(Role::LicenseFile(_) | Role::UsePolicy | Role::Notice) => true,
            Some(_) => false,
            None => {
                !snapshot::has_code_or_binary_extension(name)
                    && LEGAL_WORDS.iter().any(|w| name.to_ascii_lowercase().contains(w))
            }
        }
    };
    // A link that changed is a changed license file itself; an unchanged one pointed at its
    // target on both sides, so only targets that existed at base (modified or deleted) and
    // links of the base tree matter.
    let targets: BTreeSet<&str> = changed
        .iter()
        .filter(|(c, role)| c.old.is_some() && looks_legal(&c.path, *role))
        .map(|(c, _)| c.path.as_str())
        .collect();
    let mut out = BTreeSet::new();
    if targets.is_empty() {
        return Ok(out);
    }
    let repo = profiler.repo();
    let license_link = |path: &str, kind: EntryKind| {
        kind == EntryKind::Symlink && matches!(snapshot::classify(path), Some(Role::LicenseFile(_)))
    };
    for link in repo.walk_kinds(base.tree, "", &license_link)? {
        if let crate::git::Blob::Bytes(target) = &*repo.read_blob(link.oid)?
            && let Some(resolved) = crate::git::resolve_link(&link.path, String::from_utf8_lossy(target).trim())
            && targets.contains(resolved.as_str())
        {
            out.insert(snapshot::scope_dir(&link.path).to_string());
        }
    }
    Ok(out)
}

/// Ordinary changed files whose header license differs between the sides.
fn header_changes(profiler: &Profiler<'_>, head: &Revision, ordinary: &[&Change]) -> Result<Vec<HeaderChange>> {
    let declares = |path: &str, _| matches!(snapshot::classify(path), Some(Role::LicenseFile(_)));
    let mut memo = DirMemo::default();
    let mut out = Vec::new();
    for c in ordinary.iter().filter(|c| headers::may_have_header(&c.path)) {
        // Only a header at head can make a finding (a removed header is no drift): read the
        // base side only when the head side has one.
        let Some(after) = c.new.map(|oid| profiler.header_of(oid)).transpose()?.flatten() else { continue };
        let after = Some(after);
        let before = c.old.map(|oid| profiler.header_of(oid)).transpose()?.flatten();
        if before.as_ref().map(|b| &b.0) == after.as_ref().map(|a| &a.0) {
            continue;
        }
        // The nearest directory above the file that holds a license file, by name only.
        let dir = c.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let mut scope_dir = "";
        for d in ancestors(dir) {
            if memo.check(profiler, head, d, declares)? {
                scope_dir = d;
                break;
            }
        }
        out.push(HeaderChange { path: c.path.clone(), scope_dir: scope_dir.to_string(), before, after });
    }
    Ok(out)
}

/// Answers "does directory D of one revision hold an entry like this?", memoized by
/// directory path (the answers depend on the path: `debian/copyright`, license folders).
#[derive(Default)]
struct DirMemo<'a> {
    /// By directory, borrowed from the changed paths.
    by_dir: HashMap<&'a str, bool, FoldHash>,
}

impl<'a> DirMemo<'a> {
    fn check(
        &mut self,
        profiler: &Profiler<'_>,
        rev: &Revision,
        dir: &'a str,
        pred: impl Fn(&str, EntryKind) -> bool,
    ) -> Result<bool> {
        if let Some(v) = self.by_dir.get(dir) {
            return Ok(*v);
        }
        let repo = profiler.repo();
        let v = match repo.subtree(rev.tree, dir)? {
            None => false,
            Some(tree) => repo.dir_has(tree, dir, pred)?,
        };
        self.by_dir.insert(dir, v);
        Ok(v)
    }
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
pub fn scan(profiler: &Profiler<'_>, rev: &Revision) -> Result<(Profile, Openness)> {
    let profile = profiler.profile_all(rev)?;
    let openness = openness::openness(&profiler.component_paths(rev)?, &profile);
    Ok((profile, openness))
}

#[cfg(test)]
mod tests {
    use super::{ancestors, with_ancestors};

    #[test]
    fn directories_come_with_their_ancestors_sorted_and_once() {
        let starts = ["a/b/x", "a/b-c", "a/b", "", "a/bc/d", "z", "a/b/x", "a/b.c/d/e", "b/a", "a"];
        for n in 0..=starts.len() {
            for skip in 0..starts.len() {
                let some: Vec<&str> = starts.iter().copied().cycle().skip(skip).take(n).collect();
                let mut want: Vec<&str> = some.iter().flat_map(|d| ancestors(d)).collect();
                want.sort();
                want.dedup();
                assert_eq!(with_ancestors(some.clone()), want, "{some:?}");
            }
        }
    }
}

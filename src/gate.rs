//! The gate: a comparison of two revisions judged by the policy. Every front (diff, hook,
//! GitHub) runs this one function.

use std::path::PathBuf;

use crate::engine;
use crate::error::{Error, Result};
use crate::git::{Repo, Revision};
use crate::policy::{self, Accept, Config, PolicyFrom, config::DEFAULT_PATH};
use crate::profile::Profiler;
use crate::report::{DiffReport, FailOn};

/// How to run the gate.
#[derive(Debug, Clone, Default)]
pub struct GateOptions {
    pub allow_incomplete: bool,
    pub policy_from: PolicyFrom,
    /// The policy file's path inside the policy revision (or on disk with `Worktree`).
    pub config_path: Option<String>,
    /// `--fail-on`, which overrides the policy's.
    pub fail_on: Option<FailOn>,
    /// An explicit `config_path` may be absent (`accept` creates it); otherwise naming a
    /// file that is in none of the revisions read is an error, never the default policy.
    pub allow_missing_config: bool,
}

/// The policy in force and where its pieces came from.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    pub config: Config,
    pub base: Option<Config>,
    pub head: Option<Config>,
}

/// Branches tried for the policy when there is no base (a first push).
const DEFAULT_BRANCHES: &[&str] = &["refs/remotes/origin/HEAD", "origin/main", "origin/master", "main", "master"];

/// Loads the policy for a comparison: from the base by default (the default branch when
/// the base is the empty tree), the head, or the working tree.
pub fn load_policy(repo: &Repo, base: &Revision, head: &Revision, opts: &GateOptions) -> Result<LoadedPolicy> {
    let path = opts.config_path.clone().unwrap_or_else(|| DEFAULT_PATH.to_string());
    let at = |rev: &Revision| -> Result<Option<Config>> { Ok(policy::read_at(repo, rev, &path)?.transpose()?) };
    let base_cfg = if base.commit.is_some() { at(base)? } else { None };
    let head_cfg = at(head)?;
    let config = match opts.policy_from {
        PolicyFrom::Head => head_cfg.clone(),
        PolicyFrom::Worktree => {
            let p = PathBuf::from(&path);
            let p = if p.is_absolute() { p } else { repo.display_path().join(p) };
            policy::read_file(&p)?
        }
        PolicyFrom::Base if base.commit.is_some() => base_cfg.clone(),
        PolicyFrom::Base => {
            let branch = DEFAULT_BRANCHES.iter().find_map(|b| repo.resolve(b).ok());
            match branch {
                Some(rev) => at(&rev)?,
                None => head_cfg.clone(),
            }
        }
    };
    if config.is_none()
        && base_cfg.is_none()
        && head_cfg.is_none()
        && !opts.allow_missing_config
        && let Some(explicit) = &opts.config_path
    {
        let place = match opts.policy_from {
            PolicyFrom::Worktree => "on disk".to_string(),
            _ if base.commit.is_some() => format!("at '{}' or '{}'", base.rev, head.rev),
            _ => format!("at '{}' or the default branch", head.rev),
        };
        return Err(Error::PolicyNotFound { path: explicit.clone(), place });
    }
    Ok(LoadedPolicy { config: config.unwrap_or_else(policy::config::defaults), base: base_cfg, head: head_cfg })
}

/// Compares `base` and `head` and judges the findings by the policy.
pub fn run(repo: &Repo, base: &Revision, head: &Revision, opts: &GateOptions) -> Result<DiffReport> {
    run_shared(&Profiler::new(repo, opts.allow_incomplete), base, head, opts)
}

/// [`run`] with analyses shared through `shared` (for walks over many revisions).
pub fn run_shared(shared: &Profiler<'_>, base: &Revision, head: &Revision, opts: &GateOptions) -> Result<DiffReport> {
    let repo = shared.repo();
    let loaded = load_policy(repo, base, head, opts)?;
    let config = &loaded.config;
    let profiler = shared.sharing(config.ignore_set.clone());
    let mut outcome = engine::diff(&profiler, base, head)?;
    if !config.allow.is_empty() || !config.deny.is_empty() {
        let head_profile = profiler.profile_all(head)?;
        outcome.findings.extend(policy::not_allowed(config, &head_profile));
        if !head_profile.ignored.is_empty() {
            outcome.warnings.push(format!(
                "{} license file(s) under ignored paths were not judged ({})",
                head_profile.ignored.len(),
                config.ignore.join(", ")
            ));
        }
    }
    let path = opts.config_path.clone().unwrap_or_else(|| DEFAULT_PATH.to_string());
    let policy_entry = |rev: &Revision| repo.entry_at(rev.tree, &path).ok().flatten().map(|e| e.oid);
    if policy_entry(base) != policy_entry(head) {
        outcome.findings.extend(policy::policy_changed(loaded.base.as_ref(), loaded.head.as_ref(), &path));
    }
    let entries = |c: &Option<Config>| -> Vec<Accept> { c.as_ref().map(|c| c.accept.clone()).unwrap_or_default() };
    let base_acks = entries(&loaded.base);
    let acks = match config.acks {
        policy::AcksFrom::Head => entries(&loaded.head),
        policy::AcksFrom::Base => base_acks.clone(),
    };
    policy::apply(config, &acks, &base_acks, &mut outcome.findings);
    let fail_on = policy::fail_on(config, opts.fail_on);
    let mut report = DiffReport::new(outcome, fail_on);
    report.policy = config.source.clone();
    report.warn_only = config.warn_only && opts.fail_on.is_none();
    report.anchors = anchors(repo, base, head, &report.findings);
    Ok(report)
}

/// For each finding that names no file (an openness class, say): the file its SARIF result
/// points at — the scope's license file, else its manifest or README (at head, else at base),
/// else the repository root's README or LICENSE. Read errors only lose the anchor.
fn anchors(
    repo: &Repo,
    base: &Revision,
    head: &Revision,
    findings: &[crate::drift::Finding],
) -> std::collections::BTreeMap<String, String> {
    const LICENSE_PREFIXES: [&str; 4] = ["license", "licence", "copying", "unlicense"];
    const OTHERS: [&str; 10] = [
        "cargo.toml",
        "package.json",
        "pyproject.toml",
        "setup.cfg",
        "setup.py",
        "composer.json",
        "pom.xml",
        "readme.md",
        "readme",
        "model_card.md",
    ];
    let pick = |dir: &str| -> Option<String> {
        for rev in [head, base] {
            let entries = repo.list_dir(rev.tree, dir).ok()?;
            let files: Vec<_> = entries.iter().filter(|e| e.kind == crate::git::EntryKind::File).collect();
            let name = |e: &crate::git::Entry| e.path.rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
            let found = files
                .iter()
                .find(|e| LICENSE_PREFIXES.iter().any(|p| name(e).starts_with(p)))
                .or_else(|| OTHERS.iter().find_map(|o| files.iter().find(|e| name(e) == *o)));
            if let Some(e) = found {
                return Some(e.path.clone());
            }
        }
        None
    };
    let mut out = std::collections::BTreeMap::new();
    for f in findings {
        if !f.paths.is_empty() || f.evidence.iter().any(|e| !e.path.is_empty()) {
            continue;
        }
        if let Some(path) = pick(&f.scope.path).or_else(|| pick("")) {
            out.insert(f.id.clone(), path);
        }
    }
    out
}

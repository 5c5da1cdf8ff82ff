//! `license-drift accept ID... --reason TEXT`: acknowledge findings in the policy file.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use license_drift::gate;
use license_drift::git::worktree::Uncommitted;
use license_drift::policy::accept::{NewAccept, edit};
use license_drift::policy::config::DEFAULT_PATH;

use super::diff::resolve_sides;
use super::{gate_options, open_repo};
use crate::Outcome;
use crate::cli::AcceptArgs;

/// Runs the command.
pub fn run(args: AcceptArgs) -> Result<Outcome> {
    let repo = open_repo(&args.repo)?;
    let Some(workdir) = repo.raw().workdir().map(PathBuf::from) else {
        bail!("accept writes the policy file in the working tree, and this repository is bare");
    };
    let (base, head) = if args.worktree || args.staged {
        let which = if args.worktree { Uncommitted::WorkTree } else { Uncommitted::Staged };
        (repo.resolve(args.base.as_deref().unwrap_or("HEAD"))?, repo.uncommitted(which)?)
    } else {
        resolve_sides(&repo, args.base.as_deref(), args.head.as_deref())?
    };
    let path = policy_path(&workdir, args.policy.config.as_deref().unwrap_or(DEFAULT_PATH))?;
    let opts = gate::GateOptions { allow_missing_config: true, ..gate_options(&args.repo, &args.policy, None) };
    let report = gate::run(&repo, &base, &head, &opts)?;
    let ids: Vec<String> = args.ids.iter().map(|i| i.trim().to_ascii_lowercase()).collect();
    for id in &ids {
        if id.len() != 12 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            bail!("{id:?} is not a finding id (12 hex digits, as reports print them)");
        }
        if !args.force && !report.findings.iter().any(|f| &f.id == id) {
            bail!(
                "{id} is not a finding of {}..{}; check the range (--base/--head) or pass --force",
                report.base.rev,
                report.head.rev
            );
        }
    }
    if let Some(until) = &args.until
        && !license_drift::policy::config::is_date(until)
    {
        bail!("--until takes a calendar date: YYYY-MM-DD (got {until:?})");
    }
    if !ids.is_empty() && args.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        bail!("--reason is required when accepting findings: say why the change is deliberate");
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let add: Vec<NewAccept> = ids
        .iter()
        .map(|id| NewAccept {
            id: id.clone(),
            reason: args.reason.clone().unwrap_or_default(),
            by: args.by.clone(),
            until: args.until.clone(),
        })
        .collect();
    // Prune: entries that predate the range (already at its base) and match no finding.
    let prune: Vec<String> = if args.prune {
        let at_base =
            license_drift::policy::read_at(&repo, &base, args.policy.config.as_deref().unwrap_or(DEFAULT_PATH))
                .ok()
                .flatten()
                .and_then(|r| r.ok())
                .map(|c| c.accept)
                .unwrap_or_default();
        at_base.into_iter().map(|a| a.id).filter(|id| !report.findings.iter().any(|f| &f.id == id)).collect()
    } else {
        Vec::new()
    };
    let (new_text, written) = edit(&text, &add, &prune).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    std::fs::write(&path, new_text).with_context(|| format!("cannot write {}", path.display()))?;
    for id in &written {
        let f = report.findings.iter().find(|f| &f.id == id);
        let what = f.map(|f| format!(" ({}: {})", f.rule.name(), f.message)).unwrap_or_default();
        println!("accepted {id}{}", license_drift::sanitize::terminal(&what, false));
    }
    for id in ids.iter().filter(|id| !written.contains(id)) {
        println!("{id} was already accepted");
    }
    for id in &prune {
        println!("pruned {id}");
    }
    println!("wrote {} — commit it with the change", path.display());
    Ok(Outcome::Clean)
}

/// The policy file to edit: a regular file (or none yet) inside the working tree, reached
/// without symlinks, so `accept` never writes anywhere else.
fn policy_path(workdir: &Path, rel: &str) -> Result<PathBuf> {
    let outside = || {
        anyhow::anyhow!(
            "the policy file {rel} is outside the working tree {}: accept only edits a file inside the repository",
            workdir.display()
        )
    };
    let rel_path = Path::new(rel);
    if rel_path.is_absolute() || rel_path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(outside());
    }
    let root = workdir.canonicalize().with_context(|| format!("cannot read {}", workdir.display()))?;
    let path = workdir.join(rel_path);
    // Every directory on the way must be a real directory inside the tree.
    let mut dir = workdir.to_path_buf();
    for part in rel_path.parent().into_iter().flat_map(Path::components) {
        dir.push(part);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => bail!(
                "{} is a symlink or not a directory: accept only writes a regular file inside the working tree",
                dir.display()
            ),
            Err(_) => bail!("{} does not exist: create the directory first", dir.display()),
        }
    }
    if !dir.canonicalize().is_ok_and(|d| d.starts_with(&root)) {
        return Err(outside());
    }
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => bail!(
            "{} is a symlink: accept refuses to write through it (it could point outside the repository); replace it with a regular file",
            path.display()
        ),
        Ok(m) if !m.is_file() => {
            bail!("{} is not a regular file: accept only edits a regular policy file", path.display())
        }
        _ => Ok(path),
    }
}

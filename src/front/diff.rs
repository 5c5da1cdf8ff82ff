//! `license-drift diff [BASE] [HEAD]`.

use anyhow::Result;

use license_drift::gate;
use license_drift::git::worktree::Uncommitted;
use license_drift::git::{Repo, Revision};
use license_drift::report::{self, Format};
use license_drift::sbom::{cyclonedx, spdx3};

use super::sbom::{diff_bom, write_doc};
use super::{emit, gate_options, open_repo};
use crate::Outcome;
use crate::cli::DiffArgs;

/// Resolves the two sides: `A..B`, `A...B` (merge-base), `A B`, `A` (against HEAD), or
/// nothing (upstream merge-base or HEAD~1 against HEAD).
pub fn resolve_sides(repo: &Repo, base: Option<&str>, head: Option<&str>) -> Result<(Revision, Revision)> {
    if let (Some(spec), None) = (base, head) {
        if let Some((a, b)) = spec.split_once("...") {
            let head = repo.resolve(if b.is_empty() { "HEAD" } else { b })?;
            let base_rev = repo.resolve(if a.is_empty() { "HEAD" } else { a })?;
            let (Some(x), Some(y)) = (base_rev.commit, head.commit) else {
                unreachable!("resolved revisions have commits")
            };
            let Some(mb) = repo.merge_base(x, y)? else {
                anyhow::bail!(
                    "'{a}' and '{b}' have no common ancestor; name the base explicitly: license-drift diff {a} {b}"
                )
            };
            let mut base = repo.resolve(&mb.to_string())?;
            base.rev = format!("merge-base({a}, {b})");
            return Ok((base, head));
        }
        if let Some((a, b)) = spec.split_once("..") {
            let head = repo.resolve(if b.is_empty() { "HEAD" } else { b })?;
            return Ok((repo.resolve(if a.is_empty() { "HEAD" } else { a })?, head));
        }
    }
    let head = repo.resolve(head.unwrap_or("HEAD")).map_err(|e| match (&e, head) {
        (license_drift::Error::UnknownRevision { .. }, None) if repo.raw().head().is_err() => {
            license_drift::Error::EmptyRepository
        }
        _ => e,
    })?;
    let base = match base {
        Some(b) => repo.resolve(b)?,
        None => repo.default_base(&head)?,
    };
    Ok((base, head))
}

/// Runs the command.
pub fn run(args: DiffArgs) -> Result<Outcome> {
    let repo = open_repo(&args.repo)?;
    let (base, head) = if args.worktree || args.staged {
        let which = if args.worktree { Uncommitted::WorkTree } else { Uncommitted::Staged };
        (repo.resolve(args.base.as_deref().unwrap_or("HEAD"))?, repo.uncommitted(which)?)
    } else {
        resolve_sides(&repo, args.base.as_deref(), args.head.as_deref())?
    };
    let report = gate::run(&repo, &base, &head, &gate_options(&args.repo, &args.policy, args.fail_on))?;
    // The bill-of-materials formats are the head's document with the findings attached.
    let doc = match args.out.format {
        Format::Cyclonedx | Format::Spdx3 => {
            let bom = diff_bom(&repo, &base, &head, &report, args.repo.allow_incomplete)?;
            Some(if args.out.format == Format::Cyclonedx { cyclonedx::document(&bom) } else { spdx3::document(&bom) })
        }
        _ => None,
    };
    emit(args.out.output.as_deref(), args.out.format, |w| match args.out.format {
        Format::Text => report::write_diff_text(&report, w),
        Format::Json => report::write_diff_json(&report, w),
        Format::Markdown => report::write_diff_markdown(&report, w),
        Format::Sarif => report::write_sarif(&report, w),
        Format::Github => report::write_annotations(&report, w),
        Format::Cyclonedx | Format::Spdx3 => doc.as_ref().map_or(Ok(()), |d| write_doc(d, w)),
    })?;
    let outcome = if report.blocking { Outcome::Blocked } else { Outcome::Clean };
    // The process ends next: freeing tens of thousands of findings and the repository's
    // memo tables piece by piece would only delay the exit.
    std::mem::forget(report);
    std::mem::forget(repo);
    Ok(outcome)
}

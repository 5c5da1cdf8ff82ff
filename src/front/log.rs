//! `license-drift log [RANGE] [--tags PATTERN]`: drift release by release (or commit by
//! commit over a range), each pair judged by the policy of its older side.

use std::io::{IsTerminal, Write};

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use license_drift::gate::{self, GateOptions};
use license_drift::git::{Repo, Revision};
use license_drift::profile::Profiler;
use license_drift::releases;
use license_drift::report::{self, DiffReport, Format};
use license_drift::sanitize::{markdown_inline, terminal};
use license_drift::snapshot;

use super::{emit, gate_options, open_repo};
use crate::Outcome;
use crate::cli::LogArgs;

/// Release tags in version order, filtered by an optional glob.
fn release_tags(repo: &Repo, pattern: Option<&str>, pre_releases: bool) -> Result<Vec<String>> {
    let names = repo.raw().tag_names(pattern)?;
    let names = names.iter().flatten().flatten().map(String::from);
    Ok(if pattern.is_some() {
        releases::order_selected(names, pre_releases)
    } else {
        releases::order(names, pre_releases)
    })
}

/// First-parent commits of `range` (`A..B`) that touched a relevant path, oldest first,
/// preceded by `A`.
fn range_revisions(repo: &Repo, range: &str) -> Result<Vec<Revision>> {
    let Some((a, b)) = range.split_once("..") else { bail!("RANGE must look like A..B (got {range:?})") };
    let (a, b) = (if a.is_empty() { "HEAD" } else { a }, if b.is_empty() { "HEAD" } else { b });
    let start = repo.resolve(a)?;
    let end = repo.resolve(b)?;
    let raw = repo.raw();
    let mut walk = raw.revwalk()?;
    walk.simplify_first_parent()?;
    walk.push(end.commit.unwrap_or(end.tree))?;
    if let Some(c) = start.commit {
        walk.hide(c)?;
    }
    let mut commits: Vec<git2::Oid> = walk.collect::<std::result::Result<_, _>>()?;
    commits.reverse();
    let mut out = vec![start];
    for oid in commits {
        let commit = raw.find_commit(oid)?;
        let parent_tree = match commit.parent(0) {
            Ok(p) => p.tree_id(),
            Err(_) => repo.empty_revision()?.tree,
        };
        let relevant =
            repo.changes(parent_tree, commit.tree_id())?.iter().any(|c| snapshot::classify(&c.path).is_some());
        if relevant {
            let mut rev = repo.resolve(&oid.to_string())?;
            rev.rev = oid.to_string()[..12].to_string();
            out.push(rev);
        }
    }
    if out.len() == 1 && out[0].commit != end.commit {
        out.push(end);
    }
    Ok(out)
}

fn slice(tags: Vec<String>, since: Option<&str>, until: Option<&str>) -> Result<Vec<String>> {
    if tags.is_empty() {
        return Ok(tags);
    }
    let find = |t: &str| tags.iter().position(|x| x == t);
    let from = match since {
        Some(s) => find(s).ok_or_else(|| anyhow::anyhow!("--since {s}: no such release tag (see `git tag`)"))?,
        None => 0,
    };
    let to = match until {
        Some(u) => find(u).ok_or_else(|| anyhow::anyhow!("--until {u}: no such release tag (see `git tag`)"))?,
        None => tags.len().saturating_sub(1),
    };
    if from > to {
        bail!("--since comes after --until in version order");
    }
    Ok(tags[from..=to].to_vec())
}

/// Runs the command.
pub fn run(args: LogArgs) -> Result<Outcome> {
    if matches!(args.out.format, Format::Sarif | Format::Github | Format::Cyclonedx | Format::Spdx3) {
        bail!("log writes text, json or markdown; sarif, github, cyclonedx and spdx3 are formats of diff");
    }
    let repo = open_repo(&args.repo)?;
    let revisions: Vec<Revision> = match &args.range {
        Some(range) => range_revisions(&repo, range)?,
        None => {
            let tags = slice(
                release_tags(&repo, args.tags.as_deref(), !args.exclude_pre_releases)?,
                args.since.as_deref(),
                args.until.as_deref(),
            )?;
            tags.iter().map(|t| repo.resolve(t)).collect::<license_drift::Result<_>>()?
        }
    };
    if revisions.len() < 2 {
        bail!(
            "log needs at least two releases to compare; found {} (tags must look like versions, e.g. v1.2.0, or pass a RANGE)",
            revisions.len()
        );
    }
    let opts: GateOptions = gate_options(&args.repo, &args.policy, args.fail_on);
    let shared = Profiler::new(&repo, args.repo.allow_incomplete);
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new((revisions.len() - 1) as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} comparing {msg} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Some(bar)
    } else {
        None
    };
    let mut reports: Vec<DiffReport> = Vec::new();
    for pair in revisions.windows(2) {
        if let Some(bar) = &progress {
            bar.set_message(format!("{} → {}", pair[0].rev, pair[1].rev));
        }
        reports.push(gate::run_shared(&shared, &pair[0], &pair[1], &opts)?);
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let blocking = reports.iter().any(|r| r.blocking);
    emit(args.out.output.as_deref(), args.out.format, |w| match args.out.format {
        Format::Json => report::write_json(&reports, w),
        Format::Markdown => write_markdown(&reports, w),
        _ => write_text(&reports, w),
    })?;
    Ok(if blocking { Outcome::Blocked } else { Outcome::Clean })
}

fn write_text(reports: &[DiffReport], w: &mut dyn Write) -> std::io::Result<()> {
    let with = reports.iter().filter(|r| !r.findings.is_empty()).count();
    writeln!(w, "license-drift log: {} comparison(s), {with} with drift", reports.len())?;
    for r in reports {
        let pair = format!("{} → {}", terminal(&r.base.rev, false), terminal(&r.head.rev, false));
        if r.findings.is_empty() {
            writeln!(w, "{pair}  no license drift")?;
            continue;
        }
        let s = r.summary;
        writeln!(w)?;
        writeln!(
            w,
            "{pair}  {} finding(s): {} error, {} warning, {} info{}",
            r.findings.len(),
            s.error,
            s.warning,
            s.info,
            if r.blocking { " — blocking" } else { "" }
        )?;
        for f in &r.findings {
            let ack = if f.acknowledged.is_some() { " (acknowledged)" } else { "" };
            writeln!(w, "  {} {} [{}] {}{ack}", f.severity.as_str(), f.rule.name(), f.id, terminal(&f.message, false))?;
            if let Some(why) = &f.why {
                writeln!(w, "      why: {}", terminal(why, false))?;
            }
        }
    }
    Ok(())
}

fn write_markdown(reports: &[DiffReport], w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "## License drift by release")?;
    let quiet: Vec<String> = reports
        .iter()
        .filter(|r| r.findings.is_empty())
        .map(|r| format!("`{}`", markdown_inline(&r.head.rev)))
        .collect();
    for r in reports.iter().filter(|r| !r.findings.is_empty()) {
        writeln!(w)?;
        writeln!(w, "### {} (since {})", markdown_inline(&r.head.rev), markdown_inline(&r.base.rev))?;
        writeln!(w)?;
        for f in &r.findings {
            writeln!(w, "- **{}** `{}`: {}", f.severity.as_str(), f.rule.name(), markdown_inline(&f.message))?;
        }
    }
    if !quiet.is_empty() {
        writeln!(w)?;
        writeln!(w, "No license drift in: {}.", quiet.join(", "))?;
    }
    Ok(())
}

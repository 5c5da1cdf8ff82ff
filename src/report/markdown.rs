//! The markdown report: the pull-request comment and the job summary.

use std::io::{self, Write};

use super::{DiffReport, short};
use crate::drift::{EvidenceKind, Finding, Group, Rule, Severity, mark_words};
use crate::sanitize::{markdown_code, markdown_inline};
use crate::snapshot::Component;

fn badge(f: &Finding) -> String {
    let s = match f.severity {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟡 warning",
        Severity::Info => "🔵 info",
    };
    if f.acknowledged.is_some() { format!("✅ {s} (acknowledged)") } else { s.to_string() }
}

fn direction(f: &Finding) -> String {
    match f.direction {
        Some(d) => format!(
            "{} ({})",
            f.rule.name(),
            serde_json::to_value(d).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
        ),
        None => f.rule.name().to_string(),
    }
}

/// Marks where the closing "accept every blocking finding" section starts: a comment cut
/// to fit keeps it (see `github_api::fit`).
pub const ACCEPT_ALL_MARKER: &str = "<!-- license-drift-accept-all -->";

/// The scope for people: "repository root" or the directory, with the component.
fn scope_title(f: &Finding) -> String {
    let place = if f.scope.path.is_empty() {
        "repository root".to_string()
    } else {
        format!("{}/", markdown_inline(&f.scope.path))
    };
    if f.scope.component == Component::All { place } else { format!("{place} — {}", f.scope.component.as_str()) }
}

/// Whether a finding's paths are gone at head (they link to the base commit).
fn paths_on_base(f: &Finding) -> bool {
    matches!(f.rule, Rule::LicenseRemoved | Rule::ComponentRemoved | Rule::DatasetRemoved | Rule::RestrictionRemoved)
}

/// A path (with its line) for people, linked to its commit when the report has links.
fn place(r: &DiffReport, path: &str, line: Option<u32>, base_side: bool) -> String {
    let text = match line {
        Some(l) => format!("{}:{l}", markdown_inline(path)),
        None => markdown_inline(path),
    };
    match &r.links {
        Some(links) if !path.is_empty() => format!("[{text}]({})", links.blob(path, line, base_side)),
        _ => text,
    }
}

/// A finding's paths: the first few, linked, and a count of the rest.
fn paths_cell(r: &DiffReport, f: &Finding) -> String {
    const SHOWN: usize = 3;
    let mut s = f.paths.iter().take(SHOWN).map(|p| place(r, p, None, paths_on_base(f))).collect::<Vec<_>>().join(", ");
    if f.paths.len() > SHOWN {
        s.push_str(&format!(" and {} more", f.paths.len() - SHOWN));
    }
    s
}

/// Writes the `diff` report as markdown: summary line, one table per section (Licenses,
/// Restrictions, Components, Policy), then details per finding.
pub fn write_diff_markdown(r: &DiffReport, w: &mut dyn Write) -> io::Result<()> {
    let (b, h) = (markdown_inline(&short(&r.base)), markdown_inline(&short(&r.head)));
    if r.findings.is_empty() {
        writeln!(w, "### license-drift: no license drift")?;
        writeln!(w)?;
        writeln!(w, "Compared {b} → {h}.")?;
    } else {
        let s = r.summary;
        let acknowledged = r.findings.iter().filter(|f| f.acknowledged.is_some()).count();
        writeln!(w, "### license-drift: {} error(s), {} warning(s), {} info", s.error, s.warning, s.info)?;
        writeln!(w)?;
        let verdict = if r.blocking { "**Blocking.**" } else { "Not blocking." };
        let acks = if acknowledged > 0 { format!(" {acknowledged} finding(s) acknowledged.") } else { String::new() };
        writeln!(w, "Compared {b} → {h}. {verdict}{acks}")?;
        for group in Group::ALL {
            let in_group: Vec<&Finding> = r.findings.iter().filter(|f| f.rule.group() == group).collect();
            if in_group.is_empty() {
                continue;
            }
            writeln!(w)?;
            writeln!(w, "#### {}", group.title())?;
            writeln!(w)?;
            writeln!(w, "| Severity | Rule | Scope | Before | After | Paths | Id |")?;
            writeln!(w, "|---|---|---|---|---|---|---|")?;
            for f in in_group {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {} | `{}` |",
                    badge(f),
                    direction(f),
                    scope_title(f),
                    markdown_inline(f.before.as_deref().unwrap_or("—")),
                    markdown_inline(f.after.as_deref().unwrap_or("—")),
                    paths_cell(r, f),
                    f.id
                )?;
            }
        }
        for f in &r.findings {
            write_details(r, f, w)?;
        }
    }
    for warning in &r.warnings {
        writeln!(w)?;
        writeln!(w, "> ⚠️ {}", markdown_inline(warning))?;
    }
    if let Some(command) = r.accept_all_command() {
        let n = r.blocking_findings().count();
        writeln!(w)?;
        writeln!(w, "{ACCEPT_ALL_MARKER}")?;
        writeln!(
            w,
            "If the {} deliberate, accept {} in one command, then commit `.license-drift.toml`:",
            if n == 1 { "change is" } else { "changes are" },
            if n == 1 { "the blocking finding".to_string() } else { format!("all {n} blocking findings") }
        )?;
        writeln!(w)?;
        writeln!(w, "```sh")?;
        writeln!(w, "{}", command.replace('`', "'"))?;
        writeln!(w, "```")?;
    }
    Ok(())
}

fn write_details(r: &DiffReport, f: &Finding, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "<details><summary>{} <code>{}</code>: {}</summary>",
        f.rule.name(),
        f.id,
        markdown_inline(&f.message)
    )?;
    writeln!(w)?;
    if let Some(why) = &f.why {
        writeln!(w, "Why it matters: {}", markdown_inline(why))?;
        writeln!(w)?;
    }
    if let Some(p) = &f.parameter {
        writeln!(w, "Changed {}: {} → {}", p.name.name(), markdown_inline(&p.before), markdown_inline(&p.after))?;
        writeln!(w)?;
    }
    let whole: Vec<_> = f
        .evidence
        .iter()
        .filter(|e| matches!(e.kind, EvidenceKind::ClauseAdded | EvidenceKind::ClauseRemoved))
        .collect();
    if !whole.is_empty() {
        writeln!(w, "~~~diff")?;
        for e in whole {
            let marker = if e.kind == EvidenceKind::ClauseAdded { '+' } else { '-' };
            writeln!(w, "{marker} {}", markdown_code(&e.text))?;
        }
        writeln!(w, "~~~")?;
        writeln!(w)?;
    }
    for e in f.evidence.iter().filter(|e| !matches!(e.kind, EvidenceKind::ClauseAdded | EvidenceKind::ClauseRemoved)) {
        let base_side = e.kind == EvidenceKind::Before || paths_on_base(f);
        let place = place(r, &e.path, e.line, base_side);
        let text = match &e.before {
            Some(old) => mark_words(old, &e.text, &markdown_inline, ["<del>", "</del>"], ["<ins>", "</ins>"]),
            None => markdown_inline(&e.text),
        };
        writeln!(w, "- {place} ({}): {text}", e.kind.name())?;
    }
    writeln!(w)?;
    match &f.acknowledged {
        Some(a) => writeln!(
            w,
            "Acknowledged{}: {}",
            if a.in_this_change { " in this change" } else { "" },
            markdown_inline(&a.reason)
        )?,
        None if f.severity >= Severity::Warning => {
            writeln!(w, "To accept: `{}`", r.accept_command(&f.id).replace('`', "'"))?
        }
        None => {}
    }
    writeln!(w)?;
    writeln!(w, "</details>")
}

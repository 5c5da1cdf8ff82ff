//! The markdown report: the pull-request comment and the job summary.

use std::io::{self, Write};

use super::{DiffReport, paths_summary, short};
use crate::drift::{EvidenceKind, Finding, Group, Severity, mark_words};
use crate::sanitize::{markdown_code, markdown_inline};

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
                    "| {} | {} | {}/ {} | {} | {} | {} | `{}` |",
                    badge(f),
                    direction(f),
                    markdown_inline(&f.scope.path),
                    f.scope.component.as_str(),
                    markdown_inline(f.before.as_deref().unwrap_or("—")),
                    markdown_inline(f.after.as_deref().unwrap_or("—")),
                    markdown_inline(&paths_summary(&f.paths)),
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
        let place = match e.line {
            Some(l) => format!("{}:{l}", e.path),
            None => e.path.clone(),
        };
        let text = match &e.before {
            Some(old) => mark_words(old, &e.text, &markdown_inline, ["<del>", "</del>"], ["<ins>", "</ins>"]),
            None => markdown_inline(&e.text),
        };
        writeln!(w, "- {} ({}): {text}", markdown_inline(&place), e.kind.name())?;
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

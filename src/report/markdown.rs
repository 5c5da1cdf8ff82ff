//! The markdown report: the pull-request comment and the step summary.

use std::io::{self, Write};

use super::{DiffReport, paths_summary, short};
use crate::drift::Severity;
use crate::sanitize::{markdown_code, markdown_inline};

fn badge(s: Severity) -> &'static str {
    match s {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟡 warning",
        Severity::Info => "🔵 info",
    }
}

/// Writes the `diff` report as markdown: summary line, a table, then details per finding.
pub fn write_diff_markdown(r: &DiffReport, w: &mut dyn Write) -> io::Result<()> {
    let (b, h) = (markdown_inline(&short(&r.base)), markdown_inline(&short(&r.head)));
    if r.findings.is_empty() {
        writeln!(w, "### license-drift: no license drift")?;
        writeln!(w)?;
        writeln!(w, "Compared {b} → {h}.")?;
    } else {
        let s = r.summary;
        writeln!(w, "### license-drift: {} error(s), {} warning(s), {} info", s.error, s.warning, s.info)?;
        writeln!(w)?;
        writeln!(w, "Compared {b} → {h}. {}", if r.blocking { "**Blocking.**" } else { "Not blocking." })?;
        writeln!(w)?;
        writeln!(w, "| Severity | Rule | Scope | Before | After | Paths | Id |")?;
        writeln!(w, "|---|---|---|---|---|---|---|")?;
        for f in &r.findings {
            let rule = match f.direction {
                Some(d) => format!(
                    "{} ({})",
                    f.rule.name(),
                    serde_json::to_value(d).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
                ),
                None => f.rule.name().to_string(),
            };
            let scope = format!("{}/ {}", markdown_inline(&f.scope.path), f.scope.component);
            writeln!(
                w,
                "| {} | {rule} | {scope} | {} | {} | {} | `{}` |",
                badge(f.severity),
                markdown_inline(f.before.as_deref().unwrap_or("—")),
                markdown_inline(f.after.as_deref().unwrap_or("—")),
                markdown_inline(&paths_summary(&f.paths)),
                f.id
            )?;
        }
        for f in &r.findings {
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
            let clauses: Vec<_> = f.evidence.iter().filter(|e| e.kind.starts_with("clause-")).collect();
            if !clauses.is_empty() {
                writeln!(w, "~~~diff")?;
                for e in clauses {
                    let marker = if e.kind == "clause-added" { '+' } else { '-' };
                    writeln!(w, "{marker} {}", markdown_code(&e.text))?;
                }
                writeln!(w, "~~~")?;
                writeln!(w)?;
            }
            for e in f.evidence.iter().filter(|e| !e.kind.starts_with("clause-")) {
                let place = match e.line {
                    Some(l) => format!("{}:{l}", e.path),
                    None => e.path.clone(),
                };
                writeln!(w, "- {} ({}): {}", markdown_inline(&place), e.kind, markdown_inline(&e.text))?;
            }
            writeln!(w)?;
            match &f.acknowledged {
                Some(a) => writeln!(
                    w,
                    "Acknowledged{}: {}",
                    if a.in_this_change { " in this change" } else { "" },
                    markdown_inline(&a.reason)
                )?,
                None => writeln!(w, "To accept: `{}`", r.accept_command(&f.id).replace('`', "'"))?,
            }
            writeln!(w)?;
            writeln!(w, "</details>")?;
        }
    }
    for warning in &r.warnings {
        writeln!(w)?;
        writeln!(w, "> ⚠️ {}", markdown_inline(warning))?;
    }
    Ok(())
}

//! The text report, for people. Colour only when the stream supports it.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{DiffReport, IdentifyReport, ScanReport, paths_summary, short};
use crate::drift::{EvidenceKind, Finding, Group, Severity, mark_words};
use crate::sanitize::terminal;
use crate::snapshot::Component;

fn style(sev: Severity) -> Style {
    let color = match sev {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn scope_title(f: &Finding) -> String {
    let place = if f.scope.path.is_empty() {
        "repository root".to_string()
    } else {
        format!("{}/", terminal(&f.scope.path, false))
    };
    if f.scope.component == Component::All { place } else { format!("{place} — {}", f.scope.component.as_str()) }
}

/// Writes the `diff` report for a person, grouped by scope.
pub fn write_diff_text(r: &DiffReport, w: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let (b, h) = (terminal(&short(&r.base), false), terminal(&short(&r.head), false));
    if r.findings.is_empty() {
        writeln!(w, "license-drift: no license drift between {b} and {h}")?;
    } else {
        let s = r.summary;
        let verdict = if r.blocking { "blocking" } else { "not blocking" };
        writeln!(w, "{bold}license-drift{bold:#}: {b} → {h}")?;
        writeln!(
            w,
            "{} finding(s): {} error, {} warning, {} info — {verdict} (fail-on: {})",
            r.findings.len(),
            s.error,
            s.warning,
            s.info,
            serde_json::to_value(r.fail_on).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
        )?;
        for group in Group::ALL {
            let in_group: Vec<&Finding> = r.findings.iter().filter(|f| f.rule.group() == group).collect();
            if in_group.is_empty() {
                continue;
            }
            writeln!(w)?;
            writeln!(w, "{bold}{}{bold:#}", group.title().to_uppercase())?;
            // Scopes in the order they first appear, each with its findings (one pass: a
            // change touching 40,000 scopes must not compare every title with every other).
            let mut order: Vec<String> = Vec::new();
            let mut by_title: std::collections::HashMap<String, Vec<&Finding>> = std::collections::HashMap::new();
            for f in in_group {
                let title = scope_title(f);
                by_title
                    .entry(title)
                    .or_insert_with_key(|t| {
                        order.push(t.clone());
                        Vec::new()
                    })
                    .push(f);
            }
            for title in order {
                writeln!(w, "  {bold}{title}{bold:#}")?;
                for f in &by_title[&title] {
                    write_finding(r, f, w)?;
                }
            }
        }
    }
    for warning in &r.warnings {
        writeln!(w, "warning: {}", terminal(warning, false))?;
    }
    if r.warn_only {
        let ids: Vec<&str> = r.would_block().map(|f| f.id.as_str()).collect();
        if !ids.is_empty() {
            writeln!(w, "warning: warn-only: {} finding(s) would block: {}", ids.len(), ids.join(", "))?;
        }
    }
    Ok(())
}

fn write_finding(r: &DiffReport, f: &Finding, w: &mut dyn Write) -> io::Result<()> {
    let st = style(f.severity);
    let dim = Style::new().dimmed();
    writeln!(
        w,
        "    {st}{}{st:#} {} [{}] {}",
        f.severity.as_str(),
        f.rule.name(),
        f.id,
        terminal(&paths_summary(&f.paths), false)
    )?;
    writeln!(w, "      {}", terminal(&f.message, false))?;
    let before = f.before.as_deref().unwrap_or("(none)");
    let after = f.after.as_deref().unwrap_or("(none)");
    let direction = f
        .direction
        .map(|d| {
            format!(
                " ({})",
                serde_json::to_value(d).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
            )
        })
        .unwrap_or_default();
    writeln!(w, "      {} → {}{direction}", terminal(before, false), terminal(after, false))?;
    if let Some(why) = &f.why {
        writeln!(w, "      why: {}", terminal(why, false))?;
    }
    if let Some(p) = &f.parameter {
        writeln!(w, "      {}: {} → {}", p.name.name(), terminal(&p.before, false), terminal(&p.after, false))?;
    }
    for e in &f.evidence {
        let marker = match e.kind {
            EvidenceKind::ClauseAdded => "+",
            EvidenceKind::ClauseRemoved => "-",
            EvidenceKind::ClauseReworded => "~",
            EvidenceKind::Before => "before:",
            EvidenceKind::After => "after:",
            EvidenceKind::Declared | EvidenceKind::ClosestGuess | EvidenceKind::Note => "·",
        };
        let place = match e.line {
            Some(l) => format!("{}:{l}", e.path),
            None => e.path.clone(),
        };
        let text = match &e.before {
            Some(old) => mark_words(old, &e.text, &|w: &str| terminal(w, false), ["{-", "-}"], ["{+", "+}"]),
            None => terminal(&e.text, false),
        };
        writeln!(w, "      {marker} {dim}{}{dim:#} {text}", terminal(&place, false))?;
    }
    match &f.acknowledged {
        Some(a) => {
            let by = a.by.as_ref().map(|b| format!(" by {}", terminal(b, false))).unwrap_or_default();
            let until = a.until.as_ref().map(|u| format!(" until {}", terminal(u, false))).unwrap_or_default();
            let here = if a.in_this_change { " (acknowledged in this change)" } else { "" };
            writeln!(w, "      acknowledged{by}{until}{here}: {}", terminal(&a.reason, false))?;
        }
        None if f.severity >= Severity::Warning => {
            writeln!(w, "      {dim}accept: {}{dim:#}", r.accept_command(&f.id))?;
        }
        None => {}
    }
    Ok(())
}

/// Writes the `scan` report for a person.
pub fn write_scan_text(r: &ScanReport, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "license-drift scan of {}", terminal(&short(&r.revision), false))?;
    if r.licenses.is_empty() {
        writeln!(w, "no license declarations found")?;
    }
    for l in &r.licenses {
        let scope = if l.scope.path.is_empty() { "/".to_string() } else { format!("{}/", l.scope.path) };
        let guess = l.closest.as_ref().map(|g| format!(" closest: {} ({:.2})", g.license, g.score)).unwrap_or_default();
        let note = l.note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default();
        writeln!(
            w,
            "  {}  {}  [{} {}, {}]  ({:.2}){}{}",
            terminal(&l.path, false),
            terminal(&l.license, false),
            terminal(&scope, false),
            l.scope.component.as_str(),
            serde_json::to_value(l.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
            l.confidence,
            terminal(&guess, false),
            terminal(&note, false)
        )?;
    }
    for e in &r.evidence {
        writeln!(
            w,
            "  {}  ({})",
            terminal(&e.path, false),
            serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
        )?;
    }
    for s in &r.submodules {
        writeln!(w, "  {}  (submodule, not entered)", terminal(s, false))?;
    }
    if !r.restrictions.is_empty() {
        writeln!(w, "restrictions:")?;
        for f in &r.restrictions {
            let place = match f.line {
                Some(l) => format!("{}:{l}", f.path),
                None => f.path.clone(),
            };
            let scope = if f.scope.path.is_empty() { "/".to_string() } else { format!("{}/", f.scope.path) };
            writeln!(
                w,
                "  {}  [{} {}]  {}  {}",
                f.category.name(),
                terminal(&scope, false),
                f.scope.component.as_str(),
                terminal(&place, false),
                terminal(&f.clause, false)
            )?;
        }
    }
    let present: Vec<_> = r.components.iter().filter(|c| c.present).collect();
    if !present.is_empty() {
        writeln!(w, "components:")?;
        for c in present {
            let license = c.license.as_deref().unwrap_or("unlicensed");
            writeln!(
                w,
                "  {}  ({} file(s); {}{})  {}",
                c.name,
                c.count,
                terminal(license, false),
                if c.open { ", open" } else { "" },
                terminal(&c.evidence.join(", "), false)
            )?;
        }
        let class = |c: crate::knowledge::components::MofClass| c.label();
        writeln!(
            w,
            "MOF class: {} (MOT, open licenses only); {} by completeness",
            class(r.mof_class),
            class(r.mof_class_completeness)
        )?;
        writeln!(w, "OSAID: {}", if r.osaid_compatible { "plausibly compatible" } else { "not compatible" })?;
    }
    for warning in &r.warnings {
        writeln!(w, "warning: {}", terminal(warning, false))?;
    }
    Ok(())
}

/// Writes `path: LICENSE (confidence)` per file.
pub fn write_identify_text(r: &IdentifyReport, w: &mut dyn Write) -> io::Result<()> {
    for f in &r.files {
        match &f.license {
            Some(l) => writeln!(w, "{}: {} ({:.2})", terminal(&f.path, false), terminal(l, false), f.confidence)?,
            None => {
                let why = f
                    .note
                    .clone()
                    .or_else(|| f.closest.as_ref().map(|g| format!("closest: {} ({:.2})", g.license, g.score)))
                    .unwrap_or_default();
                writeln!(
                    w,
                    "{}: unidentified{}",
                    terminal(&f.path, false),
                    if why.is_empty() { String::new() } else { format!(" — {}", terminal(&why, false)) }
                )?
            }
        }
    }
    Ok(())
}

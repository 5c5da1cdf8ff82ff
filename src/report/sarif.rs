//! SARIF 2.1.0, for code scanning: one rule per rule name, one result per finding with its
//! locations, and the finding id as a stable partial fingerprint.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::DiffReport;
use crate::drift::{Finding, Rule, Severity};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn locations(f: &Finding) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut push = |path: &str, line: Option<u32>| {
        if path.is_empty() || out.len() >= 10 {
            return;
        }
        let mut region = json!({});
        if let Some(l) = line {
            region = json!({ "startLine": l.max(1) });
        }
        let mut physical = json!({ "artifactLocation": { "uri": path } });
        if line.is_some() {
            physical["region"] = region;
        }
        let loc = json!({ "physicalLocation": physical });
        if !out.contains(&loc) {
            out.push(loc);
        }
    };
    for e in &f.evidence {
        push(&e.path, e.line);
    }
    for p in &f.paths {
        push(p, None);
    }
    out
}

/// The SARIF document of a diff report.
pub fn sarif(r: &DiffReport) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.name(),
                "name": rule.name().split('-').map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
                }).collect::<String>(),
                "shortDescription": { "text": rule.description() },
                "fullDescription": { "text": rule.description() },
                "helpUri": "https://github.com/OWNER/license-drift#rules",
                "properties": { "group": rule.group() },
            })
        })
        .collect();
    let results: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            if let Some(why) = &f.why {
                text.push_str(&format!(" — {why}"));
            }
            let mut result = json!({
                "ruleId": f.rule.name(),
                "ruleIndex": Rule::ALL.iter().position(|x| *x == f.rule).unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": text },
                "locations": locations(f),
                "partialFingerprints": { "licenseDriftFindingId/v1": f.id },
                "properties": {
                    "scope": f.scope.path,
                    "component": f.scope.component,
                    "before": f.before,
                    "after": f.after,
                },
            });
            if f.acknowledged.is_some() {
                result["suppressions"] =
                    json!([{ "kind": "external", "justification": f.acknowledged.as_ref().map(|a| a.reason.clone()) }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "license-drift",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/OWNER/license-drift",
                "rules": rules,
            }},
            "results": results,
            "properties": { "base": r.base.commit, "head": r.head.commit },
        }],
    })
}

/// Writes the SARIF document.
pub fn write_sarif(r: &DiffReport, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &sarif(r)).map_err(io::Error::other)?;
    writeln!(w)
}

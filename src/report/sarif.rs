//! SARIF 2.1.0, for code scanning: one rule per rule name, one result per finding with its
//! locations, and the finding id as a stable partial fingerprint.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{DiffReport, percent_path};
use crate::drift::{Finding, Rule, Severity};

/// The canonical repository (Cargo.toml's `repository`).
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The level a rule has without a policy: its most severe default (several rules depend on
/// the direction; the README's rule table). Results carry their own level.
fn default_level(rule: Rule) -> &'static str {
    match rule {
        Rule::LicenseChanged
        | Rule::LicenseRemoved
        | Rule::RestrictionAdded
        | Rule::RestrictionChanged
        | Rule::GatingAdded
        | Rule::ComponentRemoved
        | Rule::DatasetRemoved
        | Rule::OpennessDowngraded
        | Rule::LicenseNotAllowed => "error",
        Rule::LicenseAdded
        | Rule::LicenseTextChanged
        | Rule::LicenseUnidentified
        | Rule::DeclarationMismatch
        | Rule::BaseModelChanged
        | Rule::PolicyChanged
        | Rule::AcknowledgementStale => "warning",
        Rule::RestrictionRemoved | Rule::ComponentAdded | Rule::OpennessUpgraded => "note",
    }
}

/// The help of a rule, as text and markdown.
fn help(rule: Rule) -> Value {
    let description = rule.description();
    let accept = "If the change is deliberate, accept it: `license-drift accept <id> --reason \"…\"` writes an [[accept]] entry to .license-drift.toml; a policy can change the rule's severity with [rules.<rule>].";
    json!({
        "text": format!("{description} {}", accept.replace('`', "")),
        "markdown": format!("{description}\n\n{accept}\n\nSee [the rules]({REPOSITORY}#rules)."),
    })
}

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
        let mut physical = json!({ "artifactLocation": { "uri": percent_path(path) } });
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

/// The locations of a result: its evidence and paths, else the file the report anchors it
/// to (the scope's license file or manifest, the root README or LICENSE). Every result has
/// one, as code scanning shows no result without a location.
fn result_locations(r: &DiffReport, f: &Finding) -> Vec<Value> {
    let mut out = locations(f);
    if out.is_empty() {
        let anchor = r.anchors.get(&f.id).cloned().unwrap_or_else(|| {
            if f.scope.path.is_empty() { "README.md".to_string() } else { format!("{}/", f.scope.path) }
        });
        out.push(json!({ "physicalLocation": { "artifactLocation": { "uri": percent_path(&anchor) } } }));
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
                "help": help(*rule),
                "helpUri": format!("{REPOSITORY}#rules"),
                "defaultConfiguration": { "level": default_level(*rule) },
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
                "locations": result_locations(r, f),
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
                "informationUri": REPOSITORY,
                "rules": rules,
            }},
            "automationDetails": { "id": r.automation_id },
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

//! `license-text-changed`: same license, different text. Sentences are compared after
//! normalization, so whitespace, reflow, markup and copyright lines are no finding.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use crate::profile::{DeclKind, Declaration, Scope};

use super::license::{describe_scope, family_key};
use super::{Evidence, Finding, FindingDraft, Rule, ScopeJson, Severity};

/// Clause evidence shown per finding; the rest is counted.
const MAX_CLAUSES: usize = 20;

/// Labels whose change alone is a parameter change (BUSL's Licensor, Licensed Work and
/// Change Date; version and date lines), reported as info.
const PARAMETER_LABELS: &[&str] = &[
    "licensor:",
    "licensed work:",
    "change date:",
    "version:",
    "effective date:",
    "release date:",
    "last updated:",
    "last modified:",
];

/// Pairs base and head license files of one scope (same path first, then same license,
/// then what is left) and reports text changes.
pub fn text_findings(scope: &Scope, base: &[&Declaration], head: &[&Declaration]) -> Vec<Finding> {
    let (mut b, mut h) = (license_texts(base), license_texts(head));
    let mut pairs = Vec::new();
    for matcher in [
        (|x: &Declaration, y: &Declaration| x.path == y.path) as fn(&Declaration, &Declaration) -> bool,
        |x, y| family_key(&x.license) == family_key(&y.license),
        |_, _| true,
    ] {
        let mut i = 0;
        while i < b.len() {
            if let Some(j) = h.iter().position(|y| matcher(b[i], y)) {
                pairs.push((b.remove(i), h.remove(j)));
            } else {
                i += 1;
            }
        }
    }
    pairs.into_iter().filter_map(|(old, new)| text_change(scope, old, new)).collect()
}

fn license_texts<'a>(v: &[&'a Declaration]) -> Vec<&'a Declaration> {
    v.iter().copied().filter(|d| d.kind == DeclKind::LicenseFile && d.text.is_some()).collect()
}

fn text_change(scope: &Scope, old: &Declaration, new: &Declaration) -> Option<Finding> {
    let (a, b) = (old.text.as_ref()?, new.text.as_ref()?);
    if a.hash == b.hash {
        return None;
    }
    let ka: Vec<&str> = a.sentences.iter().map(|s| s.norm.as_str()).collect();
    let kb: Vec<&str> = b.sentences.iter().map(|s| s.norm.as_str()).collect();
    let mut evidence = Vec::new();
    let mut changed_norms = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        if op.tag() == DiffTag::Equal {
            continue;
        }
        for s in &a.sentences[op.old_range()] {
            changed_norms.push(s.norm.as_str());
            evidence.push(Evidence {
                path: old.path.clone(),
                line: Some(s.line),
                kind: "clause-removed",
                text: s.text.clone(),
            });
        }
        for s in &b.sentences[op.new_range()] {
            changed_norms.push(s.norm.as_str());
            evidence.push(Evidence {
                path: new.path.clone(),
                line: Some(s.line),
                kind: "clause-added",
                text: s.text.clone(),
            });
        }
    }
    if evidence.is_empty() {
        return None; // only whitespace, reflow or markup
    }
    let parameters_only = changed_norms.iter().all(|n| PARAMETER_LABELS.iter().any(|l| n.starts_with(l)));
    let (added, removed) = (
        evidence.iter().filter(|e| e.kind == "clause-added").count(),
        evidence.iter().filter(|e| e.kind == "clause-removed").count(),
    );
    if evidence.len() > MAX_CLAUSES {
        let more = evidence.len() - MAX_CLAUSES;
        evidence.truncate(MAX_CLAUSES);
        evidence.push(Evidence {
            path: new.path.clone(),
            line: None,
            kind: "note",
            text: format!("… and {more} more changed clauses"),
        });
    }
    let (severity, message, why) = if parameters_only {
        (
            Severity::Info,
            format!("{} ({}) changed its parameters: {}", new.path, new.license, describe_scope(scope)),
            "the same license with other parameters (licensor, version or dates): check the new values".to_string(),
        )
    } else {
        (
            Severity::Warning,
            format!("the text of {} ({}) changed: {added} clause(s) added, {removed} removed", new.path, new.license),
            "same license name, different terms: read the changed clauses".to_string(),
        )
    };
    let mut paths = vec![new.path.clone()];
    if old.path != new.path {
        paths.push(old.path.clone());
    }
    Some(
        FindingDraft {
            rule: Rule::LicenseTextChanged,
            severity,
            direction: None,
            scope: ScopeJson::from(scope),
            paths,
            before: Some(old.license.to_string()),
            after: Some(new.license.to_string()),
            before_key: a.hash.clone(),
            after_key: b.hash.clone(),
            message,
            why: Some(why),
            evidence,
        }
        .build(),
    )
}

//! `license-text-changed`: same license, different text. Sentences are compared after
//! normalization, so whitespace, reflow, markup and copyright lines are no finding.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use crate::knowledge::clauses;
use crate::profile::{DeclKind, Declaration, Scope, TextInfo};

use super::align;
use super::scope_names::describe_scope;
use super::scope_value::family_key;
use super::{Evidence, EvidenceKind, Finding, FindingDraft, Rule, ScopeJson, Severity};

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

/// Whether a normalized sentence is a parameter line (BUSL's Licensor, a version or date).
fn is_parameter(norm: &str) -> bool {
    PARAMETER_LABELS.iter().any(|l| norm.starts_with(l))
}

/// The words naming the licensor in either text (`Licensor:` lines).
fn licensor_words(a: &TextInfo, b: &TextInfo) -> Vec<String> {
    let lines: Vec<&str> = a
        .sentences
        .iter()
        .chain(&b.sentences)
        .filter(|s| s.norm.starts_with("licensor:"))
        .map(|s| s.text.as_str())
        .collect();
    align::licensor_words(&lines)
}

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
    let licensors = licensor_words(a, b);
    let mut evidence = Vec::new();
    // Whether every change is a parameter line or a rewording that moves nothing that
    // matters (or only routine values): then the finding is info.
    let mut only_routine = true;
    let (mut added, mut removed, mut reworded) = (0, 0, 0);
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        if op.tag() == DiffTag::Equal {
            continue;
        }
        let (olds, news) = (&a.sentences[op.old_range()], &b.sentences[op.new_range()]);
        let pairs = align::pair_clauses(&ka[op.old_range()], &kb[op.new_range()]);
        let partner: std::collections::HashMap<usize, usize> = pairs.iter().copied().collect();
        let paired_new: std::collections::HashSet<usize> = pairs.iter().map(|(_, j)| *j).collect();
        for (i, s) in olds.iter().enumerate() {
            if let Some(j) = partner.get(&i) {
                let n = &news[*j];
                reworded += 1;
                let (was, now) = (clauses::classify(&s.norm), clauses::classify(&n.norm));
                let moved = align::meaning_change(was.first().or(now.first()).copied(), &s.text, &n.text, &licensors);
                let parameter_line = is_parameter(&s.norm) && is_parameter(&n.norm);
                // A rewording into another restriction category changes what it restricts.
                if was != now || (moved.as_ref().is_some_and(|m| !m.routine) && !parameter_line) {
                    only_routine = false;
                }
                evidence.push(Evidence {
                    path: new.path.clone(),
                    line: Some(n.line),
                    kind: EvidenceKind::ClauseReworded,
                    text: n.text.clone(),
                    before: Some(s.text.clone()),
                });
            } else {
                removed += 1;
                only_routine &= is_parameter(&s.norm);
                evidence.push(Evidence::new(
                    old.path.clone(),
                    Some(s.line),
                    EvidenceKind::ClauseRemoved,
                    s.text.clone(),
                ));
            }
        }
        for (_, n) in news.iter().enumerate().filter(|(j, _)| !paired_new.contains(j)) {
            added += 1;
            only_routine &= is_parameter(&n.norm);
            evidence.push(Evidence::new(new.path.clone(), Some(n.line), EvidenceKind::ClauseAdded, n.text.clone()));
        }
    }
    if evidence.is_empty() {
        return None; // only whitespace, reflow or markup
    }
    if evidence.len() > MAX_CLAUSES {
        let more = evidence.len() - MAX_CLAUSES;
        evidence.truncate(MAX_CLAUSES);
        evidence.push(Evidence {
            path: new.path.clone(),
            line: None,
            kind: EvidenceKind::Note,
            text: format!("… and {more} more changed clauses"),
            before: None,
        });
    }
    let (severity, message, why) = if only_routine && added + removed == 0 && reworded > 0 {
        (
            Severity::Info,
            format!("the text of {} ({}) was reworded: {reworded} clause(s), same terms", new.path, new.license),
            "reworded clauses that move no number, date, territory, party or negation: check the wording".to_string(),
        )
    } else if only_routine {
        (
            Severity::Info,
            format!("{} ({}) changed its parameters: {}", new.path, new.license, describe_scope(scope)),
            "the same license with other parameters (licensor, version or dates): check the new values".to_string(),
        )
    } else {
        (
            Severity::Warning,
            format!(
                "the text of {} ({}) changed: {added} clause(s) added, {removed} removed, {reworded} reworded",
                new.path, new.license
            ),
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

//! `SPDX-License-Identifier` headers of the files that changed, aggregated per scope and
//! license pair: "1321 files: MPL-2.0 → BUSL-1.1" is one finding, not 1321.

use std::collections::{BTreeMap, BTreeSet};

use crate::knowledge::expr::Expr;
use crate::knowledge::ladder;
use crate::profile::{Profile, Scope};
use crate::snapshot::Component;

use super::license::{describe_scope, effective, family_key, severity_of};
use super::{Evidence, EvidenceKind, Finding, FindingDraft, Rule, ScopeJson, Severity};

/// A changed file whose header license differs between the two revisions.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderChange {
    pub path: String,
    /// The directory of the nearest enclosing license declaration (by name), `""` for root.
    pub scope_dir: String,
    pub before: Option<(Expr, u32)>,
    pub after: Option<(Expr, u32)>,
}

/// Evidence items shown per finding; every path is listed in `paths`.
const MAX_EVIDENCE: usize = 5;

fn families(e: &Expr) -> BTreeSet<String> {
    e.terms().iter().map(|t| t.family()).collect()
}

/// Findings for header changes: a license pair that changed, and headers that contradict
/// the license of their scope.
pub fn header_findings(head: &Profile, changes: &[HeaderChange]) -> Vec<Finding> {
    let mut changed: BTreeMap<(String, String, String), Vec<&HeaderChange>> = BTreeMap::new();
    let mut contradicting: BTreeMap<(String, String, String), Vec<&HeaderChange>> = BTreeMap::new();
    for c in changes {
        match (&c.before, &c.after) {
            (Some((b, _)), Some((a, _))) if family_key(b) != family_key(a) => {
                changed.entry((c.scope_dir.clone(), b.to_string(), a.to_string())).or_default().push(c);
            }
            (None, Some((a, _))) => {
                let Some(declared) = effective(head, &c.scope_dir, Component::Code) else { continue };
                if families(a).is_disjoint(&families(&declared.license)) {
                    contradicting
                        .entry((c.scope_dir.clone(), declared.license.to_string(), a.to_string()))
                        .or_default()
                        .push(c);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for ((dir, before, after), files) in changed {
        let (Some(b), Some(a)) = (Expr::parse(&before), Expr::parse(&after)) else { continue };
        let direction = ladder::direction(&b, &a);
        let scope = Scope { path: dir, component: Component::Code };
        out.push(
            FindingDraft {
                rule: Rule::LicenseChanged,
                severity: severity_of(direction),
                direction: Some(direction),
                scope: ScopeJson::from(&scope),
                paths: files.iter().map(|c| c.path.clone()).collect(),
                before: Some(before.clone()),
                after: Some(after.clone()),
                before_key: format!("headers:{before}"),
                after_key: format!("headers:{after}"),
                message: format!(
                    "{} file(s) in {}: SPDX-License-Identifier headers changed from {before} to {after} ({})",
                    files.len(),
                    describe_scope(&scope),
                    direction.name()
                ),
                why: Some("the files themselves now carry other terms than before".into()),
                evidence: evidence(&files),
            }
            .build(),
        );
    }
    for ((dir, declared, header), files) in contradicting {
        let scope = Scope { path: dir, component: Component::Code };
        out.push(
            FindingDraft {
                rule: Rule::DeclarationMismatch,
                severity: Severity::Warning,
                direction: None,
                scope: ScopeJson::from(&scope),
                paths: files.iter().map(|c| c.path.clone()).collect(),
                before: Some(declared.clone()),
                after: Some(header.clone()),
                before_key: format!("declared:{declared}"),
                after_key: format!("headers:{header}"),
                message: format!(
                    "{} new header(s) declare {header}, but {} is {declared}",
                    files.len(),
                    describe_scope(&scope)
                ),
                why: Some("files under other terms than their project's license need review before they land".into()),
                evidence: evidence(&files),
            }
            .build(),
        );
    }
    out
}

fn evidence(files: &[&HeaderChange]) -> Vec<Evidence> {
    let mut ev = Vec::new();
    for c in files.iter().take(MAX_EVIDENCE) {
        if let Some((e, line)) = &c.before {
            ev.push(Evidence {
                path: c.path.clone(),
                line: Some(*line),
                kind: EvidenceKind::Before,
                text: format!("SPDX-License-Identifier: {e}"),
                before: None,
            });
        }
        if let Some((e, line)) = &c.after {
            ev.push(Evidence {
                path: c.path.clone(),
                line: Some(*line),
                kind: EvidenceKind::After,
                text: format!("SPDX-License-Identifier: {e}"),
                before: None,
            });
        }
    }
    if files.len() > MAX_EVIDENCE {
        ev.push(Evidence {
            path: files[MAX_EVIDENCE].path.clone(),
            line: None,
            kind: EvidenceKind::Note,
            text: format!("… and {} more file(s), listed in paths", files.len() - MAX_EVIDENCE),
            before: None,
        });
    }
    ev
}

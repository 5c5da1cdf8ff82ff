//! `SPDX-License-Identifier` headers of the files that changed, aggregated per scope and
//! license pair: "1321 files: MPL-2.0 → BUSL-1.1" is one finding, not 1321.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::fasthash::FoldHash;
use crate::knowledge::expr::Expr;
use crate::knowledge::ladder::{self, Direction};
use crate::profile::{Profile, Scope};
use crate::snapshot::Component;

use super::license::severity_of;
use super::scope_names::Described;
use super::scope_value::{effective, family_key};
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
    // Whether a pair of header licenses changed, and how they are spelled: once per pair.
    let mut pair_ids: HashMap<(&Expr, &Expr), usize, FoldHash> = HashMap::default();
    let mut spelled: Vec<Option<(String, String)>> = Vec::new();
    let ids: Vec<Option<usize>> = changes
        .iter()
        .map(|c| match (&c.before, &c.after) {
            (Some((b, _)), Some((a, _))) => Some(*pair_ids.entry((b, a)).or_insert_with(|| {
                spelled.push((family_key(b) != family_key(a)).then(|| (b.to_string(), a.to_string())));
                spelled.len() - 1
            })),
            _ => None,
        })
        .collect();
    // By scope and license pair, in that order, each group in the order of the changes.
    let mut changed: Vec<((&str, &str, &str), &HeaderChange)> = changes
        .iter()
        .zip(&ids)
        .filter_map(|(c, id)| {
            let (b, a) = spelled[(*id)?].as_ref()?;
            Some(((c.scope_dir.as_str(), b.as_str(), a.as_str()), c))
        })
        .collect();
    changed.sort_by(|x, y| x.0.cmp(&y.0));
    let mut contradicting: BTreeMap<(String, String, String), Vec<&HeaderChange>> = BTreeMap::new();
    for c in changes {
        // A new header: does it contradict the license of its scope?
        if let (None, Some((a, _))) = (&c.before, &c.after) {
            let Some(declared) = effective(head, &c.scope_dir, Component::Code) else { continue };
            if families(a).is_disjoint(&families(&declared.license)) {
                contradicting
                    .entry((c.scope_dir.clone(), declared.license.to_string(), a.to_string()))
                    .or_default()
                    .push(c);
            }
        }
    }
    let mut out = Vec::with_capacity(changed.chunk_by(|x, y| x.0 == y.0).count() + contradicting.len());
    // Judged once per license pair, however many scopes change that way.
    let mut judged: HashMap<String, HashMap<String, Option<Direction>>> = HashMap::new();
    for group in changed.chunk_by(|x, y| x.0 == y.0) {
        let (dir, before, after) = group[0].0;
        let files: Vec<&HeaderChange> = group.iter().map(|(_, c)| *c).collect();
        let direction = match judged.get(before).and_then(|m| m.get(after)) {
            Some(d) => *d,
            None => {
                let d = match (Expr::parse(before), Expr::parse(after)) {
                    (Some(b), Some(a)) => Some(ladder::direction(&b, &a)),
                    _ => None,
                };
                judged.entry(before.to_string()).or_default().insert(after.to_string(), d);
                d
            }
        };
        let Some(direction) = direction else { continue };
        let scope = Scope { path: dir.to_string(), component: Component::Code };
        let message = format!(
            "{} file(s) in {}: SPDX-License-Identifier headers changed from {before} to {after} ({})",
            files.len(),
            Described(&scope),
            direction.name()
        );
        out.push(
            FindingDraft {
                rule: Rule::LicenseChanged,
                severity: severity_of(direction),
                direction: Some(direction),
                scope: ScopeJson { path: scope.path, component: scope.component },
                paths: files.iter().map(|c| c.path.clone()).collect(),
                before: Some(before.to_string()),
                after: Some(after.to_string()),
                before_key: ["headers:", before].concat(),
                after_key: ["headers:", after].concat(),
                message,
                why: Some("the files themselves now carry other terms than before".into()),
                evidence: evidence(&files, Some(before), after),
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
                    Described(&scope)
                ),
                why: Some("files under other terms than their project's license need review before they land".into()),
                evidence: evidence(&files, None, &header),
            }
            .build(),
        );
    }
    out
}

/// The headers of the first files of a group, whose headers are spelled `before` (when the
/// files had one) and `after`.
fn evidence(files: &[&HeaderChange], before: Option<&str>, after: &str) -> Vec<Evidence> {
    let header = |license: &str| ["SPDX-License-Identifier: ", license].concat();
    let mut ev = Vec::new();
    for c in files.iter().take(MAX_EVIDENCE) {
        if let (Some((_, line)), Some(spelled)) = (&c.before, before) {
            ev.push(Evidence {
                path: c.path.clone(),
                line: Some(*line),
                kind: EvidenceKind::Before,
                text: header(spelled),
                before: None,
            });
        }
        if let Some((_, line)) = &c.after {
            ev.push(Evidence {
                path: c.path.clone(),
                line: Some(*line),
                kind: EvidenceKind::After,
                text: header(after),
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

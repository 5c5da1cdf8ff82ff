//! License rules: changed, added, removed, unidentified and declaration mismatch, judged
//! per scope (directory × component) with narrower scopes inheriting from wider ones.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::fasthash::FoldHash;

use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::ladder::{self, Direction, Restriction, Rung};
use crate::profile::{DeclKind, Declaration, Profile, Scope};
use crate::snapshot::Component;

use super::scope_names::{Described, describe_scope};
use super::scope_value::{Value, effective, family_key, own_in};
use super::text::text_findings;
use super::{Evidence, EvidenceKind, Finding, FindingDraft, Rule, ScopeJson, Severity};

/// The severity of a license change in a direction.
pub(super) fn severity_of(direction: Direction) -> Severity {
    match direction {
        Direction::Tightened | Direction::Unknown => Severity::Error,
        Direction::Changed => Severity::Warning,
        Direction::Relaxed => Severity::Info,
    }
}

fn paths_of(values: &[&Option<Value<'_>>]) -> Vec<String> {
    values.iter().filter_map(|v| v.as_ref()).flat_map(|v| v.decls.iter().map(|d| d.path.clone())).collect()
}

fn declared_evidence(kind: EvidenceKind, v: &Option<Value<'_>>) -> Vec<Evidence> {
    let mut out = Vec::new();
    push_declared(&mut out, kind, v, &mut Shown::default());
    out
}

/// What each declaration of a value says, as evidence of one kind.
fn push_declared(out: &mut Vec<Evidence>, kind: EvidenceKind, v: &Option<Value<'_>>, shown: &mut Shown) {
    let Some(v) = v else { return };
    out.extend(v.decls.iter().map(|d| {
        let mut text = shown.spell(&d.license).1.clone();
        if let Some(from) = &v.inherited_from {
            text.push_str(&format!(" (inherited from {})", describe_scope(from)));
        }
        if let Some(note) = &d.note {
            text.push_str(&format!(" ({note})"));
        }
        Evidence { path: d.path.clone(), line: d.line, kind, text, before: None }
    }));
}

fn why_of_change(before: &Expr, after: &Expr, direction: Direction) -> Option<String> {
    let (rb, ra) = (ladder::restrictions(before), ladder::restrictions(after));
    let threshold = after.terms().iter().find_map(|t| match t {
        Term::Ai(id) => crate::knowledge::ai::lookup(id).and_then(|k| k.threshold.clone()),
        Term::Spdx { id, .. } => crate::knowledge::ai::lookup_spdx(id).and_then(|k| k.threshold.clone()),
        Term::Other(_) => None,
    });
    let added: Vec<String> = ra
        .difference(&rb)
        .map(|r| match (r, &threshold) {
            (Restriction::UserThreshold | Restriction::RevenueThreshold, Some(t)) => format!("{} ({t})", r.describe()),
            _ => r.describe().to_string(),
        })
        .collect();
    let removed: Vec<&str> = rb.difference(&ra).map(|r| r.describe()).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("now: {}", added.join("; ")));
    }
    if !removed.is_empty() {
        parts.push(format!("no longer: {}", removed.join("; ")));
    }
    let (gb, ga) = (ladder::rung(before), ladder::rung(after));
    if gb != ga {
        parts.push(format!("{} → {}", gb.describe(), ga.describe()));
    }
    if parts.is_empty() && direction == Direction::Changed {
        return Some("a different license: review whether its terms fit your use".into());
    }
    (!parts.is_empty()).then(|| parts.join(". "))
}

/// A value's comparison key and label.
type Spelled = Rc<(String, String)>;

/// Keys, labels and judgements of licensing values, each computed once: a change that
/// touches 40,000 package licenses the same way is spelled and judged once.
#[derive(Default)]
struct Shown {
    /// `(key, label)` of a value without links, by its license.
    values: HashMap<Expr, Spelled, FoldHash>,
    /// The two values looked up last.
    recent: [Option<(Expr, Spelled)>; 2],
    /// Direction and `why` of a change, by its before and after labels.
    judged: HashMap<String, HashMap<String, (Direction, Option<String>)>>,
}

impl Shown {
    /// The comparison key and the label of a value.
    fn of(&mut self, v: &Value<'_>) -> Spelled {
        if v.links.is_empty() { self.spell(&v.license) } else { Rc::new((v.key(), v.label())) }
    }

    /// The key and label of a value that is `license` alone (no links).
    fn spell(&mut self, license: &Expr) -> Spelled {
        // Scopes that change the same way alternate between two values: those are at hand.
        if let Some((_, hit)) = self.recent.iter().flatten().find(|(l, _)| l == license) {
            return hit.clone();
        }
        let shown = match self.values.get(license) {
            Some(hit) => hit.clone(),
            None => {
                let shown = Rc::new((format!("{}|", family_key(license)), license.to_string()));
                self.values.insert(license.clone(), shown.clone());
                shown
            }
        };
        self.recent.rotate_right(1);
        self.recent[0] = Some((license.clone(), shown.clone()));
        shown
    }

    /// Direction and `why` of a change between two labelled values.
    fn judge(&mut self, bv: &Value<'_>, hv: &Value<'_>, before: &str, after: &str) -> (Direction, Option<String>) {
        if let Some(hit) = self.judged.get(before).and_then(|m| m.get(after)) {
            return hit.clone();
        }
        let direction = ladder::direction(&bv.license, &hv.license);
        let judged = (direction, why_of_change(&bv.license, &hv.license, direction));
        self.judged.entry(before.to_string()).or_default().insert(after.to_string(), judged.clone());
        judged
    }
}

fn change_finding(scope: &Scope, b: &Option<Value<'_>>, h: &Option<Value<'_>>, shown: &mut Shown) -> Option<Finding> {
    let sj = ScopeJson::from(scope);
    match (b, h) {
        (None, None) => None,
        (Some(bv), Some(hv)) => {
            let (bs, hs) = (shown.of(bv), shown.of(hv));
            if bs.0 == hs.0 {
                return None;
            }
            let (before, after) = (bs.1.clone(), hs.1.clone());
            let (direction, why) = shown.judge(bv, hv, &before, &after);
            let mut evidence = Vec::with_capacity(bv.decls.len() + hv.decls.len());
            push_declared(&mut evidence, EvidenceKind::Before, b, shown);
            push_declared(&mut evidence, EvidenceKind::After, h, shown);
            // Accepts written when a revision was answered with its umbrella id still match.
            let (ub, uh) = (umbrella_expr(&bv.license), umbrella_expr(&hv.license));
            let legacy = (ub != *bv.license || uh != *hv.license)
                .then(|| super::finding_id(Rule::LicenseChanged, &sj, &ub.to_string(), &uh.to_string()));
            let mut finding = FindingDraft {
                rule: Rule::LicenseChanged,
                severity: severity_of(direction),
                direction: Some(direction),
                scope: sj,
                paths: paths_of(&[b, h]),
                message: format!(
                    "license of {} changed from {before} to {after} ({})",
                    Described(scope),
                    direction.name()
                ),
                before_key: before.clone(),
                after_key: after.clone(),
                before: Some(before),
                after: Some(after),
                why,
                evidence,
            }
            .build();
            finding.legacy_ids.extend(legacy);
            Some(finding)
        }
        (None, Some(hv)) => {
            let permissive = ladder::rung(&hv.license) <= Rung::OpenData;
            Some(
                FindingDraft {
                    rule: Rule::LicenseAdded,
                    severity: if permissive { Severity::Info } else { Severity::Warning },
                    direction: None,
                    scope: sj,
                    paths: paths_of(&[h]),
                    before: None,
                    after: Some(hv.license.to_string()),
                    before_key: String::new(),
                    after_key: hv.license.to_string(),
                    message: format!("{} now declares {}", describe_scope(scope), hv.license),
                    why: (!permissive).then(|| {
                        let r: Vec<&str> = ladder::restrictions(&hv.license).iter().map(|r| r.describe()).collect();
                        if r.is_empty() {
                            format!("a {} license", ladder::rung(&hv.license).describe())
                        } else {
                            r.join("; ")
                        }
                    }),
                    evidence: declared_evidence(EvidenceKind::After, h),
                }
                .build(),
            )
        }
        (Some(bv), None) => Some(
            FindingDraft {
                rule: Rule::LicenseRemoved,
                severity: Severity::Error,
                direction: None,
                scope: sj,
                paths: paths_of(&[b]),
                before: Some(bv.license.to_string()),
                after: None,
                before_key: bv.license.to_string(),
                after_key: String::new(),
                message: format!("{} no longer declares a license (was {})", describe_scope(scope), bv.license),
                why: Some("without a license nobody has permission to use, change or share it".into()),
                evidence: declared_evidence(EvidenceKind::Before, b),
            }
            .build(),
        ),
    }
}

fn unidentified_findings(scope: &Scope, b: &Option<Value<'_>>, hv: &Value<'_>) -> Vec<Finding> {
    let known: BTreeSet<&Term> = b.iter().flat_map(|v| v.license.terms()).collect();
    let mut out = Vec::new();
    for d in hv.decls.iter().filter(|d| d.is_unidentified()) {
        let new_terms: Vec<&Term> =
            d.license.terms().into_iter().filter(|t| t.is_unidentified() && !known.contains(t)).collect();
        if new_terms.is_empty() {
            continue;
        }
        let mut evidence = vec![Evidence {
            path: d.path.clone(),
            line: d.line,
            kind: EvidenceKind::Note,
            text: d.note.clone().unwrap_or_else(|| "the text matches no known license closely enough".into()),
            before: None,
        }];
        if let Some(g) = &d.closest {
            evidence.push(Evidence {
                path: d.path.clone(),
                line: None,
                kind: EvidenceKind::ClosestGuess,
                text: format!("{} ({:.2})", g.license, g.score),
                before: None,
            });
        }
        let before = b.as_ref().map(|v| v.license.to_string());
        out.push(
            FindingDraft {
                rule: Rule::LicenseUnidentified,
                severity: Severity::Warning,
                direction: None,
                scope: ScopeJson::from(scope),
                paths: vec![d.path.clone()],
                before: before.clone(),
                after: Some(d.license.to_string()),
                before_key: before.unwrap_or_default(),
                after_key: d.license.to_string(),
                message: format!(
                    "{} declares a license this tool cannot identify{}",
                    d.path,
                    d.closest
                        .as_ref()
                        .map(|g| format!(" (closest: {} at {:.2})", g.license, g.score))
                        .unwrap_or_default()
                ),
                why: Some("an unknown license may restrict use in ways nobody has reviewed".into()),
                evidence,
            }
            .build(),
        );
    }
    out
}

/// Whether an identified declaration of the base value is gone from the head or no longer
/// identified there: its text was edited into, or replaced by, one nobody can identify. An
/// unknown file added beside a license that stays is not a replacement.
fn replaced_by_unknown(head: &Profile, bv: &Value<'_>) -> bool {
    bv.decls
        .iter()
        .filter(|d| !d.is_unidentified())
        .any(|d| !head.declared_in(&d.scope.path).any(|h| h.path == d.path && h.kind == d.kind && !h.is_unidentified()))
}

/// Whether the head value is the scope's own declaration where the base value was inherited
/// from an identified enclosing license: a MODEL_LICENSE nobody can identify, added beside an
/// Apache-2.0 LICENSE, takes the weights away from Apache-2.0.
fn takes_over(bv: &Value<'_>, hv: &Value<'_>) -> bool {
    bv.inherited_from.is_some() && hv.inherited_from.is_none() && bv.identified().is_some()
}

/// `license-changed` with direction `unknown`: a known license became terms this tool cannot
/// identify or read. A gate must not pass what it cannot read, so this is an error by default.
/// `unidentified` are the `license-unidentified` findings the same change used to give:
/// acknowledgements made for them still accept this one.
fn unknown_change_finding(scope: &Scope, bv: &Value<'_>, hv: &Value<'_>, unidentified: &[Finding]) -> Finding {
    let mut evidence: Vec<Evidence> = declared_evidence(EvidenceKind::Before, &Some(bv.clone()));
    for f in unidentified {
        evidence.extend(f.evidence.iter().cloned());
    }
    let reason = unidentified
        .iter()
        .flat_map(|f| f.evidence.iter())
        .find(|e| e.kind == EvidenceKind::Note)
        .map(|e| e.text.clone())
        .unwrap_or_else(|| "the text matches no known license".into());
    let mut paths: Vec<String> = bv.decls.iter().map(|d| d.path.clone()).collect();
    paths.extend(unidentified.iter().flat_map(|f| f.paths.iter().cloned()));
    let mut draft = FindingDraft {
        rule: Rule::LicenseChanged,
        severity: severity_of(Direction::Unknown),
        direction: Some(Direction::Unknown),
        scope: ScopeJson::from(scope),
        paths,
        before: Some(bv.label()),
        after: Some(hv.label()),
        before_key: bv.label(),
        after_key: hv.label(),
        message: format!(
            "license of {} changed from {} to terms this tool cannot identify (unknown)",
            describe_scope(scope),
            bv.label()
        ),
        why: Some(format!(
            "{reason}; nobody has reviewed the new terms: read them, then accept the finding if the change is deliberate"
        )),
        evidence,
    }
    .build();
    draft.legacy_ids = unidentified.iter().map(|f| f.id.clone()).collect();
    draft
}

/// Whether a directory's declarations include a license file for the code alone
/// (LICENSE-CODE): then a repository-wide LICENSE that disappears was split, not removed.
fn has_code_file(decls: &[&Declaration]) -> bool {
    decls.iter().any(|d| d.kind == DeclKind::LicenseFile && d.scope.component == Component::Code)
}

/// The expression with each knowledge-base revision written as its published umbrella id.
fn umbrella_expr(e: &Expr) -> Expr {
    e.map_terms(&|t| match t {
        Term::Ai(id) => crate::knowledge::ai::umbrella(id).map_or_else(|| t.clone(), |k| k.term()),
        _ => t.clone(),
    })
}

/// License findings for the touched scope directories.
pub fn license_findings(base: &Profile, head: &Profile, touched: &[String]) -> Vec<Finding> {
    // About one finding per scope: no regrowth of 40,000 findings.
    let mut out = Vec::with_capacity(touched.len());
    let mut shown = Shown::default();
    // Each side's declarations of a directory, looked up once (in buffers kept across
    // directories), and the components they declare.
    let (mut bd, mut hd, mut components) = (Vec::new(), Vec::new(), Vec::new());
    for dir in touched {
        bd.clear();
        bd.extend(base.declared_in(dir));
        hd.clear();
        hd.extend(head.declared_in(dir));
        components.clear();
        components.extend(bd.iter().chain(&hd).map(|d| d.scope.component));
        components.sort_unstable();
        components.dedup();
        for &component in &components {
            let scope = Scope { path: dir.clone(), component };
            let (b_own, h_own) = (own_in(&bd, component), own_in(&hd, component));
            // A LICENSE split into LICENSE-CODE + LICENSE-MODEL (or merged back) is reported
            // per component, against the value the component had before; a LICENSE that
            // disappears without a code license taking its place is a removal.
            let split = h_own.is_none() && has_code_file(&hd);
            let merged = b_own.is_none() && has_code_file(&bd) && !has_code_file(&hd);
            if component == Component::All && (split || merged) {
                continue;
            }
            let b = if b_own.is_some() { b_own } else { effective(base, dir, component) };
            let h = if h_own.is_some() { h_own } else { effective(head, dir, component) };
            if let Some(hv) = &h {
                let found = unidentified_findings(&scope, &b, hv);
                if let Some(bv) = &b
                    && !found.is_empty()
                    && (replaced_by_unknown(head, bv) || takes_over(bv, hv))
                {
                    out.push(unknown_change_finding(&scope, bv, hv, &found));
                    continue;
                }
                if !found.is_empty() {
                    out.extend(found);
                    // What is identified is still compared: an unknown addendum must not
                    // hide MIT becoming GPL-3.0 beside it.
                    let (bi, hi) = (b.as_ref().and_then(Value::identified), hv.identified());
                    if bi.is_some() && hi.is_some() {
                        out.extend(change_finding(&scope, &bi, &hi, &mut shown));
                    }
                    continue;
                }
            }
            if let (Some(bv), Some(hv)) = (&b, &h)
                && let Some(parts) = super::bundle::part_findings(&scope, bv, hv)
            {
                out.extend(parts);
            } else if let Some(f) = change_finding(&scope, &b, &h, &mut shown) {
                out.push(f);
            } else if let (Some(bv), Some(hv)) = (&b, &h)
                && bv.inherited_from.is_none()
                && hv.inherited_from.is_none()
            {
                out.extend(text_findings(&scope, &bv.decls, &hv.decls));
            }
        }
        out.extend(mismatch_findings(&bd, &hd));
    }
    out
}

/// Card-versus-file contradictions among the declarations of one directory: (card, file)
/// pairs whose licenses share no license family.
fn mismatches<'a>(decls: &[&'a Declaration]) -> Vec<(&'a Declaration, &'a Declaration)> {
    let mut out = Vec::new();
    let comparable =
        |d: &Declaration| !d.is_unidentified() && !d.license.terms().iter().all(|t| matches!(t, Term::Other(_)));
    let files_of = |c: Component| -> Vec<&'a Declaration> {
        decls.iter().copied().filter(|d| d.scope.component == c && d.kind == DeclKind::LicenseFile).collect()
    };
    for card in decls.iter().copied().filter(|d| d.kind != DeclKind::LicenseFile && comparable(d)) {
        let mut files = files_of(card.scope.component);
        if files.is_empty() {
            files = files_of(Component::All);
        }
        let card_families: BTreeSet<String> = card.license.terms().iter().map(|t| t.family()).collect();
        for file in files.into_iter().filter(|f| comparable(f)) {
            let file_families: BTreeSet<String> = file.license.terms().iter().map(|t| t.family()).collect();
            if card_families.is_disjoint(&file_families) {
                out.push((card, file));
            }
        }
    }
    out
}

/// Card-versus-file contradictions new in one directory, from each side's declarations there.
fn mismatch_findings(base: &[&Declaration], head: &[&Declaration]) -> Vec<Finding> {
    let before: BTreeSet<(String, String)> =
        mismatches(base).iter().map(|(c, f)| (c.license.to_string(), f.license.to_string())).collect();
    mismatches(head)
        .into_iter()
        .filter(|(c, f)| !before.contains(&(c.license.to_string(), f.license.to_string())))
        .map(|(card, file)| {
            FindingDraft {
                rule: Rule::DeclarationMismatch,
                severity: Severity::Warning,
                direction: None,
                scope: ScopeJson::from(&card.scope),
                paths: vec![card.path.clone(), file.path.clone()],
                before: Some(file.license.to_string()),
                after: Some(card.license.to_string()),
                before_key: format!("file:{}", file.license),
                after_key: format!("card:{}", card.license),
                message: format!("{} declares {} but {} is {}", card.path, card.license, file.path, file.license),
                why: Some("users and the Hub read the card, lawyers read the license file: they must agree".into()),
                evidence: vec![
                    Evidence {
                        path: card.path.clone(),
                        line: card.line,
                        kind: EvidenceKind::Declared,
                        text: card.license.to_string(),
                        before: None,
                    },
                    Evidence {
                        path: file.path.clone(),
                        line: None,
                        kind: EvidenceKind::Declared,
                        text: file.license.to_string(),
                        before: None,
                    },
                ],
            }
            .build()
        })
        .collect()
}

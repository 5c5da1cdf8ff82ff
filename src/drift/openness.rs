//! Openness drift: restrictions added or removed, gating added, MOF components and
//! datasets removed or added, and the MOF class or OSAID status moving.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::knowledge::components;
use crate::knowledge::ladder::{Direction, Restriction};
use crate::knowledge::normalize::sha256_hex;
use crate::profile::openness::Openness;
use crate::profile::restrictions::{FactSource, RestrictionFact};
use crate::profile::{Profile, Scope};
use crate::snapshot::Component;

use super::align;
use super::scope_names::describe_scope;
use super::{Evidence, EvidenceKind, Finding, FindingDraft, Parameter, Rule, ScopeJson, Severity};

/// Paths listed per component finding; the message has the count.
const MAX_PATHS: usize = 50;

fn restriction_facts<'a>(p: &'a Profile, dir: &str) -> FactMap<'a> {
    let mut out: FactMap<'a> = BTreeMap::new();
    for f in p.restricted_in(dir) {
        // Gating is its own rule.
        if f.source == FactSource::Card && f.category == Restriction::Registration {
            continue;
        }
        out.entry((f.scope.clone(), f.category)).or_default().push(f);
    }
    out
}

fn fact_evidence(kind: EvidenceKind, facts: &[&RestrictionFact]) -> Vec<Evidence> {
    let mut seen = BTreeSet::new();
    facts
        .iter()
        .filter(|f| seen.insert((f.path.clone(), f.key.clone())))
        .map(|f| Evidence { path: f.path.clone(), line: f.line, kind, text: f.clause.clone(), before: None })
        .collect()
}

fn without_kb(facts: Vec<&RestrictionFact>, drop: bool) -> Vec<&RestrictionFact> {
    if drop { facts.into_iter().filter(|f| f.source != FactSource::KnowledgeBase).collect() } else { facts }
}

type FactMap<'a> = BTreeMap<(Scope, Restriction), Vec<&'a RestrictionFact>>;

/// The facts of `(scope, category)` on one side: the scope's own, or, when that side says
/// nothing for the scope's component (no declaration, no fact), those of the directory's
/// `all` scope it inherits. So a LICENSE renamed WEIGHTS_LICENSE beside a new code license
/// keeps the weights' restrictions where they were.
fn side_facts<'a>(facts: &FactMap<'a>, p: &Profile, scope: &Scope, category: Restriction) -> Vec<&'a RestrictionFact> {
    if let Some(own) = facts.get(&(scope.clone(), category)) {
        return own.clone();
    }
    let declares = !p.in_scope(&scope.path, scope.component).is_empty() || facts.keys().any(|(s, _)| s == scope);
    if scope.component == Component::All || declares {
        return Vec::new();
    }
    let all = Scope { path: scope.path.clone(), component: Component::All };
    facts.get(&(all, category)).cloned().unwrap_or_default()
}

/// `restriction-added` / `restriction-removed` / `restriction-changed` per scope and category
/// in the touched directories. A category gains a finding when it appears or when a new clause
/// of it appears that rewords none of the base; it is removed when no clause of it is left.
/// Restrictions that come with a license (knowledge-base attributes) are not repeated for
/// a scope whose license change is already a finding (`explained`): that finding's `why`
/// names them. Clauses read from texts are always reported.
pub fn restriction_findings(
    base: &Profile,
    head: &Profile,
    touched: &[String],
    explained: &BTreeSet<(&str, Component)>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for dir in touched {
        let (b, h) = (restriction_facts(base, dir), restriction_facts(head, dir));
        let keys: BTreeSet<&(Scope, Restriction)> = b.keys().chain(h.keys()).collect();
        for (scope, category) in keys {
            let is_explained = explained.contains(&(scope.path.as_str(), scope.component));
            let before = without_kb(side_facts(&b, base, scope, *category), is_explained);
            let after = without_kb(side_facts(&h, head, scope, *category), is_explained);
            let before_keys: BTreeSet<&str> = before.iter().map(|f| f.key.as_str()).collect();
            let after_keys: BTreeSet<&str> = after.iter().map(|f| f.key.as_str()).collect();
            let mut new: Vec<&RestrictionFact> =
                after.iter().copied().filter(|f| !before_keys.contains(f.key.as_str())).collect();
            let gone: Vec<&RestrictionFact> =
                before.iter().copied().filter(|f| !after_keys.contains(f.key.as_str())).collect();
            let sj = ScopeJson::from(scope);
            let place = describe_scope(scope);
            // A gone clause and a new one alike enough are one clause reworded: never a new
            // restriction; a restriction changed when the rewording moved a value that matters.
            let (gone_clauses, new_clauses) = (rewordable(&gone), rewordable(&new));
            let pairs = align::pair_clauses(
                &gone_clauses.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(),
                &new_clauses.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(),
            );
            for &(i, j) in &pairs {
                let (was, now) = (gone_clauses[i], new_clauses[j]);
                new.retain(|f| f.key != now.key);
                let licensors = licensor_words(&[base, head], &scope.path, &[&was.path, &now.path]);
                if let Some(moved) = align::meaning_change(Some(*category), &was.sentence, &now.sentence, &licensors) {
                    out.push(restriction_changed(scope, *category, was, now, moved));
                }
            }
            // Sentences of a category the scope already had, inside a parameter block both
            // texts have (the definitions a rewritten BUSL Additional Use Grant brings along),
            // are part of that parameter: the text change shows them, they restrict nothing new.
            if !before.is_empty() {
                new.retain(|f| {
                    parameter_block(head, f).is_none_or(|label| {
                        let (was, now) =
                            (block_head(base, &f.path, scope, label), block_head(head, &f.path, scope, label));
                        !(was.is_some() && now.is_some() && was != now)
                    })
                });
            }
            if !new.is_empty() {
                let mut new_keys: Vec<&str> = new.iter().map(|f| f.key.as_str()).collect();
                new_keys.sort_unstable();
                new_keys.dedup();
                let detail = new.iter().find_map(|f| crate::knowledge::clauses::threshold_in(&f.clause));
                let message = if before.is_empty() {
                    format!("{place}: new restriction: {}", category.describe())
                } else {
                    format!("{place}: a new clause restricts it further ({})", category.name())
                };
                out.push(
                    FindingDraft {
                        rule: Rule::RestrictionAdded,
                        severity: Severity::Error,
                        direction: None,
                        scope: sj,
                        paths: new.iter().map(|f| f.path.clone()).collect(),
                        before: (!before.is_empty()).then(|| category.name()),
                        after: Some(category.name()),
                        before_key: category.name(),
                        after_key: sha256_hex(&new_keys.join("\n"))[..16].to_string(),
                        message,
                        why: Some(
                            match detail.filter(|_| {
                                matches!(category, Restriction::UserThreshold | Restriction::RevenueThreshold)
                            }) {
                                Some(d) => format!("{place} may no longer be used beyond {d} without another license"),
                                None => format!("{place}: {}", category.describe()),
                            },
                        ),
                        evidence: fact_evidence(EvidenceKind::ClauseAdded, &new),
                    }
                    .build(),
                );
            } else if after.is_empty() && !before.is_empty() {
                out.push(
                    FindingDraft {
                        rule: Rule::RestrictionRemoved,
                        severity: Severity::Info,
                        direction: None,
                        scope: sj,
                        paths: before.iter().map(|f| f.path.clone()).collect(),
                        before: Some(category.name()),
                        after: None,
                        before_key: category.name(),
                        after_key: String::new(),
                        message: format!("{place}: no longer restricted: {}", category.describe()),
                        why: Some("a restriction was lifted: check that the change is intended and final".into()),
                        evidence: fact_evidence(EvidenceKind::ClauseRemoved, &before),
                    }
                    .build(),
                );
            }
        }
    }
    out
}

/// Clause facts with their sentence: the ones a rewording can pair.
fn rewordable<'a>(facts: &[&'a RestrictionFact]) -> Vec<&'a RestrictionFact> {
    let mut seen = BTreeSet::new();
    facts
        .iter()
        .copied()
        .filter(|f| f.source == FactSource::Clause && !f.sentence.is_empty() && seen.insert(f.key.as_str()))
        .collect()
}

/// The words naming the licensor (`Licensor:` lines) of the license texts at `paths` in `dir`.
fn licensor_words(profiles: &[&Profile], dir: &str, paths: &[&str]) -> Vec<String> {
    let lines: Vec<&str> = profiles
        .iter()
        .flat_map(|p| p.declared_in(dir))
        .filter(|d| paths.contains(&d.path.as_str()))
        .filter_map(|d| d.text.as_ref())
        .flat_map(|t| t.sentences.iter())
        .filter(|s| s.norm.starts_with("licensor:"))
        .map(|s| s.text.as_str())
        .collect();
    align::licensor_words(&lines)
}

/// The label of a parameter block whose sentences are one parameter: BUSL's Additional Use
/// Grant, with the definitions that follow it up to the next label.
const GRANT_BLOCK: &str = "additional use grant:";

/// The parameter block a clause fact sits in: [`GRANT_BLOCK`] when the fact is its label
/// sentence or one after it before the next label.
fn parameter_block(p: &Profile, fact: &RestrictionFact) -> Option<&'static str> {
    let text = p.declared_in(&fact.scope.path).find(|d| d.path == fact.path)?.text.as_ref()?;
    let mut block = None;
    for s in &text.sentences {
        if let Some(label) = align::label_of(&s.norm) {
            block = (label == GRANT_BLOCK).then_some(GRANT_BLOCK);
        }
        if Some(s.line) == fact.line && s.norm == fact.key {
            return block;
        }
    }
    None
}

/// The label sentence of the block `label` in the text at `path`, if the text has one.
fn block_head<'a>(p: &'a Profile, path: &str, scope: &Scope, label: &str) -> Option<&'a str> {
    p.declared_in(&scope.path)
        .filter(|d| d.path == path)
        .filter_map(|d| d.text.as_ref())
        .find_map(|t| t.sentences.iter().find(|s| align::label_of(&s.norm) == Some(label)))
        .map(|s| s.norm.as_str())
}

/// `restriction-changed`: a clause of `category` reworded so that a value moved.
fn restriction_changed(
    scope: &Scope,
    category: Restriction,
    was: &RestrictionFact,
    now: &RestrictionFact,
    moved: align::MeaningChange,
) -> Finding {
    let place = describe_scope(scope);
    let severity = if moved.routine {
        Severity::Info
    } else {
        match moved.direction {
            Direction::Tightened | Direction::Unknown => Severity::Error,
            Direction::Changed => Severity::Warning,
            Direction::Relaxed => Severity::Info,
        }
    };
    let shown = |v: &str| if v.is_empty() { "(nothing)".to_string() } else { v.to_string() };
    let why = match (moved.routine, moved.direction) {
        (true, _) => "a value that moves with releases or names the licensor: check the new value".to_string(),
        (false, Direction::Tightened) => {
            format!("{place}: {} — and now more narrowly than before", category.describe())
        }
        (false, Direction::Relaxed) => format!("{place}: {} — less narrowly than before", category.describe()),
        (false, _) => format!("{place}: {} — on other terms than before: read the clause", category.describe()),
    };
    let mut f = FindingDraft {
        rule: Rule::RestrictionChanged,
        severity,
        direction: Some(moved.direction),
        scope: ScopeJson::from(scope),
        paths: vec![was.path.clone(), now.path.clone()],
        before: Some(category.name()),
        after: Some(category.name()),
        before_key: format!("{}|{}|{}", category.name(), moved.name.name(), moved.before),
        after_key: moved.after.clone(),
        message: format!(
            "{place}: {} clause changed its {}: {} → {} ({})",
            category.name(),
            moved.name.name(),
            shown(&moved.before),
            shown(&moved.after),
            if moved.routine { "routine" } else { moved.direction.name() }
        ),
        why: Some(why),
        evidence: vec![Evidence {
            path: now.path.clone(),
            line: now.line,
            kind: EvidenceKind::ClauseReworded,
            text: now.sentence.clone(),
            before: Some(was.sentence.clone()),
        }],
    }
    .build();
    f.parameter = Some(Parameter { name: moved.name, before: moved.before, after: moved.after });
    f
}

/// `gating-added`: a card that now gates access (users must accept terms or fill a form).
pub fn gating_findings(base: &Profile, head: &Profile, touched: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let touched: std::collections::HashSet<&str> = touched.iter().map(String::as_str).collect();
    for card in head.cards.iter().filter(|c| c.gated && touched.contains(c.scope.as_str())) {
        let was_gated = base.cards.iter().any(|b| b.scope == card.scope && b.gated);
        if was_gated {
            continue;
        }
        let scope = Scope { path: card.scope.clone(), component: Component::Weights };
        let evidence = card
            .gate_fields
            .iter()
            .map(|f| Evidence {
                path: card.path.clone(),
                line: None,
                kind: EvidenceKind::After,
                text: format!("extra_gated_fields: {f}"),
                before: None,
            })
            .collect();
        out.push(
            FindingDraft {
                rule: Rule::GatingAdded,
                severity: Severity::Error,
                direction: None,
                scope: ScopeJson::from(&scope),
                paths: vec![card.path.clone()],
                before: None,
                after: Some("gated".into()),
                before_key: String::new(),
                after_key: card.gate_fields.join("\n"),
                message: format!("{}: access is now gated", card.path),
                why: Some("users must now accept terms or register before they can download the model".into()),
                evidence,
            }
            .build(),
        );
    }
    out
}

/// The folder a dataset file belongs to: `data/<name>` (or the file's directory).
pub fn dataset_folder(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts
        .iter()
        .position(|p| matches!(p.to_ascii_lowercase().as_str(), "data" | "datasets" | "dataset" | "corpus"))
    {
        Some(i) if i + 2 < parts.len() => parts[..=i + 1].join("/"),
        _ => path.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default(),
    }
}

fn root_scope(component: Component) -> ScopeJson {
    ScopeJson::from(&Scope { path: String::new(), component })
}

/// Component, dataset and class findings between the openness of two revisions.
pub fn openness_findings(base: &Openness, head: &Openness) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in components::all() {
        let (Some(b), Some(h)) = (base.component(&c.id), head.component(&c.id)) else { continue };
        if b.present == h.present {
            continue;
        }
        let files = if b.present { base.files_of(&c.id) } else { head.files_of(&c.id) };
        let shown: Vec<String> = if files.is_empty() {
            b.evidence.iter().chain(&h.evidence).cloned().collect()
        } else {
            files.iter().take(MAX_PATHS).cloned().collect()
        };
        let count = if files.is_empty() { String::new() } else { format!(" ({} file(s))", files.len()) };
        let (rule, severity, message, why) = if b.present {
            (
                Rule::ComponentRemoved,
                if c.removal_is_error() { Severity::Error } else { Severity::Warning },
                format!("{} removed{count}", c.name),
                format!(
                    "without its {} the release is less open and harder to reproduce or audit",
                    c.name.to_lowercase()
                ),
            )
        } else {
            (
                Rule::ComponentAdded,
                Severity::Info,
                format!("{} added{count}", c.name),
                "the release is more complete".to_string(),
            )
        };
        out.push(
            FindingDraft {
                rule,
                severity,
                direction: None,
                scope: root_scope(Component::All),
                paths: shown,
                before: b.present.then(|| c.name.clone()),
                after: h.present.then(|| c.name.clone()),
                before_key: c.id.clone(),
                after_key: String::new(),
                message,
                why: Some(why),
                evidence: Vec::new(),
            }
            .build(),
        );
    }
    // Folders of a component whose removal matters (data, weights, training and preprocessing
    // code, evaluation data) gone while the component stays elsewhere; dataset folders have
    // their own rule below. Demo and library code moves around too often to be worth it.
    for c in components::all().iter().filter(|c| c.id != "datasets" && c.removal_is_error()) {
        let (Some(b), Some(h)) = (base.component(&c.id), head.component(&c.id)) else { continue };
        if !(b.present && h.present) {
            continue;
        }
        for (folder, files) in folder_removals(base.files_of(&c.id), head.files_of(&c.id)) {
            out.push(
                FindingDraft {
                    rule: Rule::ComponentRemoved,
                    severity: Severity::Warning,
                    direction: None,
                    scope: ScopeJson { path: folder.clone(), component: component_of(c) },
                    paths: files.iter().take(MAX_PATHS).cloned().collect(),
                    before: Some(c.name.clone()),
                    after: None,
                    before_key: c.id.clone(),
                    after_key: String::new(),
                    message: format!(
                        "{} removed from {folder}/ ({} file(s)); it remains elsewhere",
                        c.name,
                        files.len()
                    ),
                    why: Some(format!(
                        "part of the {} is no longer shipped: check that what remains is enough to reproduce or audit",
                        c.name.to_lowercase()
                    )),
                    evidence: Vec::new(),
                }
                .build(),
            );
        }
    }
    // Dataset folders gone while other data remains, and card `datasets:` entries removed.
    if base.component("datasets").is_some_and(|s| s.present) && head.component("datasets").is_some_and(|s| s.present) {
        let folders = |paths: &[String]| -> BTreeMap<String, Vec<String>> {
            let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for p in paths {
                m.entry(dataset_folder(p)).or_default().push(p.clone());
            }
            m
        };
        let (bf, hf) = (folders(base.files_of("datasets")), folders(head.files_of("datasets")));
        for (folder, files) in bf.iter().filter(|(f, _)| !hf.contains_key(*f)) {
            out.push(dataset_removed(
                folder,
                files.iter().take(MAX_PATHS).cloned().collect(),
                format!("dataset folder {folder}/ removed ({} file(s))", files.len()),
            ));
        }
    }
    let gone: Vec<&String> = base.datasets.iter().filter(|d| !head.datasets.contains(d)).collect();
    if !gone.is_empty() {
        let list = gone.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        out.push(dataset_removed(&list, Vec::new(), format!("the model card no longer names dataset(s): {list}")));
    }
    for (measure, before, after, rank_b, rank_a) in [
        ("MOF class (MOT)", base.mof_class.label(), head.mof_class.label(), base.mof_class as u8, head.mof_class as u8),
        (
            "MOF class by completeness",
            base.mof_class_completeness.label(),
            head.mof_class_completeness.label(),
            base.mof_class_completeness as u8,
            head.mof_class_completeness as u8,
        ),
        (
            "OSAID compatibility",
            osaid(base.osaid_compatible),
            osaid(head.osaid_compatible),
            base.osaid_compatible as u8,
            head.osaid_compatible as u8,
        ),
    ] {
        if rank_b == rank_a {
            continue;
        }
        let down = rank_a < rank_b;
        out.push(
            FindingDraft {
                rule: if down { Rule::OpennessDowngraded } else { Rule::OpennessUpgraded },
                severity: if down { Severity::Error } else { Severity::Info },
                direction: None,
                scope: root_scope(Component::All),
                paths: Vec::new(),
                before: Some(before.to_string()),
                after: Some(after.to_string()),
                before_key: format!("{measure}:{before}"),
                after_key: after.to_string(),
                message: format!("{measure}: {before} → {after}"),
                why: Some(if down {
                    "the release no longer meets the openness it met before".into()
                } else {
                    "the release is more open than before".into()
                }),
                evidence: Vec::new(),
            }
            .build(),
        );
    }
    out
}

/// The scope component a MOF component speaks for.
fn component_of(c: &components::MofComponent) -> Component {
    match c.content {
        _ if c.id.starts_with("model-parameters") => Component::Weights,
        components::Content::Code => Component::Code,
        components::Content::Data => Component::Data,
        components::Content::Document => Component::Docs,
    }
}

/// The folders whose every file of a component is gone at head, with those files: for each
/// removed file, its shallowest folder without a head file of the component. A folder whose
/// files all reappear elsewhere under the same names was moved, not removed.
fn folder_removals(base: &[String], head: &[String]) -> BTreeMap<String, Vec<String>> {
    let head_set: HashSet<&str> = head.iter().map(String::as_str).collect();
    let base_set: HashSet<&str> = base.iter().map(String::as_str).collect();
    let mut head_dirs: HashSet<&str> = HashSet::new();
    for f in head {
        let mut end = 0;
        while let Some(i) = f[end..].find('/') {
            end += i;
            head_dirs.insert(&f[..end]);
            end += 1;
        }
    }
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let added: HashSet<String> = head.iter().filter(|f| !base_set.contains(f.as_str())).map(|f| name(f)).collect();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in base.iter().filter(|f| !head_set.contains(f.as_str())) {
        let mut end = 0;
        while let Some(i) = f[end..].find('/') {
            end += i;
            if !head_dirs.contains(&f[..end]) {
                out.entry(f[..end].to_string()).or_default().push(f.clone());
                break;
            }
            end += 1;
        }
    }
    out.retain(|_, files| !files.iter().all(|f| added.contains(&name(f))));
    out
}

fn osaid(ok: bool) -> &'static str {
    if ok { "plausibly OSAID-compatible" } else { "not OSAID-compatible" }
}

fn dataset_removed(what: &str, paths: Vec<String>, message: String) -> Finding {
    FindingDraft {
        rule: Rule::DatasetRemoved,
        severity: Severity::Error,
        direction: None,
        scope: root_scope(Component::Data),
        paths,
        before: Some(what.to_string()),
        after: None,
        before_key: what.to_string(),
        after_key: String::new(),
        message,
        why: Some("without its training data the model cannot be reproduced or audited".into()),
        evidence: Vec::new(),
    }
    .build()
}

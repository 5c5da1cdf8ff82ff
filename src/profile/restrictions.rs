//! Usage restrictions of a revision: from the knowledge base (what an identified license
//! is known to restrict), from clauses of license texts, use policies and notices, and
//! from model-card gating metadata. Never from model-card prose.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use super::Scope;
use super::card::CardMeta;
use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::ladder::{self, Restriction};
use crate::knowledge::normalize::{self, Sentence};
use crate::knowledge::{ai, clauses};

/// Longest clause text kept as evidence.
const MAX_CLAUSE: usize = 400;

/// A sentence of a text that expresses a restriction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseHit {
    pub category: Restriction,
    pub line: u32,
    /// As written, whole.
    pub text: String,
    /// Normalized (for identity).
    pub norm: String,
}

/// Where a restriction fact comes from. The kebab-case names are part of the JSON interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactSource {
    /// What the knowledge base knows of an identified license.
    KnowledgeBase,
    /// A clause of a license text, use policy, notice or patent grant.
    Clause,
    /// A model card's gating metadata.
    Card,
}

/// One restriction a revision carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestrictionFact {
    pub category: Restriction,
    pub scope: Scope,
    pub path: String,
    pub line: Option<u32>,
    /// The clause, field or knowledge-base attribute that carries it.
    pub clause: String,
    pub source: FactSource,
    /// Identity of the clause (normalized text or attribute), for drift.
    #[serde(skip)]
    pub key: String,
    /// The whole sentence as written, for clause facts (`clause` may be shortened): what a
    /// rewording is compared on. Empty for other sources.
    #[serde(skip)]
    pub sentence: String,
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= MAX_CLAUSE {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX_CLAUSE).collect();
    format!("{cut}…")
}

/// Classifies sentences, skipping those `skip` says are standard text.
pub fn clause_hits(sentences: &[Sentence], skip: &dyn Fn(&str) -> bool) -> Vec<ClauseHit> {
    let mut out = Vec::new();
    for s in sentences.iter().filter(|s| !skip(&s.norm)) {
        for category in clauses::classify(&s.norm) {
            out.push(ClauseHit { category, line: s.line, text: s.text.clone(), norm: s.norm.clone() });
        }
    }
    out
}

/// Normalized sentences of the standard texts of SPDX licenses (memoized per id).
fn standard_sentences(id: &str) -> std::sync::Arc<BTreeSet<String>> {
    static MEMO: OnceLock<Mutex<HashMap<String, std::sync::Arc<BTreeSet<String>>>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Mutex::default);
    if let Some(hit) = memo.lock().ok().and_then(|m| m.get(id).cloned()) {
        return hit;
    }
    let set: BTreeSet<String> = spdx::license_id(id)
        .map(|l| normalize::sentences(l.text()).into_iter().map(|s| s.norm).collect())
        .unwrap_or_default();
    let set = std::sync::Arc::new(set);
    if let Ok(mut m) = memo.lock() {
        m.insert(id.to_string(), set.clone());
    }
    set
}

/// Whether a license has a standard text on the SPDX list. Its own sentences are what the
/// license is, and what it restricts is known by its id (the knowledge base): only sentences
/// a file adds to that text are read for restrictions. Read whole, FSL's list of *permitted*
/// purposes ("non-commercial education") would pass for a prohibition.
fn is_standard(t: &Term) -> bool {
    matches!(t, Term::Spdx { id, .. } if spdx::license_id(id).is_some())
}

/// Clause hits of a license text. A standard license's own sentences are skipped; only
/// what a text adds to it (an extra non-commercial sentence in an "MIT" file) counts. A
/// knowledge-base or unidentified license is read whole.
pub fn license_text_hits(license: Option<&Expr>, confidence: f32, sentences: &[Sentence]) -> Vec<ClauseHit> {
    let standard: Option<Vec<&Term>> =
        license.map(|e| e.terms()).filter(|t| !t.is_empty() && t.iter().all(|t| is_standard(t)));
    match standard {
        Some(_) if confidence >= 1.0 => Vec::new(),
        Some(terms) => {
            let sets: Vec<_> = terms
                .iter()
                .filter_map(|t| match t {
                    Term::Spdx { id, .. } => Some(standard_sentences(id)),
                    _ => None,
                })
                .collect();
            clause_hits(sentences, &|norm| sets.iter().any(|s| s.contains(norm)))
        }
        None => clause_hits(sentences, &|_| false),
    }
}

/// A restriction the knowledge base knows for a license, before it is placed in a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct KbRestriction {
    category: Restriction,
    clause: String,
    key: String,
}

/// Restrictions the knowledge base knows for a declared license.
pub fn from_license(license: &Expr, scope: &Scope, path: &str, line: Option<u32>) -> Vec<RestrictionFact> {
    placed(&kb_restrictions(license), scope, path, line)
}

/// What the knowledge base knows of a license's restrictions, wherever it is declared.
pub fn kb_restrictions(license: &Expr) -> Vec<KbRestriction> {
    let mut out = Vec::new();
    for t in license.terms() {
        let name = match t {
            Term::Ai(id) => ai::lookup(id).map(|k| k.name.clone()).unwrap_or_else(|| id.clone()),
            Term::Spdx { id, .. } => ai::lookup_spdx(id).map(|k| k.name.clone()).unwrap_or_else(|| id.clone()),
            Term::Other(_) => continue,
        };
        let threshold = match t {
            Term::Ai(id) => ai::lookup(id).and_then(|k| k.threshold.clone()),
            Term::Spdx { id, .. } => ai::lookup_spdx(id).and_then(|k| k.threshold.clone()),
            Term::Other(_) => None,
        };
        for r in ladder::restrictions_of_term(t) {
            let detail = match (r, &threshold) {
                (Restriction::UserThreshold | Restriction::RevenueThreshold, Some(th)) => format!(" ({th})"),
                _ => String::new(),
            };
            out.push(KbRestriction {
                category: r,
                clause: format!("{name}: {}{detail}", r.describe()),
                key: format!("kb:{t:?}:{}", r.name()),
            });
        }
    }
    out
}

/// Knowledge-base restrictions placed where a license is declared.
pub fn placed(kb: &[KbRestriction], scope: &Scope, path: &str, line: Option<u32>) -> Vec<RestrictionFact> {
    kb.iter()
        .map(|r| RestrictionFact {
            category: r.category,
            scope: scope.clone(),
            path: path.to_string(),
            line,
            key: r.key.clone(),
            clause: r.clause.clone(),
            source: FactSource::KnowledgeBase,
            sentence: String::new(),
        })
        .collect()
}

/// Restrictions from clause hits of a file.
pub fn from_hits(hits: &[ClauseHit], scope: &Scope, path: &str) -> Vec<RestrictionFact> {
    hits.iter()
        .map(|h| RestrictionFact {
            category: h.category,
            scope: scope.clone(),
            path: path.to_string(),
            line: Some(h.line),
            clause: shorten(&h.text),
            source: FactSource::Clause,
            key: h.norm.clone(),
            sentence: h.text.clone(),
        })
        .collect()
}

/// Restrictions a model card's gating metadata states: `gated`, the prompt users accept,
/// checkbox labels, `extra_gated_eu_disallowed`.
pub fn from_card(meta: &CardMeta, scope: &Scope, path: &str) -> Vec<RestrictionFact> {
    let mut out = Vec::new();
    let fact = |category, clause: String, key: String| RestrictionFact {
        category,
        scope: scope.clone(),
        path: path.to_string(),
        line: None,
        clause,
        source: FactSource::Card,
        key,
        sentence: String::new(),
    };
    if meta.is_gated() {
        out.push(fact(
            Restriction::Registration,
            "access is gated: users must accept terms or register first".into(),
            "card:gated".into(),
        ));
    }
    if meta.extra_gated_eu_disallowed.as_ref().is_some_and(|v| v.is_on()) {
        out.push(fact(
            Restriction::Geographic,
            "extra_gated_eu_disallowed: true (EU users are blocked)".into(),
            "card:eu".into(),
        ));
    }
    if let Some(prompt) = &meta.extra_gated_prompt {
        for h in clause_hits(&normalize::sentences(prompt), &|_| false) {
            out.push(fact(h.category, format!("extra_gated_prompt: {}", shorten(&h.text)), h.norm));
        }
    }
    for (label, _) in meta.gate_fields() {
        let norm = normalize::normalized(&label);
        for category in clauses::classify(&norm) {
            out.push(fact(category, format!("extra_gated_fields: {}", shorten(&label)), norm.clone()));
        }
    }
    out
}

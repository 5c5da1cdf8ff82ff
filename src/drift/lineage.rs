//! `base-model-changed`: a model card's `base_model` changed, so the terms the model
//! inherits from its parent may have changed too.

use std::collections::HashMap;

use crate::profile::{CardInfo, Profile, Scope};
use crate::snapshot::Component;

use super::{Evidence, EvidenceKind, Finding, FindingDraft, Rule, ScopeJson, Severity};

fn label(models: &[String]) -> Option<String> {
    let mut m: Vec<&str> = models.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    m.sort_unstable();
    m.dedup();
    (!m.is_empty()).then(|| m.join(", "))
}

/// Cards by scope directory.
fn by_scope(p: &Profile) -> HashMap<&str, Vec<&CardInfo>> {
    let mut m: HashMap<&str, Vec<&CardInfo>> = HashMap::new();
    for c in &p.cards {
        m.entry(c.scope.as_str()).or_default().push(c);
    }
    m
}

/// Cards of one directory, paired by path (or alone on each side, for a renamed card).
fn pairs<'a>(b: &[&'a CardInfo], h: &[&'a CardInfo]) -> Vec<(Option<&'a CardInfo>, Option<&'a CardInfo>)> {
    if b.len() == 1 && h.len() == 1 {
        return vec![(Some(b[0]), Some(h[0]))];
    }
    let mut out: Vec<_> = b.iter().map(|c| (Some(*c), h.iter().copied().find(|x| x.path == c.path))).collect();
    out.extend(h.iter().filter(|c| !b.iter().any(|x| x.path == c.path)).map(|c| (None, Some(*c))));
    out
}

/// Base-model findings for the touched directories.
pub fn base_model_findings(base: &Profile, head: &Profile, touched: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let (base_cards, head_cards) = (by_scope(base), by_scope(head));
    for dir in touched {
        let none = Vec::new();
        let (b_cards, h_cards) =
            (base_cards.get(dir.as_str()).unwrap_or(&none), head_cards.get(dir.as_str()).unwrap_or(&none));
        for (b, h) in pairs(b_cards, h_cards) {
            let before = b.and_then(|c| label(&c.base_model));
            let after = h.and_then(|c| label(&c.base_model));
            if before == after || (h.is_none() && after.is_none()) {
                continue;
            }
            let card = h.or(b).map(|c| c.path.clone()).unwrap_or_default();
            let mut evidence = Vec::new();
            for (kind, c, v) in [(EvidenceKind::Before, b, &before), (EvidenceKind::After, h, &after)] {
                if let (Some(c), Some(v)) = (c, v) {
                    evidence.push(Evidence {
                        path: c.path.clone(),
                        line: c.base_model_line,
                        kind,
                        text: format!("base_model: {v}"),
                        before: None,
                    });
                }
            }
            let scope = Scope { path: dir.clone(), component: Component::Weights };
            out.push(
                FindingDraft {
                    rule: Rule::BaseModelChanged,
                    severity: Severity::Warning,
                    direction: None,
                    scope: ScopeJson::from(&scope),
                    paths: vec![card.clone()],
                    before: before.clone(),
                    after: after.clone(),
                    before_key: before.clone().unwrap_or_default(),
                    after_key: after.clone().unwrap_or_default(),
                    message: format!(
                        "{card}: base_model changed from {} to {}",
                        before.as_deref().unwrap_or("(none)"),
                        after.as_deref().unwrap_or("(none)")
                    ),
                    why: Some("a fine-tune, merge or quantization inherits the terms of its base model: check the new parent's license".into()),
                    evidence,
                }
                .build(),
            );
        }
    }
    out
}

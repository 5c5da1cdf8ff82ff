//! Parts of a bundled license file added or taken out: third-party terms appended to a
//! license file whose own license stays (vendored code's MIT text after the project's
//! Apache-2.0, say) are reported part by part, with the part's lines, as `license-added` /
//! `license-removed` warnings, never as a change of the scope's own license.

use std::collections::BTreeSet;

use super::scope_names::describe_scope;
use super::scope_value::{Value, family_key};
use super::{Evidence, EvidenceKind, Finding, FindingDraft, Rule, ScopeJson, Severity};
use crate::knowledge::Part;
use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::ladder;
use crate::profile::{DeclKind, Declaration, Scope};

/// A part of a declaration: its license and lines (`None` for a file of one license).
struct Unit<'a> {
    license: &'a Expr,
    lines: Option<(u32, u32)>,
}

fn units(d: &Declaration) -> Vec<Unit<'_>> {
    if d.parts.is_empty() {
        return vec![Unit { license: &d.license, lines: None }];
    }
    d.parts.iter().map(|Part { license, lines }| Unit { license, lines: Some(*lines) }).collect()
}

/// The part findings for a scope whose one license file gained or lost parts while its first
/// part (the scope's own license) stayed; `None` when the change is not of that kind.
pub(super) fn part_findings(scope: &Scope, b: &Value<'_>, h: &Value<'_>) -> Option<Vec<Finding>> {
    let ([bd], [hd]) = (b.decls.as_slice(), h.decls.as_slice()) else { return None };
    let bundled = !bd.parts.is_empty() || !hd.parts.is_empty();
    if !bundled || bd.path != hd.path || bd.kind != DeclKind::LicenseFile || hd.kind != DeclKind::LicenseFile {
        return None;
    }
    if b.inherited_from.is_some() || h.inherited_from.is_some() {
        return None;
    }
    let (bu, hu) = (units(bd), units(hd));
    let own = family_key(bu.first()?.license);
    if family_key(hu.first()?.license) != own {
        return None;
    }
    let keys = |u: &[Unit<'_>]| u.iter().map(|u| family_key(u.license)).collect::<BTreeSet<_>>();
    let (bk, hk) = (keys(&bu), keys(&hu));
    let added: Vec<&Unit<'_>> = hu.iter().filter(|u| !bk.contains(&family_key(u.license))).collect();
    let removed: Vec<&Unit<'_>> = bu.iter().filter(|u| !hk.contains(&family_key(u.license))).collect();
    // An unknown or modified text coming in is judged by the rules for unknown licenses; a
    // part that is less open than the own license, or restricts more, is a change of terms
    // (a Commons Clause or BUSL appended is a relicensing, not a bundled dependency); parts
    // that do not account for the whole file's license leave it to the license rules.
    let own_rung = ladder::rung(bu[0].license);
    let own_restrictions = ladder::restrictions(bu[0].license);
    let tighter = |u: &&Unit<'_>| {
        u.license.terms().iter().any(|t| matches!(t, Term::Other(_) | Term::Ai(_)))
            || ladder::rung(u.license) > own_rung
            || !ladder::restrictions(u.license).is_subset(&own_restrictions)
    };
    let covers = |units: &[Unit<'_>], d: &Declaration| {
        let mut keys: BTreeSet<String> = units.iter().flat_map(|u| u.license.terms()).map(|t| t.family()).collect();
        keys.extend(units.iter().map(|u| family_key(u.license)));
        d.license.terms().iter().all(|t| keys.contains(&t.family()))
    };
    if (added.is_empty() && removed.is_empty()) || added.iter().any(tighter) || !covers(&bu, bd) || !covers(&hu, hd) {
        return None;
    }
    let own_license = bu[0].license;
    let mut out = Vec::new();
    for (units, rule, decl) in [(added, Rule::LicenseAdded, hd), (removed, Rule::LicenseRemoved, bd)] {
        let mut seen = BTreeSet::new();
        for unit in units.into_iter().filter(|u| seen.insert(family_key(u.license))) {
            out.push(part_finding(scope, rule, decl, unit, own_license));
        }
    }
    Some(out)
}

fn part_finding(scope: &Scope, rule: Rule, decl: &Declaration, unit: &Unit<'_>, own: &Expr) -> Finding {
    let part = unit.license.to_string();
    let lines = unit.lines.map(|(a, b)| format!(" (lines {a}-{b})")).unwrap_or_default();
    let added = rule == Rule::LicenseAdded;
    let key = format!("{part} in {}", decl.path);
    let message = if added {
        format!("{} now also bundles {part}{lines} beside its own {own}", decl.path)
    } else {
        format!("{} no longer bundles {part}{lines}; its own {own} stays", decl.path)
    };
    FindingDraft {
        rule,
        severity: Severity::Warning,
        direction: None,
        scope: ScopeJson::from(scope),
        paths: vec![decl.path.clone()],
        before: (!added).then(|| part.clone()),
        after: added.then(|| part.clone()),
        before_key: if added { String::new() } else { key.clone() },
        after_key: if added { key } else { String::new() },
        message,
        why: Some(format!(
            "bundled third-party terms apply to the code they came with in {}: review them, and keep their notices",
            describe_scope(scope)
        )),
        evidence: vec![Evidence::new(
            decl.path.clone(),
            unit.lines.map(|(a, _)| a),
            if added { EvidenceKind::After } else { EvidenceKind::Before },
            format!("{part}{lines}"),
        )],
    }
    .build()
}

//! Rules on in-memory profiles: each rule family judged on profiles built by hand, without a
//! repository, so a rule's decision is pinned apart from reading and identification.

use std::rc::Rc;

use super::{Finding, Rule, Severity, diff_profiles};
use crate::knowledge::IdKind;
use crate::knowledge::expr::{Expr, Term, UNIDENTIFIED};
use crate::knowledge::ladder::{Direction, Restriction};
use crate::knowledge::normalize;
use crate::profile::restrictions::{self, FactSource, RestrictionFact};
use crate::profile::{DeclKind, Declaration, Profile, Scope, TextInfo};
use crate::snapshot::Component;

fn root() -> Scope {
    Scope { path: String::new(), component: Component::All }
}

fn license_file(path: &str, license: Expr, text: Option<&str>) -> Declaration {
    let text = text.map(|t| {
        let parts = normalize::parts(t);
        let clauses = restrictions::clause_hits(&parts.sentences, &|_| false);
        Rc::new(TextInfo { hash: parts.hash(), sentences: parts.sentences, clauses })
    });
    Declaration {
        path: path.into(),
        kind: DeclKind::LicenseFile,
        scope: root(),
        id_kind: if license.has_unidentified() { IdKind::Unidentified } else { IdKind::Spdx },
        confidence: if license.has_unidentified() { 0.0 } else { 1.0 },
        license,
        closest: None,
        note: None,
        line: None,
        text,
        link: None,
        parts: Vec::new(),
    }
}

fn spdx(id: &str) -> Expr {
    Expr::parse(id).unwrap()
}

fn unknown(hash: &str) -> Expr {
    Expr::term(Term::Other(format!("{UNIDENTIFIED}{hash}")))
}

/// A profile whose declarations carry their restriction clauses as the profiler would.
fn profile(decls: Vec<Declaration>) -> Profile {
    let mut p = Profile::default();
    for d in &decls {
        if let Some(t) = &d.text {
            p.restrictions.extend(restrictions::from_hits(&t.clauses, &d.scope, &d.path));
        }
    }
    p.declarations = decls;
    p
}

fn diff(base: &Profile, head: &Profile) -> Vec<Finding> {
    diff_profiles(base, head, &[String::new()], &[])
}

fn rules(findings: &[Finding]) -> Vec<Rule> {
    findings.iter().map(|f| f.rule).collect()
}

#[test]
fn license_changed_has_a_direction_and_a_severity() {
    let (mit, gpl) = (
        profile(vec![license_file("LICENSE", spdx("MIT"), None)]),
        profile(vec![license_file("LICENSE", spdx("GPL-3.0-only"), None)]),
    );
    let f = diff(&mit, &gpl);
    assert_eq!(rules(&f), vec![Rule::LicenseChanged]);
    assert_eq!((f[0].direction, f[0].severity), (Some(Direction::Tightened), Severity::Error));
    let back = diff(&gpl, &mit);
    assert_eq!((back[0].direction, back[0].severity), (Some(Direction::Relaxed), Severity::Info));
}

#[test]
fn known_to_unknown_fails_closed_and_unknown_beside_known_warns() {
    let mit = profile(vec![license_file("LICENSE", spdx("MIT"), None)]);
    let replaced = profile(vec![license_file("LICENSE", unknown("abc"), None)]);
    let f = diff(&mit, &replaced);
    assert_eq!(rules(&f), vec![Rule::LicenseChanged]);
    assert_eq!((f[0].direction, f[0].severity), (Some(Direction::Unknown), Severity::Error));
    assert_eq!(f[0].legacy_ids.len(), 1, "the old license-unidentified id is kept for acknowledgements");

    let beside =
        profile(vec![license_file("LICENSE", spdx("MIT"), None), license_file("LICENSE-EXTRA", unknown("abc"), None)]);
    let f = diff(&mit, &beside);
    assert_eq!(rules(&f), vec![Rule::LicenseUnidentified]);
    assert_eq!(f[0].severity, Severity::Warning);
}

#[test]
fn a_revision_answers_to_accepts_of_its_umbrella_id() {
    let ai = |id: &str| Expr::term(Term::Ai(id.to_string()));
    let mit = profile(vec![license_file("LICENSE", spdx("MIT"), None)]);
    let initial = profile(vec![license_file("LICENSE", ai("cogvlm-initial"), None)]);
    let umbrella = profile(vec![license_file("LICENSE", ai("cogvlm"), None)]);
    let (now, then) = (diff(&mit, &initial), diff(&mit, &umbrella));
    assert_eq!(rules(&now), vec![Rule::LicenseChanged]);
    assert_ne!(now[0].id, then[0].id);
    assert!(now[0].answers_to(&then[0].id), "an accept of the umbrella's id still matches");
    assert!(then[0].legacy_ids.is_empty());
}

#[test]
fn license_removed_and_added() {
    let (none, mit) = (profile(vec![]), profile(vec![license_file("LICENSE", spdx("MIT"), None)]));
    assert_eq!(rules(&diff(&mit, &none)), vec![Rule::LicenseRemoved]);
    let added = diff(&none, &mit);
    assert_eq!((added[0].rule, added[0].severity), (Rule::LicenseAdded, Severity::Info));
}

const TERMS: &str = "ACME Terms.\n\nYou may use the model in your products. If your products have more than 700 million monthly active users, you must request a license from ACME.\n";

#[test]
fn reworded_restriction_clause_is_no_new_restriction() {
    let base = profile(vec![license_file("LICENSE", unknown("a"), Some(TERMS))]);
    let reworded = TERMS.replace("request a license from", "request the license from");
    let head = profile(vec![license_file("LICENSE", unknown("a"), Some(&reworded))]);
    let f = diff(&base, &head);
    assert!(!rules(&f).contains(&Rule::RestrictionAdded), "{f:#?}");
    assert!(!rules(&f).contains(&Rule::RestrictionChanged), "{f:#?}");

    // A modal word that goes is meaning-bearing: reported, but as a relaxation it never blocks.
    let modal = TERMS.replace("you must request", "you will need to request");
    let head = profile(vec![license_file("LICENSE", unknown("a"), Some(&modal))]);
    let f = diff(&base, &head);
    let changed: Vec<&Finding> = f.iter().filter(|f| f.rule == Rule::RestrictionChanged).collect();
    assert_eq!(changed.len(), 1, "{f:#?}");
    assert_eq!((changed[0].direction, changed[0].severity), (Some(Direction::Relaxed), Severity::Info));
}

#[test]
fn moved_cap_is_restriction_changed_with_its_parameter() {
    let base = profile(vec![license_file("LICENSE", unknown("a"), Some(TERMS))]);
    let head = profile(vec![license_file("LICENSE", unknown("a"), Some(&TERMS.replace("700 million", "1 billion")))]);
    let f: Vec<Finding> = diff(&base, &head).into_iter().filter(|f| f.rule == Rule::RestrictionChanged).collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].direction, f[0].severity), (Some(Direction::Relaxed), Severity::Info));
    let p = f[0].parameter.as_ref().unwrap();
    assert_eq!((p.before.as_str(), p.after.as_str()), ("700 million", "1 billion"));
}

#[test]
fn a_new_clause_is_restriction_added_and_a_gone_category_removed() {
    let base = profile(vec![license_file("LICENSE", unknown("a"), Some(TERMS))]);
    let stricter = format!("{TERMS}\nThe model may be used for non-commercial purposes only.\n");
    let head = profile(vec![license_file("LICENSE", unknown("a"), Some(&stricter))]);
    let f = diff(&base, &head);
    let added: Vec<&Finding> = f.iter().filter(|f| f.rule == Rule::RestrictionAdded).collect();
    assert_eq!(added.len(), 1, "{f:#?}");
    assert_eq!(added[0].after.as_deref(), Some(Restriction::NonCommercial.name().as_str()));
    let back = diff(&head, &base);
    assert!(back.iter().any(|f| f.rule == Rule::RestrictionRemoved), "{back:#?}");
}

#[test]
fn knowledge_base_restrictions_of_an_explained_change_are_not_repeated() {
    let mut head = profile(vec![license_file("LICENSE", Expr::parse("LicenseRef-llama3.1").unwrap(), None)]);
    head.restrictions.push(RestrictionFact {
        category: Restriction::UserThreshold,
        scope: root(),
        path: "LICENSE".into(),
        line: None,
        clause: "Llama 3.1: large user bases need a separate license".into(),
        source: FactSource::KnowledgeBase,
        key: "kb:llama3.1:user-threshold".into(),
        sentence: String::new(),
    });
    let base = profile(vec![license_file("LICENSE", spdx("MIT"), None)]);
    let f = diff(&base, &head);
    assert!(rules(&f).contains(&Rule::LicenseChanged), "{f:#?}");
    assert!(!rules(&f).contains(&Rule::RestrictionAdded), "the license change's why names it: {f:#?}");
}

#[test]
fn an_unchanged_unknown_file_beside_a_changed_license_leaves_the_direction_to_the_known_part() {
    let examples = || license_file("LICENSE-examples", unknown("ex"), None);
    let base = profile(vec![license_file("LICENSE", spdx("BSD-3-Clause"), None), examples()]);
    let head = profile(vec![license_file("LICENSE", spdx("MIT"), None), examples()]);
    let f = diff(&base, &head);
    assert_eq!(rules(&f), vec![Rule::LicenseChanged], "{f:#?}");
    assert_ne!(f[0].direction, Some(Direction::Unknown), "{f:#?}");
    assert!(f[0].severity < Severity::Error, "{f:#?}");
}

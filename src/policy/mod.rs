//! The policy: which licenses are allowed, what severity each rule has, which paths are
//! ignored, what blocks, and acknowledgements of deliberate changes. Read from the base
//! revision by default, so a change cannot relax its own gate.

pub mod accept;
pub mod config;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::drift::{Acknowledged, Finding, FindingDraft, Rule, ScopeJson, Severity, sort_findings};
use crate::error::Result;
use crate::git::{Blob, Repo, Revision};
use crate::knowledge::expr::{Expr, Term};
use crate::profile::{Declaration, Profile};
use crate::report::FailOn;
use crate::snapshot::Component;

pub use crate::snapshot::IgnoreSet;
pub use config::{Accept, AcksFrom, Config, ConfigError, LicensePattern};

/// Where the policy is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PolicyFrom {
    /// The base revision (the default: a change cannot relax its own gate).
    #[default]
    Base,
    /// The head revision.
    Head,
    /// The file on disk (local use).
    Worktree,
}

impl From<PolicyError> for crate::Error {
    fn from(e: PolicyError) -> Self {
        crate::Error::Policy { problems: e.0.iter().map(ToString::to_string).collect() }
    }
}

/// A policy that could not be loaded: every problem, located.
#[derive(Debug, thiserror::Error)]
#[error("invalid policy:\n{}", .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct PolicyError(pub Vec<ConfigError>);

/// Reads the policy file at `path` from a revision's tree; `Ok(None)` when absent.
pub fn read_at(repo: &Repo, rev: &Revision, path: &str) -> Result<Option<std::result::Result<Config, PolicyError>>> {
    let Some(entry) = repo.entry_at(rev.tree, path)? else { return Ok(None) };
    let blob = repo.read_blob(entry.oid)?;
    let name = format!("{}:{path}", rev.rev);
    let text = match &*blob {
        Blob::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        _ => {
            let e = ConfigError { file: name, line: 1, column: 1, message: "not a readable text file".into() };
            return Ok(Some(Err(PolicyError(vec![e]))));
        }
    };
    Ok(Some(config::parse(&name, &text).map_err(PolicyError)))
}

/// Reads the policy file from disk; `Ok(None)` when absent.
pub fn read_file(path: &Path) -> std::result::Result<Option<Config>, PolicyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => config::parse(&path.display().to_string(), &text).map(Some).map_err(PolicyError),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(PolicyError(vec![ConfigError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            message: e.to_string(),
        }])),
    }
}

/// Today as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    crate::dates::utc_date(secs as i64)
}

/// Whether a policy pattern names a license. For `allow`, a pattern must name it exactly
/// (id, `+`/`-or-later` and `WITH` exception); for `deny`, the license family suffices, so
/// denying `GPL-3.0-only` also denies `GPL-3.0-or-later` and `GPL-3.0-only WITH …`.
fn matches(pattern: &LicensePattern, term: &Term, deny: bool) -> bool {
    let shown = Expr::term(term.clone()).to_string();
    // Knowledge-base and other non-SPDX licenses are `LicenseRef-` ids in expressions.
    let in_ref = match term {
        Term::Spdx { .. } => shown.clone(),
        _ => crate::knowledge::expr::license_ref(&shown),
    };
    match pattern {
        LicensePattern::Exact(p) => {
            let Some(wanted) = Expr::parse(p) else { return p == &shown };
            let Some(wanted) = wanted.terms().first().copied().cloned() else { return false };
            // A revision answers to its published umbrella id (`cogvlm` covers `cogvlm-initial`).
            let umbrella = match term {
                Term::Ai(id) => crate::knowledge::ai::umbrella(id).map(|k| k.term()),
                _ => None,
            };
            if umbrella.as_ref() == Some(&wanted) {
                return true;
            }
            if deny {
                // Denying a license denies copies of it with terms changed (`modified-llama2`).
                let modified_of = match term {
                    Term::Other(v) => v.strip_prefix(crate::knowledge::expr::MODIFIED),
                    _ => None,
                };
                wanted.family() == term.family()
                    || modified_of.is_some_and(|base| {
                        Expr::parse(base).is_some_and(|b| b.terms().iter().any(|t| t.family() == wanted.family()))
                    })
            } else {
                &wanted == term
            }
        }
        LicensePattern::Prefix(p) => shown.starts_with(p.as_str()) || in_ref.starts_with(p.as_str()),
    }
}

/// Whether an expression is allowed: OR needs one allowed branch, AND all parts; a term is
/// allowed when the allow list (if any) matches it and the deny list does not.
pub fn allowed(config: &Config, e: &Expr) -> bool {
    match e {
        Expr::Term(t) => {
            (config.allow.is_empty() || config.allow.iter().any(|p| matches(p, t, false)))
                && !config.deny.iter().any(|p| matches(p, t, true))
        }
        Expr::And(v) => v.iter().all(|x| allowed(config, x)),
        Expr::Or(v) => v.iter().any(|x| allowed(config, x)),
    }
}

/// `license-not-allowed` for every declaration at head the policy does not allow.
pub fn not_allowed(config: &Config, head: &Profile) -> Vec<Finding> {
    if config.allow.is_empty() && config.deny.is_empty() {
        return Vec::new();
    }
    let mut groups: BTreeMap<(ScopeJson, String), Vec<&Declaration>> = BTreeMap::new();
    for d in head.declarations.iter().filter(|d| !allowed(config, &d.license)) {
        groups.entry((ScopeJson::from(&d.scope), d.license.to_string())).or_default().push(d);
    }
    groups
        .into_iter()
        .map(|((scope, license), decls)| {
            FindingDraft {
                rule: Rule::LicenseNotAllowed,
                severity: Severity::Error,
                direction: None,
                scope,
                paths: decls.iter().map(|d| d.path.clone()).collect(),
                before: None,
                after: Some(license.clone()),
                before_key: String::new(),
                after_key: license.clone(),
                message: format!("{license} is not allowed by the policy ({})", config.source),
                why: Some("the project's policy does not permit this license".into()),
                evidence: Vec::new(),
            }
            .build()
        })
        .collect()
}

/// `policy-changed`: top-level keys (and `rules.<name>`, `licenses.<list>`) that differ
/// between the two policy files, `[[accept]]` entries aside.
pub fn policy_changed(base: Option<&Config>, head: Option<&Config>, path: &str) -> Option<Finding> {
    let flatten = |c: Option<&Config>| -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(table) = c.and_then(|c| c.raw.as_ref()) else { return out };
        for (k, v) in table.iter().filter(|(k, _)| k.as_str() != "accept") {
            match v {
                toml::Value::Table(t) => {
                    for (k2, v2) in t {
                        out.insert(format!("{k}.{k2}"), v2.to_string());
                    }
                }
                other => {
                    out.insert(k.clone(), other.to_string());
                }
            }
        }
        out
    };
    let (b, h) = (flatten(base), flatten(head));
    let keys: BTreeSet<&String> = b.keys().chain(h.keys()).filter(|k| b.get(*k) != h.get(*k)).collect();
    if keys.is_empty() {
        return None;
    }
    let list = keys.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ");
    let scope = ScopeJson { path: String::new(), component: Component::All };
    Some(
        FindingDraft {
            rule: Rule::PolicyChanged,
            severity: Severity::Warning,
            direction: None,
            scope,
            paths: vec![path.to_string()],
            before: None,
            after: Some(list.clone()),
            before_key: String::new(),
            after_key: list.clone(),
            message: format!("the policy changed: {list}"),
            why: Some("this change edits the rules it is judged by; the base revision's policy applies to it".into()),
            evidence: Vec::new(),
        }
        .build(),
    )
}

/// Applies a policy to findings: severities and overrides (`off` drops a finding),
/// acknowledgements (still reported, never blocking), stale acknowledgements.
/// `acks` are the entries in force; `base_acks` tell which were added in this change.
pub fn apply(config: &Config, acks: &[Accept], base_acks: &[Accept], findings: &mut Vec<Finding>) {
    findings.retain_mut(|f| {
        let Some(rule) = config.rules.get(f.rule.name()) else { return true };
        let mut level = rule.level;
        for o in &rule.overrides {
            let path_ok =
                o.paths.as_ref().is_none_or(|g| f.paths.iter().any(|p| g.is_match(p)) || g.is_match(&f.scope.path));
            let component_ok = o.component.is_none_or(|c| c == f.scope.component);
            if path_ok && component_ok {
                level = Some(o.level);
            }
        }
        match level.map(|l| l.severity()) {
            Some(None) => false,
            Some(Some(sev)) => {
                f.severity = sev;
                true
            }
            None => true,
        }
    });
    let today = today();
    let in_force: Vec<&Accept> =
        acks.iter().filter(|a| a.until.as_deref().is_none_or(|u| u >= today.as_str())).collect();
    for f in findings.iter_mut() {
        if let Some(a) = in_force.iter().find(|a| f.answers_to(&a.id)) {
            f.acknowledged = Some(Acknowledged {
                reason: a.reason.clone(),
                by: a.by.clone(),
                until: a.until.clone(),
                in_this_change: !base_acks.iter().any(|b| b.id == a.id),
            });
        }
    }
    let added: Vec<&Accept> = acks.iter().filter(|a| !base_acks.iter().any(|b| b.id == a.id)).collect();
    // The ids findings answer to, gathered only when an acknowledgement was added.
    let ids: BTreeSet<String> = if added.is_empty() {
        BTreeSet::new()
    } else {
        findings.iter().flat_map(|f| std::iter::once(&f.id).chain(&f.legacy_ids)).cloned().collect()
    };
    for a in added.into_iter().filter(|a| !ids.contains(&a.id)) {
        findings.push(
            FindingDraft {
                rule: Rule::AcknowledgementStale,
                severity: Severity::Warning,
                direction: None,
                scope: ScopeJson { path: String::new(), component: Component::All },
                paths: vec![config::DEFAULT_PATH.to_string()],
                before: None,
                after: Some(a.id.clone()),
                before_key: String::new(),
                after_key: a.id.clone(),
                message: format!("the acknowledgement of {} added in this change matches no finding", a.id),
                why: Some(
                    "an acknowledgement that accepts nothing may hide a typo, or accept a future finding unseen".into(),
                ),
                evidence: Vec::new(),
            }
            .build(),
        );
    }
    sort_findings(findings);
}

/// The effective fail-on: the command line first, then the policy (`warn-only` = never).
pub fn fail_on(config: &Config, cli: Option<FailOn>) -> FailOn {
    cli.or(config.fail_on).unwrap_or(if config.warn_only { FailOn::Never } else { FailOn::Error })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Config {
        config::parse("p", text).unwrap()
    }

    #[test]
    fn expressions_are_evaluated_per_operator() {
        let c = cfg("[licenses]\nallow = [\"MIT\", \"Apache-2.0\", \"llama3.1\", \"LicenseRef-acme-*\"]\n");
        let e = |s: &str| Expr::parse(s).unwrap();
        assert!(allowed(&c, &e("MIT OR GPL-3.0-only")));
        assert!(!allowed(&c, &e("MIT AND GPL-3.0-only")));
        assert!(allowed(&c, &e("llama3.1")));
        assert!(allowed(&c, &e("LicenseRef-acme-internal")));
        assert!(!allowed(&c, &e("gemma")));
        let d = cfg("[licenses]\ndeny = [\"AGPL-3.0-only\", \"LicenseRef-*\"]\n");
        assert!(allowed(&d, &e("MIT")));
        assert!(!allowed(&d, &e("AGPL-3.0-or-later")));
        assert!(!allowed(&d, &e("llama3.1")), "knowledge-base ids are LicenseRef- ids");
        let w = cfg("[licenses]\nallow = [\"GPL-2.0-only WITH Classpath-exception-2.0\"]\n");
        assert!(allowed(&w, &e("GPL-2.0-only WITH Classpath-exception-2.0")));
        assert!(!allowed(&w, &e("GPL-2.0-only")), "the exception is part of what is allowed");
    }

    #[test]
    fn published_family_ids_cover_their_revisions_and_deny_covers_modified_copies() {
        let e = |s: &str| Expr::parse(s).unwrap();
        let allow = cfg("[licenses]\nallow = [\"cogvlm\"]\n");
        assert!(allowed(&allow, &e("cogvlm-initial")), "an umbrella id allows its revisions");
        assert!(!allowed(&allow, &e("LicenseRef-modified-cogvlm")), "a modified copy is not the license");
        let deny = cfg("[licenses]\ndeny = [\"llama2\", \"MIT\"]\n");
        assert!(!allowed(&deny, &e("LicenseRef-modified-llama2")));
        assert!(!allowed(&deny, &e("LicenseRef-modified-MIT")));
        assert!(allowed(&deny, &e("LicenseRef-modified-Apache-2.0")));
        let umbrella_deny = cfg("[licenses]\ndeny = [\"chatglm\"]\n");
        assert!(!allowed(&umbrella_deny, &e("chatglm3-6b-initial")));
    }

    #[test]
    fn today_is_a_date() {
        let t = today();
        assert_eq!(t.len(), 10);
        assert!(t.as_str() > "2024-01-01");
    }
}

//! Findings: drift between two profiles. One small function per rule family; every
//! finding carries a stable id derived from its content only.

mod align;
mod bundle;
mod headers;
mod license;
mod lineage;
mod openness;
#[cfg(test)]
mod rule_tests;
mod scope_names;
mod scope_value;
mod text;

use serde::Serialize;

use crate::knowledge::ladder::Direction;
use crate::knowledge::normalize::hex;
use crate::profile::{Profile, Scope};
use crate::snapshot::Component;

pub use align::{ParameterName, mark_words};
pub use headers::HeaderChange;
pub use license::license_findings;
pub use openness::{dataset_folder, openness_findings};

/// A rule: the kind of drift. The kebab-case names are a public interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    LicenseChanged,
    LicenseAdded,
    LicenseRemoved,
    LicenseTextChanged,
    LicenseUnidentified,
    DeclarationMismatch,
    BaseModelChanged,
    RestrictionAdded,
    RestrictionRemoved,
    RestrictionChanged,
    GatingAdded,
    ComponentRemoved,
    ComponentAdded,
    DatasetRemoved,
    OpennessDowngraded,
    OpennessUpgraded,
    LicenseNotAllowed,
    PolicyChanged,
    AcknowledgementStale,
}

impl Rule {
    /// Every rule, in documentation order.
    pub const ALL: &'static [Rule] = &[
        Rule::LicenseChanged,
        Rule::LicenseAdded,
        Rule::LicenseRemoved,
        Rule::LicenseTextChanged,
        Rule::LicenseUnidentified,
        Rule::DeclarationMismatch,
        Rule::BaseModelChanged,
        Rule::RestrictionAdded,
        Rule::RestrictionRemoved,
        Rule::RestrictionChanged,
        Rule::GatingAdded,
        Rule::ComponentRemoved,
        Rule::ComponentAdded,
        Rule::DatasetRemoved,
        Rule::OpennessDowngraded,
        Rule::OpennessUpgraded,
        Rule::LicenseNotAllowed,
        Rule::PolicyChanged,
        Rule::AcknowledgementStale,
    ];

    /// The report section the rule belongs to (exhaustive: a new rule must choose one).
    pub fn group(self) -> Group {
        match self {
            Rule::RestrictionAdded | Rule::RestrictionRemoved | Rule::RestrictionChanged | Rule::GatingAdded => {
                Group::Restrictions
            }
            Rule::ComponentRemoved
            | Rule::ComponentAdded
            | Rule::DatasetRemoved
            | Rule::OpennessDowngraded
            | Rule::OpennessUpgraded => Group::Components,
            Rule::LicenseNotAllowed | Rule::PolicyChanged | Rule::AcknowledgementStale => Group::Policy,
            Rule::LicenseChanged
            | Rule::LicenseAdded
            | Rule::LicenseRemoved
            | Rule::LicenseTextChanged
            | Rule::LicenseUnidentified
            | Rule::DeclarationMismatch
            | Rule::BaseModelChanged => Group::Licenses,
        }
    }

    /// The public name.
    pub fn name(self) -> &'static str {
        match self {
            Rule::LicenseChanged => "license-changed",
            Rule::LicenseAdded => "license-added",
            Rule::LicenseRemoved => "license-removed",
            Rule::LicenseTextChanged => "license-text-changed",
            Rule::LicenseUnidentified => "license-unidentified",
            Rule::DeclarationMismatch => "declaration-mismatch",
            Rule::BaseModelChanged => "base-model-changed",
            Rule::RestrictionAdded => "restriction-added",
            Rule::RestrictionRemoved => "restriction-removed",
            Rule::RestrictionChanged => "restriction-changed",
            Rule::GatingAdded => "gating-added",
            Rule::ComponentRemoved => "component-removed",
            Rule::ComponentAdded => "component-added",
            Rule::DatasetRemoved => "dataset-removed",
            Rule::OpennessDowngraded => "openness-downgraded",
            Rule::OpennessUpgraded => "openness-upgraded",
            Rule::LicenseNotAllowed => "license-not-allowed",
            Rule::PolicyChanged => "policy-changed",
            Rule::AcknowledgementStale => "acknowledgement-stale",
        }
    }

    /// What the rule reports, in one sentence.
    pub fn description(self) -> &'static str {
        match self {
            Rule::LicenseChanged => {
                "The license of a scope changed; the direction says whether the terms tightened or relaxed."
            }
            Rule::LicenseAdded => "A scope that had no license now declares one.",
            Rule::LicenseRemoved => "A scope that declared a license no longer declares any.",
            Rule::LicenseTextChanged => "Same license, different text: clauses were added or removed.",
            Rule::LicenseUnidentified => "A license text or value that the tool cannot identify.",
            Rule::RestrictionAdded => {
                "A usage restriction appeared, or a new clause restricts use further (with the clause as evidence)."
            }
            Rule::RestrictionRemoved => "A usage restriction no longer applies.",
            Rule::RestrictionChanged => {
                "A clause of a restriction was reworded so that a value moved (a user cap, a threshold, a territory, what is allowed): the parameter before and after, and the direction."
            }
            Rule::GatingAdded => "A model card now gates access: users must accept terms or register first.",
            Rule::ComponentRemoved => {
                "A Model Openness Framework component (data, weights, code, documents) is no longer shipped."
            }
            Rule::ComponentAdded => "A Model Openness Framework component is now shipped.",
            Rule::DatasetRemoved => "A dataset folder, or a dataset the model card names, is gone.",
            Rule::OpennessDowngraded => "The MOF class or the OSAID compatibility got worse.",
            Rule::OpennessUpgraded => "The MOF class or the OSAID compatibility got better.",
            Rule::LicenseNotAllowed => "A license at head is outside the policy's allow list or inside its deny list.",
            Rule::PolicyChanged => "The policy file changed (other than acknowledgements): the keys that changed.",
            Rule::AcknowledgementStale => "An acknowledgement added in this change matches no finding.",
            Rule::BaseModelChanged => {
                "A model card's base_model changed: the terms the model inherits from its parent may differ."
            }
            Rule::DeclarationMismatch => {
                "A model or data card declares a license that the license file of the same scope contradicts."
            }
        }
    }
}

/// A section of the text and markdown reports. Every rule belongs to exactly one, and
/// printers walk [`Group::ALL`], so no finding can fall out of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Group {
    Licenses,
    Restrictions,
    Components,
    Policy,
}

impl Group {
    /// Every group, in report order.
    pub const ALL: [Group; 4] = [Group::Licenses, Group::Restrictions, Group::Components, Group::Policy];

    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            Group::Licenses => "Licenses",
            Group::Restrictions => "Restrictions",
            Group::Components => "Components",
            Group::Policy => "Policy",
        }
    }
}

/// How much a finding matters. Ordered: info < warning < error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a piece of evidence shows. The kebab-case names are part of the JSON interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// What a file declares.
    Declared,
    /// The value on the base side.
    Before,
    /// The value on the head side.
    After,
    /// A clause only the head text has.
    ClauseAdded,
    /// A clause only the base text has.
    ClauseRemoved,
    /// A clause both texts have, reworded: `before` holds the old wording, `text` the new.
    ClauseReworded,
    /// The closest known license of an unidentified text, with its score.
    ClosestGuess,
    /// Why something could not be read or identified.
    Note,
}

impl EvidenceKind {
    /// The public name.
    pub fn name(self) -> &'static str {
        match self {
            EvidenceKind::Declared => "declared",
            EvidenceKind::Before => "before",
            EvidenceKind::After => "after",
            EvidenceKind::ClauseAdded => "clause-added",
            EvidenceKind::ClauseRemoved => "clause-removed",
            EvidenceKind::ClauseReworded => "clause-reworded",
            EvidenceKind::ClosestGuess => "closest-guess",
            EvidenceKind::Note => "note",
        }
    }

    /// Whether it is a clause of a text diff.
    pub fn is_clause(self) -> bool {
        matches!(self, EvidenceKind::ClauseAdded | EvidenceKind::ClauseRemoved | EvidenceKind::ClauseReworded)
    }
}

/// One piece of evidence: a file, a line, what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub path: String,
    pub line: Option<u32>,
    pub kind: EvidenceKind,
    pub text: String,
    /// For a reworded clause: its wording before (`text` is the wording after).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

impl Evidence {
    /// Evidence without an old wording.
    pub fn new(path: impl Into<String>, line: Option<u32>, kind: EvidenceKind, text: impl Into<String>) -> Self {
        Evidence { path: path.into(), line, kind, text: text.into(), before: None }
    }
}

/// A value a reworded clause moved (`restriction-changed`): which, and from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parameter {
    pub name: ParameterName,
    pub before: String,
    pub after: String,
}

/// One drift between two profiles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// 12 hex digits, stable across clones and runs.
    pub id: String,
    pub rule: Rule,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    pub scope: ScopeJson,
    pub paths: Vec<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For `restriction-changed`: the value that moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<Parameter>,
    pub message: String,
    /// Why it matters, in plain words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub evidence: Vec<Evidence>,
    /// Set when a policy acknowledgement accepts the finding: still reported, not blocking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<Acknowledged>,
    /// Ids the same drift had under an earlier recipe (a rule that used to report it):
    /// acknowledgements made with them still accept it (kept for one minor version).
    #[serde(skip)]
    pub legacy_ids: Vec<String>,
}

impl Finding {
    /// Whether an acknowledgement of `id` accepts this finding (its id, or a legacy id).
    pub fn answers_to(&self, id: &str) -> bool {
        self.id == id || self.legacy_ids.iter().any(|l| l == id)
    }
}

/// How a finding was acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acknowledged {
    pub reason: String,
    pub by: Option<String>,
    pub until: Option<String>,
    /// The entry was added in the compared range (reviewers see it in the change).
    pub in_this_change: bool,
}

/// The JSON form of a scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ScopeJson {
    pub path: String,
    pub component: Component,
}

impl From<&Scope> for ScopeJson {
    fn from(s: &Scope) -> Self {
        ScopeJson { path: s.path.clone(), component: s.component }
    }
}

/// The finding id: the first 12 hex digits of SHA-256 over `v1`, the rule, the scope and
/// the before/after keys — nothing of the run, so the same drift has the same id everywhere.
pub fn finding_id(rule: Rule, scope: &ScopeJson, before_key: &str, after_key: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"v1");
    for part in [rule.name(), &scope.path, scope.component.as_str(), before_key, after_key] {
        h.update([0]);
        h.update(part.as_bytes());
    }
    hex(&h.finalize()[..6])
}

/// Builds a finding; the id comes from `before_key`/`after_key`.
pub struct FindingDraft {
    pub rule: Rule,
    pub severity: Severity,
    pub direction: Option<Direction>,
    pub scope: ScopeJson,
    pub paths: Vec<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub before_key: String,
    pub after_key: String,
    pub message: String,
    pub why: Option<String>,
    pub evidence: Vec<Evidence>,
}

impl FindingDraft {
    pub fn build(self) -> Finding {
        let id = finding_id(self.rule, &self.scope, &self.before_key, &self.after_key);
        let mut paths = self.paths;
        paths.sort();
        paths.dedup();
        Finding {
            id,
            rule: self.rule,
            severity: self.severity,
            direction: self.direction,
            scope: self.scope,
            paths,
            before: self.before,
            after: self.after,
            parameter: None,
            message: self.message,
            why: self.why,
            evidence: self.evidence,
            acknowledged: None,
            legacy_ids: Vec::new(),
        }
    }
}

/// All findings between two profiles, over the scope directories that changed and the
/// header changes of ordinary files, sorted by
/// severity (errors first), rule, path and id.
pub fn diff_profiles(base: &Profile, head: &Profile, touched: &[String], headers: &[HeaderChange]) -> Vec<Finding> {
    let mut findings = license_findings(base, head, touched);
    findings.extend(headers::header_findings(head, headers));
    findings.extend(lineage::base_model_findings(base, head, touched));
    // Scopes whose license change is a finding, borrowed from the findings.
    let explained: std::collections::BTreeSet<(&str, Component)> = findings
        .iter()
        .filter(|f| {
            matches!(
                f.rule,
                Rule::LicenseChanged | Rule::LicenseAdded | Rule::LicenseRemoved | Rule::LicenseUnidentified
            )
        })
        .map(|f| (f.scope.path.as_str(), f.scope.component))
        .collect();
    let restrictions = openness::restriction_findings(base, head, touched, &explained);
    findings.extend(restrictions);
    findings.extend(openness::gating_findings(base, head, touched));
    sort_findings(&mut findings);
    findings
}

/// Sorts findings: severity (errors first), rule, first path, id.
pub fn sort_findings(findings: &mut [Finding]) {
    let order = |a: &Finding, b: &Finding| {
        b.severity
            .cmp(&a.severity)
            .then(a.rule.cmp(&b.rule))
            .then(a.paths.first().cmp(&b.paths.first()))
            .then(a.id.cmp(&b.id))
    };
    // Scopes are compared in path order, so findings often come sorted: then the sort and
    // its buffer (half of them) are skipped.
    if !findings.is_sorted_by(|a, b| order(a, b).is_le()) {
        findings.sort_by(order);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        for (r, n) in Rule::ALL.iter().zip(&names) {
            assert_eq!(serde_json::to_value(r).unwrap(), *n);
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
    }

    #[test]
    fn readme_rule_table_lists_every_rule() {
        let readme = include_str!("../../README.md");
        let table: Vec<&str> = readme
            .lines()
            .skip_while(|l| !l.starts_with("| rule |"))
            .skip(2)
            .take_while(|l| l.starts_with("| `"))
            .filter_map(|l| l.split('`').nth(1))
            .collect();
        let rules: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(table, rules, "README's rule table and Rule::ALL differ");
    }

    #[test]
    fn ids_depend_on_content_only() {
        let s = ScopeJson { path: "".into(), component: Component::All };
        let a = finding_id(Rule::LicenseChanged, &s, "MIT", "GPL-3.0-only");
        assert_eq!(a.len(), 12);
        assert_eq!(a, finding_id(Rule::LicenseChanged, &s, "MIT", "GPL-3.0-only"));
        assert_ne!(a, finding_id(Rule::LicenseChanged, &s, "GPL-3.0-only", "MIT"));
    }
}

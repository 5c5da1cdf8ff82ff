//! The openness profile of a revision as an AI bill of materials: the repository, a model
//! per model scope (a scope with a model card or final weights), a dataset per dataset a
//! card names and per data folder of the tree, the base models cards name, and the links
//! between them. [`cyclonedx`] and [`spdx3`] render it. Every value comes from the profile:
//! what the repository does not state is left out, never guessed.

pub mod cyclonedx;
pub mod spdx3;

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::drift::{Finding, Rule, dataset_folder};
use crate::error::{Error, Result};
use crate::git::{Repo, Revision};
use crate::knowledge::expr::Expr;
use crate::profile::Profile;
use crate::profile::openness::Openness;
use crate::snapshot::{Component, ancestors};

/// Prefix of every property this tool writes (CycloneDX properties, SPDX annotations).
pub const NS: &str = "license-drift";

/// What an item of the bill of materials stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The repository at the revision (the document's root).
    Repository,
    /// A model of the repository: a directory with a model card or final weights.
    Model,
    /// A folder of the repository holding data (MOF datasets or evaluation data, or a data card).
    DataFolder,
    /// A dataset a model card names (`datasets:`), not part of the repository.
    NamedDataset,
    /// A model a model card names as its base (`base_model:`), not part of the repository.
    BaseModel,
}

/// How an item relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkKind {
    /// The repository ships the item.
    Contains,
    /// The model was trained on the dataset (a card's `datasets:`, the MOF datasets component).
    TrainedOn,
    /// The model was evaluated on the data (the MOF evaluation data component).
    TestedOn,
    /// The model derives from the base model (a card's `base_model:`).
    DescendantOf,
}

/// How a dataset of the repository can be obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Its files are in the repository.
    DirectDownload,
    /// Its files are in a repository whose card gates access.
    Registration,
}

/// One item (a component, a package).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Unique within the document and stable across runs: `repository`, `model:<dir>`,
    /// `data:<dir>`, `dataset:<name>`, `base-model:<name>` (`.` is the root directory).
    pub key: String,
    pub kind: Kind,
    pub name: String,
    /// The license in force, declared or inherited (`None`: the repository states none).
    pub license: Option<Expr>,
    /// `license-drift:` properties, sorted by name then value.
    pub properties: Vec<(String, String)>,
    /// For data of the repository: how to obtain it.
    pub availability: Option<Availability>,
}

/// A directed link between two items, by key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    pub from: String,
    pub kind: LinkKind,
    pub to: String,
}

/// A finding attached to the items it concerns (the `diff` documents).
#[derive(Debug, Clone)]
pub struct Attached {
    pub finding: Finding,
    /// Keys of the items it concerns (at least one).
    pub subjects: Vec<String>,
}

/// The revision a document describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevInfo {
    /// 40 hex digits.
    pub commit: String,
    /// The committer time, `YYYY-MM-DDTHH:MM:SSZ` (UTC): the document's time.
    pub time: String,
}

impl RevInfo {
    /// The commit of a resolved revision and its committer time.
    pub fn of(repo: &Repo, rev: &Revision) -> Result<RevInfo> {
        let Some(oid) = rev.commit else {
            return Err(Error::NotACommit { rev: rev.rev.clone(), kind: "tree".into(), oid: rev.tree.to_string() });
        };
        let commit = repo
            .raw()
            .find_commit(oid)
            .map_err(|source| Error::Git { context: format!("reading commit {oid}"), source })?;
        Ok(RevInfo { commit: oid.to_string(), time: crate::dates::utc_timestamp(commit.committer().when().seconds()) })
    }
}

/// The bill of materials of one revision.
#[derive(Debug, Clone)]
pub struct Bom {
    pub revision: RevInfo,
    /// The repository's name (the root item's name).
    pub name: String,
    /// Root first, then models, data folders, named datasets and base models, each sorted.
    pub items: Vec<Item>,
    /// Sorted, without duplicates.
    pub links: Vec<Link>,
    /// Findings of a diff (empty for `sbom`), sorted as the diff report sorts them.
    pub findings: Vec<Attached>,
    /// Document-level properties (the compared base of a diff document).
    pub properties: Vec<(String, String)>,
}

impl Bom {
    /// The item with this key.
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }

    /// The document's serial: a UUID (version 8, from SHA-256) over what the document is
    /// of, so that the same revision gives the same serial (and the same bytes).
    pub fn uuid(&self, format: &str) -> String {
        let mut input = format!("{NS}\0{format}\0{}\0{}", self.revision.commit, self.name);
        for (k, v) in &self.properties {
            input.push_str(&format!("\0{k}={v}"));
        }
        uuid_from(&input)
    }
}

/// A UUID derived from text: the first 16 bytes of its SHA-256, with the version (8,
/// custom) and RFC 4122 variant bits set.
pub fn uuid_from(input: &str) -> String {
    let digest = Sha256::digest(input.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn dir_key(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

/// The restrictions that apply to a directory's component (its own and its enclosing
/// directories', for that component or `all`): `license-drift:restriction:<category>`
/// properties whose value lists where each is stated.
fn restriction_properties(profile: &Profile, dir: Option<(&str, Component)>) -> Vec<(String, String)> {
    let mut by_category: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &profile.restrictions {
        let applies = match dir {
            None => true,
            Some((d, c)) => {
                (r.scope.component == Component::All || r.scope.component == c)
                    && ancestors(d).any(|a| a == r.scope.path)
            }
        };
        if applies {
            let at = r.line.map_or_else(|| r.path.clone(), |l| format!("{}:{l}", r.path));
            by_category.entry(r.category.name()).or_default().insert(at);
        }
    }
    by_category
        .into_iter()
        .map(|(cat, at)| (format!("{NS}:restriction:{cat}"), at.into_iter().collect::<Vec<_>>().join(", ")))
        .collect()
}

fn openness_properties(openness: &Openness) -> Vec<(String, String)> {
    let name = |c| serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    vec![
        (format!("{NS}:mof-class"), name(openness.mof_class)),
        (format!("{NS}:mof-class-completeness"), name(openness.mof_class_completeness)),
        (format!("{NS}:osaid-compatible"), openness.osaid_compatible.to_string()),
    ]
}

/// Builds the bill of materials of a revision from its profile and openness.
pub fn build(name: &str, revision: RevInfo, profile: &Profile, openness: &Openness) -> Bom {
    let model_cards: Vec<_> = profile.cards.iter().filter(|c| !c.dataset).collect();
    let card_dirs: BTreeSet<&str> = model_cards.iter().map(|c| c.scope.as_str()).collect();
    // A weights file belongs to the nearest directory above it with a model card, else to
    // its own directory.
    let mut model_dirs: BTreeSet<String> = card_dirs.iter().map(|d| d.to_string()).collect();
    for f in openness.files_of("model-parameters-final") {
        let dir = f.rsplit_once('/').map_or("", |(d, _)| d);
        let owner = ancestors(dir).into_iter().find(|d| card_dirs.contains(d)).unwrap_or(dir);
        model_dirs.insert(owner.to_string());
    }
    let model_of = |dir: &str| ancestors(dir).into_iter().find(|d| model_dirs.contains(*d)).map(str::to_string);
    let gated = |dir: &str| profile.cards.iter().any(|c| c.gated && ancestors(dir).any(|a| a == c.scope));

    // Data folders: MOF datasets and evaluation data grouped by folder, and data cards.
    let mut data: BTreeMap<String, (BTreeSet<&'static str>, usize)> = BTreeMap::new();
    for (id, label) in [("datasets", "Datasets"), ("evaluation-data", "Evaluation data")] {
        for f in openness.files_of(id) {
            let e = data.entry(dataset_folder(f)).or_default();
            e.0.insert(label);
            e.1 += 1;
        }
    }
    for c in profile.cards.iter().filter(|c| c.dataset) {
        data.entry(c.scope.clone()).or_default();
    }

    let mut items = Vec::new();
    let mut links = BTreeSet::new();
    let mut root_props = Vec::new();
    let mut declared: BTreeMap<(String, Component), Vec<Expr>> = BTreeMap::new();
    for d in &profile.declarations {
        declared.entry((d.scope.path.clone(), d.scope.component)).or_default().push(d.license.clone());
    }
    for ((dir, component), exprs) in declared {
        let Some(expr) = Expr::and_all(exprs) else { continue };
        let prop = if dir.is_empty() {
            format!("{NS}:license:{}", component.as_str())
        } else {
            format!("{NS}:license:{}:{dir}", component.as_str())
        };
        root_props.push((prop, expr.to_spdx()));
    }
    root_props.extend(restriction_properties(profile, None));
    root_props.extend(openness_properties(openness));
    for c in openness.components.iter().filter(|c| c.present) {
        root_props.push((format!("{NS}:mof-component"), c.name.clone()));
    }
    root_props.sort();
    items.push(Item {
        key: "repository".into(),
        kind: Kind::Repository,
        name: name.to_string(),
        license: profile.license_of("", Component::All),
        properties: root_props,
        availability: None,
    });

    for dir in &model_dirs {
        let key = format!("model:{}", dir_key(dir));
        let mut props = restriction_properties(profile, Some((dir, Component::Weights)));
        props.extend(openness_properties(openness));
        props.sort();
        items.push(Item {
            key: key.clone(),
            kind: Kind::Model,
            name: if dir.is_empty() { name.to_string() } else { dir.clone() },
            license: profile.license_of(dir, Component::Weights),
            properties: props,
            availability: None,
        });
        links.insert(Link { from: "repository".into(), kind: LinkKind::Contains, to: key });
    }
    for (dir, (labels, files)) in &data {
        let key = format!("data:{}", dir_key(dir));
        let mut props = restriction_properties(profile, Some((dir, Component::Data)));
        props.extend(labels.iter().map(|l| (format!("{NS}:mof-component"), l.to_string())));
        if *files > 0 {
            props.push((format!("{NS}:files"), files.to_string()));
        }
        props.sort();
        items.push(Item {
            key: key.clone(),
            kind: Kind::DataFolder,
            name: if dir.is_empty() { name.to_string() } else { dir.clone() },
            license: profile.license_of(dir, Component::Data),
            properties: props,
            availability: Some(if gated(dir) { Availability::Registration } else { Availability::DirectDownload }),
        });
        links.insert(Link { from: "repository".into(), kind: LinkKind::Contains, to: key.clone() });
        if let Some(model) = model_of(dir) {
            let kind = if labels.contains("Datasets") {
                Some(LinkKind::TrainedOn)
            } else if labels.contains("Evaluation data") {
                Some(LinkKind::TestedOn)
            } else {
                None
            };
            if let Some(kind) = kind {
                links.insert(Link { from: format!("model:{}", dir_key(&model)), kind, to: key });
            }
        }
    }
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut bases: BTreeSet<String> = BTreeSet::new();
    for card in &model_cards {
        let from = format!("model:{}", dir_key(&card.scope));
        for d in card.datasets.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
            links.insert(Link { from: from.clone(), kind: LinkKind::TrainedOn, to: format!("dataset:{d}") });
            named.insert(d.to_string());
        }
        for b in card.base_model.iter().map(|b| b.trim()).filter(|b| !b.is_empty()) {
            links.insert(Link { from: from.clone(), kind: LinkKind::DescendantOf, to: format!("base-model:{b}") });
            bases.insert(b.to_string());
        }
    }
    let external = |kind, prefix: &str, name: &String| Item {
        key: format!("{prefix}:{name}"),
        kind,
        name: name.clone(),
        license: None,
        properties: Vec::new(),
        availability: None,
    };
    items.extend(named.iter().map(|n| external(Kind::NamedDataset, "dataset", n)));
    items.extend(bases.iter().map(|n| external(Kind::BaseModel, "base-model", n)));
    Bom {
        revision,
        name: name.to_string(),
        items,
        links: links.into_iter().collect(),
        findings: Vec::new(),
        properties: Vec::new(),
    }
}

impl Bom {
    /// Attaches the findings of a diff to the items they concern (by scope: the items of the
    /// scope's directory for its component, else the repository); a removed dataset concerns
    /// the models. Each subject gets a `license-drift:finding:<rule>` property.
    pub fn attach(&mut self, findings: &[Finding], base: Option<&str>) {
        let dir_of = |item: &Item| -> Option<String> {
            let rest = item.key.split_once(':').map(|(_, r)| r)?;
            matches!(item.kind, Kind::Model | Kind::DataFolder)
                .then(|| if rest == "." { String::new() } else { rest.to_string() })
        };
        for f in findings {
            let fits = |item: &Item| match (item.kind, f.scope.component) {
                (Kind::Model, Component::Weights | Component::All) => dir_of(item).as_deref() == Some(&f.scope.path),
                (Kind::DataFolder, Component::Data | Component::All) => dir_of(item).as_deref() == Some(&f.scope.path),
                _ => false,
            };
            let mut subjects: Vec<String> = if f.rule == Rule::DatasetRemoved {
                self.items.iter().filter(|i| i.kind == Kind::Model).map(|i| i.key.clone()).collect()
            } else {
                self.items.iter().filter(|i| fits(i)).map(|i| i.key.clone()).collect()
            };
            if subjects.is_empty() || (f.scope.path.is_empty() && f.scope.component == Component::All) {
                subjects.insert(0, "repository".into());
            }
            let value = format!("{} {}", f.severity.as_str(), f.id);
            for item in self.items.iter_mut().filter(|i| subjects.contains(&i.key)) {
                item.properties.push((format!("{NS}:finding:{}", f.rule.name()), value.clone()));
                item.properties.sort();
            }
            self.findings.push(Attached { finding: f.clone(), subjects });
        }
        if let Some(base) = base {
            self.properties.push((format!("{NS}:diff-base"), base.to_string()));
        }
    }
}

/// The text a finding is annotated with: severity, rule, id, message, before → after.
pub fn finding_text(f: &Finding) -> String {
    let mut text = format!("{} {} [{}]: {}", f.severity.as_str(), f.rule.name(), f.id, f.message);
    if f.before.is_some() || f.after.is_some() {
        let side = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none)".into());
        text.push_str(&format!(" ({} → {})", side(&f.before), side(&f.after)));
    }
    if let Some(ack) = &f.acknowledged {
        text.push_str(&format!("; acknowledged: {}", ack.reason));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = uuid_from("x");
        assert_eq!(a, uuid_from("x"));
        assert_ne!(a, uuid_from("y"));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('8') && matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{a}");
    }
}

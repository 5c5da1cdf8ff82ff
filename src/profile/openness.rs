//! Openness of a revision: which Model Openness Framework components it ships (by path and
//! card metadata only: data and weights are never read), the MOF class as the Model
//! Openness Tool computes it and by completeness alone, and plausible OSAID compatibility.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Profile, SignalPath};
use crate::knowledge::components::{self, Content, MofClass, MofComponent};
use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::ladder::Restriction;
use crate::knowledge::names;
use crate::snapshot::Component;

/// Paths shown per component; `count` has them all.
const SAMPLE: usize = 5;

/// One component's state in a revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentState {
    /// The MOT name.
    pub name: String,
    pub id: String,
    pub present: bool,
    /// Files that signal it.
    pub count: usize,
    /// A few of those files (or the card or MOT file that declares it).
    pub evidence: Vec<String>,
    /// The license MOT would resolve for it.
    pub license: Option<String>,
    /// Whether that license is open for MOT.
    pub open: bool,
}

/// The openness of a revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Openness {
    pub components: Vec<ComponentState>,
    /// MOF class as MOT computes it: a component counts only under an open license.
    pub mof_class: MofClass,
    /// MOF class by completeness alone: components present, whatever their license.
    pub mof_class_completeness: MofClass,
    /// Weights and code under open terms, no use restrictions, data information present.
    pub osaid_compatible: bool,
    /// The card's `datasets:` entries.
    pub datasets: Vec<String>,
    /// The signal paths of each component, by id (each path matched once).
    #[serde(skip)]
    pub files: BTreeMap<String, Vec<String>>,
}

impl Openness {
    /// The signal paths of a component.
    pub fn files_of(&self, id: &str) -> &[String] {
        self.files.get(id).map(Vec::as_slice).unwrap_or_default()
    }
}

impl Openness {
    /// A component's state by id.
    pub fn component(&self, id: &str) -> Option<&ComponentState> {
        self.components.iter().find(|c| c.id == id)
    }
}

/// Open-data licenses MOT accepts besides OSI and FSF ones.
const OPEN_DATA: &[&str] = &[
    "CC0-1.0",
    "CC-BY-1.0",
    "CC-BY-2.0",
    "CC-BY-2.5",
    "CC-BY-2.5-AU",
    "CC-BY-3.0",
    "CC-BY-3.0-AT",
    "CC-BY-3.0-AU",
    "CC-BY-3.0-DE",
    "CC-BY-3.0-IGO",
    "CC-BY-3.0-NL",
    "CC-BY-3.0-US",
    "CC-BY-4.0",
    "CC-BY-SA-1.0",
    "CC-BY-SA-2.0",
    "CC-BY-SA-2.0-UK",
    "CC-BY-SA-2.1-JP",
    "CC-BY-SA-2.5",
    "CC-BY-SA-3.0",
    "CC-BY-SA-3.0-AT",
    "CC-BY-SA-4.0",
    "CDLA-Permissive-1.0",
    "CDLA-Permissive-2.0",
    "CDLA-Sharing-1.0",
    "PDDL-1.0",
    "ODC-By-1.0",
    "ODbL-1.0",
    "GFDL-1.3",
    "OGL-Canada-2.0",
    "OGL-UK-2.0",
    "OGL-UK-3.0",
    "OpenMDW-1.0",
];

/// Whether a license is open in MOT's sense: OSI-approved, FSF-libre, an open-data license
/// or OpenMDW (OR: one open branch suffices; AND: every part must be open).
pub fn is_open(e: &Expr) -> bool {
    match e {
        Expr::Term(Term::Spdx { id, .. }) => {
            OPEN_DATA.contains(&id.as_str())
                || spdx::license_id(id).is_some_and(|l| l.is_osi_approved() || l.is_fsf_free_libre())
        }
        Expr::Term(Term::Ai(id)) => id.starts_with("openmdw"),
        Expr::Term(Term::Other(_)) => false,
        Expr::And(v) => v.iter().all(is_open),
        Expr::Or(v) => v.iter().any(is_open),
    }
}

/// Categories that make terms incompatible with the Open Source AI Definition (use for
/// any purpose without asking).
const NOT_OSAID: &[Restriction] = &[
    Restriction::NonCommercial,
    Restriction::ResearchOnly,
    Restriction::NoDerivatives,
    Restriction::UsePolicy,
    Restriction::UserThreshold,
    Restriction::RevenueThreshold,
    Restriction::Geographic,
    Restriction::OutputUse,
];

fn component_scope(c: &MofComponent) -> Component {
    match (c.content, c.id.as_str()) {
        (Content::Code, _) => Component::Code,
        (Content::Data, "model-parameters-final" | "model-parameters-intermediate" | "model-metadata") => {
            Component::Weights
        }
        (Content::Data, _) => Component::Data,
        (Content::Document, _) => Component::Docs,
    }
}

/// The openness of a revision from its component paths (the paths of the tree that match
/// a component signal, with the components they signal) and its profile (cards, MOT files, licenses, restrictions).
pub fn openness(paths: &[SignalPath], profile: &Profile) -> Openness {
    // One match per path (not one per path and component): data repositories hold
    // hundreds of thousands of signal paths.
    let mut by_component: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    for p in paths {
        for c in p.signals.components() {
            by_component.entry(c.id.as_str()).or_default().push(&p.path);
        }
    }
    let root_card = profile.cards.iter().find(|c| c.scope.is_empty()).or(profile.cards.first());
    let datasets: Vec<String> = profile.cards.iter().flat_map(|c| c.datasets.iter().cloned()).collect();
    let mot_components: BTreeMap<String, Option<String>> = profile
        .mot
        .iter()
        .flat_map(|m| m.components.iter().map(|c| (c.name.to_ascii_lowercase(), c.license.clone())))
        .collect();
    let mut states = Vec::new();
    for c in components::all() {
        let files = by_component.get(c.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        let mut evidence: Vec<String> = files.iter().take(SAMPLE).map(|p| p.to_string()).collect();
        let mut present = !files.is_empty();
        match c.id.as_str() {
            "model-card" if root_card.is_some() => {
                present = true;
                evidence.insert(0, root_card.map(|c| c.path.clone()).unwrap_or_default());
            }
            "datasets" if !datasets.is_empty() => {
                present = true;
                evidence.push(format!("datasets: {}", datasets.join(", ")));
            }
            "evaluation-results" if profile.cards.iter().any(|c| c.has_model_index) => {
                present = true;
                evidence.push("model-index in the model card".into());
            }
            _ => {}
        }
        let mot_license = mot_components.get(&c.name.to_ascii_lowercase());
        if let Some(m) = profile.mot.first().filter(|_| mot_license.is_some()) {
            present = true;
            evidence.push(m.path.clone());
        }
        let license: Option<Expr> = match mot_license {
            Some(l) => l.as_deref().map(names::license_from_name),
            None => profile.license_of("", component_scope(c)),
        };
        states.push(ComponentState {
            name: c.name.clone(),
            id: c.id.clone(),
            present,
            count: files.len(),
            evidence,
            open: license.as_ref().is_some_and(is_open),
            license: license.map(|l| l.to_string()),
        });
    }
    let state = |c: &MofComponent| states.iter().find(|s| s.id == c.id);
    let mof_class = components::class_of(&|c| state(c).is_some_and(|s| s.present && s.open));
    let mof_class_completeness = components::class_of(&|c| state(c).is_some_and(|s| s.present));
    let open_present = |id: &str| states.iter().any(|s| s.id == id && s.present && s.open);
    let present = |id: &str| states.iter().any(|s| s.id == id && s.present);
    let unrestricted = !profile.restrictions.iter().any(|r| NOT_OSAID.contains(&r.category));
    let osaid_compatible = open_present("model-parameters-final")
        && (open_present("model-architecture") || open_present("inference-code") || open_present("training-code"))
        && (present("data-card") || present("datasets"))
        && unrestricted;
    let files = by_component.into_iter().map(|(id, ps)| (id.to_string(), ps.into_iter().cloned().collect())).collect();
    Openness { components: states, mof_class, mof_class_completeness, osaid_compatible, datasets, files }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_licenses() {
        let e = |s: &str| Expr::parse(s).unwrap();
        assert!(is_open(&e("Apache-2.0")) && is_open(&e("CC-BY-4.0")) && is_open(&e("OpenMDW-1.0")));
        assert!(is_open(&e("MIT OR LicenseRef-llama3.1")));
        assert!(!is_open(&e("MIT AND LicenseRef-llama3.1")) && !is_open(&e("CC-BY-NC-4.0")) && !is_open(&e("gemma")));
    }
}

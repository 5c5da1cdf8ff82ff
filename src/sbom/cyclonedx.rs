//! CycloneDX 1.6 JSON (an ML-BOM): the repository as `metadata.component`, a
//! `machine-learning-model` component per model with its model card's datasets by reference
//! and its base models as pedigree ancestors, a `data` component per dataset, `dependencies`
//! from the repository to what it ships and from each model to its datasets and base models,
//! and, for a diff, the findings as `annotations` on the components they concern.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{Bom, Item, Kind, LinkKind, finding_text};

/// The CycloneDX version written.
pub const SPEC_VERSION: &str = "1.6";

fn properties(props: &[(String, String)]) -> Value {
    Value::Array(props.iter().map(|(name, value)| json!({ "name": name, "value": value })).collect())
}

fn tool() -> Value {
    json!({ "type": "application", "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") })
}

fn component(bom: &Bom, item: &Item) -> Value {
    let mut c = Map::new();
    let kind = match item.kind {
        Kind::Repository => "application",
        Kind::Model | Kind::BaseModel => "machine-learning-model",
        Kind::DataFolder | Kind::NamedDataset => "data",
    };
    c.insert("type".into(), kind.into());
    c.insert("bom-ref".into(), item.key.clone().into());
    c.insert("name".into(), item.name.clone().into());
    if item.kind == Kind::Repository {
        c.insert("version".into(), bom.revision.commit.clone().into());
    }
    if let Some(license) = &item.license {
        c.insert("licenses".into(), json!([{ "expression": license.to_spdx(), "acknowledgement": "declared" }]));
    }
    let targets = |kinds: &[LinkKind]| -> Vec<&str> {
        bom.links.iter().filter(|l| l.from == item.key && kinds.contains(&l.kind)).map(|l| l.to.as_str()).collect()
    };
    if item.kind == Kind::Model {
        let datasets = targets(&[LinkKind::TrainedOn, LinkKind::TestedOn]);
        if !datasets.is_empty() {
            let refs: Vec<Value> = datasets.iter().map(|d| json!({ "ref": d })).collect();
            c.insert("modelCard".into(), json!({ "modelParameters": { "datasets": refs } }));
        }
        let bases = targets(&[LinkKind::DescendantOf]);
        if !bases.is_empty() {
            let ancestors: Vec<Value> = bases
                .iter()
                .filter_map(|b| bom.item(b))
                .map(|b| json!({ "type": "machine-learning-model", "name": b.name }))
                .collect();
            c.insert("pedigree".into(), json!({ "ancestors": ancestors }));
        }
    }
    if matches!(item.kind, Kind::DataFolder | Kind::NamedDataset) {
        c.insert("data".into(), json!([{ "type": "dataset", "name": item.name }]));
    }
    if !item.properties.is_empty() {
        c.insert("properties".into(), properties(&item.properties));
    }
    Value::Object(c)
}

/// The CycloneDX document of a bill of materials.
pub fn document(bom: &Bom) -> Value {
    let root = bom.items.iter().find(|i| i.kind == Kind::Repository);
    let mut metadata = Map::new();
    metadata.insert("timestamp".into(), bom.revision.time.clone().into());
    metadata.insert("tools".into(), json!({ "components": [tool()] }));
    if let Some(root) = root {
        metadata.insert("component".into(), component(bom, root));
    }
    if !bom.properties.is_empty() {
        metadata.insert("properties".into(), properties(&bom.properties));
    }
    let components: Vec<Value> =
        bom.items.iter().filter(|i| i.kind != Kind::Repository).map(|i| component(bom, i)).collect();
    // Every component is in the graph; those without dependencies with an empty list.
    let mut graph: BTreeMap<&str, BTreeSet<&str>> =
        bom.items.iter().map(|i| (i.key.as_str(), BTreeSet::new())).collect();
    for l in &bom.links {
        graph.entry(l.from.as_str()).or_default().insert(l.to.as_str());
    }
    let dependencies: Vec<Value> =
        graph.into_iter().map(|(r, on)| json!({ "ref": r, "dependsOn": on.into_iter().collect::<Vec<_>>() })).collect();
    let mut doc = Map::new();
    doc.insert("$schema".into(), "http://cyclonedx.org/schema/bom-1.6.schema.json".into());
    doc.insert("bomFormat".into(), "CycloneDX".into());
    doc.insert("specVersion".into(), SPEC_VERSION.into());
    doc.insert("serialNumber".into(), format!("urn:uuid:{}", bom.uuid("cyclonedx")).into());
    doc.insert("version".into(), 1.into());
    doc.insert("metadata".into(), Value::Object(metadata));
    doc.insert("components".into(), components.into());
    doc.insert("dependencies".into(), dependencies.into());
    if !bom.findings.is_empty() {
        // Every bom-ref is unique, also when two findings share an id.
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let annotations: Vec<Value> = bom
            .findings
            .iter()
            .map(|a| {
                let n = seen.entry(a.finding.id.as_str()).or_default();
                *n += 1;
                let suffix = if *n > 1 { format!("-{n}") } else { String::new() };
                json!({
                    "bom-ref": format!("finding:{}{suffix}", a.finding.id),
                    "subjects": a.subjects,
                    "annotator": { "component": tool() },
                    "timestamp": bom.revision.time,
                    "text": finding_text(&a.finding),
                })
            })
            .collect();
        doc.insert("annotations".into(), annotations.into());
    }
    Value::Object(doc)
}

//! SPDX 3.0.1 JSON-LD: the repository as a `software_Package`, an `ai_AIPackage` per model
//! and base model, a `dataset_DatasetPackage` per dataset, license expressions as
//! `simplelicensing_LicenseExpression` elements tied by `hasDeclaredLicense`, `trainedOn`,
//! `testedOn`, `descendantOf` and `contains` relationships, and the `license-drift:`
//! properties (restrictions, MOF class, a diff's findings) as annotations of their element.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{Availability, Bom, Item, Kind, LinkKind, finding_text};
use crate::knowledge::normalize::sha256_hex;

/// The SPDX version written.
pub const SPEC_VERSION: &str = "3.0.1";
/// The JSON-LD context every SPDX 3.0.1 document names.
pub const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
/// The profiles the document conforms to.
const PROFILES: [&str; 5] = ["core", "software", "simpleLicensing", "ai", "dataset"];
const CREATION_INFO: &str = "_:creationinfo";

/// Characters kept as they are in the IRIs of elements; the rest is percent-encoded.
const IRI_ESCAPES: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/').remove(b':');

/// The IRI namespace of a document's elements, from the document's serial (the commit, the
/// repository's name, and for a diff document its base).
fn namespace(bom: &Bom) -> String {
    format!("urn:{}:{}", super::NS, bom.uuid("spdx3"))
}

fn iri(ns: &str, key: &str) -> String {
    format!("{ns}/{}", percent_encoding::utf8_percent_encode(key, IRI_ESCAPES))
}

fn relationship_type(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Contains => "contains",
        LinkKind::TrainedOn => "trainedOn",
        LinkKind::TestedOn => "testedOn",
        LinkKind::DescendantOf => "descendantOf",
    }
}

fn package(ns: &str, bom: &Bom, item: &Item) -> Value {
    let mut p = Map::new();
    let (kind, purpose) = match item.kind {
        Kind::Repository => ("software_Package", None),
        Kind::Model | Kind::BaseModel => ("ai_AIPackage", Some("model")),
        Kind::DataFolder | Kind::NamedDataset => ("dataset_DatasetPackage", Some("data")),
    };
    p.insert("type".into(), kind.into());
    p.insert("spdxId".into(), iri(ns, &item.key).into());
    p.insert("creationInfo".into(), CREATION_INFO.into());
    p.insert("name".into(), item.name.clone().into());
    if let Some(purpose) = purpose {
        p.insert("software_primaryPurpose".into(), purpose.into());
    }
    if item.kind == Kind::Repository {
        p.insert("software_packageVersion".into(), bom.revision.commit.clone().into());
    }
    if matches!(item.kind, Kind::DataFolder | Kind::NamedDataset) {
        // What kind of data it is, the repository does not say.
        p.insert("dataset_datasetType".into(), json!(["noAssertion"]));
        if let Some(a) = item.availability {
            let a = match a {
                Availability::DirectDownload => "directDownload",
                Availability::Registration => "registration",
            };
            p.insert("dataset_datasetAvailability".into(), a.into());
        }
    }
    Value::Object(p)
}

fn element(kind: &str, id: String, mut fields: Map<String, Value>) -> Value {
    fields.insert("type".into(), kind.into());
    fields.insert("spdxId".into(), id.into());
    fields.insert("creationInfo".into(), CREATION_INFO.into());
    Value::Object(fields)
}

fn relationship(id: String, from: String, kind: &str, to: Vec<String>) -> Value {
    let mut f = Map::new();
    f.insert("from".into(), from.into());
    f.insert("relationshipType".into(), kind.into());
    f.insert("to".into(), to.into());
    element("Relationship", id, f)
}

fn annotation(id: String, subject: String, statement: String) -> Value {
    let mut f = Map::new();
    f.insert("annotationType".into(), "other".into());
    f.insert("subject".into(), subject.into());
    f.insert("statement".into(), statement.into());
    element("Annotation", id, f)
}

/// The SPDX 3.0.1 JSON-LD document of a bill of materials.
pub fn document(bom: &Bom) -> Value {
    let ns = namespace(bom);
    let agent = iri(&ns, "agent/license-drift");
    let tool = iri(&ns, "tool/license-drift");
    let doc_id = iri(&ns, "document");
    let mut graph: Vec<Value> = vec![json!({
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": SPEC_VERSION,
        "created": bom.revision.time,
        "createdBy": [agent],
        "createdUsing": [tool],
    })];
    let named = |name: &str| {
        let mut f = Map::new();
        f.insert("name".into(), name.into());
        f
    };
    graph.push(element("SoftwareAgent", agent.clone(), named(env!("CARGO_PKG_NAME"))));
    let mut t = named(env!("CARGO_PKG_NAME"));
    t.insert("comment".into(), format!("version {}", env!("CARGO_PKG_VERSION")).into());
    graph.push(element("Tool", tool.clone(), t));

    let mut rest = Vec::new();
    for item in &bom.items {
        rest.push(package(&ns, bom, item));
    }
    // One element per distinct license expression, named by its hash.
    let mut licenses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in &bom.items {
        if let Some(l) = &item.license {
            licenses.entry(l.to_spdx()).or_default().push(iri(&ns, &item.key));
        }
    }
    for (expr, holders) in &licenses {
        let id = iri(&ns, &format!("license/{}", &sha256_hex(expr)[..16]));
        let mut f = Map::new();
        f.insert("simplelicensing_licenseExpression".into(), expr.clone().into());
        rest.push(element("simplelicensing_LicenseExpression", id.clone(), f));
        for h in holders {
            rest.push(relationship(
                format!("{h}/hasDeclaredLicense"),
                h.clone(),
                "hasDeclaredLicense",
                vec![id.clone()],
            ));
        }
    }
    let mut links: BTreeMap<(&str, LinkKind), BTreeSet<String>> = BTreeMap::new();
    for l in &bom.links {
        links.entry((l.from.as_str(), l.kind)).or_default().insert(iri(&ns, &l.to));
    }
    for ((from, kind), to) in links {
        let from = iri(&ns, from);
        let t = relationship_type(kind);
        rest.push(relationship(format!("{from}/{t}"), from, t, to.into_iter().collect()));
    }
    for item in &bom.items {
        let subject = iri(&ns, &item.key);
        for (n, (name, value)) in item.properties.iter().enumerate() {
            rest.push(annotation(format!("{subject}/annotation/{n}"), subject.clone(), format!("{name}={value}")));
        }
    }
    for (n, (name, value)) in bom.properties.iter().enumerate() {
        rest.push(annotation(format!("{doc_id}/annotation/{n}"), doc_id.clone(), format!("{name}={value}")));
    }
    for (n, a) in bom.findings.iter().enumerate() {
        for s in &a.subjects {
            let subject = iri(&ns, s);
            let id = format!("{subject}/finding/{n}-{}", a.finding.id);
            rest.push(annotation(id, subject, finding_text(&a.finding)));
        }
    }
    let ids: Vec<String> =
        [agent, tool].into_iter().chain(rest.iter().filter_map(|e| e["spdxId"].as_str().map(str::to_string))).collect();
    let root = iri(&ns, "repository");
    let mut d = named(&format!("{} at {}", bom.name, bom.revision.commit));
    d.insert("profileConformance".into(), json!(PROFILES));
    d.insert("rootElement".into(), json!([root]));
    d.insert("element".into(), ids.into());
    graph.push(element("SpdxDocument", doc_id, d));
    graph.extend(rest);
    json!({ "@context": CONTEXT, "@graph": graph })
}

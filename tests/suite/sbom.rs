//! `sbom` and `diff --format cyclonedx|spdx3` end to end: a model repository with two
//! datasets named by its card, two data folders and a base model, and the demo's release;
//! documents parsed and checked field by field against what `scan` reports. With
//! `LICENSE_DRIFT_TEST_SBOM_DIR` set, every document is also written there, for `.ci/run` to
//! validate against the official schemas.

use std::collections::BTreeSet;

use serde_json::Value;

use super::util::{Repo, Run, run_in, spdx_text};

const WEIGHTS: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 14483464192\n";

const POLICY: &str = "# Example Model Acceptable Use Policy\n\nYou agree not to use Example Model to write malware or to run disinformation campaigns.\n";

/// The fixture: Apache-2.0 repository, llama3.1 weights (card), a base model, two datasets
/// named by the card, a training data folder under CC-BY-4.0 and evaluation data. `v2`
/// drops one dataset from the card.
fn model_repo() -> Repo {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("Apache-2.0"));
    r.card(
        "README.md",
        "license: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\ndatasets:\n  - acme/wiki-clean\n  - acme/code-mix",
    );
    r.write("USE_POLICY.md", POLICY);
    r.write("model.safetensors", WEIGHTS);
    r.write("data/wiki/part-0.jsonl", "{\"text\": \"hello\"}\n");
    r.write("data/wiki/LICENSE", spdx_text("CC-BY-4.0"));
    r.write("eval/test.jsonl", "{\"q\": \"1+1\", \"a\": \"2\"}\n");
    r.commit_tag("v1");
    r.card("README.md", "license: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\ndatasets:\n  - acme/wiki-clean");
    r.commit_tag("v2");
    r
}

/// Runs the binary; with `LICENSE_DRIFT_TEST_SBOM_DIR` set, keeps stdout there as `name`.
fn document(r: &Repo, args: &[&str], name: &str) -> Run {
    let run = run_in(&r.path, args);
    if let Some(dir) = std::env::var_os("LICENSE_DRIFT_TEST_SBOM_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), &run.stdout).unwrap();
    }
    run
}

fn sbom(r: &Repo, rev: &str, format: &str, name: &str) -> Value {
    let run = document(r, &["sbom", rev, "--format", format], name);
    assert_eq!(run.code, 0, "{run:?}");
    run.json()
}

fn scan(r: &Repo, rev: &str) -> Value {
    let run = run_in(&r.path, &["scan", rev, "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.json()
}

/// Every component of a CycloneDX document, the root (`metadata.component`) first.
fn components(doc: &Value) -> Vec<&Value> {
    std::iter::once(&doc["metadata"]["component"]).chain(doc["components"].as_array().unwrap()).collect()
}

fn component<'a>(doc: &'a Value, bom_ref: &str) -> &'a Value {
    components(doc).into_iter().find(|c| c["bom-ref"] == bom_ref).unwrap_or_else(|| panic!("no {bom_ref} in {doc}"))
}

/// `(name, value)` of a component's properties.
fn props(c: &Value) -> Vec<(String, String)> {
    c["properties"]
        .as_array()
        .map(|p| p.iter().map(|p| (p["name"].as_str().unwrap().into(), p["value"].as_str().unwrap().into())).collect())
        .unwrap_or_default()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// Restriction categories of a scan document.
fn scan_restrictions(scan: &Value) -> BTreeSet<String> {
    scan["restrictions"].as_array().unwrap().iter().map(|r| r["category"].as_str().unwrap().to_string()).collect()
}

/// License terms a scan document lists, as SPDX writes them (knowledge-base ids as refs).
fn scan_terms(scan: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for l in scan["licenses"].as_array().unwrap() {
        for t in l["license"].as_str().unwrap().split([' ', '(', ')']).filter(|t| !matches!(*t, "" | "AND" | "OR")) {
            let spdx = spdx::license_id(t).is_some() || t.starts_with("LicenseRef-");
            out.insert(if spdx { t.to_string() } else { format!("LicenseRef-{t}") });
        }
    }
    out
}

/// Terms of the `license-drift:license:*` properties of the root component.
fn document_terms(root: &Value) -> BTreeSet<String> {
    props(root)
        .into_iter()
        .filter(|(n, _)| n.starts_with("license-drift:license:"))
        .flat_map(|(_, v)| v.split([' ', '(', ')']).map(str::to_string).collect::<Vec<_>>())
        .filter(|t| !matches!(t.as_str(), "" | "AND" | "OR"))
        .collect()
}

fn restriction_props(c: &Value) -> BTreeSet<String> {
    props(c).into_iter().filter_map(|(n, _)| n.strip_prefix("license-drift:restriction:").map(str::to_string)).collect()
}

#[test]
fn cyclonedx_links_the_model_to_its_datasets_and_base_model() {
    let r = model_repo();
    let doc = sbom(&r, "v1", "cyclonedx", "fixture-v1.cdx.json");
    let scan = scan(&r, "v1");
    assert_eq!((doc["bomFormat"].as_str(), doc["specVersion"].as_str()), (Some("CycloneDX"), Some("1.6")));
    let serial = doc["serialNumber"].as_str().unwrap();
    assert!(serial.starts_with("urn:uuid:") && serial.len() == 45, "{serial}");
    assert_eq!(doc["metadata"]["timestamp"], "2024-01-01T00:00:00Z", "the commit's time");
    let sha = r.git(&["rev-parse", "v1"]);
    assert_eq!(doc["metadata"]["component"]["version"], sha);

    let model = component(&doc, "model:.");
    assert_eq!(model["type"], "machine-learning-model");
    assert_eq!(
        model["licenses"],
        serde_json::json!([{"expression": "LicenseRef-llama3.1", "acknowledgement": "declared"}])
    );
    let refs: BTreeSet<&str> = model["modelCard"]["modelParameters"]["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        BTreeSet::from(["dataset:acme/wiki-clean", "dataset:acme/code-mix", "data:data/wiki", "data:eval"])
    );
    assert_eq!(model["pedigree"]["ancestors"][0]["name"], "meta-llama/Llama-3.1-8B");
    let deps = doc["dependencies"].as_array().unwrap();
    let depends_on = |r: &str| strings(&deps.iter().find(|d| d["ref"] == r).unwrap()["dependsOn"]);
    assert_eq!(
        depends_on("model:."),
        [
            "base-model:meta-llama/Llama-3.1-8B",
            "data:data/wiki",
            "data:eval",
            "dataset:acme/code-mix",
            "dataset:acme/wiki-clean"
        ]
        .map(String::from)
        .into(),
    );
    assert_eq!(depends_on("repository"), ["data:data/wiki", "data:eval", "model:."].map(String::from).into());
    // Every referenced component is in the graph.
    for c in components(&doc) {
        assert!(deps.iter().any(|d| d["ref"] == c["bom-ref"]), "{} not in dependencies", c["bom-ref"]);
    }

    // Datasets: named ones carry no license (the repository states none); the data folder
    // its own.
    for named in ["dataset:acme/wiki-clean", "dataset:acme/code-mix"] {
        let d = component(&doc, named);
        assert_eq!(d["type"], "data");
        assert_eq!(d["data"][0]["type"], "dataset");
        assert!(d.get("licenses").is_none(), "{d}");
    }
    assert_eq!(component(&doc, "data:data/wiki")["licenses"][0]["expression"], "CC-BY-4.0");
    assert_eq!(component(&doc, "base-model:meta-llama/Llama-3.1-8B")["type"], "machine-learning-model");

    // The same licenses, restrictions and class as scan.
    let root = component(&doc, "repository");
    assert_eq!(root["licenses"][0]["expression"], "Apache-2.0");
    assert_eq!(document_terms(root), scan_terms(&scan));
    assert_eq!(restriction_props(root), scan_restrictions(&scan));
    assert!(restriction_props(model).contains("use-policy") && restriction_props(model).contains("user-threshold"));
    let class = props(model).into_iter().find(|(n, _)| n == "license-drift:mof-class").unwrap().1;
    assert_eq!(class, scan["mof_class"].as_str().unwrap());
}

#[test]
fn spdx3_has_ai_and_dataset_packages_trained_on_and_declared_licenses() {
    let r = model_repo();
    let doc = sbom(&r, "v1", "spdx3", "fixture-v1.spdx3.json");
    let scan = scan(&r, "v1");
    assert_eq!(doc["@context"], "https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
    let graph = doc["@graph"].as_array().unwrap();
    let of_type = |t: &str| graph.iter().filter(|e| e["type"] == t).collect::<Vec<_>>();
    let info = of_type("CreationInfo")[0];
    assert_eq!(info["created"], "2024-01-01T00:00:00Z");
    assert_eq!(info["specVersion"], "3.0.1");
    let document = of_type("SpdxDocument")[0];
    assert_eq!(
        strings(&document["profileConformance"]),
        ["core", "software", "simpleLicensing", "ai", "dataset"].map(String::from).into()
    );
    let id_of = |name: &str, t: &str| {
        graph.iter().find(|e| e["type"] == t && e["name"] == name).unwrap_or_else(|| panic!("no {t} {name}"))["spdxId"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let name = r.path.file_name().unwrap().to_str().unwrap();
    let model = id_of(name, "ai_AIPackage");
    let datasets = of_type("dataset_DatasetPackage");
    assert_eq!(datasets.len(), 4, "two named datasets, two data folders");
    for d in &datasets {
        assert_eq!(d["dataset_datasetType"], serde_json::json!(["noAssertion"]), "{d}");
    }
    assert_eq!(
        datasets.iter().find(|d| d["name"] == "data/wiki").unwrap()["dataset_datasetAvailability"],
        "directDownload"
    );
    assert!(
        datasets.iter().find(|d| d["name"] == "acme/code-mix").unwrap().get("dataset_datasetAvailability").is_none()
    );
    let rel = |from: &str, t: &str| -> BTreeSet<String> {
        graph
            .iter()
            .filter(|e| e["type"] == "Relationship" && e["from"] == from && e["relationshipType"] == t)
            .flat_map(|e| strings(&e["to"]))
            .collect()
    };
    let trained: BTreeSet<String> =
        ["acme/wiki-clean", "acme/code-mix", "data/wiki"].iter().map(|n| id_of(n, "dataset_DatasetPackage")).collect();
    assert_eq!(rel(&model, "trainedOn"), trained);
    assert_eq!(rel(&model, "testedOn"), BTreeSet::from([id_of("eval", "dataset_DatasetPackage")]));
    assert_eq!(rel(&model, "descendantOf"), BTreeSet::from([id_of("meta-llama/Llama-3.1-8B", "ai_AIPackage")]));
    let license_of = |id: &str| -> Vec<String> {
        rel(id, "hasDeclaredLicense")
            .iter()
            .map(|l| {
                let e = graph.iter().find(|e| e["spdxId"] == l.as_str()).unwrap();
                assert_eq!(e["type"], "simplelicensing_LicenseExpression");
                e["simplelicensing_licenseExpression"].as_str().unwrap().to_string()
            })
            .collect()
    };
    assert_eq!(license_of(&model), ["LicenseRef-llama3.1"]);
    assert_eq!(license_of(&id_of(name, "software_Package")), ["Apache-2.0"]);
    assert!(license_of(&id_of("acme/code-mix", "dataset_DatasetPackage")).is_empty());
    // Restrictions as annotations of the model, the categories scan lists.
    let statements: BTreeSet<String> = graph
        .iter()
        .filter(|e| e["type"] == "Annotation" && e["subject"] == model.as_str())
        .map(|e| e["statement"].as_str().unwrap().to_string())
        .collect();
    let cats: BTreeSet<String> = statements
        .iter()
        .filter_map(|s| s.strip_prefix("license-drift:restriction:")?.split_once('=').map(|(c, _)| c.to_string()))
        .collect();
    assert!(!cats.is_empty() && cats.is_subset(&scan_restrictions(&scan)), "{cats:?}");
    // Every element is listed by the document.
    let listed = strings(&document["element"]);
    for e in graph.iter().filter(|e| e["type"] != "CreationInfo" && e["type"] != "SpdxDocument") {
        assert!(listed.contains(e["spdxId"].as_str().unwrap()), "{e} not listed");
    }
}

#[test]
fn documents_are_byte_identical_across_runs_and_spellings() {
    let r = model_repo();
    let sha = r.git(&["rev-parse", "v1"]);
    for format in ["cyclonedx", "spdx3"] {
        let a = run_in(&r.path, &["sbom", "v1", "--format", format]);
        let b = run_in(&r.path, &["sbom", &sha, "--format", format]);
        assert_eq!(a.code, 0, "{a:?}");
        assert_eq!(a.stdout, b.stdout, "{format}: the same revision gives the same bytes");
        let c = run_in(&r.path, &["sbom", "v2", "--format", format]);
        assert_ne!(a.stdout, c.stdout);
    }
    let a = run_in(&r.path, &["diff", "v1", "v2", "--format", "cyclonedx"]);
    let b = run_in(&r.path, &["diff", "v1", "v2", "--format", "cyclonedx"]);
    assert_eq!(a.stdout, b.stdout);
    let out = r.sibling("bom.json");
    let written = run_in(&r.path, &["sbom", "v1", "--output", out.to_str().unwrap()]);
    assert_eq!((written.code, written.stdout.as_str()), (0, ""), "{written:?}");
    assert_eq!(std::fs::read_to_string(out).unwrap(), run_in(&r.path, &["sbom", "v1"]).stdout);
}

#[test]
fn a_dataset_removed_between_revisions_is_in_the_diff_document() {
    let r = model_repo();
    let run = document(&r, &["diff", "v1", "v2", "--format", "cyclonedx"], "fixture-diff.cdx.json");
    assert_eq!(run.code, 1, "dataset-removed is an error: {run:?}");
    let doc = run.json();
    let removed: Vec<&Value> = doc["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["text"].as_str().unwrap().contains("dataset-removed"))
        .collect();
    assert_eq!(removed.len(), 1, "{doc}");
    assert!(removed[0]["text"].as_str().unwrap().contains("acme/code-mix"), "{}", removed[0]);
    assert_eq!(removed[0]["subjects"], serde_json::json!(["model:."]));
    assert_eq!(removed[0]["timestamp"], "2024-01-01T00:00:00Z");
    let id = removed[0]["bom-ref"].as_str().unwrap().strip_prefix("finding:").unwrap();
    let model = component(&doc, "model:.");
    assert!(
        props(model).iter().any(|(n, v)| n == "license-drift:finding:dataset-removed" && v.ends_with(id)),
        "{model}"
    );
    // The head document: the dataset is gone from it, the other one is still there.
    assert!(components(&doc).iter().all(|c| c["bom-ref"] != "dataset:acme/code-mix"));
    component(&doc, "dataset:acme/wiki-clean");
    let meta = props(&doc["metadata"]);
    assert!(meta.contains(&("license-drift:diff-base".into(), r.git(&["rev-parse", "v1"]))), "{meta:?}");
    assert!(meta.contains(&("license-drift:blocking".into(), "true".into())), "{meta:?}");
    // The JSON report has the same finding under the same id.
    let json = run_in(&r.path, &["diff", "v1", "v2", "--format", "json"]);
    assert!(json.rule("dataset-removed").iter().any(|f| f["id"] == id), "{json:?}");

    let spdx = document(&r, &["diff", "v1", "v2", "--format", "spdx3"], "fixture-diff.spdx3.json");
    assert_eq!(spdx.code, 1, "{spdx:?}");
    let graph = spdx.json()["@graph"].as_array().unwrap().clone();
    assert!(
        graph.iter().any(|e| e["type"] == "Annotation"
            && e["statement"].as_str().is_some_and(|s| s.contains("dataset-removed") && s.contains("acme/code-mix"))),
        "{graph:?}"
    );
}

/// The demo's repository (`cargo run --example demo`) at v2.1.0: MIT code, weights under a
/// Llama-style community license with an EU clause, a model card, LFS weights.
#[test]
fn demo_release_documents_carry_what_scan_reports() {
    const COMMUNITY: &str = "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n\n(Demo text: an abridged stand-in for the real agreement.)\n\nYou are granted a non-exclusive, worldwide, non-transferable and royalty-free license to use, reproduce and distribute the Materials.\n\nIf, on the release date, the monthly active users of your products exceeded 700 million monthly active users, you must request a license from the licensor.\n\nYour use of the Materials must comply with the Acceptable Use Policy, which is hereby incorporated by reference into this Agreement.\n";
    const EU_CLAUSE: &str = "The rights granted for multimodal models are not granted to individuals domiciled in, or companies with a principal place of business in, the European Union.\n";
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT").replace("<year> <copyright holders>", "2024 ACME Research"));
    r.write("LICENSE-MODEL", format!("{COMMUNITY}\n{EU_CLAUSE}"));
    r.write("README.md", "---\nlicense: llama3.1\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n# acme-lm-7b\n\nA small language model.\n");
    r.write("model.safetensors", WEIGHTS);
    r.write("train.py", "print('training code')\n");
    r.commit_tag("v2.1.0");
    let scan = scan(&r, "v2.1.0");
    let cdx = sbom(&r, "v2.1.0", "cyclonedx", "demo.cdx.json");
    let root = component(&cdx, "repository");
    assert_eq!(document_terms(root), scan_terms(&scan));
    assert_eq!(document_terms(root), ["LicenseRef-llama3.1", "MIT"].map(String::from).into());
    assert_eq!(restriction_props(root), scan_restrictions(&scan));
    assert!(restriction_props(component(&cdx, "model:.")).contains("geographic"));
    assert_eq!(component(&cdx, "model:.")["licenses"][0]["expression"], "LicenseRef-llama3.1");
    let spdx = sbom(&r, "v2.1.0", "spdx3", "demo.spdx3.json");
    let expressions: BTreeSet<String> = spdx["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "simplelicensing_LicenseExpression")
        .map(|e| e["simplelicensing_licenseExpression"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(expressions, ["LicenseRef-llama3.1", "MIT"].map(String::from).into());
    for format in ["cyclonedx", "spdx3"] {
        let again = run_in(&r.path, &["sbom", "v2.1.0", "--format", format]);
        let first = if format == "cyclonedx" { &cdx } else { &spdx };
        assert_eq!(&again.json(), first);
        assert_eq!(again.stdout, run_in(&r.path, &["sbom", "v2.1.0", "--format", format]).stdout);
    }
}

#[test]
fn bad_revisions_and_uncommitted_heads_are_clear_errors() {
    let r = model_repo();
    let run = run_in(&r.path, &["sbom", "no-such-rev"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no-such-rev") && run.stdout.is_empty(), "{run:?}");
    r.write("LICENSE", "changed\n");
    let run = run_in(&r.path, &["diff", "--worktree", "--format", "cyclonedx"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("describes a commit") && run.stdout.is_empty(), "{run:?}");
    let run = run_in(&r.path, &["scan", "--format", "cyclonedx"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("formats of diff"), "{run:?}");
}

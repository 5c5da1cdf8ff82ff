//! Openness drift end to end: restrictions from use policies, license texts, knowledge-base
//! attributes and card gating; MOF components, datasets, MOT files and classes. Every text
//! here is written by the test (identifying phrases and invented clauses).

use serde_json::Value;

use super::util::{Repo, Run, diff_json, run_in, spdx_text};

fn mit() -> String {
    spdx_text("MIT").replace("<year> <copyright holders>", "2024 ACME Research")
}

/// `scan REV --format json`.
fn scan_json(r: &Repo, rev: &str) -> Value {
    let run = run_in(&r.path, &["scan", rev, "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.json()
}

/// Findings of a rule whose `field` is `value`.
fn rule_with(run: &Run, rule: &str, field: &str, value: &str) -> Vec<Value> {
    run.rule(rule).into_iter().filter(|f| f[field] == value).collect()
}

/// Findings about restrictions (added or removed).
fn restriction_findings(run: &Run) -> Vec<Value> {
    run.findings().into_iter().filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("restriction-"))).collect()
}

/// The component of a scan document with this MOT name.
fn component<'a>(scan: &'a Value, name: &str) -> &'a Value {
    scan["components"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no component {name} in {scan}"))
}

/// Categories of the restrictions a scan lists.
fn categories(scan: &Value) -> Vec<String> {
    scan["restrictions"]
        .as_array()
        .unwrap_or_else(|| panic!("no restrictions array: {scan}"))
        .iter()
        .filter_map(|r| r["category"].as_str().map(str::to_string))
        .collect()
}

const POLICY_V1: &str = "# Example Model Acceptable Use Policy\n\
\n\
Example Labs wants everyone to use Example Model safely.\n\
\n\
## Prohibited uses\n\
\n\
You agree not to use Example Model to write malware or to run disinformation campaigns.\n";

const EU_CLAUSE: &str = "The rights granted for the vision features of Example Model are not granted to individuals domiciled in the European Union.";

#[test]
fn use_policy_gaining_an_eu_clause_is_a_geographic_restriction() {
    let r = Repo::new();
    r.write("LICENSE", mit());
    r.write("USE_POLICY.md", POLICY_V1).commit_tag("v1");
    let v2 = format!("{POLICY_V1}\n## Regions\n\n{EU_CLAUSE}\n");
    let eu_line = v2.lines().position(|l| l == EU_CLAUSE).unwrap() as u64 + 1;
    r.write("USE_POLICY.md", &v2).commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let added = rule_with(&run, "restriction-added", "after", "geographic");
    assert_eq!(added.len(), 1, "{run:?}");
    let f = &added[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["scope"]["path"], "");
    assert_eq!(f["paths"], serde_json::json!(["USE_POLICY.md"]));
    assert!(f["why"].as_str().is_some_and(|w| !w.is_empty()), "{f}");
    let ev = f["evidence"].as_array().unwrap();
    assert!(
        ev.iter().any(|e| e["kind"] == "clause-added"
            && e["path"] == "USE_POLICY.md"
            && e["line"] == eu_line
            && e["text"].as_str().is_some_and(|t| t.contains("domiciled in the European Union"))),
        "evidence should carry the EU sentence at line {eu_line}: {f}"
    );
    // Only the new clause is new: the malware clause and the policy file itself were there.
    assert!(rule_with(&run, "restriction-added", "after", "use-policy").is_empty(), "{run:?}");
    assert!(run.rule("restriction-removed").is_empty(), "{run:?}");

    let back = diff_json(&r, "v2", "v1");
    assert_eq!(back.code, 0, "{back:?}");
    let removed = rule_with(&back, "restriction-removed", "before", "geographic");
    assert_eq!(removed.len(), 1, "{back:?}");
    let f = &removed[0];
    assert_eq!(f["severity"], "info");
    assert!(f["after"].is_null(), "{f}");
    assert!(
        f["evidence"].as_array().unwrap().iter().any(|e| e["kind"] == "clause-removed"
            && e["line"] == eu_line
            && e["text"].as_str().is_some_and(|t| t.contains("European Union"))),
        "{f}"
    );
    assert!(back.rule("restriction-added").is_empty(), "{back:?}");
}

#[test]
fn community_license_with_a_user_cap_replacing_apache() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("Apache-2.0")).commit_tag("v1");
    r.write(
        "LICENSE",
        "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n\
         Llama 3.1 Version Release Date: July 23, 2024\n\
         \n\
         1. Grant. You may use, copy and modify the Example Materials.\n\
         \n\
         2. Additional Commercial Terms. If the products or services offered by you had more than \
         700 million monthly active users in the preceding calendar month, you must request a \
         separate license from the licensor before exercising these rights.\n",
    )
    .commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    assert_eq!(changed.len(), 1, "{run:?}");
    let f = &changed[0];
    assert_eq!(f["before"], "Apache-2.0");
    assert_eq!(f["after"], "llama3.1");
    assert_eq!(f["direction"], "tightened");
    assert_eq!(f["severity"], "error");

    let cap = rule_with(&run, "restriction-added", "after", "user-threshold");
    assert_eq!(cap.len(), 1, "{run:?}");
    let f = &cap[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["paths"][0], "LICENSE");
    assert!(f["why"].as_str().is_some_and(|w| w.contains("700 million")), "why should name the cap: {f}");
    assert!(f["evidence"].as_array().unwrap().iter().all(|e| e["kind"] == "clause-added"), "{f}");
}

#[test]
fn custom_license_dropping_its_non_commercial_clause_is_relaxed() {
    let r = Repo::new();
    let head = "ACME FRAMEWORK MODEL TERMS\n\
                \n\
                You may copy, share and adapt the ACME Framework model weights.\n\
                \n\
                Keep this notice with every copy you share.\n";
    let nc = "You may use the weights for non-commercial purposes only.\n\n";
    let v1 = head.replacen("Keep this", &format!("{nc}Keep this"), 1);
    let nc_line = v1.lines().position(|l| l.contains("non-commercial")).unwrap() as u64 + 1;
    r.write("LICENSE", &v1).commit_tag("v1");
    r.write("LICENSE", head).commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    let removed = rule_with(&run, "restriction-removed", "before", "non-commercial");
    assert_eq!(removed.len(), 1, "{run:?}");
    let f = &removed[0];
    assert_eq!(f["severity"], "info");
    assert!(
        f["evidence"].as_array().unwrap().iter().any(|e| e["kind"] == "clause-removed"
            && e["path"] == "LICENSE"
            && e["line"] == nc_line
            && e["text"].as_str().is_some_and(|t| t.contains("non-commercial"))),
        "{f}"
    );
    assert!(run.rule("restriction-added").is_empty(), "{run:?}");
    assert_eq!(run.json()["blocking"], false);
}

#[test]
fn gate_checkbox_restating_non_commercial_use() {
    let r = Repo::new();
    r.card("README.md", "license: other\nlicense_name: acme-model-license").commit_tag("v1");
    r.card(
        "README.md",
        "license: other\nlicense_name: acme-model-license\nextra_gated_fields:\n  \
         Company: text\n  I agree to use this model for non-commercial use ONLY: checkbox",
    )
    .commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let gating = run.rule("gating-added");
    assert_eq!(gating.len(), 1, "{run:?}");
    assert_eq!(gating[0]["severity"], "error");
    assert_eq!(gating[0]["paths"], serde_json::json!(["README.md"]));
    let nc = rule_with(&run, "restriction-added", "after", "non-commercial");
    assert_eq!(nc.len(), 1, "{run:?}");
    assert_eq!(nc[0]["severity"], "error");
    assert!(
        nc[0]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "README.md"
                && e["text"].as_str().is_some_and(|t| t.contains("non-commercial use ONLY"))),
        "{}",
        nc[0]
    );
    // Gating is its own rule, not a `registration` restriction as well.
    assert!(rule_with(&run, "restriction-added", "after", "registration").is_empty(), "{run:?}");
}

#[test]
fn data_folder_and_data_card_deleted() {
    let r = Repo::new();
    r.write("LICENSE", mit());
    r.card("README.md", "license: mit");
    r.write("model.safetensors", b"\x00weights".as_slice());
    r.write("data/train/part-0.jsonl", "{\"text\": \"a\"}\n");
    r.write("data/train/part-1.jsonl", "{\"text\": \"b\"}\n");
    r.write("data/web.parquet", b"PAR1".as_slice());
    r.write("DATA_CARD.md", "# Data card\n\nWhere the training text came from.\n").commit_tag("v1");
    r.remove("data").remove("DATA_CARD.md").commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let datasets = rule_with(&run, "component-removed", "before", "Datasets");
    assert_eq!(datasets.len(), 1, "{run:?}");
    assert_eq!(datasets[0]["severity"], "error");
    assert!(datasets[0]["paths"].as_array().unwrap().iter().any(|p| p == "data/web.parquet"), "{}", datasets[0]);
    let card = rule_with(&run, "component-removed", "before", "Data card");
    assert_eq!(card.len(), 1, "{run:?}");
    assert_eq!(card[0]["severity"], "error");
    assert_eq!(card[0]["paths"], serde_json::json!(["DATA_CARD.md"]));
    assert!(run.rule("component-removed").iter().all(|f| f["after"].is_null()), "{run:?}");

    let back = diff_json(&r, "v2", "v1");
    let added = back.rule("component-added");
    assert!(added.iter().any(|f| f["after"] == "Datasets" && f["severity"] == "info"), "{back:?}");
    assert!(added.iter().any(|f| f["after"] == "Data card"), "{back:?}");
    assert!(back.rule("component-removed").is_empty(), "{back:?}");
}

#[test]
fn card_datasets_entry_removed() {
    let r = Repo::new();
    r.write("LICENSE", mit());
    r.card("README.md", "license: mit\ndatasets:\n- acme/web-corpus\n- acme/code-corpus").commit_tag("v1");
    r.card("README.md", "license: mit\ndatasets:\n- acme/web-corpus").commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let gone = run.rule("dataset-removed");
    assert_eq!(gone.len(), 1, "{run:?}");
    let f = &gone[0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["before"], "acme/code-corpus");
    assert!(f["message"].as_str().is_some_and(|m| m.contains("acme/code-corpus")), "{f}");
    assert!(!f["message"].as_str().unwrap().contains("acme/web-corpus"), "{f}");
    // The card still names a dataset: the component stays.
    assert!(run.rule("component-removed").is_empty(), "{run:?}");
}

/// A repository shipping every required MOF component under open licenses.
fn complete_release(r: &Repo) {
    r.write("LICENSE", mit());
    r.card("MODEL_CARD.md", "license: apache-2.0");
    for (path, content) in [
        ("modeling_x.py", "class XModel:\n    pass\n"),
        ("eval_results.json", "{\"accuracy\": 0.5}\n"),
        ("DATA_CARD.md", "# Data card\n\nThe corpus and how it was filtered.\n"),
        ("paper.pdf", "%PDF-1.4 a paper\n"),
        ("train.py", "print('train')\n"),
        ("inference.py", "print('infer')\n"),
        ("eval.py", "print('eval')\n"),
        ("eval/data/test.jsonl", "{\"q\": 1}\n"),
        ("preprocess.py", "print('clean')\n"),
    ] {
        r.write(path, content);
    }
    r.write("model.safetensors", b"\x00final".as_slice());
    r.write("data/corpus.parquet", b"PAR1".as_slice());
    r.write("checkpoints/step-100/model.safetensors", b"\x00step100".as_slice());
}

#[test]
fn intermediate_checkpoints_removed_drops_class_one_to_two() {
    let r = Repo::new();
    complete_release(&r);
    r.commit_tag("v1");
    let scan = scan_json(&r, "v1");
    assert_eq!(scan["mof_class_completeness"], "I", "{scan}");
    for name in [
        "Model architecture",
        "Model parameters (Final)",
        "Model parameters (Intermediate)",
        "Datasets",
        "Data card",
        "Evaluation data",
        "Data preprocessing code",
        "Research paper",
    ] {
        assert_eq!(component(&scan, name)["present"], true, "{name}: {scan}");
    }
    assert_eq!(component(&scan, "Model parameters (Intermediate)")["count"], 1, "{scan}");
    r.remove("checkpoints").commit_tag("v2");
    assert_eq!(scan_json(&r, "v2")["mof_class_completeness"], "II");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let ckpt = rule_with(&run, "component-removed", "before", "Model parameters (Intermediate)");
    assert_eq!(ckpt.len(), 1, "{run:?}");
    assert_eq!(ckpt[0]["severity"], "error");
    assert_eq!(ckpt[0]["paths"], serde_json::json!(["checkpoints/step-100/model.safetensors"]));
    // Nothing else disappeared: the final weights are not intermediate ones.
    assert_eq!(run.rule("component-removed").len(), 1, "{run:?}");
    let down: Vec<Value> = run
        .rule("openness-downgraded")
        .into_iter()
        .filter(|f| f["message"].as_str().is_some_and(|m| m.contains("completeness")))
        .collect();
    assert_eq!(down.len(), 1, "{run:?}");
    assert_eq!(down[0]["before"], "Class I - Open Science Model");
    assert_eq!(down[0]["after"], "Class II - Open Tooling Model");
    assert_eq!(down[0]["severity"], "error");

    // SARIF: every result has a location; the openness class, which names no file, points at
    // a file of the release (its license file, else its README or manifest).
    let sarif = super::util::run_in(&r.path, &["diff", "v1", "v2", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for result in results {
        assert!(result["locations"].as_array().is_some_and(|l| !l.is_empty()), "no location: {result}");
    }
    let downgraded = results.iter().find(|r| r["ruleId"] == "openness-downgraded").expect("openness-downgraded");
    let uri = downgraded["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    r.git(&["cat-file", "-e", &format!("v2:{uri}")]);

    let back = diff_json(&r, "v2", "v1");
    assert!(back.rule("openness-upgraded").iter().any(|f| f["after"] == "Class I - Open Science Model"), "{back:?}");
}

fn mot_file(components: &[&str]) -> String {
    let mut s = String::from(
        "framework:\n  name: Model Openness Framework\n  version: '1.0'\n  date: '2024-12-15'\n\
         release:\n  name: example-7b\n  producer: Example Labs\n  license:\n    distribution:\n      \
         name: Apache-2.0\n  components:\n",
    );
    for c in components {
        s.push_str(&format!("    - name: {c}\n      description: the {c} of example-7b\n"));
    }
    s
}

#[test]
fn mot_file_losing_its_datasets_component() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("Apache-2.0"));
    r.write("mof.yml", mot_file(&["Datasets", "Model card"])).commit_tag("v1");
    let scan = scan_json(&r, "v1");
    assert_eq!(component(&scan, "Datasets")["present"], true, "{scan}");
    assert_eq!(component(&scan, "Datasets")["license"], "Apache-2.0", "{scan}");
    r.write("mof.yml", mot_file(&["Model card"])).commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let gone = rule_with(&run, "component-removed", "before", "Datasets");
    assert_eq!(gone.len(), 1, "{run:?}");
    assert_eq!(gone[0]["severity"], "error");
    assert!(gone[0]["paths"].as_array().unwrap().iter().any(|p| p == "mof.yml"), "{}", gone[0]);
    assert!(rule_with(&run, "component-removed", "before", "Model card").is_empty(), "{run:?}");
}

#[test]
fn card_prose_about_military_use_is_not_a_restriction() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("Apache-2.0"));
    r.card("README.md", "license: apache-2.0").commit_tag("v1");
    r.write(
        "README.md",
        "---\nlicense: apache-2.0\n---\n# A model\n\nSome prose about the model.\n\n## Misuse\n\n\
         Do not use this model for military use, surveillance or weapons development.\n\
         Commercial use is prohibited in some jurisdictions we have not reviewed.\n",
    )
    .commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(restriction_findings(&run).is_empty(), "card prose is not a restriction: {run:?}");
    assert!(run.rule("gating-added").is_empty(), "{run:?}");
    let scan = scan_json(&r, "v2");
    let from_card: Vec<&Value> =
        scan["restrictions"].as_array().unwrap().iter().filter(|x| x["path"] == "README.md").collect();
    assert!(from_card.is_empty(), "{from_card:?}");
}

#[test]
fn two_thousand_file_data_folder_removed_is_one_finding() {
    let r = Repo::new();
    r.write("LICENSE", mit());
    r.card("README.md", "license: mit");
    let data = r.path.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for i in 0..2000 {
        std::fs::write(data.join(format!("shard-{i:04}.jsonl")), format!("{{\"i\": {i}}}\n")).unwrap();
    }
    r.commit_tag("v1");
    r.remove("data").commit_tag("v2");

    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let removed = run.rule("component-removed");
    assert_eq!(removed.len(), 1, "{run:?}");
    let f = &removed[0];
    assert_eq!(f["before"], "Datasets");
    assert!(f["message"].as_str().is_some_and(|m| m.contains("2000")), "{f}");
    assert!(f["paths"].as_array().unwrap().len() <= 50, "paths are a sample: {}", f["paths"]);
    assert!(run.rule("dataset-removed").is_empty(), "{run:?}");
    // No finding names a single shard on its own.
    let findings = run.findings();
    assert!(findings.len() < 10, "{} findings", findings.len());
    assert!(
        findings.iter().filter(|f| f["rule"] != "component-removed").all(|f| !f.to_string().contains("shard-")),
        "{run:?}"
    );
}

#[test]
fn scan_lists_knowledge_base_restrictions_and_osaid_status() {
    let llama = Repo::new();
    llama.card("README.md", "license: llama3.1");
    llama.write("model.safetensors", b"\x00weights".as_slice());
    llama.write("modeling_x.py", "class XModel:\n    pass\n");
    llama.write("DATA_CARD.md", "---\nlicense: cc-by-4.0\n---\n# Data card\n").commit_tag("v1");
    let scan = scan_json(&llama, "v1");
    let cats = categories(&scan);
    for want in ["user-threshold", "naming", "use-policy"] {
        assert!(cats.iter().any(|c| c == want), "{want} missing: {cats:?}");
    }
    let restrictions = scan["restrictions"].as_array().unwrap();
    assert!(
        restrictions
            .iter()
            .any(|r| r["category"] == "user-threshold"
                && r["clause"].as_str().is_some_and(|c| c.contains("700 million"))),
        "{restrictions:?}"
    );
    assert!(
        restrictions
            .iter()
            .filter(|r| r["category"] == "user-threshold")
            .all(|r| r["path"] == "README.md" && r["source"] == "knowledge-base"),
        "{restrictions:?}"
    );
    assert_eq!(scan["osaid_compatible"], false, "{scan}");

    let open = Repo::new();
    open.write("LICENSE", mit());
    open.write("model.safetensors", b"\x00weights".as_slice());
    open.write("modeling_x.py", "class XModel:\n    pass\n");
    open.write("inference.py", "print('infer')\n");
    open.write("DATA_CARD.md", "---\nlicense: cc-by-4.0\n---\n# Data card\n").commit_tag("v1");
    let scan = scan_json(&open, "v1");
    assert!(categories(&scan).is_empty(), "{scan}");
    let weights = component(&scan, "Model parameters (Final)");
    assert_eq!((weights["present"].as_bool(), weights["open"].as_bool()), (Some(true), Some(true)), "{scan}");
    assert_eq!(component(&scan, "Data card")["present"], true, "{scan}");
    assert_eq!(scan["osaid_compatible"], true, "{scan}");
}

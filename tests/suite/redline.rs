//! Drift that reads like a redline: reworded clauses are not new clauses, moved parameters
//! are `restriction-changed` with a direction, known → unknown fails closed, and an
//! acknowledgement made with an older recipe still accepts.

use license_drift::drift::{Rule, ScopeJson, finding_id};
use license_drift::snapshot::Component;
use serde_json::Value;

use super::util::{Repo, diff_json, run_in};

/// A community-style AI license (written for these tests) with one clause per category.
fn community(cap: &str, territory: &str, revenue: &str, infringement: &str) -> String {
    format!(
        "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT
Llama 3.1 Version Release Date: July 23, 2024

1. License Rights. You are granted a non-exclusive, worldwide, non-transferable and royalty-free limited license to use, reproduce, distribute, copy and modify the Llama Materials.

2. Additional Commercial Terms. If the monthly active users of the products or services made available by or for Licensee is greater than {cap} monthly active users in the preceding calendar month, you must request a license from Meta.

3. The rights granted under Section 1 are not granted to individuals domiciled in {territory}.

4. Companies whose annual revenue exceeds US$ {revenue} must obtain a separate commercial license before using the Llama Materials.

5. If you institute litigation against Meta alleging that the Llama Materials {infringement} of intellectual property, then any licenses granted to you under this Agreement shall terminate.
"
    )
}

fn base_text() -> String {
    community("700 million", "the European Union", "10,000,000", "constitute infringement")
}

fn evolve(edit: impl Fn(String) -> String) -> (Repo, super::util::Run) {
    let r = Repo::new();
    r.write("LICENSE", base_text()).commit_tag("v1");
    r.write("LICENSE", edit(base_text())).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    (r, run)
}

fn only(run: &super::util::Run, rule: &str) -> Value {
    let found = run.rule(rule);
    assert_eq!(found.len(), 1, "one {rule} expected: {run:?}");
    found[0].clone()
}

#[test]
fn a_one_word_edit_of_a_restriction_clause_is_a_reworded_clause() {
    let (r, run) = evolve(|t| t.replace("constitute infringement", "constitute an infringement"));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.rule("restriction-added").is_empty(), "{run:?}");
    assert!(run.rule("restriction-changed").is_empty(), "{run:?}");
    let text = only(&run, "license-text-changed");
    assert_eq!(text["severity"], "info", "{run:?}");
    let ev = &text["evidence"].as_array().unwrap()[0];
    assert_eq!(ev["kind"], "clause-reworded", "{run:?}");
    assert!(ev["before"].as_str().unwrap().contains("constitute infringement"), "{run:?}");
    assert!(ev["text"].as_str().unwrap().contains("constitute an infringement"), "{run:?}");

    // The text report shows it on one line with the changed word marked, the markdown report
    // with <ins>.
    let txt = run_in(&r.path, &["diff", "v1", "v2"]);
    assert!(txt.stdout.contains("~ LICENSE:"), "{}", txt.stdout);
    assert!(txt.stdout.contains("constitute {+an+} infringement"), "{}", txt.stdout);
    let md = run_in(&r.path, &["diff", "v1", "v2", "--format", "markdown"]);
    assert!(md.stdout.contains("constitute <ins>an</ins> infringement"), "{}", md.stdout);
}

#[test]
fn a_lower_user_cap_is_a_tightened_restriction_change() {
    let (r, run) = evolve(|t| t.replace("700 million", "100 million"));
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.rule("restriction-added").is_empty(), "{run:?}");
    let f = only(&run, "restriction-changed");
    assert_eq!(f["severity"], "error", "{run:?}");
    assert_eq!(f["direction"], "tightened", "{run:?}");
    assert_eq!((f["before"].as_str(), f["after"].as_str()), (Some("user-threshold"), Some("user-threshold")));
    assert_eq!(f["parameter"]["name"], "user-cap", "{run:?}");
    assert_eq!(f["parameter"]["before"], "700 million", "{run:?}");
    assert_eq!(f["parameter"]["after"], "100 million", "{run:?}");
    // The id hashes the parameter values: another cap is another finding.
    r.write("LICENSE", base_text().replace("700 million", "50 million")).commit_tag("v3");
    let other = diff_json(&r, "v1", "v3");
    assert_ne!(only(&other, "restriction-changed")["id"], f["id"], "{other:?}");
    // And the reverse relaxes.
    let back = diff_json(&r, "v2", "v1");
    let relaxed = only(&back, "restriction-changed");
    assert_eq!((relaxed["direction"].as_str(), relaxed["severity"].as_str()), (Some("relaxed"), Some("info")));
}

#[test]
fn a_territory_added_tightens() {
    let (_, run) = evolve(|t| t.replace("the European Union", "the European Union or the United Kingdom"));
    let f = only(&run, "restriction-changed");
    assert_eq!(f["parameter"]["name"], "territory", "{run:?}");
    assert_eq!((f["direction"].as_str(), f["severity"].as_str()), (Some("tightened"), Some("error")), "{run:?}");
    assert!(run.rule("restriction-added").is_empty(), "{run:?}");
}

#[test]
fn a_revenue_threshold_raised_relaxes() {
    let (_, run) = evolve(|t| t.replace("10,000,000", "50,000,000"));
    assert_eq!(run.code, 0, "{run:?}");
    let f = only(&run, "restriction-changed");
    assert_eq!(f["parameter"]["name"], "revenue-threshold", "{run:?}");
    assert_eq!((f["direction"].as_str(), f["severity"].as_str()), (Some("relaxed"), Some("info")), "{run:?}");
}

/// A BUSL-1.1 file (parameters written for these tests around the standard notice).
fn busl(licensor: &str, change_date: &str, version: &str) -> String {
    let notice = spdx::license_id("BUSL-1.1").unwrap().text();
    let terms = notice.split("Terms").nth(1).unwrap_or(notice);
    format!(
        "Business Source License 1.1

Parameters

Licensor:             {licensor}
Licensed Work:        Example Server {version}. The Licensed Work is (c) 2024 {licensor}
Additional Use Grant: You may make production use of the Licensed Work, provided
                      Your use does not include offering the Licensed Work to third
                      parties on a hosted or embedded basis in order to compete with
                      {licensor}'s paid version(s) of the Licensed Work.
Change Date:          {change_date}
Change License:       Apache License, Version 2.0

Terms
{terms}"
    )
}

#[test]
fn a_busl_change_date_moved_on_is_info_only() {
    let r = Repo::new();
    r.write("LICENSE", busl("Example Corp", "2028-01-01", "1.4")).commit_tag("v1");
    r.write("LICENSE", busl("Example Corp", "2029-01-01", "1.5")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.findings().iter().all(|f| f["severity"] == "info"), "{run:?}");
    assert!(!run.rule("license-text-changed").is_empty(), "{run:?}");

    // A licensor renamed, with the grant's wording following it, is routine too.
    r.write("LICENSE", busl("Acme Holdings", "2029-01-01", "1.5")).commit_tag("v3");
    let renamed = diff_json(&r, "v2", "v3");
    assert_eq!(renamed.code, 0, "{renamed:?}");
    assert!(renamed.rule("restriction-added").is_empty(), "{renamed:?}");
    assert!(renamed.findings().iter().all(|f| f["severity"] == "info"), "{renamed:?}");
}

#[test]
fn an_accept_made_with_the_old_recipe_still_accepts() {
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("MIT")).commit_tag("v1");
    r.write("LICENSE", "ACME Terms\n\nYou may read this code on Tuesdays. Every other use needs written permission.\n")
        .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let changed = run.unknown_change("MIT");
    // Before license-changed (unknown), the same drift was a license-unidentified finding
    // with this id; an acknowledgement made then must still accept it.
    let scope = ScopeJson { path: String::new(), component: Component::All };
    let old_id = finding_id(Rule::LicenseUnidentified, &scope, "MIT", changed["after"].as_str().unwrap());
    assert_ne!(old_id, changed["id"].as_str().unwrap());
    r.write(".license-drift.toml", format!("[[accept]]\nid = \"{old_id}\"\nreason = \"relicensed on purpose\"\n"))
        .commit_tag("v3");
    let accepted = diff_json(&r, "v1", "v3");
    assert_eq!(accepted.code, 0, "{accepted:?}");
    let f = accepted.rule("license-changed");
    assert_eq!(f[0]["acknowledged"]["reason"], "relicensed on purpose", "{accepted:?}");
    assert!(accepted.rule("acknowledgement-stale").is_empty(), "{accepted:?}");
}

/// A patent grant in the style of the React-era `PATENTS` files (written for this test).
const PATENTS: &str = "Additional Grant of Patent Rights Version 2

Example Corp hereby grants to each recipient of the Software a perpetual, worldwide, royalty-free, non-exclusive, irrevocable (subject to the termination provision below) license under any Necessary Claims, to make, use, sell and import the Software.

The license granted hereunder will terminate, automatically and without notice, if you initiate directly or indirectly, or take a direct financial interest in, any Patent Assertion against Example Corp or any of its subsidiaries.
";

#[test]
fn a_patent_grant_deleted_removes_its_restriction() {
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("BSD-3-Clause")).write("PATENTS", PATENTS).commit_tag("v1");
    let scan = run_in(&r.path, &["scan", "--format", "json"]);
    assert!(scan.stdout.contains("patent-termination"), "the grant's termination is a restriction: {}", scan.stdout);
    r.remove("PATENTS").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = only(&run, "restriction-removed");
    assert_eq!(f["before"], "patent-termination", "{run:?}");
    assert_eq!(f["paths"][0], "PATENTS", "{run:?}");
    assert!(f["evidence"][0]["text"].as_str().unwrap().contains("Patent Assertion"), "{run:?}");
    // Added back, it is a restriction added.
    let back = diff_json(&r, "v2", "v1");
    assert_eq!(only(&back, "restriction-added")["after"], "patent-termination", "{back:?}");
}

#[test]
fn a_yaml_file_called_openness_that_is_not_a_mot_file_is_ignored_quietly() {
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("MIT"))
        .write("openness.yaml", "score: 3\nnotes: [draft\n")
        .commit_tag("v1");
    r.write("openness.yaml", "score: 4\n").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["warnings"], serde_json::json!([]), "{run:?}");
    let scan = run_in(&r.path, &["scan", "v1", "--format", "json"]);
    assert!(!scan.stdout.contains("openness.yaml:"), "{}", scan.stdout);
}

#[test]
fn permitted_purposes_of_a_standard_text_are_no_prohibition() {
    // FSL lists "non-commercial education" among the purposes it *permits*: its own text is
    // what the license is, and what it restricts is known by its id.
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("Apache-2.0")).commit_tag("v1");
    r.write("LICENSE", super::util::spdx_text("FSL-1.1-ALv2")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(only(&run, "license-changed")["after"], "FSL-1.1-ALv2", "{run:?}");
    assert!(
        !run.rule("restriction-added").iter().any(|f| f["after"] == "non-commercial"),
        "a permitted purpose taken for a prohibition: {run:?}"
    );
}

#[test]
fn a_visits_cap_is_a_user_threshold() {
    let r = Repo::new();
    r.write("LICENSE", base_text()).commit_tag("v1");
    let capped = format!(
        "{}\n6. If the number of service users (visits) for your commercial activities exceeds 1 million visits per month, you need to contact us to obtain another commercial license.\n",
        base_text()
    );
    r.write("LICENSE", capped).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let added = only(&run, "restriction-added");
    assert_eq!(added["after"], "user-threshold", "{run:?}");
    assert!(added["why"].as_str().unwrap().contains("1 million visits per month"), "{run:?}");
}

#[test]
fn a_license_kept_for_the_weights_beside_a_new_code_license_keeps_its_restrictions() {
    // LICENSE (non-commercial) renamed WEIGHTS_LICENSE, and an MIT LICENSE for the code: the
    // weights' terms did not change, the code's relaxed.
    let r = Repo::new();
    let nc = "ACME Non-Commercial Model License\n\nYou may use the model for non-commercial purposes only.\n";
    r.write("LICENSE", nc).write("model.safetensors", "weights").commit_tag("v1");
    r.rename("LICENSE", "WEIGHTS_LICENSE").write("LICENSE", super::util::spdx_text("MIT")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert!(run.rule("restriction-added").is_empty(), "{run:?}");
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn definitions_brought_along_by_a_rewritten_use_grant_are_no_new_restriction() {
    let r = Repo::new();
    r.write("LICENSE", busl("Example Corp", "2029-01-01", "1.5")).commit_tag("v1");
    let rewritten = busl("Example Corp", "2029-01-01", "1.5").replace(
        "{licensor}'s paid version(s) of the Licensed Work.".replace("{licensor}", "Example Corp").as_str(),
        "Example Corp's paid version(s) of the Licensed Work. A \"competitive offering\" is a Product that is offered to third parties on a paid basis that overlaps with the capabilities of the paid versions. Hosting or using the Licensed Work for internal purposes within an organization is not considered a competitive offering.",
    );
    r.write("LICENSE", rewritten).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert!(run.rule("restriction-added").is_empty(), "{run:?}");
    assert_eq!(only(&run, "license-text-changed")["severity"], "warning", "{run:?}");
    // A new category inside the grant is still a new restriction.
    let eu = busl("Example Corp", "2029-01-01", "1.5").replace(
        "Example Corp's paid version(s) of the Licensed Work.",
        "Example Corp's paid version(s) of the Licensed Work. The rights are not granted to individuals domiciled in the European Union.",
    );
    r.write("LICENSE", eu).commit_tag("v3");
    let run = diff_json(&r, "v1", "v3");
    assert_eq!(only(&run, "restriction-added")["after"], "geographic", "{run:?}");
}

#[test]
fn a_folder_of_dataset_loaders_and_metadata_deleted_is_component_removed() {
    // A library of dataset loading scripts in the Hugging Face `datasets` layout.
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("Apache-2.0"));
    for name in ["squad", "imdb", "glue"] {
        r.write(&format!("datasets/{name}/{name}.py"), "import datasets\n")
            .write(&format!("datasets/{name}/dataset_infos.json"), "{}\n");
    }
    r.write("src/lib.py", "").commit_tag("v1");
    r.remove("datasets").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let removed = run.rule("component-removed");
    let names: Vec<&str> = removed.iter().filter_map(|f| f["before"].as_str()).collect();
    assert!(names.contains(&"Datasets"), "{run:?}");
    assert!(names.contains(&"Data preprocessing code"), "{run:?}");
    let datasets = removed.iter().find(|f| f["before"] == "Datasets").unwrap();
    assert!(datasets["message"].as_str().unwrap().contains("6 file(s)"), "{run:?}");
    assert_eq!(datasets["severity"], "error", "{run:?}");
    assert!(run.rule("license-changed").is_empty(), "{run:?}");

    // Metadata alone, outside a data folder, is a dataset too.
    let r = Repo::new();
    r.write("README.md", "# x\n").write("corpus_meta/datapackage.json", "{}\n").commit_tag("v1");
    r.remove("corpus_meta/datapackage.json").commit_tag("v2");
    assert_eq!(only(&diff_json(&r, "v1", "v2"), "component-removed")["before"], "Datasets");
}

#[test]
fn a_folder_of_a_component_removed_while_it_stays_elsewhere_is_a_warning() {
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("MIT"))
        .write("training/sft/train_sft.py", "")
        .write("training/rl/train_rl.py", "")
        .commit_tag("v1");
    r.remove("training/rl").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = only(&run, "component-removed");
    assert_eq!(
        (f["severity"].as_str(), f["scope"]["path"].as_str()),
        (Some("warning"), Some("training/rl")),
        "{run:?}"
    );
    assert_eq!(f["scope"]["component"], "code", "{run:?}");
    // Moved, it is no removal.
    r.rename("training/sft", "recipes/sft").commit_tag("v3");
    assert!(diff_json(&r, "v2", "v3").rule("component-removed").is_empty());
}

#[test]
fn review_a_folder_moved_and_edited_is_compared() {
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("Apache-2.0")).write("v1/model/LICENSE", super::util::spdx_text("MIT"));
    r.write("v1/model/weights.bin", "w").commit_tag("v1");
    r.rename("v1/model", "v2/model");
    r.write(
        "v2/model/USE_POLICY.md",
        "# Acceptable use policy\n\nYou agree not to use the model for military purposes.\n",
    );
    r.commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "a new use policy in a moved folder must not pass: {run:?}");
    assert!(!run.rule("restriction-added").is_empty(), "{run:?}");
}

#[test]
fn review_a_version_line_does_not_swallow_later_clauses() {
    let r = Repo::new();
    let terms = "ACME Model Terms\nLast updated: 2024-01-01\n\nYou agree not to use the model for military purposes.\n";
    r.write("LICENSE", terms).commit_tag("v1");
    r.write("LICENSE", format!("{terms}\nYou agree not to use the model for any surveillance of individuals.\n"))
        .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(only(&run, "restriction-added")["after"], "use-policy", "{run:?}");
}

#[test]
fn review_a_readme_opening_with_a_rule_is_no_card() {
    let r = Repo::new();
    r.write("LICENSE", super::util::spdx_text("MIT")).commit_tag("v1");
    r.write("README.md", "---\n\n# Project\n\nSome words.\n\n## License\n\nMIT, see LICENSE.\n").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.findings().is_empty(), "{run:?}");
}

#[test]
fn review_reuse_or_later_and_exception_texts_are_their_licenses() {
    let r = Repo::new();
    r.write("LICENSES/GPL-3.0-or-later.txt", super::util::spdx_text("GPL-3.0-or-later"))
        .write("LICENSES/LLVM-exception.txt", "---- LLVM Exceptions to the Apache 2.0 License ----\n\nAs an exception, if, as a result of your compiling your source code, portions of this Software are embedded into an Object form of such source code, you may redistribute such embedded portions in such Object form without complying with the conditions of Sections 4(a), 4(b) and 4(d) of the License.\n")
        .write("src/main.py", "# SPDX-License-Identifier: GPL-3.0-or-later\nprint(1)\n")
        .commit_tag("v1");
    r.write("src/main.py", "# SPDX-License-Identifier: GPL-3.0-or-later\nprint(2)\n").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    let scan = run_in(&r.path, &["scan", "v2", "--format", "json"]);
    assert!(!scan.stdout.contains("named for"), "{}", scan.stdout);
    assert!(!scan.stdout.contains("LicenseRef-unidentified"), "{}", scan.stdout);
}

/// A restriction appended to a standard license, in English with words between the verb and
/// the purpose, or in Chinese: each is a `restriction-added` that blocks, not only a changed text.
#[test]
fn a_restriction_appended_to_mit_blocks_in_english_and_in_chinese() {
    let mit = super::util::spdx_text("MIT").replace("<year>", "2024").replace("<copyright holders>", "Example");
    for (extra, categories) in [
        ("Additional terms: you may not use the Software for any commercial purpose.", vec!["non-commercial"]),
        (
            "附加条款：未经书面许可，不得将本软件用于任何商业用途。使用者不得在欧盟境内使用本软件。",
            vec!["geographic", "non-commercial"],
        ),
    ] {
        let r = Repo::new();
        r.write("LICENSE", &mit).commit_tag("v1");
        r.write("LICENSE", format!("{mit}\n\n---\n\n{extra}\n")).commit_tag("v2");
        let run = diff_json(&r, "v1", "v2");
        assert_eq!(run.code, 1, "{extra}: {run:?}");
        let mut added: Vec<String> =
            run.rule("restriction-added").iter().filter_map(|f| f["after"].as_str().map(str::to_string)).collect();
        added.sort();
        assert_eq!(added, categories, "{run:?}");
    }
}

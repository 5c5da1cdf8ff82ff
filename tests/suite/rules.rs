//! Every rule in both directions, scopes, renames, text edits.

use super::util::{Repo, diff_json, spdx_text};

fn mit() -> String {
    spdx_text("MIT").replace("<year> <copyright holders>", "2024 ACME Research")
}

#[test]
fn license_changed_tightened_and_relaxed() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MPL-2.0")).commit_tag("v1");
    r.write("LICENSE", spdx_text("BUSL-1.1")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let f = &run.rule("license-changed")[0];
    assert_eq!(f["before"], "MPL-2.0");
    assert_eq!(f["after"], "BUSL-1.1");
    assert_eq!(f["direction"], "tightened");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["scope"]["path"], "");
    assert_eq!(f["scope"]["component"], "all");
    assert_eq!(f["paths"], serde_json::json!(["LICENSE"]));
    assert!(f["why"].as_str().unwrap().contains("hosted service"), "{f}");
    let back = diff_json(&r, "v2", "v1");
    assert_eq!(back.code, 0, "{back:?}");
    let f = &back.rule("license-changed")[0];
    assert_eq!(f["direction"], "relaxed");
    assert_eq!(f["severity"], "info");
    assert_eq!(back.json()["blocking"], false);
}

#[test]
fn license_changed_sideways_is_a_warning() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("Apache-2.0")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    let f = &run.rule("license-changed")[0];
    assert_eq!((f["direction"].as_str(), f["severity"].as_str()), (Some("changed"), Some("warning")));
    let strict = super::util::run_in(&r.path, &["diff", "v1", "v2", "--fail-on", "warning"]);
    assert_eq!(strict.code, 1, "{strict:?}");
}

#[test]
fn license_added_and_removed() {
    let r = Repo::new();
    r.write("src/main.py", "print('hi')\n").commit_tag("v1");
    r.write("LICENSE", mit()).commit_tag("v2");
    let added = diff_json(&r, "v1", "v2");
    assert_eq!(added.code, 0, "{added:?}");
    let f = &added.rule("license-added")[0];
    assert_eq!((f["after"].as_str(), f["severity"].as_str()), (Some("MIT"), Some("info")));
    assert!(f["before"].is_null());
    let removed = diff_json(&r, "v2", "v1");
    assert_eq!(removed.code, 1, "{removed:?}");
    let f = &removed.rule("license-removed")[0];
    assert_eq!((f["before"].as_str(), f["severity"].as_str()), (Some("MIT"), Some("error")));
    assert!(f["after"].is_null());
}

#[test]
fn adding_a_restrictive_license_is_a_warning() {
    let r = Repo::new();
    r.write("weights/README.txt", "weights go here\n").commit_tag("v1");
    r.write("weights/LICENSE", spdx_text("CC-BY-NC-4.0")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = &run.rule("license-added")[0];
    assert_eq!(f["severity"], "warning", "{run:?}");
    assert_eq!(f["scope"]["path"], "weights");
}

#[test]
fn model_card_license_change_and_reverse() {
    let r = Repo::new();
    r.card("README.md", "license: apache-2.0\nlibrary_name: transformers").commit_tag("v1");
    r.card("README.md", "license: llama3.1\nlibrary_name: transformers").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 1, "{run:?}");
    let f = &run.rule("license-changed")[0];
    assert_eq!((f["before"].as_str(), f["after"].as_str()), (Some("Apache-2.0"), Some("llama3.1")));
    assert_eq!(f["scope"]["component"], "weights");
    assert_eq!(f["direction"], "tightened");
    let ev = &f["evidence"].as_array().unwrap();
    assert!(ev.iter().any(|e| e["path"] == "README.md" && e["line"] == 2), "{f}");
    let back = diff_json(&r, "v2", "v1");
    assert_eq!(back.rule("license-changed")[0]["direction"], "relaxed");
}

#[test]
fn card_other_with_license_name() {
    let r = Repo::new();
    r.card("README.md", "license: other\nlicense_name: tongyi-qianwen\nlicense_link: LICENSE").commit_tag("v1");
    r.card("README.md", "license: other\nlicense_name: tongyi-qianwen-research\nlicense_link: LICENSE")
        .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = &run.rule("license-changed")[0];
    assert_eq!(
        (f["before"].as_str(), f["after"].as_str()),
        (Some("tongyi-qianwen"), Some("tongyi-qianwen-research")),
        "{run:?}"
    );
    assert_eq!(f["direction"], "tightened");
}

#[test]
fn subtree_scope_is_reported_in_its_own_scope() {
    let r = Repo::new();
    r.write("LICENSE", mit()).write("models/a/LICENSE", mit()).commit_tag("v1");
    r.write("models/a/LICENSE", spdx_text("CC-BY-NC-SA-4.0")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("license-changed");
    assert_eq!(fs.len(), 1, "{run:?}");
    assert_eq!(fs[0]["scope"]["path"], "models/a");
    assert_eq!(fs[0]["paths"], serde_json::json!(["models/a/LICENSE"]));
}

#[test]
fn removing_a_subtree_license_falls_back_to_the_parent() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("GPL-3.0-only")).write("lib/LICENSE", mit()).write("lib/lib.rs", "").commit_tag("v1");
    r.remove("lib/LICENSE").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert!(run.rule("license-removed").is_empty(), "{run:?}");
    let f = &run.rule("license-changed")[0];
    assert_eq!(
        (f["before"].as_str(), f["after"].as_str(), f["direction"].as_str()),
        (Some("MIT"), Some("GPL-3.0-only"), Some("tightened"))
    );
    assert!(f["evidence"].to_string().contains("inherited"), "{f}");
    // Same license as the parent: dropping the redundant file is no drift.
    let r = Repo::new();
    r.write("LICENSE", mit()).write("lib/LICENSE", mit()).commit_tag("v1");
    r.remove("lib/LICENSE").commit_tag("v2");
    assert!(diff_json(&r, "v1", "v2").findings().is_empty());
}

#[test]
fn a_folder_deleted_or_moved_with_its_license_changes_nobodys_license() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("Apache-2.0"))
        .write("vendored/x/LICENSE", mit())
        .write("vendored/x/x.c", "")
        .card("datasets/d/README.md", "license: cc0-1.0")
        .write("datasets/d/d.py", "")
        .commit_tag("v1");
    // Deleted whole: the folders do not fall back to the root's Apache-2.0.
    r.remove("vendored/x/LICENSE").remove("vendored/x/x.c").remove("datasets/d/README.md").remove("datasets/d/d.py");
    r.commit_tag("v2");
    let deleted = diff_json(&r, "v1", "v2");
    assert!(deleted.rule("license-changed").is_empty(), "{deleted:?}");
    assert!(deleted.rule("license-removed").is_empty(), "{deleted:?}");
    // Moved with its license: no change at either place.
    let r = Repo::new();
    r.write("LICENSE", spdx_text("Apache-2.0")).write("vendored/x/LICENSE", mit()).write("vendored/x/x.c", "");
    r.commit_tag("v1");
    r.rename("vendored/x", "third_party/x").commit_tag("v2");
    let moved = diff_json(&r, "v1", "v2");
    assert!(moved.findings().is_empty(), "{moved:?}");
}

#[test]
fn splitting_license_into_code_and_model_reads_as_one_change() {
    let r = Repo::new();
    r.write("LICENSE", mit()).write("model.safetensors", "weights").commit_tag("v1");
    r.remove("LICENSE");
    r.write("LICENSE-CODE", mit())
        .write("LICENSE-MODEL", "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n\nThe terms of this agreement follow.\n")
        .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs: Vec<_> =
        run.findings().into_iter().filter(|f| f["rule"].as_str().unwrap().starts_with("license")).collect();
    assert_eq!(fs.len(), 1, "{run:?}");
    let f = &fs[0];
    assert_eq!(f["rule"], "license-changed");
    // The community license's known restrictions are named in the change, not repeated as
    // findings of their own.
    assert!(f["why"].as_str().unwrap().contains("700 million monthly active users"), "{f}");
    assert!(run.rule("restriction-added").is_empty(), "{run:?}");
    assert_eq!(f["scope"]["component"], "weights");
    assert_eq!(
        (f["before"].as_str(), f["after"].as_str(), f["direction"].as_str()),
        (Some("MIT"), Some("llama3.1"), Some("tightened"))
    );
}

#[test]
fn renames_with_the_same_text_are_no_finding() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.rename("LICENSE", "LICENSE.md").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0);
    assert!(run.findings().is_empty(), "{run:?}");
    // A moved-and-edited license is a text change of the renamed file.
    r.rename("LICENSE.md", "LICENSE.txt");
    r.write(
        "LICENSE.txt",
        mit().replace("THE SOFTWARE IS PROVIDED", "Use it for good, not evil.\n\nTHE SOFTWARE IS PROVIDED"),
    )
    .commit_tag("v3");
    let run = diff_json(&r, "v2", "v3");
    let f = &run.rule("license-text-changed")[0];
    assert_eq!(f["paths"], serde_json::json!(["LICENSE.md", "LICENSE.txt"]), "{run:?}");
}

#[test]
fn whitespace_reflow_markup_and_copyright_edits_are_no_finding() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    let reflowed: String = mit()
        .split("\n\n")
        .map(|para| {
            para.split_whitespace().collect::<Vec<_>>().chunks(7).map(|c| c.join(" ")).collect::<Vec<_>>().join("\r\n")
        })
        .collect::<Vec<_>>()
        .join("\r\n\r\n");
    r.write(
        "LICENSE",
        format!("\u{feff}{}", reflowed.replace("2024 ACME Research", "2025 ACME Research and contributors")),
    )
    .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert!(run.findings().is_empty(), "{run:?}");
    r.write(
        "LICENSE",
        mit()
            .replacen("MIT License", "# MIT License", 1)
            .replace("Permission is hereby granted", "**Permission** is hereby granted"),
    )
    .commit_tag("v3");
    assert!(diff_json(&r, "v1", "v3").findings().is_empty());
}

#[test]
fn substantive_text_change_shows_clauses_both_ways() {
    let r = Repo::new();
    let extra = "You may not use the Software to train machine learning models.";
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", mit().replace("THE SOFTWARE IS PROVIDED", &format!("{extra}\n\nTHE SOFTWARE IS PROVIDED")))
        .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("license-text-changed");
    assert_eq!(fs.len(), 1, "{run:?}");
    let f = &fs[0];
    assert_eq!(f["severity"], "warning");
    let added: Vec<_> = f["evidence"].as_array().unwrap().iter().filter(|e| e["kind"] == "clause-added").collect();
    assert_eq!(added.len(), 1, "{f}");
    assert_eq!(added[0]["text"], extra);
    assert!(added[0]["line"].as_u64().unwrap() > 3);
    let back = diff_json(&r, "v2", "v1");
    let f = &back.rule("license-text-changed")[0];
    assert!(f["evidence"].as_array().unwrap().iter().any(|e| e["kind"] == "clause-removed" && e["text"] == extra));
    assert_ne!(f["id"], run.rule("license-text-changed")[0]["id"]);
}

#[test]
fn busl_parameter_edit_is_info() {
    let busl = |version: &str, date: &str| {
        format!(
            "Business Source License 1.1\n\nParameters\n\nLicensor: HashiCorp, Inc.\nLicensed Work: Terraform {version}\nAdditional Use Grant: You may make production use of the Licensed Work, provided it is not a competitive offering.\nChange Date: {date}\nChange License: MPL 2.0\n\nTerms{}",
            spdx_text("BUSL-1.1").split_once("Terms").expect("BUSL text has Terms").1
        )
    };
    let r = Repo::new();
    r.write("LICENSE", busl("1.6.0", "2027-08-10")).commit_tag("v1");
    r.write("LICENSE", busl("1.7.0", "2027-12-01")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = &run.rule("license-text-changed")[0];
    assert_eq!(f["severity"], "info", "{run:?}");
    assert_eq!(f["after"], "BUSL-1.1");
    // The use grant is not a parameter: changing it is a substantive change.
    let r2 = Repo::new();
    r2.write("LICENSE", busl("1.6.0", "2027-08-10")).commit_tag("v1");
    r2.write(
        "LICENSE",
        busl("1.6.0", "2027-08-10")
            .replace("provided it is not a competitive offering", "for non-production purposes only"),
    )
    .commit_tag("v2");
    assert_eq!(diff_json(&r2, "v1", "v2").rule("license-text-changed")[0]["severity"], "warning");
}

#[test]
fn unidentified_license_text() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", "ACME Model License\n\nYou may look at these weights on Tuesdays. Every other use needs written permission from ACME. We may revoke this at any time for any reason.\n").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    // Known -> unknown is a license change nobody can judge: it fails closed.
    let f = run.unknown_change("MIT");
    assert!(f["after"].as_str().unwrap().starts_with("LicenseRef-unidentified-"));
    assert!(f["message"].as_str().unwrap().contains("cannot identify"), "{run:?}");
    // An unknown file added beside a license that stays is only a warning.
    r.write("LICENSE", mit()).write("LICENSE-ACME.txt", "ACME Model License\n\nYou may look at these weights on Tuesdays. Every other use needs written permission from ACME.\n").commit_tag("v3");
    let beside = diff_json(&r, "v1", "v3");
    assert_eq!(beside.code, 0, "{beside:?}");
    assert!(beside.rule("license-changed").is_empty(), "{beside:?}");
    assert_eq!(beside.rule("license-unidentified")[0]["severity"], "warning", "{beside:?}");
    // Going back identifies the license again: a change away from an unknown text.
    let back = diff_json(&r, "v2", "v1");
    assert_eq!(back.rule("license-changed")[0]["direction"], "changed", "{back:?}");
}

#[test]
fn declaration_mismatch_appears_and_disappears() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("Apache-2.0")).card("README.md", "license: apache-2.0").commit_tag("v1");
    r.card("README.md", "license: mit").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("declaration-mismatch");
    assert_eq!(fs.len(), 1, "{run:?}");
    assert_eq!(fs[0]["severity"], "warning");
    assert_eq!((fs[0]["before"].as_str(), fs[0]["after"].as_str()), (Some("Apache-2.0"), Some("MIT")));
    assert_eq!(fs[0]["paths"], serde_json::json!(["LICENSE", "README.md"]));
    // Fixing the card resolves it: no mismatch in the reverse direction.
    assert!(diff_json(&r, "v2", "v1").rule("declaration-mismatch").is_empty());
    // A card that agrees with LICENSE-MODEL is no mismatch even if LICENSE says otherwise.
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE-MODEL", spdx_text("CC-BY-NC-4.0")).card("README.md", "license: cc-by-nc-4.0").commit_tag("v2");
    assert!(diff_json(&r, "v1", "v2").rule("declaration-mismatch").is_empty());
}

#[test]
fn unrelated_changes_cost_nothing_and_say_so() {
    let r = Repo::new();
    r.write("LICENSE", mit()).write("src/a.py", "1").commit_tag("v1");
    r.write("src/a.py", "2").write("docs/license.rs", "// not a license").commit_tag("v2");
    let run = super::util::run_in(&r.path, &["diff", "v1", "v2"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("license-drift: no license drift between v1"), "{run:?}");
}

#[test]
fn default_range_is_head_parent_or_upstream() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit("one");
    r.write("LICENSE", spdx_text("AGPL-3.0-only")).commit("two");
    let run = super::util::run_in(&r.path, &["diff", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["base"]["rev"], "HEAD~1");
    let dots = super::util::run_in(&r.path, &["diff", "HEAD~1..HEAD", "--format", "json"]);
    assert_eq!(dots.findings().len(), 1, "{dots:?}");
}

#[test]
fn text_and_markdown_reports() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("CC-BY-NC-4.0")).commit_tag("v2");
    let text = super::util::run_in(&r.path, &["diff", "v1", "v2"]);
    assert_eq!(text.code, 1);
    for needle in [
        "repository root",
        "license-changed",
        "MIT → CC-BY-NC-4.0 (tightened)",
        "why: now: commercial use is not allowed",
        "accept:",
    ] {
        assert!(text.stdout.contains(needle), "missing {needle:?}:\n{}", text.stdout);
    }
    assert!(!text.stdout.contains('\u{1b}'), "colour with NO_COLOR");
    let md = super::util::run_in(&r.path, &["diff", "v1", "v2", "--format", "markdown"]);
    assert!(md.stdout.contains("| 🔴 error | license-changed (tightened) |"), "{}", md.stdout);
    let out = r.sibling("report.json");
    let to_file =
        super::util::run_in(&r.path, &["diff", "v1", "v2", "--format", "json", "--output", out.to_str().unwrap()]);
    assert_eq!((to_file.code, to_file.stdout.as_str()), (1, ""));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    // The license change names what CC-BY-NC restricts (its why): its standard clauses are not
    // repeated as restrictions added.
    assert_eq!(doc["summary"]["error"], 1, "license-changed alone");
}

#[test]
fn repository_text_is_sanitized_in_reports() {
    let r = Repo::new();
    r.card("README.md", "license: mit").commit_tag("v1");
    r.card("README.md", "license: other\nlicense_name: \"evil\\e[31m<b>@team</b>\"").commit_tag("v2");
    let text = super::util::run_in(&r.path, &["diff", "v1", "v2"]);
    assert!(!text.stdout.contains('\u{1b}'), "{text:?}");
    let md = super::util::run_in(&r.path, &["diff", "v1", "v2", "--format", "markdown"]);
    assert!(!md.stdout.contains("<b>") && !md.stdout.contains("@team"), "{}", md.stdout);
}

#[test]
fn base_model_changes_both_ways() {
    let r = Repo::new();
    r.card("README.md", "license: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1").commit_tag("v1");
    r.card("README.md", "license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("base-model-changed");
    assert_eq!(fs.len(), 1, "{run:?}");
    assert_eq!(
        (fs[0]["before"].as_str(), fs[0]["after"].as_str()),
        (Some("mistralai/Mistral-7B-v0.1"), Some("meta-llama/Llama-3.1-8B"))
    );
    assert_eq!(fs[0]["severity"], "warning");
    assert!(fs[0]["evidence"].as_array().unwrap().iter().any(|e| e["line"] == 3), "{run:?}");
    assert_eq!(diff_json(&r, "v2", "v1").rule("base-model-changed").len(), 1);
    // A merge: a list of parents, order does not matter.
    r.card("README.md", "license: apache-2.0\nbase_model:\n  - b/two\n  - a/one").commit_tag("v3");
    r.card("README.md", "license: apache-2.0\nbase_model: [a/one, b/two]").commit_tag("v4");
    assert!(diff_json(&r, "v3", "v4").rule("base-model-changed").is_empty());
}

#[test]
fn card_other_with_a_changed_link_is_a_change() {
    let r = Repo::new();
    r.card("README.md", "license: other\nlicense_link: LICENSE").commit_tag("v1");
    r.card("README.md", "license: other\nlicense_link: https://example.com/terms-v2").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = &run.rule("license-changed")[0];
    assert_eq!(f["after"], "LicenseRef-other (license_link: https://example.com/terms-v2)", "{run:?}");
    assert_eq!(f["direction"], "changed");
}

//! The policy file: allow/deny, severities, ignore, acknowledgements, trust, accept.

use super::util::{Repo, diff_json, run_in, spdx_text};

fn mit() -> &'static str {
    spdx_text("MIT")
}

#[test]
fn allow_and_deny_with_expressions() {
    let r = Repo::new();
    r.write(".license-drift.toml", "[licenses]\nallow = [\"MIT\", \"Apache-2.0\"]\n");
    r.write("LICENSE", mit()).write("pkg/package.json", "{\"license\": \"MIT OR GPL-3.0-only\"}").commit_tag("v1");
    r.write("lib/LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let na = run.rule("license-not-allowed");
    assert_eq!(na.len(), 1, "the OR expression is allowed, the GPL file is not: {run:?}");
    assert_eq!(na[0]["paths"], serde_json::json!(["lib/LICENSE"]));
    assert_eq!(run.code, 1);
    // Denied even when unchanged.
    let r = Repo::new();
    r.write(".license-drift.toml", "[licenses]\ndeny = [\"AGPL-3.0-only\"]\n")
        .write("LICENSE", spdx_text("AGPL-3.0-only"));
    r.write("a.txt", "1").commit_tag("v1");
    r.write("a.txt", "2").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.rule("license-not-allowed").len(), 1, "{run:?}");
}

#[test]
fn rule_severities_and_overrides() {
    let r = Repo::new();
    r.write(
        ".license-drift.toml",
        "[rules.license-changed]\nseverity = \"error\"\n\n[[rules.license-changed.override]]\npaths = [\"models/**\"]\nseverity = \"off\"\n",
    );
    r.write("LICENSE", mit()).write("models/a/LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("Apache-2.0")).write("models/a/LICENSE", spdx_text("Apache-2.0")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("license-changed");
    assert_eq!(fs.len(), 1, "the models/ finding is off: {run:?}");
    assert_eq!((fs[0]["severity"].as_str(), fs[0]["scope"]["path"].as_str()), (Some("error"), Some("")));
    assert_eq!(run.code, 1, "a sideways change raised to error blocks");
}

#[test]
fn ignored_paths_and_vendored_code_are_not_judged() {
    let r = Repo::new();
    r.write(".license-drift.toml", "ignore = [\"third_party/**\"]\n");
    r.write("LICENSE", mit()).write("third_party/x/LICENSE", mit()).write("vendor/y/LICENSE", mit()).commit_tag("v1");
    r.write("third_party/x/LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    assert!(diff_json(&r, "v1", "v2").findings().is_empty());
    // No policy file: vendor/ is ignored by default.
    let r = Repo::new();
    r.write("LICENSE", mit()).write("vendor/y/LICENSE", mit()).commit_tag("v1");
    r.write("vendor/y/LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    assert!(diff_json(&r, "v1", "v2").findings().is_empty());
}

#[test]
fn an_acknowledged_finding_is_shown_and_does_not_block() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    let first = diff_json(&r, "v1", "v2");
    assert_eq!(first.code, 1);
    let id = first.rule("license-changed")[0]["id"].as_str().unwrap().to_string();
    let out = run_in(&r.path, &["accept", &id, "--reason", "relicensed on purpose", "--base", "v1", "--head", "v2"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(&format!("accepted {id}")), "{out:?}");
    r.commit_tag("v3");
    let run = diff_json(&r, "v1", "v3");
    assert_eq!(run.code, 0, "{run:?}");
    let f = &run.rule("license-changed")[0];
    assert_eq!(f["acknowledged"]["reason"], "relicensed on purpose");
    assert_eq!(f["acknowledged"]["in_this_change"], true);
    assert_eq!(run.json()["summary"]["error"], 0);
    let text = run_in(&r.path, &["diff", "v1", "v3"]);
    assert!(text.stdout.contains("acknowledged (acknowledged in this change): relicensed on purpose"), "{text:?}");
}

#[test]
fn stale_acknowledgement_is_a_warning() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write(".license-drift.toml", "[[accept]]\nid = \"0123456789ab\"\nreason = \"typo?\"\n").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let s = run.rule("acknowledgement-stale");
    assert_eq!(s.len(), 1, "{run:?}");
    assert_eq!(s[0]["severity"], "warning");
    assert!(run.rule("policy-changed").is_empty(), "accept entries alone are no policy change: {run:?}");
}

#[test]
fn a_change_cannot_relax_its_own_gate() {
    let r = Repo::new();
    r.write(".license-drift.toml", "[licenses]\nallow = [\"MIT\"]\n").write("LICENSE", mit()).commit_tag("base");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write(".license-drift.toml", "fail-on = \"never\"\n[licenses]\nallow = [\"MIT\", \"SSPL-1.0\"]\n");
    r.write("LICENSE", spdx_text("SSPL-1.0")).commit_tag("pr");
    let run = diff_json(&r, "base", "pr");
    assert_eq!(run.code, 1, "the base policy still blocks: {run:?}");
    assert_eq!(run.rule("license-not-allowed").len(), 1);
    let pc = run.rule("policy-changed");
    assert_eq!(pc.len(), 1);
    assert!(pc[0]["after"].as_str().unwrap().contains("licenses.allow"), "{pc:?}");
    assert!(run.json()["policy"].as_str().unwrap().starts_with("base:"), "{run:?}");
    // Reading it from the head (local use) relaxes it.
    let head = run_in(&r.path, &["diff", "base", "pr", "--policy-from", "head", "--format", "json"]);
    assert_eq!(head.code, 0, "{head:?}");
}

#[test]
fn malformed_policy_is_exit_2_with_line_and_column() {
    let r = Repo::new();
    r.write(".license-drift.toml", "fail-on = \"error\"\n[rules.license-added]\nseverty = \"off\"\n")
        .write("LICENSE", mit())
        .commit_tag("v1");
    r.write("LICENSE", spdx_text("Apache-2.0")).commit_tag("v2");
    let run = run_in(&r.path, &["diff", "v1", "v2"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("v1:.license-drift.toml:3:1"), "{run:?}");
    assert!(run.stderr.contains("severty") && run.stderr.contains("hint:"), "{run:?}");
}

#[test]
fn accept_keeps_comments_and_refuses_unknown_ids() {
    let r = Repo::new();
    let policy = "# Our license policy.\nfail-on = \"error\" # keep strict\n\n# Reviewed by legal.\n[licenses]\ndeny = [\"SSPL-1.0\"]\n";
    r.write(".license-drift.toml", policy).write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("GPL-3.0-only")).commit("two");
    let id = diff_json(&r, "v1", "HEAD").rule("license-changed")[0]["id"].as_str().unwrap().to_string();
    let bad = run_in(&r.path, &["accept", "aaaaaaaaaaaa", "--reason", "x"]);
    assert_eq!(bad.code, 2, "{bad:?}");
    let ok = run_in(&r.path, &["accept", &id, "--reason", "ok", "--by", "legal", "--until", "2099-12-31"]);
    assert_eq!(ok.code, 0, "{ok:?}");
    let text = std::fs::read_to_string(r.path.join(".license-drift.toml")).unwrap();
    assert!(text.starts_with(policy), "comments and formatting kept:\n{text}");
    assert!(text.contains(&format!("id = \"{id}\"")) && text.contains("until = 2099-12-31"), "{text}");
}

#[test]
fn warn_only_prints_what_would_block() {
    let r = Repo::new();
    r.write(".license-drift.toml", "warn-only = true\n").write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    let run = run_in(&r.path, &["diff", "v1", "v2"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("warn-only: 1 finding(s) would block"), "{run:?}");
}

#[test]
fn an_expired_acknowledgement_no_longer_counts() {
    let r = Repo::new();
    r.write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    let id = diff_json(&r, "v1", "v2").rule("license-changed")[0]["id"].as_str().unwrap().to_string();
    r.write(
        ".license-drift.toml",
        format!("[[accept]]\nid = \"{id}\"\nreason = \"until the audit\"\nuntil = 2020-01-01\n"),
    )
    .commit_tag("v3");
    let run = diff_json(&r, "v1", "v3");
    assert_eq!(run.code, 1, "an acknowledgement past its date blocks again: {run:?}");
    assert!(run.rule("license-changed")[0]["acknowledged"].is_null(), "{run:?}");
}

#[test]
fn acknowledgements_from_the_base_must_land_first() {
    let r = Repo::new();
    r.write(".license-drift.toml", "acks = \"base\"\n").write("LICENSE", mit()).commit_tag("v1");
    r.write("LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    let id = diff_json(&r, "v1", "v2").rule("license-changed")[0]["id"].as_str().unwrap().to_string();
    let with_ack = format!("acks = \"base\"\n\n[[accept]]\nid = \"{id}\"\nreason = \"reviewed\"\n");
    // Carried by the change itself: not counted.
    r.write(".license-drift.toml", &with_ack).commit_tag("v3");
    assert_eq!(diff_json(&r, "v1", "v3").code, 1);
    // Landed first, on the base: counted, and not "in this change".
    let r2 = Repo::new();
    r2.write(".license-drift.toml", &with_ack).write("LICENSE", mit()).commit_tag("v1");
    r2.write("LICENSE", spdx_text("GPL-3.0-only")).commit_tag("v2");
    let run = diff_json(&r2, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.rule("license-changed")[0]["acknowledged"]["in_this_change"], false);
}

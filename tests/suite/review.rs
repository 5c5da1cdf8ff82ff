//! Regressions found in review of the policy, hook, log and GitHub fronts.

use std::io::Write;
use std::process::{Command, Stdio};

use super::util::{Repo, diff_json, run_in, spdx_text};

#[test]
fn allow_names_the_exception_exactly() {
    let r = Repo::new();
    r.write(".license-drift.toml", "[licenses]\nallow = [\"GPL-2.0-only WITH Classpath-exception-2.0\"]\n");
    r.write("Cargo.toml", "[package]\nname = \"x\"\nlicense = \"GPL-2.0-only WITH Classpath-exception-2.0\"\n")
        .commit_tag("v1");
    r.write("Cargo.toml", "[package]\nname = \"x\"\nlicense = \"GPL-2.0-only\"\n").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.rule("license-not-allowed").len(), 1, "{run:?}");
    assert_eq!(run.code, 1);
}

#[test]
fn the_empty_tree_is_not_written_to_the_repository() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).commit("only");
    let before = r.git(&["count-objects", "-v"]);
    let run = run_in(&r.path, &["diff", "--format", "json"]);
    assert_eq!(run.json()["base"]["rev"], "(empty tree)", "{run:?}");
    assert_eq!(r.git(&["count-objects", "-v"]), before, "no object written");
}

#[test]
fn log_with_a_tag_pattern_orders_prefixed_versions() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).commit_tag("release-1.9");
    r.write("LICENSE", spdx_text("Apache-2.0")).commit_tag("release-1.10");
    r.write("x", "1").commit_tag("nightly");
    let run = run_in(&r.path, &["log", "--tags", "release-*", "--format", "json"]);
    let docs = run.json();
    assert_eq!(docs.as_array().map(Vec::len), Some(1), "{run:?}");
    assert_eq!(
        (docs[0]["base"]["rev"].as_str(), docs[0]["head"]["rev"].as_str()),
        (Some("release-1.9"), Some("release-1.10"))
    );
    let none = run_in(&r.path, &["log", "--tags", "nope-*"]);
    assert_eq!(none.code, 2, "an error, not a panic: {none:?}");
    assert!(!none.stderr.contains("panicked"));
}

#[test]
fn accept_validates_dates_and_requires_a_reason() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).commit("one");
    r.write("LICENSE", spdx_text("GPL-3.0-only")).commit("two");
    let id = diff_json(&r, "HEAD~1", "HEAD").rule("license-changed")[0]["id"].as_str().unwrap().to_string();
    let bad_date = run_in(&r.path, &["accept", &id, "--reason", "x", "--until", "2027-02-30"]);
    assert_eq!(bad_date.code, 2, "{bad_date:?}");
    let no_reason = run_in(&r.path, &["accept", &id]);
    assert_eq!(no_reason.code, 2, "{no_reason:?}");
    assert!(!r.path.join(".license-drift.toml").exists());
}

#[test]
fn a_force_push_of_unrelated_history_is_checked() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).commit("remote side");
    let old = r.git(&["rev-parse", "HEAD"]);
    r.git(&["checkout", "-q", "--orphan", "rewrite"]);
    r.write("LICENSE", spdx_text("GPL-3.0-only")).commit("unrelated");
    let new = r.git(&["rev-parse", "HEAD"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_license-drift"))
        .current_dir(&r.path)
        .args(["hook", "pre-push", "origin"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("LICENSE_DRIFT_SKIP")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "refs/heads/rewrite {new} refs/heads/main {old}").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("license-changed") && stderr.contains(&format!("--base {old}")), "{stderr}");
}

#[test]
fn mentions_in_repository_text_are_broken() {
    let r = Repo::new();
    r.card("README.md", "license: mit\nbase_model: a/b").commit_tag("v1");
    r.card("README.md", "license: mit\nbase_model: \"@octocat please review\"").commit_tag("v2");
    let md = run_in(&r.path, &["diff", "v1", "v2", "--format", "markdown"]);
    assert!(md.stdout.contains("base-model-changed"), "{md:?}");
    assert!(!md.stdout.contains("@octocat") && !md.stdout.contains("&#64;octocat"), "{}", md.stdout);
}

//! `log` over release tags and ranges; `diff --worktree` / `--staged`.

use super::util::{Repo, diff_json, run_in, spdx_text};

/// Two release lines: 1.x (a use policy added at v1.10.0 and removed at v1.15.0, the data
/// folder removed at v1.20.0) and 2.x forked from v1.5.0 (LICENSE to Apache-2.0 at v2.3.0).
fn two_lines() -> Repo {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).card("README.md", "license: mit");
    for i in 0..5 {
        r.write(&format!("data/part-{i}.jsonl"), "{}\n");
    }
    for minor in 0..30 {
        match minor {
            10 => {
                r.write(
                    "USE_POLICY.md",
                    "# Acceptable use\n\nYou may not use the model for military purposes or weapons development.\n",
                );
            }
            15 => {
                r.remove("USE_POLICY.md");
            }
            20 => {
                r.remove("data");
            }
            _ => {}
        }
        r.write("CHANGELOG", format!("1.{minor}\n"));
        r.commit_tag(&format!("v1.{minor}.0"));
        if minor == 5 {
            r.git(&["branch", "line-2"]);
        }
    }
    r.git(&["checkout", "-q", "line-2"]);
    for minor in 0..30 {
        if minor == 3 {
            r.write("LICENSE", spdx_text("Apache-2.0"));
        }
        r.write("CHANGELOG", format!("2.{minor}\n"));
        r.commit_tag(&format!("v2.{minor}.0"));
    }
    r
}

fn pair_with(docs: &[serde_json::Value], rule: &str) -> Vec<(String, String)> {
    docs.iter()
        .filter(|d| d["findings"].as_array().unwrap().iter().any(|f| f["rule"] == rule))
        .map(|d| (d["base"]["rev"].as_str().unwrap().to_string(), d["head"]["rev"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn sixty_releases_on_two_lines() {
    let r = two_lines();
    let run = run_in(&r.path, &["log", "--format", "json"]);
    let docs = run.json().as_array().cloned().unwrap_or_else(|| panic!("a list of diff documents: {run:?}"));
    assert_eq!(docs.len(), 59, "{run:?}");
    assert!(docs.iter().all(|d| d["schema_version"] == 1 && d["findings"].is_array()));
    // Version order: v1.9.0 before v1.10.0, and v1.29.0 before v2.0.0.
    let heads: Vec<&str> = docs.iter().map(|d| d["head"]["rev"].as_str().unwrap()).collect();
    let pos = |t: &str| heads.iter().position(|h| *h == t).unwrap();
    assert!(pos("v1.9.0") < pos("v1.10.0") && pos("v1.29.0") < pos("v2.0.0"));
    assert_eq!(pair_with(&docs, "license-changed"), vec![("v2.2.0".to_string(), "v2.3.0".to_string())]);
    assert!(pair_with(&docs, "restriction-added").contains(&("v1.9.0".into(), "v1.10.0".into())), "{run:?}");
    assert!(pair_with(&docs, "restriction-removed").contains(&("v1.14.0".into(), "v1.15.0".into())), "{run:?}");
    assert!(pair_with(&docs, "component-removed").contains(&("v1.19.0".into(), "v1.20.0".into())), "{run:?}");
    assert_eq!(run.code, 1, "the restriction and the data removal block");
    // Text: one line per quiet release, a block for the others.
    let text = run_in(&r.path, &["log", "--since", "v2.0.0"]);
    assert!(text.stdout.contains("v2.0.0 → v2.1.0  no license drift"), "{text:?}");
    assert!(
        text.stdout.contains("v2.2.0 → v2.3.0  2 finding(s)") && text.stdout.contains("license-changed"),
        "{text:?}"
    );
    let md = run_in(&r.path, &["log", "--since", "v2.0.0", "--until", "v2.5.0", "--format", "markdown"]);
    assert!(md.stdout.contains("### v2.3.0 (since v2.2.0)") && md.stdout.contains("No license drift in:"), "{md:?}");
}

#[test]
fn pre_releases_and_ranges() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).commit_tag("v1.0.0");
    r.write("LICENSE", spdx_text("BSD-3-Clause")).commit_tag("v2.0.0-rc.1");
    r.write("x", "1").commit_tag("v2.0.0");
    let with = run_in(&r.path, &["log", "--format", "json"]).json();
    assert_eq!(with.as_array().unwrap().len(), 2);
    let without = run_in(&r.path, &["log", "--exclude-pre-releases", "--format", "json"]).json();
    assert_eq!(without.as_array().unwrap().len(), 1);
    assert_eq!(without[0]["head"]["rev"], "v2.0.0");
    // A range: only the commits that touched a license file.
    r.write("y", "1").commit("noise");
    r.write("LICENSE", spdx_text("ISC")).commit("relicense");
    let range = run_in(&r.path, &["log", "v1.0.0..HEAD", "--format", "json"]).json();
    let docs = range.as_array().unwrap();
    assert_eq!(docs.len(), 2, "{range}");
    assert_eq!(docs[1]["findings"][0]["after"], "ISC");
}

#[test]
fn worktree_and_staged_changes() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).write("src/a.py", "1").commit("one");
    let objects = |r: &Repo| r.git(&["count-objects", "-v"]);
    // Staged: a new restrictive license file in the index only.
    r.write("weights/LICENSE", spdx_text("CC-BY-NC-4.0"));
    r.git(&["add", "weights/LICENSE"]);
    let before = objects(&r);
    let staged = run_in(&r.path, &["diff", "--staged", "--format", "json"]);
    assert_eq!(staged.json()["head"]["rev"], "(index)");
    assert_eq!(staged.rule("license-changed").len(), 1, "weights/ inherited MIT: {staged:?}");
    // Working tree: a deleted LICENSE and an untracked use policy count; ignored files do not.
    std::fs::remove_file(r.path.join("LICENSE")).unwrap();
    r.write(".gitignore", "secret/\n").write("secret/LICENSE", spdx_text("GPL-3.0-only"));
    r.write("USE_POLICY.md", "You may not use this for military purposes.\n");
    let wt = run_in(&r.path, &["diff", "--worktree", "--format", "json"]);
    assert_eq!(wt.code, 1, "{wt:?}");
    assert_eq!(wt.rule("license-removed").len(), 1, "{wt:?}");
    assert!(!wt.rule("restriction-added").is_empty(), "{wt:?}");
    assert!(!wt.stdout.contains("secret/LICENSE"), "ignored files do not count: {wt:?}");
    // Nothing was written to the repository.
    assert_eq!(objects(&r).lines().next(), before.lines().next(), "no loose objects written");
    assert!(diff_json(&r, "HEAD", "HEAD").findings().is_empty());
}

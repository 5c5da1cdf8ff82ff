//! SPDX-License-Identifier headers of changed files, aggregated.

use super::util::{Repo, diff_json, spdx_text};

fn source(license: &str, i: usize) -> String {
    format!("// Copyright ACME\n// SPDX-License-Identifier: {license}\n\npub fn f{i}() -> usize {{ {i} }}\n")
}

#[test]
fn a_thousand_relicensed_headers_are_one_finding() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MPL-2.0"));
    for i in 0..1000 {
        r.write(&format!("src/m{}/f{i}.rs", i % 20), source("MPL-2.0", i));
    }
    r.write("src/untouched.rs", source("MPL-2.0", 9999)).commit_tag("v1");
    for i in 0..1000 {
        r.write(&format!("src/m{}/f{i}.rs", i % 20), source("BUSL-1.1", i));
    }
    r.commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("license-changed");
    assert_eq!(fs.len(), 1, "{run:?}");
    let f = &fs[0];
    assert_eq!((f["before"].as_str(), f["after"].as_str()), (Some("MPL-2.0"), Some("BUSL-1.1")));
    assert_eq!(f["direction"], "tightened");
    assert_eq!(f["scope"]["component"], "code");
    assert_eq!(f["paths"].as_array().unwrap().len(), 1000);
    assert!(f["message"].as_str().unwrap().starts_with("1000 file(s)"), "{f}");
    assert_eq!(f["evidence"][0]["line"], 2);
    assert_eq!(run.code, 1);
    // The markdown report stays short however many files changed.
    let md = super::util::run_in(&r.path, &["diff", "v1", "v2", "--format", "markdown"]);
    assert!(md.stdout.len() < 4_000, "markdown is {} bytes", md.stdout.len());
}

#[test]
fn new_files_under_another_license_contradict_their_scope() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).write("src/a.rs", source("MIT", 1)).commit_tag("v1");
    r.write("src/b.rs", source("GPL-3.0-only", 2)).write("src/c.rs", source("MIT", 3)).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("declaration-mismatch");
    assert_eq!(fs.len(), 1, "{run:?}");
    assert_eq!((fs[0]["before"].as_str(), fs[0]["after"].as_str()), (Some("MIT"), Some("GPL-3.0-only")));
    assert_eq!(fs[0]["paths"], serde_json::json!(["src/b.rs"]));
    assert!(run.rule("license-changed").is_empty());
}

#[test]
fn headers_in_a_package_scope_are_grouped_there() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("MIT")).write("crates/x/LICENSE", spdx_text("Apache-2.0"));
    r.write("crates/x/src/lib.rs", source("Apache-2.0", 1)).commit_tag("v1");
    r.write("crates/x/src/lib.rs", source("AGPL-3.0-only", 1)).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = &run.rule("license-changed")[0];
    assert_eq!(f["scope"]["path"], "crates/x", "{run:?}");
}

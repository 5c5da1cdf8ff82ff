//! License files that bundle third-party texts: a part added or taken out is a
//! `license-added` / `license-removed` warning naming the part and its lines, never a change of
//! the scope's own license; a change of the own license is still one.

use super::util::{Repo, diff_json, spdx_text};

fn bundle(own: &str, parts: &[&str]) -> String {
    let mut text = spdx_text(own).to_string();
    for id in parts {
        text.push_str(&format!("\n---\n\nThird-party code in vendor/{}:\n\n{}\n", id.to_lowercase(), spdx_text(id)));
    }
    text
}

#[test]
fn a_part_added_to_a_bundle_is_a_part_not_a_new_license() {
    let r = Repo::new();
    r.write("LICENSE", bundle("Apache-2.0", &["MIT"])).commit_tag("v1");
    r.write("LICENSE", bundle("Apache-2.0", &["MIT", "Zlib"])).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.rule("license-changed").is_empty(), "{run:?}");
    let added = run.rule("license-added");
    assert_eq!(added.len(), 1, "{run:?}");
    let f = &added[0];
    assert_eq!(f["severity"], "warning", "{run:?}");
    assert_eq!(f["after"], "Zlib", "{run:?}");
    let line = f["evidence"][0]["line"].as_u64().expect("the part's first line");
    let text = bundle("Apache-2.0", &["MIT", "Zlib"]);
    let zlib_line = text.lines().position(|l| l.contains("vendor/zlib")).unwrap() as u64 + 1;
    assert!(line <= zlib_line + 2 && line + 2 >= zlib_line, "part at line {line}, zlib at {zlib_line}: {run:?}");
    assert!(f["message"].as_str().unwrap().contains("lines"), "{run:?}");
}

#[test]
fn a_part_taken_out_is_reported_and_the_own_license_still_counts() {
    let r = Repo::new();
    r.write("LICENSE", bundle("Apache-2.0", &["MIT", "Zlib"])).commit_tag("v1");
    r.write("LICENSE", bundle("Apache-2.0", &["Zlib"])).commit_tag("v2");
    r.write("LICENSE", bundle("GPL-3.0-only", &["Zlib"])).commit_tag("v3");
    let removed = diff_json(&r, "v1", "v2");
    assert_eq!(removed.code, 0, "{removed:?}");
    let f = removed.rule("license-removed");
    assert_eq!(f.len(), 1, "{removed:?}");
    assert_eq!(f[0]["before"], "MIT", "{removed:?}");
    assert!(removed.rule("license-changed").is_empty(), "{removed:?}");
    // The project's own license changing beside the same bundled part is a change, and blocks.
    let changed = diff_json(&r, "v2", "v3");
    assert_eq!(changed.code, 1, "{changed:?}");
    assert_eq!(changed.rule("license-changed").len(), 1, "{changed:?}");
}

//! Package manifests as declarations: every kind in both directions, workspaces, PEP 639,
//! DEP-5, and mismatches with the license file beside them.

use super::util::{Repo, diff_json, spdx_text};

/// (path, manifest text declaring `license`), for every manifest kind.
fn manifests(license: &str, python_classifier: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Cargo.toml", format!("[package]\nname = \"x\"\nversion = \"0.1.0\"\nlicense = \"{license}\"\n")),
        (
            "package.json",
            format!("{{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\",\n  \"license\": \"{license}\"\n}}\n"),
        ),
        ("bower.json", format!("{{\"name\": \"x\", \"license\": \"{license}\"}}\n")),
        ("composer.json", format!("{{\"name\": \"a/x\", \"license\": \"{license}\"}}\n")),
        ("pyproject.toml", format!("[project]\nname = \"x\"\nlicense = \"{license}\"\n")),
        (
            "setup.cfg",
            format!("[metadata]\nname = x\nclassifiers =\n    License :: OSI Approved :: {python_classifier}\n"),
        ),
        ("setup.py", format!("from setuptools import setup\nsetup(name='x', license='{license}')\n")),
        (
            "x.gemspec",
            format!("Gem::Specification.new do |spec|\n  spec.name = 'x'\n  spec.license = '{license}'\nend\n"),
        ),
        (
            "pom.xml",
            format!(
                "<project><modelVersion>4.0.0</modelVersion><licenses><license><name>{license}</name></license></licenses></project>\n"
            ),
        ),
        ("build.sbt", format!("name := \"x\"\nlicenses := Seq(\"{license}\" -> url(\"https://example.com\"))\n")),
        ("Dockerfile", format!("FROM scratch\nLABEL org.opencontainers.image.licenses=\"{license}\"\n")),
        (
            "REUSE.toml",
            format!("version = 1\n\n[[annotations]]\npath = \"**\"\nSPDX-License-Identifier = \"{license}\"\n"),
        ),
        (
            "debian/copyright",
            format!(
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2024 ACME\nLicense: {}\n",
                if license == "MIT" { "Expat" } else { "GPL-3" }
            ),
        ),
        (
            ".reuse/dep5",
            format!(
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2024 ACME\nLicense: {license}\n"
            ),
        ),
    ]
}

#[test]
fn every_manifest_kind_in_both_directions() {
    let before = manifests("MIT", "MIT License");
    let after = manifests("GPL-3.0-only", "GNU General Public License v3 (GPLv3)");
    let mut failures = Vec::new();
    for ((path, v1), (_, v2)) in before.iter().zip(&after) {
        let r = Repo::new();
        r.write(&format!("pkg/{path}"), v1).commit_tag("v1");
        r.write(&format!("pkg/{path}"), v2).commit_tag("v2");
        let run = diff_json(&r, "v1", "v2");
        let fs = run.rule("license-changed");
        let ok = fs.len() == 1
            && fs[0]["scope"]["path"] == "pkg"
            && fs[0]["before"] == "MIT"
            && fs[0]["after"] == "GPL-3.0-only"
            && fs[0]["direction"] == "tightened"
            && fs[0]["paths"] == serde_json::json!([format!("pkg/{path}")]);
        let back = diff_json(&r, "v2", "v1");
        let relaxed = back.rule("license-changed").first().is_some_and(|f| f["direction"] == "relaxed");
        if !ok || !relaxed {
            failures.push(format!("{path}: {run:?}\nreverse: {back:?}"));
        }
    }
    assert!(failures.is_empty(), "{} kinds failed:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn cargo_workspace_inheritance_and_license_file() {
    let r = Repo::new();
    r.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nlicense = \"MIT\"\n");
    r.write("crates/a/Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\nlicense.workspace = true\n");
    r.write("crates/b/Cargo.toml", "[package]\nname = \"b\"\nversion = \"0.1.0\"\nlicense-file = \"TERMS.txt\"\n");
    r.write("crates/b/TERMS.txt", spdx_text("Apache-2.0")).commit_tag("v1");
    let scan = super::util::run_in(&r.path, &["scan", "--format", "json"]);
    let licenses = scan.json()["licenses"].as_array().unwrap().clone();
    let of = |p: &str| licenses.iter().find(|l| l["path"] == p).map(|l| l["license"].clone());
    assert_eq!(of("crates/a/Cargo.toml"), Some("MIT".into()), "{scan:?}");
    assert_eq!(of("crates/b/Cargo.toml"), Some("Apache-2.0".into()), "{scan:?}");
    // The workspace root changes its license: reported at the root, where it is declared.
    r.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nlicense = \"BUSL-1.1\"\n")
        .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = &run.rule("license-changed")[0];
    assert_eq!((f["scope"]["path"].as_str(), f["after"].as_str()), (Some(""), Some("BUSL-1.1")), "{run:?}");
    // The referenced license file changes: the package's license changes.
    r.write("crates/b/TERMS.txt", spdx_text("AGPL-3.0-only")).commit_tag("v3");
    let run = diff_json(&r, "v2", "v3");
    assert!(
        run.rule("license-changed").iter().any(|f| f["scope"]["path"] == "crates/b" && f["after"] == "AGPL-3.0-only"),
        "{run:?}"
    );
}

#[test]
fn pep639_expression_wins_over_classifiers() {
    let r = Repo::new();
    r.write("pyproject.toml", "[project]\nname = \"x\"\nlicense = \"Apache-2.0\"\nclassifiers = [\"License :: OSI Approved :: MIT License\"]\n").commit_tag("v1");
    r.write("pyproject.toml", "[project]\nname = \"x\"\nclassifiers = [\"License :: OSI Approved :: MIT License\"]\n")
        .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let f = &run.rule("license-changed")[0];
    assert_eq!((f["before"].as_str(), f["after"].as_str()), (Some("Apache-2.0"), Some("MIT")), "{run:?}");
}

#[test]
fn dep5_paragraphs_declare_their_own_scopes() {
    let dep5 = |vendor: &str| {
        format!(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: x\n\nFiles: *\nCopyright: 2024 ACME\nLicense: Expat\n\nFiles: src/vendor/*\nCopyright: 2020 Other\nLicense: {vendor}\n\nFiles: debian/*\nCopyright: 2024 Packager\nLicense: GPL-2+\n"
        )
    };
    let r = Repo::new();
    r.write("debian/copyright", dep5("BSD-3-clause")).commit_tag("v1");
    r.write("debian/copyright", dep5("GPL-3+")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let fs = run.rule("license-changed");
    assert_eq!(fs.len(), 1, "{run:?}");
    assert_eq!(fs[0]["scope"]["path"], "src/vendor");
    assert_eq!((fs[0]["before"].as_str(), fs[0]["after"].as_str()), (Some("BSD-3-Clause"), Some("GPL-3.0-or-later")));
    let scan = super::util::run_in(&r.path, &["scan", "v1", "--format", "json"]);
    let scopes: Vec<String> = scan.json()["licenses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["scope"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(scopes, vec!["", "src/vendor", "debian"], "{scan:?}");
}

#[test]
fn manifest_and_license_file_mismatch() {
    let r = Repo::new();
    r.write("LICENSE", spdx_text("AGPL-3.0-only"))
        .write("package.json", "{\"name\": \"x\", \"license\": \"AGPL-3.0-only\"}")
        .commit_tag("v1");
    r.write("package.json", "{\"name\": \"x\", \"license\": \"Apache-2.0\"}").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let m = run.rule("declaration-mismatch");
    assert_eq!(m.len(), 1, "{run:?}");
    assert_eq!((m[0]["before"].as_str(), m[0]["after"].as_str()), (Some("AGPL-3.0-only"), Some("Apache-2.0")));
    assert!(m[0]["message"].as_str().unwrap().contains("package.json"));
    let c = &run.rule("license-changed")[0];
    assert_eq!(c["scope"]["component"], "code");
}

#[test]
fn malformed_manifest_is_a_warning_not_a_crash() {
    let r = Repo::new();
    r.write("Cargo.toml", "[package]\nname = \"x\"\nlicense = \"MIT\"\n").commit_tag("v1");
    r.write("Cargo.toml", "[package\nname = \"x\"\nlicense = \"MIT\"\n").commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_ne!(run.code, 2, "{run:?}");
    assert!(run.json()["warnings"].to_string().contains("Cargo.toml"), "{run:?}");
    run.unknown_change("MIT");
}

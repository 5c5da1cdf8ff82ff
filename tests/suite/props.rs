//! Property tests of the parsers that read repository input (issue 14): card front matter,
//! the policy file, SPDX and AI license expressions, manifests. Whatever the bytes, each
//! returns (no panic), quickly (no hang), with output bounded by its input. The pre-push
//! input and event JSON, parsed by the binary, have theirs in `src/front/hook.rs` and
//! `src/front/github.rs`. Case counts are modest so the whole file runs in seconds.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use license_drift::knowledge::{self, expr::Expr};
use license_drift::policy::config;
use license_drift::profile::card::{self, FrontMatter};
use license_drift::profile::manifest::{self, ManifestKind};

fn cases() -> ProptestConfig {
    ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text built from pieces that matter to the parsers (keys, quotes, brackets, indentation,
/// tabs, BOMs, control and non-ASCII characters) and arbitrary characters.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("license: ".to_string()),
        Just("license_name: ".to_string()),
        Just("license = ".to_string()),
        Just("\"license\": ".to_string()),
        Just("[licenses]\nallow = [".to_string()),
        Just("[[accept]]\nid = ".to_string()),
        Just("[[rules.license-changed.override]]\n".to_string()),
        Just("MIT OR (Apache-2.0 AND llama3.1) WITH ".to_string()),
        Just("LicenseRef-".to_string()),
        Just("&a [*a, *a]\n".to_string()),
        Just("{ ".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\n  - ".to_string()),
        Just("\t".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{202e}".to_string()),
        Just("é😀".to_string()),
        Just("(".repeat(50)),
        Just("\0".to_string()),
        "[ -~]{0,12}".prop_map(|s| s),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Runs `f` and checks it took less than a second.
fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "{what} took {took:?}");
    out
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn card_front_matter_never_panics_and_errors_stay_short(body in hostile_text(), truncated in any::<bool>()) {
        let text = format!("---\n{body}\n---\n# card\n");
        for input in [text.as_str(), body.as_str()] {
            match quick("front_matter", || card::front_matter_of(input, truncated)) {
                FrontMatter::Malformed { error, .. } => {
                    prop_assert!(error.len() < 600, "{error}");
                    prop_assert!(!error.contains(" { "), "a Rust structure in {error}");
                }
                FrontMatter::Parsed { license_line, duplicate_keys, .. } => {
                    let lines = input.lines().count() as u32 + 1;
                    prop_assert!(license_line.is_none_or(|l| l <= lines));
                    prop_assert!(duplicate_keys.iter().all(|d| d.lines.len() >= 2));
                }
                FrontMatter::Absent => {}
            }
        }
    }

    #[test]
    fn policy_files_never_panic_and_every_problem_is_located(text in hostile_text()) {
        match quick("policy", || config::parse("p.toml", &text)) {
            Ok(_) => {}
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                let lines = text.lines().count().max(1) + 1;
                for p in &problems {
                    prop_assert!(p.line >= 1 && p.line <= lines, "{p}");
                    prop_assert!(p.to_string().len() < 2_000 + text.len(), "{p}");
                }
            }
        }
    }

    #[test]
    fn license_expressions_never_panic_and_print_bounded(text in hostile_text()) {
        if let Some(e) = quick("Expr::parse", || Expr::parse(&text)) {
            prop_assert!(e.to_string().len() <= 4 * text.len() + 64, "{e}");
        }
        let card = quick("card_license", || knowledge::card_license(&text, Some(&text)));
        prop_assert!(card.to_string().len() <= 4 * text.len() + 128, "{card}");
    }

    #[test]
    fn manifests_never_panic(text in hostile_text(), kind in 0usize..14) {
        let kind = ManifestKind::ALL[kind];
        match quick("manifest", || manifest::parse(kind, &text)) {
            Ok(statements) => prop_assert!(statements.len() <= text.len() + 1),
            Err(e) => prop_assert!(e.len() < 1_000 + text.len(), "{e}"),
        }
    }

    #[test]
    fn json_and_toml_manifests_with_hostile_license_values(value in hostile_text()) {
        let json = serde_json::json!({ "name": "x", "license": value, "licenses": [{ "type": value }] }).to_string();
        let toml_text = format!("[package]\nname = \"x\"\nlicense = {}\n", toml_string(&value));
        let pyproject = format!("[project]\nname = \"x\"\nlicense = {}\n", toml_string(&value));
        for (kind, text) in [(ManifestKind::PackageJson, json), (ManifestKind::Cargo, toml_text), (ManifestKind::Pyproject, pyproject)] {
            if let Ok(statements) = quick("manifest", || manifest::parse(kind, &text)) {
                prop_assert!(statements.len() <= 4, "{statements:?}");
            }
        }
    }
}

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[test]
fn a_deeply_nested_card_and_policy_return_quickly() {
    let deep = format!("---\nlicense: mit\nx: {}{}\n---\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(quick("deep card", || card::front_matter(&deep)), FrontMatter::Malformed { .. }));
    let deep_toml = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(quick("deep policy", || config::parse("p.toml", &deep_toml)).is_err());
    let parens = format!("{}MIT{}", "(".repeat(100_000), ")".repeat(100_000));
    let _ = quick("deep expression", || Expr::parse(&parens));
    let _ = quick("deep card license", || knowledge::card_license(&parens, Some(&parens)));
    let json = serde_json::json!({ "name": "x", "license": parens }).to_string();
    let _ = quick("deep package.json license", || manifest::parse(ManifestKind::PackageJson, &json));
}

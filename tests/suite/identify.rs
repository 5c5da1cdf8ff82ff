//! `license-drift identify`: SPDX texts, reformatted texts, bundles, AI licenses by phrase,
//! things that are not licenses, and the text output.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::util::{run_in, spdx_text};

/// Writes `files` (name, bytes) into a fresh temp dir and runs `identify --format json` on
/// all of them in one invocation; returns the temp dir (kept alive) and the `files` array,
/// in argument order.
fn identify_all(files: &[(String, Vec<u8>)]) -> (tempfile::TempDir, Vec<PathBuf>, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    let mut args: Vec<&str> = vec!["identify", "--format", "json"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let run = run_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{run:?}");
    let doc = run.json();
    assert_eq!(doc["schema_version"], 1);
    let out = doc["files"].as_array().expect("files array").clone();
    assert_eq!(out.len(), files.len(), "one entry per file: {doc:#}");
    for (p, f) in paths.iter().zip(&out) {
        assert_eq!(f["path"], p.to_str().unwrap(), "files come back in order");
    }
    (dir, paths, out)
}

/// An id without `-only`, `-or-later` or `+`, lower case.
fn family(id: &str) -> String {
    id.trim_end_matches('+').trim_end_matches("-only").trim_end_matches("-or-later").to_ascii_lowercase()
}

/// Whether `answer` names the license `wanted` or one sharing its text.
fn same_license(answer: &str, wanted: &str) -> bool {
    family(answer) == family(wanted) || spdx::license_id(answer).is_some_and(|l| l.text() == spdx_text(wanted))
}

const CORPUS: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "MPL-2.0",
    "GPL-2.0-only",
    "GPL-3.0-only",
    "LGPL-2.1-only",
    "LGPL-3.0-only",
    "AGPL-3.0-only",
    "EPL-1.0",
    "EPL-2.0",
    "CDDL-1.0",
    "Unlicense",
    "Zlib",
    "BSL-1.0",
    "CC0-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "BUSL-1.1",
    "SSPL-1.0",
    "Elastic-2.0",
    "PostgreSQL",
    "OFL-1.1",
    "Artistic-2.0",
    "WTFPL",
    "0BSD",
    "MIT-0",
    "NCSA",
    "UPL-1.0",
    "EUPL-1.2",
    "MulanPSL-2.0",
    "OSL-3.0",
    "AFL-3.0",
    "ECL-2.0",
    "CDLA-Permissive-2.0",
    "ODbL-1.0",
    "PDDL-1.0",
    "Vim",
    "X11",
    "curl",
    "Python-2.0",
    "PHP-3.01",
    "Ruby",
    "OpenSSL",
    "ZPL-2.1",
    "Beerware",
    "JSON",
    "MS-PL",
    "MS-RL",
    "CECILL-2.1",
    "LPPL-1.3c",
    "APSL-2.0",
    "IPL-1.0",
    "NPL-1.1",
    "RPL-1.5",
    "Sleepycat",
    "GPL-2.0-or-later",
    "LGPL-2.0-only",
    "MPL-1.1",
    "CPL-1.0",
    "BSD-4-Clause",
    "Apache-1.1",
    "BSD-2-Clause-Patent",
    "BlueOak-1.0.0",
    "CC-BY-3.0",
    "GFDL-1.3-only",
    "Unicode-DFS-2016",
    "libpng-2.0",
    "W3C",
    "CAL-1.0",
    "PolyForm-Noncommercial-1.0.0",
];

#[test]
fn spdx_texts_identify_as_themselves() {
    assert!(CORPUS.len() >= 60);
    let files: Vec<(String, Vec<u8>)> =
        CORPUS.iter().map(|id| (format!("{id}.txt"), spdx_text(id).as_bytes().to_vec())).collect();
    let (_dir, _paths, out) = identify_all(&files);
    let mut failures = Vec::new();
    for (id, f) in CORPUS.iter().zip(&out) {
        let answer = f["license"].as_str().unwrap_or("null");
        let confidence = f["confidence"].as_f64().unwrap_or(0.0);
        let ok = same_license(answer, id) && f["kind"] == "spdx" && confidence >= 0.9;
        if !ok {
            failures.push(format!(
                "{id} → {answer} (kind {}, confidence {confidence:.2}{})",
                f["kind"],
                f.get("closest").map(|c| format!(", closest {c}")).unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} SPDX texts are not identified as themselves:\n{}",
        failures.len(),
        CORPUS.len(),
        failures.join("\n")
    );
}

/// Re-wraps every paragraph of `text` at `width` columns.
fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out
}

#[test]
fn reformatted_texts_still_identify() {
    let mit = spdx_text("MIT").replace("<year> <copyright holders>", "2024 Jane Doe and contributors");
    let markdown = {
        let body = mit
            .replacen("MIT License", "# MIT License", 1)
            .replacen("Permission is hereby granted", "**Permission is hereby granted**", 1)
            .replacen("THE SOFTWARE IS PROVIDED", "**THE SOFTWARE IS PROVIDED**", 1);
        format!("{body}\n")
    };
    let apache = spdx_text("Apache-2.0");
    let apache_no_appendix = &apache[..apache.find("APPENDIX:").expect("Apache-2.0 has an appendix")];
    let bsd3 = spdx_text("BSD-3-Clause")
        .replace("<year> <owner>", "2019-2024 Acme Corporation")
        .replace("the copyright holder nor", "Acme Corporation nor");
    assert!(bsd3.contains("Neither the name of Acme Corporation nor"));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(mit.as_bytes());

    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("mit-copyright", "MIT", mit.as_bytes().to_vec()),
        ("mit-wrapped-60", "MIT", rewrap(&mit, 60).into_bytes()),
        ("mit-crlf", "MIT", mit.replace('\n', "\r\n").into_bytes()),
        ("mit-bom", "MIT", bom),
        ("mit-markdown.md", "MIT", markdown.into_bytes()),
        ("apache-no-appendix", "Apache-2.0", apache_no_appendix.as_bytes().to_vec()),
        ("bsd3-filled", "BSD-3-Clause", bsd3.into_bytes()),
    ];
    assert!(rewrap(&mit, 60).lines().all(|l| l.len() <= 60));
    let files: Vec<(String, Vec<u8>)> = cases.iter().map(|(n, _, b)| (n.to_string(), b.clone())).collect();
    let (_dir, _paths, out) = identify_all(&files);
    let mut failures = Vec::new();
    for ((name, want, _), f) in cases.iter().zip(&out) {
        let confidence = f["confidence"].as_f64().unwrap_or(0.0);
        if f["license"] != *want || f["kind"] != "spdx" || confidence < 0.9 {
            failures.push(format!("{name}: want {want} ≥ 0.90, got {f}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn two_licenses_in_one_file_yield_both() {
    let mit = spdx_text("MIT").replace("<year> <copyright holders>", "2024 Jane Doe");
    let apache = spdx_text("Apache-2.0");
    let separator = "\n\n--------------------------------------------------------------------------------\n\n";
    // The order asked for (MIT first), and the reverse.
    let (_dir, _paths, out) = identify_all(&[
        ("LICENSE".into(), format!("{mit}{separator}{apache}").into_bytes()),
        ("LICENSE-reversed".into(), format!("{apache}{separator}{mit}").into_bytes()),
    ]);
    for f in &out {
        let license = f["license"].as_str().unwrap_or_default();
        assert!(
            license.contains("MIT") && license.contains("Apache-2.0") && license.contains(" AND "),
            "want both licenses joined by AND: {f}"
        );
        assert!(!license.contains(" OR "), "{f}");
        assert_eq!(f["kind"], "spdx", "{f}");
    }
}

const INVENTED_BODY: &str = "By clicking accept below or by using or distributing any portion or element of the \
Materials, you agree to be bound by this Agreement. The licensee may run the materials on their own \
hardware, build derivative works from them, and share those works with others, provided that every copy \
keeps this notice and the attribution described in the accompanying documentation. Nothing in this \
paragraph grants any right to the names or marks of the provider.";

#[test]
fn ai_licenses_identify_by_phrase() {
    let llama = format!(
        "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n\n{INVENTED_BODY}\n"
    );
    let gemma = format!("Gemma Terms of Use\n\nLast modified: March 24, 2025\n\n{INVENTED_BODY}\n");
    let (_dir, _paths, out) =
        identify_all(&[("LICENSE-llama".into(), llama.into_bytes()), ("LICENSE-gemma".into(), gemma.into_bytes())]);
    assert_eq!(out[0]["license"], "llama3.1", "{}", out[0]);
    assert_eq!(out[0]["kind"], "ai", "{}", out[0]);
    assert!(out[0]["confidence"].as_f64().unwrap_or(0.0) > 0.0, "{}", out[0]);
    assert_eq!(out[1]["license"], "gemma", "{}", out[1]);
    assert_eq!(out[1]["kind"], "ai", "{}", out[1]);
}

const RUST_SOURCE: &str = r#"use std::collections::HashMap;

/// Counts how often each word occurs in a text.
pub fn count_words(text: &str) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let counts = count_words("the quick brown fox jumps over the lazy dog");
    for (word, n) in &counts {
        println!("{word}: {n}");
    }
}
"#;

#[test]
fn things_that_are_not_licenses() {
    let readme = "This project is licensed under the MIT license, see LICENSE for details. Contributions \
are welcome: please open an issue first to discuss what you would like to change, and make sure that \
the tests pass before you send a pull request.\n";
    let badge =
        "[![License: MIT](https://img.shields.io/badge/License-MIT-yellow.svg)](https://opensource.org/licenses/MIT)\n";
    let (_dir, _paths, out) = identify_all(&[
        ("main.rs".into(), RUST_SOURCE.as_bytes().to_vec()),
        ("README.md".into(), readme.as_bytes().to_vec()),
        ("badge.md".into(), badge.as_bytes().to_vec()),
        ("header.txt".into(), b"SPDX-License-Identifier: MIT OR Apache-2.0\n".to_vec()),
    ]);
    for f in &out[..3] {
        assert_eq!(f["kind"], "unidentified", "{f}");
        assert!(f["license"].is_null(), "{f}");
        assert_eq!(f["confidence"].as_f64(), Some(0.0), "{f}");
    }
    assert_eq!(out[3]["license"], "Apache-2.0 OR MIT", "{}", out[3]);
    assert_eq!(out[3]["kind"], "spdx", "{}", out[3]);
}

#[test]
fn text_output_is_one_line_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let mit = dir.path().join("LICENSE");
    std::fs::write(&mit, spdx_text("MIT")).unwrap();
    let prose = dir.path().join("notes.txt");
    std::fs::write(&prose, "These are notes about our release process.\n").unwrap();
    let run = run_in(dir.path(), &["identify", "LICENSE", "notes.txt"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert_eq!(lines[0], "LICENSE: MIT (1.00)", "{run:?}");
    assert!(lines[1].starts_with("notes.txt: unidentified"), "{run:?}");

    // Absolute paths print as given.
    let shown = mit.display().to_string();
    let run = run_in(Path::new("/"), &["identify", &shown]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, format!("{shown}: MIT (1.00)\n"), "{run:?}");

    // A file that cannot be read is an error with exit code 2.
    let run = run_in(dir.path(), &["identify", "no-such-file"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no-such-file"), "{run:?}");
}

#[test]
fn pointer_files_state_their_licenses_and_prose_does_not() {
    let pointer = "This project is dual-licensed under the Unlicense and MIT licenses.\n\nYou may use this code under the terms of either license.\n";
    let notice = "Example Project\nCopyright 2020 Example Inc.\n\nThis product includes software from the Spring Framework,\nunder the Apache License 2.0.\n";
    let custom = "Example Enterprise License\n\nPermission is hereby granted to use this software only with a valid subscription.\nThe licensor may terminate this license at any time. Parts not distributed under the MIT license are covered by this license.\n";
    let (_dir, _paths, out) = identify_all(&[
        ("COPYING".into(), pointer.as_bytes().to_vec()),
        ("NOTICE".into(), notice.as_bytes().to_vec()),
        ("README.md".into(), pointer.as_bytes().to_vec()),
        ("LICENSE".into(), custom.as_bytes().to_vec()),
    ]);
    assert_eq!(out[0]["license"], "MIT OR Unlicense", "{}", out[0]);
    assert_eq!(out[0]["confidence"].as_f64(), Some(0.9), "{}", out[0]);
    assert_eq!(out[1]["license"], "Apache-2.0", "{}", out[1]);
    // The same words in a README are prose; a license of its own names others it excepts.
    assert_eq!(out[2]["kind"], "unidentified", "{}", out[2]);
    assert_eq!(out[3]["kind"], "unidentified", "{}", out[3]);
}

#[test]
fn a_bundle_with_an_unknown_license_beside_a_known_one_is_partly_known() {
    let custom = "ACME Model Terms\n\nACME hereby grants you a non-exclusive, royalty-free license to use the model \
for research only. You may not use the model or its outputs in any commercial product or service. The licensor may \
terminate this license if you breach these terms, and is not liable for any damages arising from your use of the \
model. Redistribution requires a copy of these terms and this notice, and you must not remove any attribution. \
These terms are governed by the laws of the State of Delaware, and any dispute arising under them shall be brought \
exclusively in the courts located there. If any provision is held unenforceable, the remaining provisions remain in \
full force and effect, and the failure to enforce any provision is not a waiver of it.\n";
    let text = format!("{}\n---\n\n{custom}", spdx_text("MIT"));
    let (_dir, _paths, out) = identify_all(&[("LICENSE".into(), text.into_bytes())]);
    let license = out[0]["license"].as_str().unwrap();
    assert!(license.starts_with("MIT AND LicenseRef-unidentified-"), "{}", out[0]);
    assert!(out[0]["confidence"].as_f64().unwrap() < 0.9, "{}", out[0]);
}

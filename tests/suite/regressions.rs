//! Regressions found in review: copyright-looking prose, reflow around hyphens and
//! numbers, BUSL parameter blocks, quadratic markup stripping, link targets and autolinks,
//! licenses that are only mentioned, `/` in expressions and OR alternatives.

use std::time::{Duration, Instant};

use super::util::{Repo, diff_json, run_in, spdx_text};

const MIT: &str = "MIT License

Copyright (c) 2024 Example

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the \"Software\"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
";

/// The texts of the `license-text-changed` evidence of a run.
/// Every wording the evidence shows: texts, and the old wording of reworded clauses.
fn evidence_texts(f: &serde_json::Value) -> Vec<String> {
    f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| [&e["before"], &e["text"]])
        .filter_map(|t| t.as_str().map(String::from))
        .collect()
}

#[test]
fn prose_starting_with_copyright_is_text_not_a_notice() {
    let r = Repo::new();
    r.write("LICENSE", MIT).commit_tag("v1");
    // Reflow: "copyright notice and this permission notice …" now begins a line.
    let reflowed = MIT.replace(
        "The above copyright notice and this permission notice shall be included in all\ncopies",
        "The above\ncopyright notice and this permission notice shall be included in all copies",
    );
    assert_ne!(reflowed, MIT);
    r.write("LICENSE", &reflowed).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.findings().is_empty(), "reflow only: {run:?}");
    // A real edit of that line is a text change.
    let edited = reflowed.replace(
        "copyright notice and this permission notice shall be included in all copies",
        "copyright notice and this permission notice need not be included in any copies",
    );
    r.write("LICENSE", &edited).commit_tag("v3");
    let run = diff_json(&r, "v2", "v3");
    let found = run.rule("license-text-changed");
    assert_eq!(found.len(), 1, "{run:?}");
    assert_eq!(found[0]["severity"], "warning", "{run:?}");
    assert!(evidence_texts(&found[0]).iter().any(|t| t.contains("need not be included")), "{run:?}");
    // A changed copyright notice is still no finding.
    r.write("LICENSE", edited.replace("Copyright (c) 2024 Example", "Copyright © 2025 Other Corp")).commit_tag("v4");
    let run = diff_json(&r, "v3", "v4");
    assert!(run.findings().is_empty(), "{run:?}");
}

#[test]
fn reflow_across_hyphens_and_section_numbers_is_no_finding() {
    let r = Repo::new();
    let addendum = "\nThe Licensor grants a perpetual, non-exclusive license to use the weights as set out in Section 3. You may not sell the weights.\n";
    r.write("LICENSE", format!("{MIT}{addendum}")).commit_tag("v1");
    let wrapped = addendum.replace(
        "perpetual, non-exclusive license to use the weights as set out in Section 3. You",
        "perpetual, non-\nexclusive license to use the weights as set out in Section\n3. You",
    );
    assert_ne!(wrapped, addendum);
    r.write("LICENSE", format!("{MIT}{wrapped}")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.findings().is_empty(), "reflow only: {run:?}");
    // Dropping "3." is a change, however it is wrapped.
    r.write("LICENSE", format!("{MIT}{}", wrapped.replace("Section\n3. You", "Section\nYou"))).commit_tag("v3");
    let run = diff_json(&r, "v2", "v3");
    assert_eq!(run.rule("license-text-changed").len(), 1, "{run:?}");

    // Markdown bullet lists still normalize: another bullet style and a blank line are no finding.
    let list = "Use of the weights:\n- is allowed for research\n- is allowed for teaching\n";
    r.write("LICENSE", format!("{MIT}\n{list}")).commit_tag("v4");
    let restyled = "Use of the weights:\n\n* is allowed for research\n* is allowed for teaching\n";
    r.write("LICENSE", format!("{MIT}\n{restyled}")).commit_tag("v5");
    let run = diff_json(&r, "v4", "v5");
    assert!(run.findings().is_empty(), "{run:?}");
}

fn busl(version: &str, year: &str) -> String {
    let terms = spdx_text("BUSL-1.1");
    let terms = &terms[terms.find("Terms").expect("BUSL-1.1 has a Terms section")..];
    format!(
        "License text copyright (c) 2020 MariaDB Corporation Ab, All Rights Reserved.
\"Business Source License\" is a trademark of MariaDB Corporation Ab.

Parameters

Licensor:             HashiCorp, Inc.
Licensed Work:        Vault Version {version} or later. The Licensed Work is (c) {year}
                      HashiCorp, Inc.
Additional Use Grant: You may make production use of the Licensed Work, provided
                      Your use does not include offering the Licensed Work to third
                      parties on a hosted or embedded basis in order to compete with
                      HashiCorp's paid version(s) of the Licensed Work.
Change Date:          Four years from the date the Licensed Work is published.
Change License:       MPL 2.0

Notice

{terms}"
    )
}

#[test]
fn busl_version_and_year_bump_is_a_parameter_change() {
    let r = Repo::new();
    r.write("LICENSE", busl("1.15.0", "2023")).commit_tag("v1");
    r.write("LICENSE", busl("1.16.0", "2024")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.rule("license-changed").is_empty(), "{run:?}");
    let found = run.rule("license-text-changed");
    assert_eq!(found.len(), 1, "{run:?}");
    assert_eq!(found[0]["severity"], "info", "{run:?}");
    assert_eq!(found[0]["before"], "BUSL-1.1", "{run:?}");
    let texts = evidence_texts(&found[0]);
    assert_eq!(texts.len(), 2, "one label block reworded, before and after: {run:?}");
    assert_eq!(found[0]["evidence"][0]["kind"], "clause-reworded", "{run:?}");
    assert!(texts.iter().all(|t| t.starts_with("Licensed Work:") && t.ends_with("HashiCorp, Inc.")), "{texts:?}");

    // A changed grant in the same block structure is not a parameter change.
    let narrower = busl("1.16.0", "2024").replace("production use of", "non-production use of");
    r.write("LICENSE", narrower).commit_tag("v3");
    let run = diff_json(&r, "v2", "v3");
    let found = run.rule("license-text-changed");
    assert_eq!(found.len(), 1, "{run:?}");
    assert_eq!(found[0]["severity"], "warning", "{run:?}");
}

#[test]
fn unmatched_brackets_do_not_stall_the_diff() {
    let r = Repo::new();
    r.write("LICENSE", MIT).commit_tag("v1");
    let mut brackets = "[".repeat(1_000_000);
    brackets.push('\n');
    r.write("LICENSE", &brackets).commit_tag("v2");
    let mut tags = "<".repeat(1_000_000);
    tags.push('\n');
    r.write("LICENSE", &tags).commit_tag("v3");
    for head in ["v2", "v3"] {
        let start = Instant::now();
        let run = diff_json(&r, "v1", head);
        let took = start.elapsed();
        // Quadratic stripping took minutes here; linear takes well under a second of it.
        assert!(took < Duration::from_secs(20), "{head}: {took:?}");
        assert!(!run.findings().is_empty(), "{run:?}");
    }
}

#[test]
fn a_changed_link_target_is_a_text_change() {
    let r = Repo::new();
    let with = |url: &str| {
        format!(
            "{MIT}\nUse of the weights is subject to the [Acceptable Use Policy]({url}), incorporated by reference.\n"
        )
    };
    r.write("LICENSE.md", with("https://example.com/aup-2024.html")).commit_tag("v1");
    r.write("LICENSE.md", with("https://example.com/aup-2025-strict.html")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let found = run.rule("license-text-changed");
    assert_eq!(found.len(), 1, "{run:?}");
    let texts = evidence_texts(&found[0]);
    assert!(texts.iter().any(|t| t.contains("aup-2024.html")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("aup-2025-strict.html")), "{texts:?}");
    // The same link rendered as plain text is no finding.
    r.write(
        "LICENSE.md",
        format!(
            "{MIT}\nUse of the weights is subject to the Acceptable Use Policy\n(https://example.com/aup-2025-strict.html), incorporated by reference.\n"
        ),
    )
    .commit_tag("v3");
    let run = diff_json(&r, "v2", "v3");
    assert!(run.findings().is_empty(), "{run:?}");
}

const LLAMA_BODY: &str = "By clicking accept below or by using or distributing any portion or element of the \
Llama Materials, you agree to be bound by this Agreement. The licensee may run the materials on their own \
hardware, build derivative works from them, and share those works with others, provided that every copy \
keeps this notice and the attribution described in the accompanying documentation.";

#[test]
fn a_mentioned_ai_license_is_not_an_identified_one() {
    let r = Repo::new();
    r.write("LICENSE", MIT).commit_tag("v1");
    r.write(
        "LICENSE",
        format!(
            "{MIT}\nNote: the model weights in weights/ are not covered by this file; they are distributed under the Llama 3.1 Community License Agreement (see weights/LICENSE).\n"
        ),
    )
    .commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    assert!(run.rule("license-changed").is_empty(), "{run:?}");
    assert!(run.findings().iter().all(|f| f["after"] == "MIT"), "{run:?}");

    // Prose mentioning a license identifies nothing; a license appended after a preamble or
    // another license still does.
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "README.txt",
            "Foo is a fast tool, licensed under the MIT License (see LICENSE). The weights are\nreleased under the Llama 3.1 Community License Agreement. Run foo --help to start.\n".to_string(),
        ),
        (
            "NOTICE.txt",
            "Foo\nThis product bundles the Gemma model, which is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms.\n".to_string(),
        ),
        (
            "LICENSE-bundle",
            format!(
                "{MIT}\n---\n\n# LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n\n{LLAMA_BODY}\n"
            ),
        ),
        (
            "LICENSE-preamble",
            format!(
                "The weights of this model are licensed as follows.\n\nLlama 3.1 Version Release Date: July 23, 2024\n\n{LLAMA_BODY}\n"
            ),
        ),
    ];
    let mut args = vec!["identify".to_string(), "--format".into(), "json".into()];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
        args.push(name.to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{run:?}");
    let out = run.json()["files"].as_array().unwrap().clone();
    // Prose names nothing; a notice that says what it is provided under states it (as a
    // pointer file does), which a diff then reads as third-party evidence.
    assert_eq!(out[0]["kind"], "unidentified", "{}", out[0]);
    assert_eq!(out[1]["license"], "gemma", "{}", out[1]);
    assert_eq!(out[2]["license"], "MIT AND LicenseRef-llama3.1", "{}", out[2]);
    assert_eq!(out[3]["license"], "llama3.1", "{}", out[3]);
}

#[test]
fn slash_is_or_and_or_alternatives_move_the_direction() {
    let r = Repo::new();
    r.card("README.md", "license: mit").commit_tag("v1");
    r.card("README.md", "license: mit/apache-2.0").commit_tag("v2");
    r.card("README.md", "license: mit").commit_tag("v3");
    let run = diff_json(&r, "v1", "v2");
    let found = run.rule("license-changed");
    assert_eq!(found.len(), 1, "{run:?}");
    assert_eq!(found[0]["after"], "Apache-2.0 OR MIT", "{run:?}");
    assert_eq!(found[0]["direction"], "relaxed", "{run:?}");
    assert_eq!(found[0]["severity"], "info", "{run:?}");
    let run = diff_json(&r, "v2", "v3");
    let found = run.rule("license-changed");
    assert_eq!(found.len(), 1, "{run:?}");
    assert_eq!(found[0]["direction"], "tightened", "{run:?}");
    assert_eq!(found[0]["severity"], "error", "{run:?}");
    assert_eq!(run.code, 1, "{run:?}");
}

#[test]
fn a_changed_autolink_is_a_text_change() {
    let r = Repo::new();
    let policy = "\nUse of the weights is subject to the acceptable-use policy at <https://example.com/aup-v1>.\n";
    r.write("LICENSE", format!("{MIT}{policy}")).commit_tag("v1");
    r.write("LICENSE", format!("{MIT}{}", policy.replace("aup-v1", "aup-v2"))).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let found = run.rule("license-text-changed");
    assert_eq!(found.len(), 1, "{run:?}");
    assert!(evidence_texts(&found[0]).iter().any(|t| t.contains("example.com/aup-v2")), "{run:?}");
    // An HTML tag around the same words is markup, not text.
    r.write("LICENSE", format!("{MIT}{}", policy.replace("aup-v1", "aup-v2").replace("weights", "<b>weights</b>")))
        .commit_tag("v3");
    assert!(diff_json(&r, "v2", "v3").findings().is_empty());
}

#[test]
fn a_restriction_around_a_known_text_is_read() {
    let r = Repo::new();
    r.write("LICENSE", MIT).commit_tag("v1");
    // Before the text: a preamble the exact index allows, which must still be read.
    let restriction = "This software is licensed for non-commercial use only.\n\n";
    r.write("LICENSE", format!("{restriction}{MIT}")).commit_tag("v2");
    let run = diff_json(&r, "v1", "v2");
    let added = run.rule("restriction-added");
    assert!(added.iter().any(|f| f["severity"] == "error"), "{run:?}");
    assert_eq!(run.code, 1, "{run:?}");
}

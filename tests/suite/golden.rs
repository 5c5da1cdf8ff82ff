//! Golden files of the human and machine reports (text, markdown, SARIF) over one history
//! that has a finding of every shape: a license change, a reworded clause, a moved parameter,
//! a new restriction, a removed component. A change of wording or layout shows up in review
//! as a snapshot diff (`cargo insta review`, or `INSTA_UPDATE=always cargo test`).

use super::util::{Repo, run_in, spdx_text};

fn history() -> Repo {
    let r = Repo::new();
    let license = |cap: &str, extra: &str| {
        format!(
            "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT
Llama 3.1 Version Release Date: July 23, 2024

1. License Rights. You are granted a non-exclusive, worldwide, non-transferable and royalty-free limited license to use and modify the Llama Materials.

2. Additional Commercial Terms. If the monthly active users of the products or services made available by or for Licensee is greater than {cap} monthly active users in the preceding calendar month, you must request a license from Meta.

3. If you institute litigation against Meta alleging that the Llama Materials constitute infringement, then any licenses granted to you under this Agreement shall terminate.
{extra}"
        )
    };
    r.write("model/LICENSE", license("700 million", ""))
        .write("LICENSE", spdx_text("MIT"))
        .write("data/corpus/part-000.jsonl", "{\"text\": \"hello\"}\n")
        .write("data/corpus/part-001.jsonl", "{\"text\": \"world\"}\n")
        .commit_tag("v1");
    r.write(
        "model/LICENSE",
        license("100 million", "\n4. The Llama Materials may be used for non-commercial purposes only.\n")
            .replace("constitute infringement", "constitute an infringement"),
    )
    .write("LICENSE", spdx_text("Apache-2.0"))
    .remove("data/corpus/part-000.jsonl")
    .remove("data/corpus/part-001.jsonl")
    .commit_tag("v2");
    r
}

fn render(r: &Repo, format: &str) -> String {
    let run = run_in(&r.path, &["diff", "v1", "v2", "--format", format]);
    assert_eq!(run.code, 1, "{run:?}");
    run.stdout.replace(r.path.to_str().unwrap(), "[repo]")
}

#[test]
fn text_report() {
    insta::assert_snapshot!(render(&history(), "text"));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(render(&history(), "markdown"));
}

#[test]
fn sarif_report() {
    let mut sarif: serde_json::Value = serde_json::from_str(&render(&history(), "sarif")).unwrap();
    // The tool's version moves with every release: not part of the golden file.
    for run in sarif["runs"].as_array_mut().unwrap() {
        run["tool"]["driver"]["version"] = "[version]".into();
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&sarif).unwrap());
}

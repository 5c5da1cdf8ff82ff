//! Builds a small model repository with three releases in a temporary directory and prints
//! what license-drift reports between them:
//!
//! * v1.0.0: code under MIT (`LICENSE`), the model card says `license: apache-2.0`;
//! * v2.0.0: the weights move to a Llama-style community license in `LICENSE-MODEL`;
//! * v2.1.0: that license gains a clause excluding EU residents.
//!
//! Run with `cargo run --example demo`; pass `--format json` or `--format markdown` for the
//! other report formats, and `--repo-dir DIR` to build the repository in DIR and keep it
//! (`license-drift sbom --repo DIR v2.1.0` then describes it; `.ci/run` validates that).

use std::io::Write;

use git2::{Oid, Repository, Signature, Time};
use license_drift::engine;
use license_drift::git::Repo;
use license_drift::profile::Profiler;
use license_drift::report::{self, DiffReport, FailOn};

const MIT: &str = "MIT License\n\nCopyright (c) 2024 ACME Research\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";

/// A stand-in for a community license: the real title and version line (which identify
/// it), with a short body written for this demo.
const COMMUNITY: &str = "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n\n(Demo text: an abridged stand-in for the real agreement.)\n\nYou are granted a non-exclusive, worldwide, non-transferable and royalty-free license to use, reproduce and distribute the Materials.\n\nIf, on the release date, the monthly active users of your products exceeded 700 million monthly active users, you must request a license from the licensor.\n\nYour use of the Materials must comply with the Acceptable Use Policy, which is hereby incorporated by reference into this Agreement.\n";

const EU_CLAUSE: &str = "The rights granted for multimodal models are not granted to individuals domiciled in, or companies with a principal place of business in, the European Union.\n";

fn card(license: &str) -> String {
    format!(
        "---\nlicense: {license}\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n# acme-lm-7b\n\nA small language model.\n"
    )
}

const WEIGHTS: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 14483464192\n";

fn commit(repo: &Repository, parent: Option<Oid>, files: &[(&str, &str)], tag: &str) -> Result<Oid, git2::Error> {
    let mut builder = repo.treebuilder(None)?;
    for (name, content) in files {
        builder.insert(name, repo.blob(content.as_bytes())?, 0o100644)?;
    }
    let tree = repo.find_tree(builder.write()?)?;
    let sig = Signature::new("Demo", "demo@example.invalid", &Time::new(1_700_000_000, 0))?;
    let parents: Vec<_> = parent.map(|p| repo.find_commit(p)).transpose()?.into_iter().collect();
    let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let oid = repo.commit(Some("HEAD"), &sig, &sig, &format!("release {tag}"), &tree, &refs)?;
    repo.tag_lightweight(tag, &repo.find_object(oid, None)?, false)?;
    Ok(oid)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let format = match std::env::args().skip_while(|a| a != "--format").nth(1).as_deref() {
        Some("json") => report::Format::Json,
        Some("markdown") => report::Format::Markdown,
        Some("sarif") => report::Format::Sarif,
        _ => report::Format::Text,
    };
    let keep = std::env::args().skip_while(|a| a != "--repo-dir").nth(1).map(std::path::PathBuf::from);
    let tmp = tempfile::tempdir()?;
    let dir = keep.unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let git = Repository::init(&dir)?;
    let train = "print('training code')\n";
    let v1 = commit(
        &git,
        None,
        &[("LICENSE", MIT), ("README.md", &card("apache-2.0")), ("model.safetensors", WEIGHTS), ("train.py", train)],
        "v1.0.0",
    )?;
    let v2 = commit(
        &git,
        Some(v1),
        &[
            ("LICENSE", MIT),
            ("LICENSE-MODEL", COMMUNITY),
            ("README.md", &card("llama3.1")),
            ("model.safetensors", WEIGHTS),
            ("train.py", train),
        ],
        "v2.0.0",
    )?;
    let eu = format!("{COMMUNITY}\n{EU_CLAUSE}");
    commit(
        &git,
        Some(v2),
        &[
            ("LICENSE", MIT),
            ("LICENSE-MODEL", &eu),
            ("README.md", &card("llama3.1")),
            ("model.safetensors", WEIGHTS),
            ("train.py", train),
        ],
        "v2.1.0",
    )?;

    let repo = Repo::open(Some(&dir))?;
    let profiler = Profiler::new(&repo, false);
    let mut blocking = false;
    let mut out = anstream::stdout().lock();
    writeln!(out, "Demo repository: {}\n", dir.display())?;
    for (base, head) in [("v1.0.0", "v2.0.0"), ("v2.0.0", "v2.1.0")] {
        writeln!(out, "$ license-drift diff {base} {head}")?;
        let outcome = engine::diff(&profiler, &repo.resolve(base)?, &repo.resolve(head)?)?;
        let doc = DiffReport::new(outcome, FailOn::Error);
        blocking |= doc.blocking;
        match format {
            report::Format::Json => report::write_json(&doc, &mut out)?,
            report::Format::Markdown => report::write_diff_markdown(&doc, &mut out)?,
            report::Format::Sarif => report::write_sarif(&doc, &mut out)?,
            report::Format::Github => report::write_annotations(&doc, &mut out)?,
            report::Format::Text | report::Format::Cyclonedx | report::Format::Spdx3 => {
                report::write_diff_text(&doc, &mut out)?
            }
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "The CLI would exit with {}: {}",
        u8::from(blocking),
        if blocking { "a push or pull request with this drift is blocked" } else { "nothing blocks" }
    )?;
    Ok(())
}

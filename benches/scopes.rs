//! Many changed scopes (issue "fail closed under hostile input", item 7): a change that touches
//! the LICENSE of N package folders, or their `SPDX-License-Identifier` headers beside an
//! unchanged LICENSE, must cost O(N log N). `license-drift diff one two --format json` against
//! `git diff --name-status one two` on the same repository, medians of a few runs, ratio
//! (target <= 3x at 40,000 scopes) and peak memory.
//!
//! Run with `cargo bench --bench scopes`; `LICENSE_DRIFT_SCOPES=5000,40000` picks the sizes.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

const MIT: &str = "MIT License\n\nCopyright (c) 2024 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";
/// The whole GPL-3.0 text, as a package would ship it.
fn gpl() -> &'static str {
    spdx::license_id("GPL-3.0-only").expect("GPL-3.0-only").text()
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
    c
}

/// Two commits (`one`, `two`) written with `git fast-import`: `files(k, side)` gives the
/// paths and contents of package `k` on each side.
fn build(dir: &Path, n: usize, files: impl Fn(usize, usize) -> Vec<(String, &'static str)>) {
    assert!(git(Path::new(".")).args(["init", "-q", "-b", "main"]).arg(dir).status().unwrap().success());
    let mut blobs: Vec<&'static str> = Vec::new();
    let mut stream = Vec::new();
    let mut commits = Vec::new();
    for side in 0..2 {
        let mut lines = String::new();
        for k in 0..n {
            for (path, content) in files(k, side) {
                let mark = match blobs.iter().position(|b| std::ptr::eq(*b, content)) {
                    Some(i) => i + 1,
                    None => {
                        blobs.push(content);
                        stream.extend(format!("blob\nmark :{}\ndata {}\n", blobs.len(), content.len()).as_bytes());
                        stream.extend(content.as_bytes());
                        stream.push(b'\n');
                        blobs.len()
                    }
                };
                lines.push_str(&format!("M 100644 :{mark} {path}\n"));
            }
        }
        commits.push(lines);
    }
    for (side, lines) in commits.iter().enumerate() {
        let msg = if side == 0 { "one" } else { "two" };
        let from = if side == 1 { "from :1000000001\n" } else { "" };
        stream.extend(
            format!(
                "commit refs/heads/main\nmark :{}\ncommitter B <b@example.invalid> 1700000000 +0000\ndata {}\n{msg}\n{from}{lines}\n",
                1_000_000_001 + side,
                msg.len()
            )
            .as_bytes(),
        );
    }
    let mut child = git(dir).args(["fast-import", "--quiet"]).stdin(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &stream).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(git(dir).args(["tag", "one", "main~1"]).status().unwrap().success());
    assert!(git(dir).args(["tag", "two", "main"]).status().unwrap().success());
    assert!(git(dir).args(["repack", "-adq"]).status().unwrap().success());
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn timed(mut c: Command) -> (Duration, std::process::Output) {
    let t = Instant::now();
    let out = c.output().unwrap();
    (t.elapsed(), out)
}

fn max_rss_kib(bin: &str, dir: &Path) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", bin, "diff", "one", "two", "--format", "json"])
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_license-drift");
    let sizes: Vec<usize> = std::env::var("LICENSE_DRIFT_SCOPES")
        .unwrap_or_else(|_| "5000,20000,40000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("\n== changed scopes benchmark ==");
    println!(
        "| case | scopes | findings | license-drift (median) | git diff --name-status (median) | ratio | max RSS |"
    );
    println!("|---|---|---|---|---|---|---|");
    type Case = (&'static str, fn(usize, usize) -> Vec<(String, &'static str)>);
    let cases: [Case; 2] = [
        ("LICENSE MIT -> GPL-3.0 in every package", |k, side| {
            vec![(format!("pkg/p{k}/LICENSE"), if side == 0 { MIT } else { gpl() })]
        }),
        ("headers MIT -> GPL-3.0 beside an MIT LICENSE", |k, side| {
            vec![
                (format!("pkg/p{k}/LICENSE"), MIT),
                (
                    format!("pkg/p{k}/main.go"),
                    if side == 0 {
                        "// SPDX-License-Identifier: MIT\npackage x\n"
                    } else {
                        "// SPDX-License-Identifier: GPL-3.0-only\npackage x\n"
                    },
                ),
            ]
        }),
    ];
    for (name, files) in cases {
        for &n in &sizes {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("repo");
            build(&dir, n, files);
            let (mut tl, mut tg) = (Vec::new(), Vec::new());
            let mut findings = 0;
            for _ in 0..RUNS {
                let mut c = Command::new(bin);
                c.args(["diff", "one", "two", "--format", "json"])
                    .current_dir(&dir)
                    .env("GIT_CONFIG_GLOBAL", "/dev/null")
                    .env("GIT_CONFIG_NOSYSTEM", "1");
                let (d, out) = timed(c);
                assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
                let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                findings = doc["findings"].as_array().map_or(0, Vec::len);
                tl.push(d);
                let mut g = git(&dir);
                g.args(["diff", "--name-status", "one", "two"]);
                tg.push(timed(g).0);
            }
            let (ml, mg) = (median(tl), median(tg));
            let rss = max_rss_kib(bin, &dir).map_or("n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
            println!(
                "| {name} | {n} | {findings} | {:.0} ms | {:.0} ms | {:.2}x | {rss} |",
                ml.as_secs_f64() * 1e3,
                mg.as_secs_f64() * 1e3,
                ml.as_secs_f64() / mg.as_secs_f64()
            );
        }
    }
}

//! History benchmarks (issues 6 and 8):
//! - `log` over 50 release tags against 49 `git diff --name-only` runs of the same pairs in
//!   one process each (target <= 1x: the memo makes the walk cheaper than separate diffs);
//! - the pre-push hook on a push with no relevant change against `git diff --name-only` of
//!   the same range (target <= 2x).
//!
//! Run with `cargo bench --bench history`. The repository (5,000 files, 50 tags, a license
//! change at v1.25.0, a data folder removed at v1.40.0) is built with `git fast-import` in a
//! temp dir.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 5_000;
const TAGS: usize = 50;
const RUNS: usize = 7;

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
    c
}

fn blob(s: &mut Vec<u8>, path: &str, text: &str) {
    writeln!(s, "M 100644 inline {path}\ndata {}\n{text}", text.len()).unwrap();
}

fn build(dir: &Path) {
    assert!(git(dir).args(["init", "-q", "-b", "main"]).status().unwrap().success());
    let mit = spdx::license_id("MIT").unwrap().text();
    let apache = spdx::license_id("Apache-2.0").unwrap().text();
    let mut s = Vec::new();
    for t in 0..TAGS {
        writeln!(
            s,
            "commit refs/heads/main\nmark :{}\ncommitter b <b@example.invalid> {} +0000",
            t + 1,
            1_700_000_000 + t
        )
        .unwrap();
        writeln!(s, "data 3\nv{t}").unwrap();
        if t > 0 {
            writeln!(s, "from :{t}").unwrap();
        }
        if t == 0 {
            blob(&mut s, "LICENSE", mit);
            blob(&mut s, "README.md", "---\nlicense: mit\n---\n# m\n");
            for i in 0..FILES {
                blob(
                    &mut s,
                    &format!("src/m{}/f{i}.rs", i % 100),
                    &format!("// SPDX-License-Identifier: MIT\npub fn f{i}() {{}}\n"),
                );
            }
            for i in 0..50 {
                blob(&mut s, &format!("data/part-{i}.jsonl"), "{}\n");
            }
        }
        for i in 0..20 {
            let f = (t * 37 + i * 101) % FILES;
            blob(
                &mut s,
                &format!("src/m{}/f{f}.rs", f % 100),
                &format!("// SPDX-License-Identifier: MIT\npub fn f{f}() {{ {t} }}\n"),
            );
        }
        if t == 25 {
            blob(&mut s, "LICENSE", apache);
        }
        if t == 40 {
            writeln!(s, "D data").unwrap();
        }
        writeln!(s).unwrap();
        writeln!(s, "reset refs/tags/v1.{t}.0\nfrom :{}\n", t + 1).unwrap();
    }
    writeln!(s, "done").unwrap();
    let mut child = git(dir).args(["fast-import", "--quiet", "--done"]).stdin(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&s).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(git(dir).args(["repack", "-adq"]).status().unwrap().success());
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_license-drift");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    build(&dir);
    let tags: Vec<String> = (0..TAGS).map(|t| format!("v1.{t}.0")).collect();
    let (mut ld, mut gd) = (Vec::new(), Vec::new());
    let mut findings = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = Command::new(bin)
            .current_dir(&dir)
            .args(["log", "--format", "json", "--fail-on", "never"])
            .output()
            .unwrap();
        ld.push(t.elapsed());
        let docs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("log prints JSON");
        findings =
            docs.as_array().map(|a| a.iter().map(|d| d["findings"].as_array().map_or(0, Vec::len)).sum()).unwrap_or(0);
        let t = Instant::now();
        for w in tags.windows(2) {
            assert!(git(&dir).args(["diff", "--name-only", &w[0], &w[1]]).output().unwrap().status.success());
        }
        gd.push(t.elapsed());
    }
    let (l, g) = (median(ld), median(gd));
    println!("== history benchmark ==");
    println!(
        "log over {TAGS} tags ({findings} findings): {l:.1?} vs {} x git diff --name-only: {g:.1?} -> ratio {:.2}x (target <= 1x)",
        TAGS - 1,
        l.as_secs_f64() / g.as_secs_f64()
    );

    // The hook on a push with no relevant change: the last ten releases touched only sources.
    let (base, head) = ("v1.48.0", "v1.49.0");
    let oid = |r: &str| {
        String::from_utf8(git(&dir).args(["rev-parse", r]).output().unwrap().stdout).unwrap().trim().to_string()
    };
    let stdin = format!("refs/heads/main {} refs/heads/main {}\n", oid(head), oid(base));
    let (mut hk, mut gk) = (Vec::new(), Vec::new());
    for _ in 0..RUNS * 3 {
        let t = Instant::now();
        let mut child = Command::new(bin)
            .current_dir(&dir)
            .args(["hook", "pre-push", "origin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "no relevant change must pass");
        hk.push(t.elapsed());
        let t = Instant::now();
        git(&dir).args(["diff", "--name-only", base, head]).output().unwrap();
        gk.push(t.elapsed());
    }
    let (h, g) = (median(hk), median(gk));
    println!(
        "hook pre-push with no relevant change: {h:.1?} vs git diff --name-only: {g:.1?} -> ratio {:.2}x (target <= 2x)",
        h.as_secs_f64() / g.as_secs_f64()
    );
}

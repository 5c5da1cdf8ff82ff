//! `diff` speed benchmark (issue 3, "Speed of diff"): `license-drift diff A B --format json`
//! against `git diff --name-status A B` on the same refs, alternating runs, medians and
//! their ratio (target <= 2x), plus peak memory of license-drift (target <= 64 MiB).
//!
//! One repository, built with `git fast-import` in a temp dir and repacked (`git repack -adf`)
//! as a clone would have it:
//! - `main`: >= 20,000 files in a few hundred directories (Rust crates, a web package,
//!   Python code, vendored third-party code with its own MIT LICENSE, docs, test data),
//!   `SPDX-License-Identifier` headers on about half of the source files, an MPL-2.0
//!   `LICENSE`, Cargo.toml / package.json manifests and a README.md model card;
//! - `scenario-a` (from `main`): ~300 ordinary changes (edits, a new module, a new vendored
//!   Apache-2.0 library, deletions);
//! - `scenario-b` (from `main`): LICENSE MPL-2.0 -> BUSL-1.1 among 1,700 changed files,
//!   1,300 of them headers MPL-2.0 -> BUSL-1.1, with the manifests and the card following.
//! - `scenario-c`: `scenario-b` with MIT, BSD-3-Clause and Apache-2.0 texts bundled after the
//!   BUSL text in LICENSE, which only the text matcher reads.
//!
//! Run with `cargo bench --bench diff`; `LICENSE_DRIFT_BENCH_REPO=DIR` builds the repository
//! in DIR (an empty or missing directory) and keeps it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 15;
const WARMUP: usize = 2;
const MEM_RUNS: usize = 3;

/// Deterministic xorshift64* generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "frame", "token", "buffer", "weight", "layer", "cache", "shard", "batch", "tensor", "stream", "config", "route",
    "queue", "index", "block", "chunk", "vocab", "score", "state", "event", "record", "span", "slot", "graph",
];

fn ident(rng: &mut Rng) -> String {
    format!("{}_{}", rng.pick(WORDS), rng.pick(WORDS))
}

fn comment_prefix(path: &str) -> &'static str {
    if path.ends_with(".py") { "#" } else { "//" }
}

/// A source file: optional SPDX header, a copyright line, some plausible code.
fn source(rng: &mut Rng, path: &str, spdx: Option<&str>, holder: &str) -> String {
    let c = comment_prefix(path);
    let mut s = String::new();
    if let Some(id) = spdx {
        s.push_str(&format!("{c} SPDX-License-Identifier: {id}\n"));
        s.push_str(&format!("{c} Copyright 2023-2024 {holder}\n\n"));
    }
    let funcs = 1 + rng.below(6);
    for _ in 0..funcs {
        s.push_str(&function(rng, path));
    }
    s
}

fn function(rng: &mut Rng, path: &str) -> String {
    let name = ident(rng);
    let arg = rng.pick(WORDS);
    let body_lines = 2 + rng.below(8);
    let mut s = String::new();
    if path.ends_with(".py") {
        s.push_str(&format!("\ndef {name}({arg}):\n    \"\"\"Return the {arg} {}.\"\"\"\n", rng.pick(WORDS)));
        for _ in 0..body_lines {
            s.push_str(&format!("    {} = {arg}.{}({})\n", ident(rng), rng.pick(WORDS), rng.below(512)));
        }
        s.push_str(&format!("    return {arg}\n"));
    } else if path.ends_with(".ts") {
        s.push_str(&format!("\nexport function {name}({arg}: number): number {{\n"));
        for _ in 0..body_lines {
            s.push_str(&format!("  const {} = {arg} * {} + {};\n", ident(rng), rng.below(97), rng.below(1000)));
        }
        s.push_str(&format!("  return {arg};\n}}\n"));
    } else {
        s.push_str(&format!(
            "\n/// Computes the {} of a {}.\npub fn {name}({arg}: &[u8]) -> usize {{\n",
            rng.pick(WORDS),
            arg
        ));
        s.push_str("    let mut total = 0;\n");
        for _ in 0..body_lines {
            s.push_str(&format!("    total += {arg}.len() * {} + {};\n", rng.below(97), rng.below(1000)));
        }
        s.push_str("    total\n}\n");
    }
    s
}

fn spdx_text(id: &str) -> String {
    spdx::license_id(id).map(|l| l.text().to_string()).unwrap_or_default()
}

fn mit_text(holder: &str) -> String {
    spdx_text("MIT").replace("<year>", "2021").replace("<copyright holders>", holder)
}

fn busl_text() -> String {
    let text = spdx_text("BUSL-1.1");
    let params = "Parameters\n\n\
Licensor:             Example Systems GmbH\n\
Licensed Work:        Frob 2.0. The Licensed Work is (c) 2024 Example Systems GmbH.\n\
Additional Use Grant: You may make production use of the Licensed Work, provided that\n\
                      you do not offer it to third parties as a hosted service.\n\
Change Date:          2028-06-01\n\
Change License:       Mozilla Public License 2.0\n\n";
    // The parameter block goes after the header lines, before "Terms".
    match text.find("\nTerms\n") {
        Some(i) => format!("{}\n{params}{}", &text[..i], &text[i + 1..]),
        None => format!("{params}{text}"),
    }
}

fn card(license_lines: &str) -> String {
    format!(
        "---\n{license_lines}library_name: transformers\npipeline_tag: text-generation\ntags:\n  - code\n  - rust\n---\n\n\
# Frob-7B\n\nFrob-7B is a 7B-parameter code model trained on permissively licensed source code.\n\n\
## Usage\n\n```python\nfrom transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained(\"example/frob-7b\")\n```\n\n\
## Training data\n\nSee `docs/data.md`.\n"
    )
}

fn cargo_toml(name: &str, license: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.4.2\"\nedition = \"2021\"\nlicense = \"{license}\"\n\n[dependencies]\nserde = \"1\"\n"
    )
}

fn package_json(name: &str, license: &str) -> String {
    format!(
        "{{\n  \"name\": \"{name}\",\n  \"version\": \"1.3.0\",\n  \"license\": \"{license}\",\n  \"main\": \"dist/index.js\"\n}}\n"
    )
}

const CRATES: &[&str] = &["core", "model", "tokenizer", "server", "cli", "train"];
const VENDORED: &[&str] = &["fastjson", "minihash", "lz", "argparse", "tinyrand"];
const HOLDER: &str = "Example Systems GmbH";

/// The base tree: path -> content.
fn base_tree(rng: &mut Rng) -> (BTreeMap<String, String>, usize) {
    let mut t = BTreeMap::new();
    t.insert("LICENSE".to_string(), spdx_text("MPL-2.0"));
    t.insert("README.md".to_string(), card("license: mpl-2.0\n"));
    t.insert(
        "Cargo.toml".to_string(),
        format!("{}\n[workspace]\nmembers = [\"crates/*\"]\n", cargo_toml("frob", "MPL-2.0")),
    );
    t.insert(".gitignore".to_string(), "/target\nnode_modules/\n__pycache__/\n".to_string());
    // (directory, extension, header license or None for no headers, header percent, holder)
    let mut dirs: Vec<(String, &str, Option<&str>, u64, String)> = Vec::new();
    for c in CRATES {
        t.insert(format!("crates/{c}/Cargo.toml"), cargo_toml(&format!("frob-{c}"), "MPL-2.0"));
        for m in 0..9 {
            dirs.push((
                format!("crates/{c}/src/{}_{m}", WORDS[m * 2 % WORDS.len()]),
                "rs",
                Some("MPL-2.0"),
                55,
                HOLDER.into(),
            ));
            for s in 0..5 {
                dirs.push((
                    format!("crates/{c}/src/{}_{m}/{}", WORDS[m * 2 % WORDS.len()], WORDS[(m + s * 5) % WORDS.len()]),
                    "rs",
                    Some("MPL-2.0"),
                    55,
                    HOLDER.into(),
                ));
            }
        }
        dirs.push((format!("crates/{c}/tests"), "rs", Some("MPL-2.0"), 30, HOLDER.into()));
    }
    t.insert("web/package.json".to_string(), package_json("frob-web", "MPL-2.0"));
    for m in 0..30 {
        dirs.push((
            format!("web/src/components/{}{m}", WORDS[m % WORDS.len()]),
            "ts",
            Some("MPL-2.0"),
            50,
            HOLDER.into(),
        ));
    }
    for m in 0..20 {
        dirs.push((
            format!("python/frob/{}_{m}", WORDS[(m * 7) % WORDS.len()]),
            "py",
            Some("MPL-2.0"),
            50,
            HOLDER.into(),
        ));
    }
    for v in VENDORED {
        let holder = format!("The {v} authors");
        t.insert(format!("third_party/{v}/LICENSE"), mit_text(&holder));
        t.insert(format!("third_party/{v}/package.json"), package_json(v, "MIT"));
        for m in 0..6 {
            dirs.push((
                format!("third_party/{v}/src/{}", WORDS[(m * 3 + 1) % WORDS.len()]),
                "ts",
                Some("MIT"),
                40,
                holder.clone(),
            ));
        }
    }
    for m in 0..25 {
        dirs.push((format!("docs/{}/{m}", WORDS[m % WORDS.len()]), "md", None, 0, String::new()));
    }
    for m in 0..30 {
        dirs.push((format!("tests/data/{}_{m}", WORDS[(m * 5) % WORDS.len()]), "json", None, 0, String::new()));
    }
    let n_dirs = dirs.len();
    let target = 20_400;
    let per_dir = target / n_dirs;
    for (dir, ext, lic, pct, holder) in &dirs {
        let n = per_dir / 2 + rng.below(per_dir + 1);
        for i in 0..n {
            let name = format!("{}_{i}.{ext}", ident(rng));
            let path = format!("{dir}/{name}");
            let content = match *ext {
                "md" => format!(
                    "# {}\n\nNotes on the {} {}.\n\n{}\n",
                    ident(rng),
                    rng.pick(WORDS),
                    rng.pick(WORDS),
                    "- item\n".repeat(1 + rng.below(20))
                ),
                "json" => format!(
                    "{{\"{}\": {}, \"{}\": [{}]}}\n",
                    rng.pick(WORDS),
                    rng.below(10_000),
                    rng.pick(WORDS),
                    rng.below(100)
                ),
                _ => {
                    let header = if rng.chance(*pct) { *lic } else { None };
                    source(rng, &path, header, holder)
                }
            };
            t.insert(path, content);
        }
    }
    // Top up to at least 20,000 files.
    let mut k = 0;
    while t.len() < 20_000 {
        t.insert(format!("tests/data/extra/case_{k}.json"), format!("{{\"case\": {k}}}\n"));
        k += 1;
    }
    (t, n_dirs)
}

/// A change set: path -> new content (None = deleted).
type Changes = BTreeMap<String, Option<String>>;

fn source_paths(base: &BTreeMap<String, String>) -> Vec<String> {
    base.keys().filter(|p| p.ends_with(".rs") || p.ends_with(".ts") || p.ends_with(".py")).cloned().collect()
}

fn scenario_a(rng: &mut Rng, base: &BTreeMap<String, String>) -> Changes {
    let mut ch = Changes::new();
    let sources = source_paths(base);
    while ch.len() < 250 {
        let p = &sources[rng.below(sources.len())];
        let mut text = base[p].clone();
        text.push_str(&function(rng, p));
        ch.insert(p.clone(), Some(text));
    }
    for i in 0..20 {
        let p = format!("crates/core/src/streaming/{}_{i}.rs", ident(rng));
        let text = source(rng, &p, Some("MPL-2.0"), HOLDER);
        ch.insert(p, Some(text));
    }
    ch.insert("third_party/ringbuf/LICENSE".into(), Some(spdx_text("Apache-2.0")));
    for i in 0..9 {
        let p = format!("third_party/ringbuf/src/{}_{i}.ts", ident(rng));
        let text = source(rng, &p, Some("Apache-2.0"), "The ringbuf authors");
        ch.insert(p, Some(text));
    }
    let docs: Vec<&String> = base.keys().filter(|p| p.starts_with("docs/")).collect();
    let target = ch.len() + 20;
    while ch.len() < target {
        ch.insert(docs[rng.below(docs.len())].clone(), None);
    }
    ch
}

fn scenario_b(rng: &mut Rng, base: &BTreeMap<String, String>) -> Changes {
    let mut ch = Changes::new();
    ch.insert("LICENSE".into(), Some(busl_text()));
    ch.insert("README.md".into(), Some(card("license: other\nlicense_name: busl-1.1\nlicense_link: LICENSE\n")));
    ch.insert("Cargo.toml".into(), Some(base["Cargo.toml"].replace("MPL-2.0", "BUSL-1.1")));
    for c in CRATES {
        let p = format!("crates/{c}/Cargo.toml");
        ch.insert(p.clone(), Some(base[&p].replace("MPL-2.0", "BUSL-1.1")));
    }
    ch.insert("web/package.json".into(), Some(base["web/package.json"].replace("MPL-2.0", "BUSL-1.1")));
    let with_header: Vec<&String> =
        base.iter().filter(|(_, t)| t.contains("SPDX-License-Identifier: MPL-2.0")).map(|(p, _)| p).collect();
    assert!(with_header.len() >= 1_300, "only {} files with MPL-2.0 headers", with_header.len());
    let target = ch.len() + 1_300;
    while ch.len() < target {
        let p = with_header[rng.below(with_header.len())];
        let text = base[p].replacen("SPDX-License-Identifier: MPL-2.0", "SPDX-License-Identifier: BUSL-1.1", 1);
        ch.insert(p.clone(), Some(text));
    }
    let sources = source_paths(base);
    while ch.len() < 1_700 {
        let p = &sources[rng.below(sources.len())];
        if ch.contains_key(p) {
            continue;
        }
        let mut text = base[p].clone();
        text.push_str(&function(rng, p));
        ch.insert(p.clone(), Some(text));
    }
    ch
}

/// `scenario-b`, with a LICENSE that also bundles third-party texts: the text matcher reads it.
fn scenario_c(rng: &mut Rng, base: &BTreeMap<String, String>) -> Changes {
    let mut ch = scenario_b(rng, base);
    let bundle = format!(
        "{}\n\nThis product bundles third-party code under the following licenses.\n\n{}\n\n{}\n\n{}\n",
        busl_text(),
        mit_text("The Vendored Authors"),
        spdx_text("BSD-3-Clause").replace("<copyright holder>", "The Vendored Authors"),
        spdx_text("Apache-2.0")
    );
    ch.insert("LICENSE".into(), Some(bundle));
    ch
}

fn data(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(format!("data {}\n", bytes.len()).as_bytes());
    out.extend_from_slice(bytes);
    out.push(b'\n');
}

fn commit_header(out: &mut Vec<u8>, branch: &str, mark: u32, time: u64, msg: &str) {
    out.extend_from_slice(format!("commit refs/heads/{branch}\nmark :{mark}\n").as_bytes());
    out.extend_from_slice(format!("author Bench <bench@example.com> {time} +0000\n").as_bytes());
    out.extend_from_slice(format!("committer Bench <bench@example.com> {time} +0000\n").as_bytes());
    data(out, msg.as_bytes());
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
    c
}

fn build_repo(dir: &Path, base: &BTreeMap<String, String>, scenarios: &[(&str, &Changes)]) {
    let st = git(dir).args(["init", "-q", "-b", "main"]).status().expect("git init");
    assert!(st.success());
    let mut s = Vec::new();
    commit_header(&mut s, "main", 1, 1_700_000_000, "base");
    for (path, text) in base {
        s.extend_from_slice(format!("M 100644 inline {path}\n").as_bytes());
        data(&mut s, text.as_bytes());
    }
    for (i, (branch, changes)) in scenarios.iter().enumerate() {
        commit_header(&mut s, branch, 2 + i as u32, 1_700_100_000 + i as u64, branch);
        s.extend_from_slice(b"from :1\n");
        for (path, text) in changes.iter() {
            match text {
                Some(text) => {
                    s.extend_from_slice(format!("M 100644 inline {path}\n").as_bytes());
                    data(&mut s, text.as_bytes());
                }
                None => s.extend_from_slice(format!("D {path}\n").as_bytes()),
            }
        }
    }
    s.extend_from_slice(b"done\n");
    let mut child =
        git(dir).args(["fast-import", "--quiet", "--done"]).stdin(Stdio::piped()).spawn().expect("fast-import");
    child.stdin.take().unwrap().write_all(&s).expect("write fast-import stream");
    assert!(child.wait().expect("fast-import").success(), "git fast-import failed");
    // Pack as a clone would receive it (fast-import's own pack has long, path-blind delta
    // chains). A checkout is not needed: both tools compare trees.
    let st = git(dir).args(["repack", "-a", "-d", "-f", "-q"]).status().expect("git repack");
    assert!(st.success(), "git repack failed");
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timed(mut c: Command) -> (Duration, Output) {
    let t = Instant::now();
    let out = c.output().expect("run");
    (t.elapsed(), out)
}

/// Max RSS in KiB of a command run under `/usr/bin/time -f %M`.
fn max_rss(args: &[&str], dir: &Path, program: &str) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_license-drift");
    let tmp = tempfile::tempdir().expect("temp dir");
    // `LICENSE_DRIFT_BENCH_REPO=DIR` builds the repository in DIR (kept, e.g. for profiling).
    let dir = std::env::var_os("LICENSE_DRIFT_BENCH_REPO").map_or_else(|| tmp.path().join("repo"), PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();

    let t = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (base, n_dirs) = base_tree(&mut rng);
    let a = scenario_a(&mut rng, &base);
    let b = scenario_b(&mut rng, &base);
    let c = scenario_c(&mut rng, &base);
    build_repo(&dir, &base, &[("scenario-a", &a), ("scenario-b", &b), ("scenario-c", &c)]);
    let headers = base.values().filter(|t| t.contains("SPDX-License-Identifier:")).count();
    let bytes: usize = base.values().map(String::len).sum();
    println!("\n== diff benchmark ==");
    println!(
        "repository: {} files ({} with SPDX headers, {:.1} MB) in {} source directories (+ package roots), built in {:.1} s",
        base.len(),
        headers,
        bytes as f64 / 1e6,
        n_dirs,
        t.elapsed().as_secs_f64()
    );

    let has_time = Path::new("/usr/bin/time").exists();
    println!(
        "\n| scenario | changed | findings | license-drift (median) | git diff --name-status (median) | ratio | paired ratio (median) | max RSS license-drift | max RSS git |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut notes = Vec::new();
    for (branch, what) in [
        ("scenario-a", "ordinary changes"),
        ("scenario-b", "MPL-2.0 -> BUSL-1.1"),
        ("scenario-c", "MPL-2.0 -> BUSL-1.1 with bundled third-party texts, through the text matcher"),
    ] {
        let ld_args = ["diff", "main", branch, "--format", "json"];
        let git_args = ["diff", "--name-status", "main", branch];
        let run_ld = || {
            let mut c = Command::new(bin);
            c.args(ld_args).current_dir(&dir).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
            timed(c)
        };
        let run_git = || {
            let mut c = git(&dir);
            c.args(git_args);
            timed(c)
        };
        for _ in 0..WARMUP {
            run_ld();
            run_git();
        }
        let (mut tl, mut tg, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let mut last = None;
        for _ in 0..RUNS {
            let (dl, out) = run_ld();
            let code = out.status.code().unwrap_or(-1);
            assert!(code == 0 || code == 1, "license-drift failed ({code}): {}", String::from_utf8_lossy(&out.stderr));
            let (dg, gout) = run_git();
            assert!(gout.status.success(), "git diff failed");
            tl.push(dl);
            tg.push(dg);
            ratios.push(dl.as_secs_f64() / dg.as_secs_f64());
            last = Some((out, gout));
        }
        let (out, gout) = last.unwrap();
        let changed = String::from_utf8_lossy(&gout.stdout).lines().count();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("diff JSON");
        let findings = doc["findings"].as_array().cloned().unwrap_or_default();
        ratios.sort_by(|x, y| x.total_cmp(y));
        let (ml, mg) = (median(tl), median(tg));
        let rss = |program: &str, args: &[&str]| {
            if !has_time {
                return "n/a".to_string();
            }
            (0..MEM_RUNS)
                .filter_map(|_| max_rss(args, &dir, program))
                .max()
                .map_or("n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
        };
        let rss_ld = rss(bin, &ld_args);
        let rss_git = rss("git", &git_args);
        println!(
            "| {branch} ({what}) | {changed} | {} | {:.1} ms | {:.1} ms | {:.2}x | {:.2}x | {rss_ld} | {rss_git} |",
            findings.len(),
            ms(ml),
            ms(mg),
            ms(ml) / ms(mg),
            ratios[ratios.len() / 2],
        );
        let mut n = format!("{branch}: summary {}", doc["summary"]);
        for f in findings.iter().take(12) {
            n.push_str(&format!(
                "\n  {} {} [{}/{}] {} -> {} ({} paths)",
                f["severity"].as_str().unwrap_or(""),
                f["rule"].as_str().unwrap_or(""),
                f["scope"]["path"].as_str().unwrap_or(""),
                f["scope"]["component"].as_str().unwrap_or(""),
                f["before"].as_str().unwrap_or("-"),
                f["after"].as_str().unwrap_or("-"),
                f["paths"].as_array().map_or(0, |p| p.len()),
            ));
        }
        if findings.len() > 12 {
            n.push_str(&format!("\n  … {} more", findings.len() - 12));
        }
        // Phase timings (debug log) of one run, for reading a miss.
        let dbg = Command::new(bin)
            .args(ld_args)
            .current_dir(&dir)
            .env("RUST_LOG", "license_drift=debug")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("debug run");
        for line in strip_ansi(&String::from_utf8_lossy(&dbg.stderr)).lines().filter(|l| l.contains("DEBUG")).take(12) {
            n.push_str(&format!("\n  log: {}", line.split_once("DEBUG").map_or(line, |(_, r)| r).trim()));
        }
        notes.push(n);
    }
    println!("\ntargets: ratio <= 2x, max RSS <= 64 MiB\n");
    for n in notes {
        println!("{n}\n");
    }
}

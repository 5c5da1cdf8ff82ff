//! Shared test helpers: a repository builder driving the real `git` CLI in a temp dir, and
//! a runner for the real binary. Git always runs with `GIT_CONFIG_GLOBAL=/dev/null`,
//! `GIT_CONFIG_NOSYSTEM=1` and fixed identities and dates, so results do not depend on the
//! machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// Runs git with a clean, fixed environment in `dir`; panics with its output on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args, &[]);
    assert!(
        out.status.success(),
        "git {args:?} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs git with extra environment and returns its output whatever the status.
pub fn git_output(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    // Hooks run by git inherit this environment: keep the tool's switches out of it.
    clean_env(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("git runs")
}

/// Removes what would change the tool's behaviour (GitHub, pre-commit and tool variables,
/// RUST_LOG) and turns colour off.
pub fn clean_env(cmd: &mut Command) {
    for (k, _) in std::env::vars() {
        if k.starts_with("GITHUB_") || k.starts_with("LICENSE_DRIFT_") || k.starts_with("PRE_COMMIT_") {
            cmd.env_remove(k);
        }
    }
    cmd.env_remove("RUST_LOG").env_remove("PRE_COMMIT").env("NO_COLOR", "1");
}

/// Parses a GITHUB_OUTPUT / GITHUB_ENV file: `name=value` lines and `name<<DELIM` blocks.
pub fn parse_outputs(text: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}

/// The text of an SPDX license from the spdx crate.
pub fn spdx_text(id: &str) -> &'static str {
    spdx::license_id(id).unwrap_or_else(|| panic!("{id} is not an SPDX id")).text()
}

/// A git repository in a temp dir, built commit by commit.
pub struct Repo {
    _tmp: TempDir,
    pub path: PathBuf,
}

impl Repo {
    /// A new repository on branch `main`.
    pub fn new() -> Repo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let path = tmp.path().join("repo");
        std::fs::create_dir(&path).unwrap();
        git(&path, &["init", "-q", "-b", "main"]);
        Repo { _tmp: tmp, path }
    }

    /// A scratch directory next to the repository (for clones and bare copies).
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.path.parent().unwrap().join(name)
    }

    /// Writes a file (creating directories).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.path.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    /// Removes a file.
    pub fn remove(&self, rel: &str) -> &Self {
        git(&self.path, &["rm", "-q", "-r", "--cached", rel]);
        let p = self.path.join(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
        self
    }

    /// Renames a file with `git mv`.
    pub fn rename(&self, from: &str, to: &str) -> &Self {
        if let Some(parent) = self.path.join(to).parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        git(&self.path, &["mv", from, to]);
        self
    }

    /// A model card README with the given front matter lines.
    pub fn card(&self, rel: &str, front_matter: &str) -> &Self {
        self.write(rel, format!("---\n{front_matter}\n---\n# A model\n\nSome prose about the model.\n"))
    }

    /// Stages everything and commits; returns the commit id.
    pub fn commit(&self, message: &str) -> String {
        git(&self.path, &["add", "-A"]);
        git(&self.path, &["commit", "-q", "--allow-empty", "-m", message]);
        git(&self.path, &["rev-parse", "HEAD"])
    }

    /// Commits and tags.
    pub fn commit_tag(&self, tag: &str) -> String {
        let c = self.commit(tag);
        git(&self.path, &["tag", tag]);
        c
    }

    /// Runs git in the repository.
    pub fn git(&self, args: &[&str]) -> String {
        git(&self.path, args)
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Parses stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    /// Findings of a diff document.
    pub fn findings(&self) -> Vec<serde_json::Value> {
        self.json()["findings"].as_array().cloned().unwrap_or_default()
    }

    /// Findings of one rule.
    pub fn rule(&self, rule: &str) -> Vec<serde_json::Value> {
        self.findings().into_iter().filter(|f| f["rule"] == rule).collect()
    }

    /// The one `license-changed` finding of direction `unknown` from `before` to an
    /// unidentified text: an error that blocks (exit 1), with no `license-unidentified` beside it.
    pub fn unknown_change(&self, before: &str) -> serde_json::Value {
        assert_eq!(self.code, 1, "a known license turned unreadable must block: {self:?}");
        let changed = self.rule("license-changed");
        assert_eq!(changed.len(), 1, "{self:?}");
        let f = changed[0].clone();
        assert_eq!(f["direction"], "unknown", "{self:?}");
        assert_eq!(f["severity"], "error", "{self:?}");
        assert_eq!(f["before"], before, "{self:?}");
        assert!(f["after"].as_str().unwrap_or_default().contains("LicenseRef-unidentified-"), "{self:?}");
        assert!(self.rule("license-unidentified").is_empty(), "{self:?}");
        f
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}\n--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs the binary in `dir` with a clean environment (no colour, no GitHub variables).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_license-drift"));
    cmd.current_dir(dir).args(args).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
    clean_env(&mut cmd);
    let out = cmd.output().expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `diff BASE HEAD --format json` in the repository.
pub fn diff_json(repo: &Repo, base: &str, head: &str) -> Run {
    run_in(&repo.path, &["diff", base, head, "--format", "json"])
}

/// Runs the binary in `dir` with extra environment and `stdin`.
pub fn run_stdin(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Run {
    use std::io::Write;
    use std::process::Stdio;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_license-drift"));
    cmd.current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    clean_env(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("binary runs");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // Written from a thread: the binary may stop reading (and exit) early.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("binary runs");
    let _ = writer.join();
    out.into()
}

/// Every file below `dir` with its size and modification time: compared before and after a
/// run, it shows that nothing was written there.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(meta) = std::fs::symlink_metadata(e.path()) else { continue };
            if meta.is_dir() {
                stack.push(e.path());
            }
            out.insert(e.path(), (meta.len(), meta.modified().unwrap_or(std::time::UNIX_EPOCH)));
        }
    }
    out
}

/// Runs `f` and asserts that nothing below `dir` (the repository, its `.git`, the temp dir
/// around it) was created, removed or modified meanwhile.
pub fn unchanged<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    let before = snapshot(dir);
    let out = f();
    let after = snapshot(dir);
    if before != after {
        let changed: Vec<&PathBuf> =
            before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
        panic!("the run wrote below {}: {changed:?}", dir.display());
    }
    out
}

//! The pre-push hook end to end: a bare remote in a temp dir, a work repository with the hook
//! installed by `license-drift hook install`, and real `git push`es that run it.

use std::path::{Path, PathBuf};

use super::util::{Repo, Run, diff_json, git, git_output, run_in, spdx_text};

const ZEROS: &str = "0000000000000000000000000000000000000000";

/// `git ARGS` through util's `git_output`: fixed identities, the hook's environment cleaned.
fn git_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    git_output(dir, args, env).into()
}

/// The binary in `dir` with extra environment and `stdin`.
fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    super::util::run_stdin(dir, args, env, stdin.as_bytes())
}

fn mit() -> &'static str {
    spdx_text("MIT")
}

fn gpl() -> &'static str {
    spdx_text("GPL-3.0-only")
}

/// A work repository with `origin`, a bare repository in the same temp dir.
struct Fixture {
    repo: Repo,
    bare: PathBuf,
}

impl Fixture {
    /// The remote and a repository with an MIT LICENSE already pushed; no hook yet.
    fn new() -> Fixture {
        Fixture::with_license(mit())
    }

    fn with_license(text: &str) -> Fixture {
        let f = Fixture::empty();
        f.repo.write("LICENSE", text).write("README.md", "# Project\n").write("src/lib.rs", "// v1\n");
        f.repo.commit("initial");
        f.repo.git(&["push", "-q", "origin", "main"]);
        f
    }

    /// The remote and a repository without commits.
    fn empty() -> Fixture {
        let repo = Repo::new();
        let bare = repo.sibling("remote.git");
        git(repo.path.parent().unwrap(), &["init", "-q", "--bare", "-b", "main", "remote.git"]);
        repo.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
        Fixture { repo, bare }
    }

    fn install(&self, extra: &[&str]) -> Run {
        let mut args = vec!["hook", "install"];
        args.extend_from_slice(extra);
        let out = run_in(&self.repo.path, &args);
        assert_eq!(out.code, 0, "hook install: {out:?}");
        out
    }

    /// Where the remote's ref points, if it exists.
    fn remote(&self, name: &str) -> Option<String> {
        let out = git_output(&self.bare, &["rev-parse", "-q", "--verify", &format!("{name}^{{}}")], &[]);
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn main(&self) -> String {
        self.remote("refs/heads/main").expect("remote has main")
    }

    fn push(&self, args: &[&str]) -> Run {
        git_env(&self.repo.path, args, &[])
    }

    fn push_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        git_env(&self.repo.path, args, env)
    }

    /// The id of the `license-changed` finding of `base..head`.
    fn finding(&self, base: &str, head: &str) -> String {
        let run = diff_json(&self.repo, base, head);
        let fs = run.rule("license-changed");
        assert_eq!(fs.len(), 1, "{run:?}");
        fs[0]["id"].as_str().unwrap().to_string()
    }

    fn hook_file(&self) -> PathBuf {
        self.repo.path.join(".git/hooks/pre-push")
    }
}

/// The push was refused by the hook: git says so, stderr names the finding, the id, the
/// exact `accept` command for the range and `--no-verify`.
fn assert_refused(out: &Run, id: &str, range: Option<(&str, &str)>) {
    assert_ne!(out.code, 0, "the push must be refused: {out:?}");
    let err = &out.stderr;
    assert!(err.contains("pre-push hook") || err.contains("failed to push"), "git reports the hook: {out:?}");
    assert!(err.contains("license-changed"), "stderr names the rule: {out:?}");
    assert!(err.contains(id), "stderr names the finding id {id}: {out:?}");
    let accept = err
        .lines()
        .find(|l| l.contains("license-drift accept") && l.contains(id))
        .unwrap_or_else(|| panic!("no `license-drift accept {id}` line: {out:?}"));
    assert!(accept.contains("--reason"), "{accept}");
    if let Some((base, head)) = range {
        assert!(accept.contains(&format!("--base {base}")), "accept names the base {base}: {accept}");
        assert!(accept.contains(&format!("--head {head}")), "accept names the head {head}: {accept}");
    }
    assert!(!accept.contains(&format!("--base {ZEROS}")), "the base must be a revision: {accept}");
    assert!(err.contains("git push --no-verify"), "stderr names --no-verify: {out:?}");
}

fn assert_pushed(out: &Run) {
    assert_eq!(out.code, 0, "the push must pass: {out:?}");
}

// (a) (b) (c)
#[test]
fn no_drift_passes_a_license_change_is_refused_until_accepted() {
    let f = Fixture::new();
    let out = f.install(&[]);
    let hook =
        std::fs::read_to_string(f.hook_file()).unwrap_or_else(|e| panic!("no .git/hooks/pre-push ({e}): {out:?}"));
    assert!(
        hook.contains(env!("CARGO_BIN_EXE_license-drift")),
        "the script calls the binary by absolute path:\n{hook}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.hook_file()).unwrap().permissions().mode();
        assert_ne!(mode & 0o111, 0, "the hook is executable: {mode:o}");
    }
    let status = run_in(&f.repo.path, &["hook", "status"]);
    assert_eq!(status.code, 0, "{status:?}");
    assert!(status.stdout.contains("pre-push"), "status says what is installed: {status:?}");

    // (a) No drift.
    f.repo.write("src/lib.rs", "// v2\n");
    let clean = f.repo.commit("code only");
    assert_pushed(&f.push(&["push", "origin", "main"]));
    assert_eq!(f.main(), clean);

    // (b) MIT → GPL-3.0-only: a tightened license change.
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    let id = f.finding(&clean, &drift);
    let out = f.push(&["push", "origin", "main"]);
    assert_refused(&out, &id, Some((&clean, &drift)));
    assert_eq!(f.main(), clean, "the remote ref is unchanged");

    // (c) Accept with the printed range, commit, push.
    let acc =
        run_in(&f.repo.path, &["accept", &id, "--reason", "relicensed on purpose", "--base", &clean, "--head", &drift]);
    assert_eq!(acc.code, 0, "{acc:?}");
    let acked = f.repo.commit("accept the relicensing");
    assert_pushed(&f.push(&["push", "origin", "main"]));
    assert_eq!(f.main(), acked, "the remote moved");
}

// (d)
#[test]
fn a_new_branch_is_checked_from_its_fork_point() {
    let f = Fixture::new();
    let fork = f.main();
    f.install(&[]);
    // A new branch without drift of its own passes.
    f.repo.git(&["checkout", "-q", "-b", "clean"]);
    f.repo.write("src/lib.rs", "// clean\n");
    let clean = f.repo.commit("clean work");
    assert_pushed(&f.push(&["push", "origin", "clean"]));
    assert_eq!(f.remote("refs/heads/clean").as_deref(), Some(clean.as_str()));
    // A new branch that relicenses is refused, and the range starts at the fork point.
    f.repo.git(&["checkout", "-q", "-b", "feature", "main"]);
    f.repo.write("src/lib.rs", "// feature\n");
    f.repo.commit("feature work");
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    let id = f.finding(&fork, &drift);
    let out = f.push(&["push", "origin", "feature"]);
    assert_refused(&out, &id, Some((&fork, &drift)));
    assert_eq!(f.remote("refs/heads/feature"), None, "the branch was not created");
}

#[test]
fn a_new_branch_is_not_compared_with_the_empty_tree() {
    // From the empty tree a non-commercial license would be a restriction-added error; from the
    // fork point nothing changed.
    let f = Fixture::with_license(spdx_text("CC-BY-NC-4.0"));
    f.install(&[]);
    f.repo.git(&["checkout", "-q", "-b", "topic"]);
    f.repo.write("src/lib.rs", "// topic\n");
    let head = f.repo.commit("topic");
    assert_pushed(&f.push(&["push", "origin", "topic"]));
    assert_eq!(f.remote("refs/heads/topic").as_deref(), Some(head.as_str()));
}

#[test]
fn a_first_push_only_applies_allow_and_deny() {
    // The whole history is new: drift inside it is not reported.
    let f = Fixture::empty();
    f.repo.write("LICENSE", mit()).commit("one");
    f.repo.write("LICENSE", gpl());
    let head = f.repo.commit("two");
    f.install(&[]);
    assert_pushed(&f.push(&["push", "origin", "main"]));
    assert_eq!(f.main(), head);
    // A denied license is refused on the first push.
    let f = Fixture::empty();
    f.repo.write(".license-drift.toml", "[licenses]\ndeny = [\"GPL-3.0-only\"]\n").write("LICENSE", gpl());
    f.repo.commit("one");
    f.install(&[]);
    let out = f.push(&["push", "origin", "main"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("license-not-allowed"), "{out:?}");
    assert_eq!(f.remote("refs/heads/main"), None);
}

// (e) (f)
#[test]
fn every_ref_of_a_push_is_checked_and_deletions_pass() {
    let f = Fixture::new();
    f.repo.git(&["branch", "other"]);
    f.repo.git(&["push", "-q", "origin", "other"]);
    let before = f.main();
    f.install(&[]);
    // main: no drift; other (the second ref): relicensed.
    f.repo.write("src/lib.rs", "// main\n").commit("main work");
    f.repo.git(&["checkout", "-q", "other"]);
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense other");
    let id = f.finding(&before, &drift);
    let out = f.push(&["push", "origin", "main", "other"]);
    assert_refused(&out, &id, Some((&before, &drift)));
    assert!(out.stderr.contains("refs/heads/other") || out.stderr.contains("other"), "{out:?}");
    assert_eq!(f.main(), before, "no ref moved");
    assert_eq!(f.remote("refs/heads/other").as_deref(), Some(before.as_str()), "no ref moved");

    // (f) Deleting the branch passes.
    f.repo.git(&["checkout", "-q", "main"]);
    assert_pushed(&f.push(&["push", "origin", ":other"]));
    assert_eq!(f.remote("refs/heads/other"), None, "the branch is gone");
}

// (g)
#[test]
fn a_force_push_is_checked_from_the_merge_base() {
    let f = Fixture::new();
    let base = f.main();
    f.repo.write("src/lib.rs", "// pushed\n");
    let pushed = f.repo.commit("pushed work");
    f.repo.git(&["push", "-q", "origin", "main"]);
    f.install(&[]);
    // Rewrite: drop the pushed commit, relicense instead.
    f.repo.git(&["reset", "-q", "--hard", &base]);
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("rewritten");
    let id = f.finding(&base, &drift);
    let out = f.push(&["push", "-f", "origin", "main"]);
    assert_refused(&out, &id, None);
    assert_eq!(f.main(), pushed, "the remote ref is unchanged");
}

#[test]
fn a_force_push_without_drift_from_the_merge_base_passes() {
    // The remote tip relaxed MIT → CC0-1.0; the rewrite keeps MIT, as the merge-base has it.
    let f = Fixture::new();
    let base = f.main();
    f.repo.write("LICENSE", spdx_text("CC0-1.0")).commit("public domain");
    f.repo.git(&["push", "-q", "origin", "main"]);
    f.install(&[]);
    f.repo.git(&["reset", "-q", "--hard", &base]);
    f.repo.write("src/lib.rs", "// rewritten\n");
    let head = f.repo.commit("rewritten");
    assert_pushed(&f.push(&["push", "-f", "origin", "main"]));
    assert_eq!(f.main(), head);
}

// (h)
#[test]
fn annotated_tags_are_peeled_and_checked() {
    let f = Fixture::new();
    let base = f.main();
    f.install(&[]);
    // An annotated tag on a commit already on the remote passes.
    f.repo.git(&["tag", "-a", "v1", "-m", "v1"]);
    assert_pushed(&f.push(&["push", "origin", "v1"]));
    assert_eq!(f.remote("refs/tags/v1").as_deref(), Some(base.as_str()));
    // An annotated tag on a relicensing commit is refused.
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    f.repo.git(&["tag", "-a", "v2", "-m", "v2"]);
    let id = f.finding(&base, &drift);
    let out = f.push(&["push", "origin", "v2"]);
    assert_refused(&out, &id, None);
    assert_eq!(f.remote("refs/tags/v2"), None, "the tag was not pushed");
    assert_eq!(f.main(), base);
}

// (i) and LICENSE_DRIFT_SKIP
#[test]
fn no_verify_and_skip_pass() {
    let f = Fixture::new();
    f.install(&[]);
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    assert_pushed(&f.push(&["push", "--no-verify", "origin", "main"]));
    assert_eq!(f.main(), drift);

    f.repo.write("LICENSE", spdx_text("AGPL-3.0-only"));
    let drift = f.repo.commit("relicense again");
    assert_ne!(f.push(&["push", "origin", "main"]).code, 0, "the hook blocks this one");
    let out = f.push_env(&["push", "origin", "main"], &[("LICENSE_DRIFT_SKIP", "1")]);
    assert_pushed(&out);
    assert_eq!(f.main(), drift);
    let notice: Vec<&str> = out.stderr.lines().filter(|l| l.to_ascii_lowercase().contains("skip")).collect();
    assert_eq!(notice.len(), 1, "one notice line: {out:?}");
    assert!(!out.stderr.contains("license-changed"), "nothing was checked: {out:?}");
}

// (j)
#[test]
fn an_existing_hook_is_refused_or_chained_and_restored() {
    let f = Fixture::new();
    let marks = f.repo.sibling("marks");
    std::fs::create_dir(&marks).unwrap();
    let old = format!(
        "#!/bin/sh\n# the team's own hook\ncat > '{m}/stdin'\nif [ -e '{m}/fail' ]; then exit 1; fi\nexit 0\n",
        m = marks.display()
    );
    let hook = f.hook_file();
    std::fs::write(&hook, &old).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mode = std::fs::metadata(&hook).unwrap().permissions();

    // Without --chain: refused, untouched.
    let out = run_in(&f.repo.path, &["hook", "install"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(!out.stderr.trim().is_empty(), "{out:?}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), old, "the old hook is untouched");

    // With --chain: both run, the old one first with the same stdin.
    f.install(&["--chain"]);
    let status = run_in(&f.repo.path, &["hook", "status"]);
    assert_eq!(status.code, 0, "{status:?}");
    let before = f.main();
    f.repo.write("src/lib.rs", "// v2\n");
    let clean = f.repo.commit("code");
    assert_pushed(&f.push(&["push", "origin", "main"]));
    assert_eq!(f.main(), clean);
    let seen = std::fs::read_to_string(marks.join("stdin")).expect("the old hook ran");
    assert_eq!(seen, format!("refs/heads/main {clean} refs/heads/main {before}\n"));

    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    let id = f.finding(&clean, &drift);
    let out = f.push(&["push", "origin", "main"]);
    assert_refused(&out, &id, Some((&clean, &drift)));
    let seen = std::fs::read_to_string(marks.join("stdin")).unwrap();
    assert_eq!(seen, format!("refs/heads/main {drift} refs/heads/main {clean}\n"), "the old hook ran first");
    assert_eq!(f.main(), clean);

    // The old hook's refusal still blocks.
    f.repo.git(&["reset", "-q", "--hard", &clean]);
    f.repo.write("src/lib.rs", "// v3\n").commit("code again");
    std::fs::write(marks.join("fail"), "").unwrap();
    let out = f.push(&["push", "origin", "main"]);
    assert_ne!(out.code, 0, "the chained hook's exit 1 blocks: {out:?}");
    assert_eq!(f.main(), clean);

    // Uninstall restores it byte for byte, mode included.
    let out = run_in(&f.repo.path, &["hook", "uninstall"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(std::fs::read(&hook).unwrap(), old.as_bytes(), "restored byte for byte");
    assert_eq!(std::fs::metadata(&hook).unwrap().permissions(), mode, "and its mode");
}

#[test]
fn uninstall_without_a_previous_hook_removes_it() {
    let f = Fixture::new();
    f.install(&[]);
    assert!(f.hook_file().exists());
    let out = run_in(&f.repo.path, &["hook", "uninstall"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!f.hook_file().exists(), "nothing was there before");
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    assert_pushed(&f.push(&["push", "origin", "main"]));
    assert_eq!(f.main(), drift);
}

// (k)
#[test]
fn core_hooks_path_is_honoured() {
    let f = Fixture::new();
    f.repo.git(&["config", "core.hooksPath", ".githooks"]);
    std::fs::write(f.repo.path.join(".git/info/exclude"), ".githooks/\n").unwrap();
    f.install(&[]);
    let custom = f.repo.path.join(".githooks/pre-push");
    assert!(custom.is_file(), "installed where git looks");
    assert!(!f.hook_file().exists(), "not in .git/hooks");
    let before = f.main();
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    let id = f.finding(&before, &drift);
    assert_refused(&f.push(&["push", "origin", "main"]), &id, Some((&before, &drift)));
    assert_eq!(f.main(), before);
    // An absolute custom directory outside the repository.
    let dir = f.repo.sibling("shared-hooks");
    std::fs::create_dir(&dir).unwrap();
    f.repo.git(&["config", "core.hooksPath", dir.to_str().unwrap()]);
    f.install(&[]);
    assert!(dir.join("pre-push").is_file(), "installed in {}", dir.display());
    assert_refused(&f.push(&["push", "origin", "main"]), &id, Some((&before, &drift)));
    assert_eq!(f.main(), before);
}

// (l)
#[test]
fn pre_commit_framework_variables_with_empty_stdin() {
    let f = Fixture::new();
    let base = f.main();
    f.repo.write("src/lib.rs", "// v2\n");
    let clean = f.repo.commit("code");
    f.repo.write("LICENSE", gpl());
    let drift = f.repo.commit("relicense");
    let url = f.bare.to_str().unwrap();
    let id = f.finding(&clean, &drift);
    let run = |from: &str, to: &str| {
        run_with(
            &f.repo.path,
            &["hook", "pre-push", "origin", url],
            &[("PRE_COMMIT_FROM_REF", from), ("PRE_COMMIT_TO_REF", to)],
            "",
        )
    };
    let out = run(&base, &clean);
    assert_eq!(out.code, 0, "{out:?}");
    let out = run(&clean, &drift);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("license-changed") && out.stderr.contains(&id), "{out:?}");
    assert!(out.stderr.contains("license-drift accept"), "{out:?}");
}

#[test]
fn internal_errors_block_unless_on_error_allow() {
    let f = Fixture::new();
    let base = f.main();
    let missing = "1234567890123456789012345678901234567890";
    let stdin = format!("refs/heads/main {missing} refs/heads/main {base}\n");
    let out = run_with(&f.repo.path, &["hook", "pre-push", "origin"], &[], &stdin);
    assert_ne!(out.code, 0, "an unreadable commit is no pass: {out:?}");
    assert!(!out.stderr.trim().is_empty(), "with a cause: {out:?}");
    let out = run_with(&f.repo.path, &["hook", "pre-push", "origin"], &[("LICENSE_DRIFT_ON_ERROR", "allow")], &stdin);
    assert_eq!(out.code, 0, "fail-open: {out:?}");
    assert!(!out.stderr.trim().is_empty(), "with a warning: {out:?}");
    // Deletions need nothing: the stdin protocol directly.
    let out = run_with(
        &f.repo.path,
        &["hook", "pre-push", "origin"],
        &[],
        &format!("(delete) {ZEROS} refs/heads/x {base}\n"),
    );
    assert_eq!(out.code, 0, "{out:?}");
}

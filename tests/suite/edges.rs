//! Edge cases of reading git: bare repositories, unrelated branches, missing and lazily
//! fetched blobs, LFS pointers, symlinks, submodules, malformed cards, odd encodings, huge
//! blobs, unknown revisions, stable ids, unsupported formats and worktrees.

use std::path::Path;

use serde_json::Value;

use super::util::{Repo, Run, diff_json, git, git_output, run_in, spdx_text};

/// A repository with `LICENSE` MIT at tag `a` and GPL-3.0 at tag `b`.
fn mit_to_gpl() -> Repo {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit_tag("a");
    repo.write("LICENSE", spdx_text("GPL-3.0-only"));
    repo.commit_tag("b");
    repo
}

fn assert_no_panic(run: &Run) {
    assert!(!run.stderr.contains("panicked"), "the binary panicked: {run:?}");
}

/// The `licenses` entry of a scan document for `path`.
fn scan_entry(doc: &Value, path: &str) -> Value {
    doc["licenses"]
        .as_array()
        .expect("licenses array")
        .iter()
        .find(|l| l["path"] == path)
        .cloned()
        .unwrap_or_else(|| panic!("no declaration for {path} in {doc:#}"))
}

fn scan_json(dir: &Path, rev: Option<&str>) -> Value {
    let mut args = vec!["scan"];
    args.extend(rev);
    args.extend(["--format", "json"]);
    let run = run_in(dir, &args);
    assert_eq!(run.code, 0, "scan failed: {run:?}");
    run.json()
}

fn is_unidentified_ref(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with("LicenseRef-unidentified-"))
}

fn warnings(run: &Run) -> Vec<String> {
    run.json()["warnings"]
        .as_array()
        .expect("warnings array")
        .iter()
        .map(|w| w.as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn bare_repository_from_an_unrelated_directory() {
    let repo = mit_to_gpl();
    let bare = repo.sibling("bare.git");
    git(repo.path.parent().unwrap(), &["clone", "-q", "--bare", repo.path.to_str().unwrap(), bare.to_str().unwrap()]);
    let elsewhere = tempfile::tempdir().unwrap();
    let run = run_in(elsewhere.path(), &["diff", "a", "b", "--repo", bare.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    assert_eq!(changed.len(), 1, "{run:?}");
    assert_eq!(changed[0]["direction"], "tightened");
    assert_eq!(changed[0]["before"], "MIT");
    assert_eq!(changed[0]["after"], "GPL-3.0-only");
}

#[test]
fn base_that_is_not_an_ancestor() {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit("root");
    repo.git(&["checkout", "-q", "-b", "branch-a"]);
    repo.write("LICENSE", spdx_text("Apache-2.0"));
    repo.commit("apache");
    repo.git(&["checkout", "-q", "-b", "branch-b", "main"]);
    repo.write("LICENSE", spdx_text("GPL-3.0-only"));
    repo.commit("gpl");
    let mb = repo.git(&["merge-base", "branch-a", "branch-b"]);
    assert_eq!(mb, repo.git(&["rev-parse", "main"]));

    let run = diff_json(&repo, "branch-a", "branch-b");
    assert_ne!(run.code, 2, "{run:?}");
    let changed = run.rule("license-changed");
    assert_eq!(changed.len(), 1, "{run:?}");
    assert_eq!(changed[0]["before"], "Apache-2.0");
    assert_eq!(changed[0]["after"], "GPL-3.0-only");
    assert_eq!(changed[0]["paths"], serde_json::json!(["LICENSE"]));
}

#[test]
fn missing_blob_fails_unless_incomplete_is_allowed() {
    let repo = mit_to_gpl();
    let blob = repo.git(&["rev-parse", "b:LICENSE"]);
    let loose = repo.path.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    assert!(loose.is_file(), "the repository must not be packed: {}", loose.display());
    std::fs::remove_file(&loose).unwrap();
    assert!(!git_output(&repo.path, &["cat-file", "-e", &blob], &[]).status.success());

    let run = diff_json(&repo, "a", "b");
    assert_eq!(run.code, 2, "{run:?}");
    assert_no_panic(&run);
    assert!(run.stderr.starts_with("error:"), "{run:?}");
    assert!(run.stderr.contains("LICENSE"), "names the path: {run:?}");
    assert!(run.stderr.contains("'b'"), "names the revision: {run:?}");
    assert!(run.stderr.contains("hint:"), "{run:?}");
    assert!(run.stderr.contains("--allow-incomplete"), "{run:?}");

    let run = run_in(&repo.path, &["diff", "a", "b", "--format", "json", "--allow-incomplete"]);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    let w = warnings(&run);
    assert!(
        w.iter().any(|w| w.contains(&blob) && w.contains("missing") && w.contains("LICENSE")),
        "warnings should name the missing blob {blob}: {w:?}"
    );
    // The head's LICENSE is unknown now: reported, not silently dropped, and it blocks.
    run.unknown_change("MIT");
}

#[test]
fn partial_clone_fetches_blobs_through_git() {
    let src = mit_to_gpl();
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    src.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    let dst = src.sibling("partial");
    let url = format!("file://{}", src.path.display());
    git(
        src.path.parent().unwrap(),
        &["clone", "-q", "--filter=blob:none", "--no-checkout", &url, dst.to_str().unwrap()],
    );
    let blob = git(&dst, &["rev-parse", "b:LICENSE"]);
    // GIT_NO_LAZY_FETCH keeps this probe from fetching the blob itself.
    let present =
        |dir: &Path| git_output(dir, &["cat-file", "-e", &blob], &[("GIT_NO_LAZY_FETCH", "1")]).status.success();
    assert!(!present(&dst), "a blob:none clone must not have the blob yet");

    let run = run_in(&dst, &["diff", "a", "b", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    assert_eq!(changed.len(), 1, "{run:?}");
    assert_eq!(changed[0]["before"], "MIT");
    assert_eq!(changed[0]["after"], "GPL-3.0-only");
    assert_eq!(changed[0]["direction"], "tightened");
    assert!(warnings(&run).is_empty(), "{run:?}");
    assert!(present(&dst), "the run should have fetched the blob lazily");
}

const LFS_POINTER: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 123456\n";

#[test]
fn lfs_pointer_license_is_unidentified_with_a_note() {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit_tag("a");
    repo.write("LICENSE-MODEL", LFS_POINTER);
    repo.write("weights/model.safetensors", LFS_POINTER.replace("123456", "987654321"));
    repo.commit_tag("b");

    let doc = scan_json(&repo.path, None);
    let model = scan_entry(&doc, "LICENSE-MODEL");
    assert!(is_unidentified_ref(&model["license"]), "{model:#}");
    assert_eq!(model["identified_as"], "unidentified");
    assert_eq!(model["scope"]["component"], "weights");
    let note = model["note"].as_str().unwrap_or_default();
    assert!(note.contains("LFS"), "note should mention LFS: {model:#}");
    assert_eq!(scan_entry(&doc, "LICENSE")["license"], "MIT");
    let paths: Vec<&str> = doc["licenses"].as_array().unwrap().iter().filter_map(|l| l["path"].as_str()).collect();
    assert!(!paths.iter().any(|p| p.contains("safetensors")), "a weights pointer is no license declaration: {paths:?}");

    // The weights were under the root's MIT; now an unreadable LICENSE-MODEL governs them: a
    // license change nobody can judge, which blocks.
    let run = diff_json(&repo, "a", "b");
    let changed = run.unknown_change("MIT");
    assert_eq!(changed["scope"]["component"], "weights", "{run:?}");
    assert!(changed["paths"].as_array().unwrap().iter().any(|p| p == "LICENSE-MODEL"), "{run:?}");
    assert!(
        changed["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "note" && e["text"].as_str().unwrap_or_default().contains("LFS")),
        "{run:?}"
    );
    // Weights are a component (component-added), never a license declaration.
    assert!(
        !run.findings().iter().any(|f| f["rule"].as_str().unwrap_or_default().starts_with("license")
            && f["paths"].to_string().contains("safetensors")),
        "{run:?}"
    );
}

#[test]
fn symlinks_inside_the_tree_are_followed_and_outside_are_not() {
    let repo = Repo::new();
    repo.write("docs/LICENSE.txt", spdx_text("Apache-2.0"));
    std::os::unix::fs::symlink("docs/LICENSE.txt", repo.path.join("LICENSE")).unwrap();
    repo.commit_tag("inside");
    assert_eq!(repo.git(&["ls-files", "-s", "LICENSE"]).split(' ').next(), Some("120000"));

    let doc = scan_json(&repo.path, Some("inside"));
    let root = scan_entry(&doc, "LICENSE");
    assert_eq!(root["license"], "Apache-2.0", "{doc:#}");
    assert_eq!(root["identified_as"], "spdx");
    assert_eq!(root["scope"]["path"], "");

    std::fs::remove_file(repo.path.join("LICENSE")).unwrap();
    std::os::unix::fs::symlink("../../etc/passwd", repo.path.join("LICENSE")).unwrap();
    repo.commit_tag("outside");
    let doc = scan_json(&repo.path, Some("outside"));
    let root = scan_entry(&doc, "LICENSE");
    assert!(is_unidentified_ref(&root["license"]), "{root:#}");
    assert_eq!(root["identified_as"], "unidentified");
    let note = root["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("not followed") && note.contains("outside"),
        "note should say the link leaves the tree: {root:#}"
    );
    assert!(!doc.to_string().contains("root:x:0:0"), "the link target must not be read");
    let w: Vec<&str> = doc["warnings"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(w.iter().any(|w| w.contains("LICENSE") && w.contains("not followed")), "{w:?}");

    let run = diff_json(&repo, "inside", "outside");
    run.unknown_change("Apache-2.0");
}

#[test]
fn submodules_are_listed_not_entered() {
    let sub = Repo::new();
    sub.write("LICENSE", spdx_text("GPL-3.0-only"));
    sub.commit("sub");
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit("root");
    repo.git(&["-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.path.to_str().unwrap(), "vendor/sub"]);
    repo.commit("add submodule");
    assert!(repo.path.join("vendor/sub/LICENSE").is_file(), "the submodule is checked out");

    let doc = scan_json(&repo.path, None);
    assert_eq!(doc["submodules"], serde_json::json!(["vendor/sub"]), "{doc:#}");
    let paths: Vec<&str> = doc["licenses"].as_array().unwrap().iter().filter_map(|l| l["path"].as_str()).collect();
    assert_eq!(paths, vec!["LICENSE"], "the submodule's own LICENSE is not read");
    assert!(!doc.to_string().contains("GPL"), "{doc:#}");

    let run = run_in(&repo.path, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.findings().is_empty(), "{run:?}");
}

#[test]
fn malformed_front_matter_is_a_finding_and_a_warning_not_a_crash() {
    let repo = Repo::new();
    repo.card("README.md", "license: mit");
    repo.commit_tag("a");
    repo.card("README.md", "license: [mit");
    repo.commit_tag("b");

    let run = diff_json(&repo, "a", "b");
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    assert_no_panic(&run);
    let findings = run.findings();
    let on_readme: Vec<&Value> =
        findings.iter().filter(|f| f["paths"].as_array().unwrap().iter().any(|p| p == "README.md")).collect();
    assert!(on_readme.iter().any(|f| f["rule"] == "license-changed" && f["direction"] == "unknown"), "{run:?}");
    let w = warnings(&run);
    assert!(
        w.iter().any(|w| w.contains("README.md") && w.contains("YAML")),
        "a warning should name the YAML problem: {w:?}"
    );

    // The text report survives it too.
    let text = run_in(&repo.path, &["diff", "a", "b"]);
    assert!(text.code == 0 || text.code == 1, "{text:?}");
    assert_no_panic(&text);
}

#[test]
fn latin1_license_identifies_and_binary_license_does_not() {
    // The copyright holder's name carries a Latin-1 é (0xE9): not valid UTF-8.
    let mit = spdx_text("MIT").replace("<year> <copyright holders>", "2024 Ren\u{e9} Dupont");
    let latin1: Vec<u8> = mit.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect();
    assert!(std::str::from_utf8(&latin1).is_err());
    assert!(latin1.windows(6).any(|w| w == b"\xe9 Dupo"));

    let repo = Repo::new();
    repo.write("LICENSE", &latin1);
    repo.commit_tag("a");
    let doc = scan_json(&repo.path, Some("a"));
    let lic = scan_entry(&doc, "LICENSE");
    assert_eq!(lic["license"], "MIT", "{doc:#}");
    assert_eq!(lic["identified_as"], "spdx");

    let mut binary = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    binary.extend((0..4096u32).map(|i| (i % 251) as u8));
    repo.write("LICENSE", &binary);
    repo.commit_tag("b");
    let run = diff_json(&repo, "a", "b");
    let changed = run.unknown_change("MIT");
    assert!(
        changed["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "note" && e["text"].as_str().unwrap_or_default().contains("binary")),
        "{run:?}"
    );
}

/// Writes `bytes` as a blob with `git hash-object -w` (never `git add`) and returns its id.
fn hash_object(repo: &Repo, name: &str, bytes: &[u8]) -> String {
    let file = repo.sibling(name);
    std::fs::write(&file, bytes).unwrap();
    let oid = repo.git(&["hash-object", "-w", file.to_str().unwrap()]);
    std::fs::remove_file(&file).unwrap();
    oid
}

fn stage_blob(repo: &Repo, oid: &str, path: &str) {
    repo.git(&["update-index", "--add", "--cacheinfo", &format!("100644,{oid},{path}")]);
}

#[test]
fn fifty_megabyte_blobs_are_not_read() {
    const BIG: usize = 50 * 1024 * 1024;
    let repo = Repo::new();
    let mit = spdx_text("MIT");
    let small = hash_object(&repo, "small", mit.as_bytes());
    stage_blob(&repo, &small, "LICENSE");
    let weights1 = hash_object(&repo, "w1", &vec![0u8; BIG]);
    stage_blob(&repo, &weights1, "model.safetensors");
    repo.git(&["commit", "-q", "-m", "weights v1"]);
    repo.git(&["tag", "a"]);

    let weights2 = hash_object(&repo, "w2", &vec![1u8; BIG]);
    stage_blob(&repo, &weights2, "model.safetensors");
    repo.git(&["commit", "-q", "-m", "weights v2"]);
    repo.git(&["tag", "b"]);
    assert_eq!(repo.git(&["cat-file", "-s", "b:model.safetensors"]), BIG.to_string());

    let run = diff_json(&repo, "a", "b");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.findings().is_empty(), "{run:?}");
    assert!(warnings(&run).is_empty(), "{run:?}");

    // The MIT text padded with blank lines: it would identify as MIT if it were read.
    let mut padded = mit.as_bytes().to_vec();
    padded.resize(mit.len() + BIG, b'\n');
    let big_license = hash_object(&repo, "big", &padded);
    stage_blob(&repo, &big_license, "LICENSE");
    repo.git(&["commit", "-q", "-m", "big license"]);
    repo.git(&["tag", "c"]);
    let size = padded.len().to_string();

    let doc = scan_json(&repo.path, Some("c"));
    let lic = scan_entry(&doc, "LICENSE");
    assert!(is_unidentified_ref(&lic["license"]), "{lic:#}");
    assert_eq!(lic["identified_as"], "unidentified");
    let note = lic["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("not read") && note.contains("size") && note.contains(&size),
        "the note should say it was not read because of its size: {lic:#}"
    );
    assert!(!doc["licenses"].to_string().contains("safetensors"), "weights are not declarations: {doc:#}");

    let run = diff_json(&repo, "b", "c");
    run.unknown_change("MIT");
}

#[test]
fn unknown_revision_and_no_repository_exit_2() {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit("one");
    let run = run_in(&repo.path, &["diff", "main", "no-such-rev"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_no_panic(&run);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.starts_with("error:"), "{run:?}");
    assert!(run.stderr.contains("no-such-rev"), "{run:?}");
    assert!(run.stderr.contains("hint:"), "{run:?}");

    let outside = tempfile::tempdir().unwrap();
    let lonely = outside.path().join("not-a-repo");
    std::fs::create_dir(&lonely).unwrap();
    // Make sure git agrees before asking the tool (a temp dir inside a checkout would not do).
    assert!(
        !git_output(&lonely, &["rev-parse", "--git-dir"], &[("GIT_CEILING_DIRECTORIES", "")]).status.success(),
        "the temp dir is inside a repository"
    );
    let run = run_in(&lonely, &["diff", "--format", "json"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_no_panic(&run);
    assert!(run.stderr.contains("not a git repository"), "{run:?}");
    assert!(run.stderr.contains("hint:"), "{run:?}");
}

/// Builds the same content history with commits dated `date`.
fn dated_repo(date: &str) -> Repo {
    let repo = Repo::new();
    let commit = |msg: &str, tag: &str| {
        repo.git(&["add", "-A"]);
        let env = [("GIT_COMMITTER_DATE", date), ("GIT_AUTHOR_DATE", date)];
        let out = git_output(&repo.path, &["commit", "-q", "-m", msg], &env);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        repo.git(&["tag", tag]);
    };
    repo.write("LICENSE", spdx_text("MIT"));
    repo.card("README.md", "license: mit");
    repo.write("models/m/LICENSE", spdx_text("Apache-2.0"));
    commit("one", "a");
    repo.write("LICENSE", spdx_text("GPL-3.0-only"));
    repo.card("README.md", "license: apache-2.0");
    repo.write("models/m/LICENSE", spdx_text("CC-BY-NC-4.0"));
    commit("two", "b");
    repo
}

fn id_set(run: &Run) -> Vec<(String, String)> {
    let mut ids: Vec<(String, String)> = run
        .findings()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["id"].as_str().unwrap().to_string()))
        .collect();
    ids.sort();
    ids
}

#[test]
fn ids_depend_on_content_not_on_commits() {
    let one = dated_repo("2024-01-01T00:00:00Z");
    let two = dated_repo("2025-06-15T12:34:56Z");
    assert_ne!(one.git(&["rev-parse", "b"]), two.git(&["rev-parse", "b"]), "the commits should differ");
    assert_eq!(one.git(&["rev-parse", "b^{tree}"]), two.git(&["rev-parse", "b^{tree}"]));

    let r1 = diff_json(&one, "a", "b");
    let r2 = diff_json(&two, "a", "b");
    assert_ne!(r1.code, 2, "{r1:?}");
    let ids = id_set(&r1);
    assert!(ids.len() >= 2, "expected several findings: {r1:?}");
    for (_, id) in &ids {
        assert_eq!(id.len(), 12);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    }
    assert_eq!(ids, id_set(&r2), "ids differ between the repositories");
    assert_ne!(r1.json()["head"]["commit"], r2.json()["head"]["commit"]);

    let again = diff_json(&one, "a", "b");
    assert_eq!(r1.code, again.code);
    assert_eq!(r1.stdout, again.stdout, "two runs in one repository differ");
}

#[test]
fn reftable_repository_is_an_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("reftable");
    std::fs::create_dir(&path).unwrap();
    let init = git_output(&path, &["init", "-q", "-b", "main", "--ref-format=reftable"], &[]);
    if !init.status.success() {
        // An old git: it must have refused the flag itself, and there is nothing to test.
        let err = String::from_utf8_lossy(&init.stderr);
        assert!(
            err.contains("ref-format") || err.contains("reftable") || err.contains("unknown option"),
            "git init failed for another reason: {err}"
        );
        return;
    }
    std::fs::write(path.join("LICENSE"), spdx_text("MIT")).unwrap();
    git(&path, &["add", "-A"]);
    git(&path, &["commit", "-q", "-m", "one"]);
    std::fs::write(path.join("LICENSE"), spdx_text("GPL-3.0-only")).unwrap();
    git(&path, &["commit", "-q", "-am", "two"]);

    for args in [&["diff", "HEAD~1", "HEAD", "--format", "json"][..], &["scan", "--format", "json"][..]] {
        let run = run_in(&path, args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_no_panic(&run);
        assert!(run.stdout.is_empty(), "{run:?}");
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error:") && first.len() > "error: ".len(), "{run:?}");
        assert!(run.stderr.contains("hint:"), "{run:?}");
        assert!(
            run.stderr.contains("reftable") || run.stderr.contains("refstorage"),
            "the message should say the repository format is the problem: {run:?}"
        );
    }
}

#[test]
fn runs_inside_a_worktree() {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit("root");
    let wt = repo.sibling("wt");
    repo.git(&["worktree", "add", "-q", "../wt", "-b", "feature"]);
    assert!(wt.join(".git").is_file(), "a linked worktree has a .git file");
    std::fs::write(wt.join("LICENSE"), spdx_text("CC-BY-NC-4.0")).unwrap();
    git(&wt, &["commit", "-q", "-am", "non-commercial"]);

    let run = run_in(&wt, &["diff", "main", "feature", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    assert_eq!(changed.len(), 1, "{run:?}");
    assert_eq!(changed[0]["before"], "MIT");
    assert_eq!(changed[0]["after"], "CC-BY-NC-4.0");
    assert_eq!(changed[0]["direction"], "tightened");

    // With no revisions, inside the worktree: HEAD is `feature`, its parent the base.
    let run = run_in(&wt, &["diff", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.rule("license-changed").len(), 1, "{run:?}");
}

#[test]
fn shallow_clone_names_the_missing_revision_and_the_fetch() {
    let src = mit_to_gpl();
    let url = format!("file://{}", src.path.display());
    let dst = src.sibling("shallow");
    git(src.path.parent().unwrap(), &["clone", "-q", "--depth", "1", &url, dst.to_str().unwrap()]);
    let run = run_in(&dst, &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_no_panic(&run);
    assert!(run.stderr.contains("HEAD~1") && run.stderr.contains("shallow"), "{run:?}");
    assert!(run.stderr.contains("git fetch"), "the hint names the fetch to run: {run:?}");
}

#[test]
fn sha256_repository_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = git_output(dir.path(), &["init", "-q", "--object-format=sha256", "-b", "main", "r"], &[]);
    assert!(out.status.success(), "this git creates sha256 repositories");
    let run = run_in(&dir.path().join("r"), &["scan"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_no_panic(&run);
    assert!(run.stderr.contains("cannot open the repository") && run.stderr.contains("hint:"), "{run:?}");
}

#[test]
fn a_change_behind_a_symlinked_license_is_drift_of_the_link_scope() {
    let repo = Repo::new();
    repo.write("docs/terms.txt", spdx_text("MIT"));
    repo.write("legal/TERMS.txt", spdx_text("MIT"));
    repo.write("LICENSE.md", spdx_text("MIT"));
    std::fs::create_dir_all(repo.path.join("pkg")).unwrap();
    std::fs::create_dir_all(repo.path.join("packages/x")).unwrap();
    repo.write("pkg/lib.py", "print('hi')\n");
    repo.write("packages/x/index.js", "module.exports = 1;\n");
    std::os::unix::fs::symlink("docs/terms.txt", repo.path.join("LICENSE")).unwrap();
    // Sideways, and the monorepo habit of linking a package's license to the root's.
    std::os::unix::fs::symlink("../legal/TERMS.txt", repo.path.join("pkg/LICENSE")).unwrap();
    std::os::unix::fs::symlink("../../LICENSE.md", repo.path.join("packages/x/LICENSE")).unwrap();
    repo.commit_tag("v1");
    // Only the targets change; `docs/terms.txt` and `legal/TERMS.txt` are ordinary files.
    for target in ["docs/terms.txt", "legal/TERMS.txt", "LICENSE.md"] {
        repo.write(target, spdx_text("Apache-2.0"));
    }
    repo.commit_tag("v2");
    let run = diff_json(&repo, "v1", "v2");
    let changed = run.rule("license-changed");
    for scope in ["", "pkg", "packages/x"] {
        assert!(
            changed
                .iter()
                .any(|f| f["scope"]["path"] == scope && f["after"].as_str().unwrap_or_default().contains("Apache-2.0")),
            "scope '{scope}': {run:?}"
        );
    }
}

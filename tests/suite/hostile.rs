//! Issue 14, "fail closed under hostile input": the bad-input matrix. Every case asserts the
//! exit code, the message, and (through `unchanged`, or a snapshot around the run) that
//! nothing was written into `.git` or anywhere around the repository.
//!
//! The matrix (case — test):
//! - (1) `--config` naming no file (diff, worktree policy) — `a_config_path_that_does_not_exist_is_exit_2_naming_it`
//! - (2) the Action's `config` naming no file — `the_actions_config_input_naming_no_file_is_exit_2`
//! - (3-9) event SHAs short, non-ASCII, non-hex, a number; GITHUB_SHA; push `before`; an event
//!   that is not an object — `malformed_event_shas_are_exit_2_naming_the_field`
//! - (10-11) event file not JSON, missing — `event_files_that_are_not_json_or_missing_are_exit_2`
//! - (12) shallow clone without upstream — `a_shallow_clone_without_upstream_refuses_the_empty_tree_as_base`
//! - (13-16) accept through a symlink, `..`, a symlinked directory, a directory — `accept_refuses_a_symlinked_policy_file`
//! - (17-22) pre-push ids `0`, short, padded, non-hex, missing field, escapes — `pre_push_lines_need_full_object_ids`
//! - (23) pre-push input that is not text — `hook_stdin_that_is_not_text_is_an_error`
//! - (24) 2,000 refs of one range — `many_refs_with_one_range_are_diffed_and_printed_once`
//! - (25-29) LICENSE over the cap, empty, binary, LFS pointer, symlink out of the tree —
//!   `unreadable_license_files_are_unidentified_declarations_with_a_note`
//! - (30) a tab in a card's YAML — `a_tab_in_a_cards_yaml_is_a_license_change`
//! - (31-35) cards: tab, LFS, binary, symlink out, over the cap — `unreadable_cards_are_unidentified_declarations_not_dropped`
//! - (36-37) manifest and use policy unreadable — `unreadable_manifests_and_use_policies_are_unidentified_declarations`
//! - (38-39) a card over 1 MiB (loose, packed), a front matter over 64 KiB — `a_card_over_one_mebibyte_is_read_from_its_start_loose_or_packed`
//! - (40) 300 MB license and card blobs — `a_300_megabyte_license_and_card_are_judged_without_being_read`
//! - (41) REUSE texts: same, added clause, LicenseRef, another license, LFS — `reuse_license_texts_are_judged_against_their_standard_text`
//! - (42-43) UTF-16 and Latin-1 texts — `utf16_and_latin1_license_texts_are_the_same_license`
//! - (44) symlink loop — `a_symlink_loop_is_an_unreadable_license`
//! - (45) ANSI/HTML/markdown/@mention/workflow-command injection in names, in all five formats —
//!   `injection_in_file_names_and_texts_is_neutralised_in_every_format`
//! - (46-47) empty repository, empty bare repository — `empty_repositories_and_bare_diffs_are_errors_with_hints`
//! - (48) corrupt tree — `a_corrupt_tree_is_called_corrupt_not_missing`
//! - (49-50) blob and tree ids as revisions — `blob_and_tree_ids_are_not_commits`
//! - (51-52) shell metacharacters in a revision's hint; a cause printed twice — `hints_quote_revisions_and_causes_are_printed_once`
//! - (53-55) YAML parser limits, no 0.00 guess, duplicate card keys — `notes_and_warnings_read_as_sentences`
//! - (56) an API that never answers — `an_api_that_never_answers_times_out_and_the_outputs_are_written`
//! - (57) an API slower than the deadline — `a_slow_api_stops_at_the_run_deadline`
//! - (58) 403 rate limit with retry-after 240 — `a_long_retry_after_is_not_slept_on_and_says_rate_limited`
//! - (59-60) a 500-comment pull request, the page cap — `a_pull_request_with_500_comments_is_listed_to_the_cap`
//! - (61-62) API 404, 422 — `api_404_and_422_are_warnings_with_the_right_advice`
//! - (63) concurrent diffs and hooks — `concurrent_runs_agree_and_write_nothing`
//!
//! Covered elsewhere, not repeated here:
//! - LFS pointer license: `edges::lfs_pointer_license_is_unidentified_with_a_note`
//! - symlinks in and out of the tree: `edges::symlinks_inside_the_tree_are_followed_and_outside_are_not`
//! - gitlinks/submodules: `edges::submodules_are_listed_not_entered`
//! - malformed card YAML: `edges::malformed_front_matter_is_a_finding_and_a_warning_not_a_crash`
//! - Latin-1 text, binary license: `edges::latin1_license_identifies_and_binary_license_does_not`
//! - blobs over the cap (50 MB): `edges::fifty_megabyte_blobs_are_not_read`
//! - unknown revision, no repository: `edges::unknown_revision_and_no_repository_exit_2`
//! - bare repository: `edges::bare_repository_from_an_unrelated_directory`
//! - reftable and sha256 repositories: `edges::reftable_repository_is_an_error_not_a_panic`,
//!   `edges::sha256_repository_is_an_error_not_a_panic`
//! - shallow clone, missing revision: `edges::shallow_clone_names_the_missing_revision_and_the_fetch`
//! - partial clone: `edges::partial_clone_fetches_blobs_through_git`; missing blobs:
//!   `edges::missing_blob_fails_unless_incomplete_is_allowed`
//! - @mentions in repository text: `review::mentions_in_repository_text_are_broken`
//! - API 403 (fork token), 5xx, lost POST, 150 comments: `github::*`; a 70k-character
//!   report cut to fit a comment: `github::a_long_report_is_cut_to_fit_a_comment`
//! - property tests of every parser of repository or network input: `props`, and the
//!   pre-push and event parsers' own in `src/front/hook.rs`, `src/front/github.rs`

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::github::{Api, State, forked, pr_event, relicense, run as gh_run};
use super::util::{Repo, Run, diff_json, git, run_in, run_stdin, spdx_text, unchanged};

/// The temp dir around a test repository: nothing below it may change during a run.
fn around(repo: &Repo) -> &Path {
    repo.path.parent().unwrap()
}

fn assert_exit(run: &Run, code: i32, needles: &[&str]) {
    assert_eq!(run.code, code, "{run:?}");
    assert!(!run.stderr.contains("panicked"), "a panic: {run:?}");
    for n in needles {
        assert!(run.stderr.contains(n) || run.stdout.contains(n), "the output should say {n:?}: {run:?}");
    }
}

/// `main` with an MIT LICENSE, then the LICENSE replaced by GPL-3.0: (repo, base, head).
fn mit_to_gpl() -> (Repo, String, String) {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT")).write("src/lib.rs", "// code\n");
    let base = repo.commit("MIT");
    repo.write("LICENSE", spdx_text("GPL-3.0-only"));
    let head = repo.commit("GPL");
    (repo, base, head)
}

// ---- item 4: --config naming a file that does not exist --------------------------------

#[test]
fn a_config_path_that_does_not_exist_is_exit_2_naming_it() {
    let (repo, base, head) = mit_to_gpl();
    let run = unchanged(around(&repo), || {
        run_in(&repo.path, &["diff", &base, &head, "--config", "policy/nope.toml", "--format", "json"])
    });
    assert_exit(&run, 2, &["policy/nope.toml", "does not exist"]);
    let worktree = unchanged(around(&repo), || {
        run_in(&repo.path, &["diff", &base, &head, "--config", "nope.toml", "--policy-from", "worktree"])
    });
    assert_exit(&worktree, 2, &["nope.toml", "on disk"]);
    // The default path may be absent: that is the default policy.
    let default = run_in(&repo.path, &["diff", &base, &head, "--format", "json"]);
    assert_eq!(default.code, 1, "{default:?}");
}

#[tokio::test]
async fn the_actions_config_input_naming_no_file_is_exit_2() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    let head = relicense(&repo, "Apache-2.0");
    let r = gh_run(&repo, &api, pr_event(&main, &head), &[], &["--config", "ci/drift.toml"]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("ci/drift.toml") && r.stderr.contains("does not exist"), "{r:?}");
}

// ---- item 6: event JSON fields ----------------------------------------------------------

#[tokio::test]
async fn malformed_event_shas_are_exit_2_naming_the_field() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    let head = relicense(&repo, "GPL-3.0-only");
    let cases: Vec<(Value, &str)> = vec![
        (pr_event(&main, "abc"), "/pull_request/head/sha"),
        (pr_event(&main, &"é".repeat(12)), "/pull_request/head/sha"),
        (pr_event(&main, &format!("{}x", &head[..39])), "/pull_request/head/sha"),
        (pr_event("0123456789", &head), "/pull_request/base/sha"),
        (
            json!({ "number": 7, "pull_request": { "number": 7, "base": { "sha": 12 }, "head": { "sha": head } } }),
            "/pull_request/base/sha",
        ),
    ];
    for (event, field) in cases {
        let r = gh_run(&repo, &api, event.clone(), &[], &[]).await;
        assert_eq!(r.code, 2, "{event}: {r:?}");
        assert!(r.stderr.contains(field) && r.stderr.contains("40 or 64 hex"), "{event}: {r:?}");
        assert!(!r.stderr.contains("panicked"), "{r:?}");
    }
    let r = gh_run(&repo, &api, pr_event(&main, &head), &[("GITHUB_SHA", "HEAD; rm -rf /")], &[]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("GITHUB_SHA"), "{r:?}");
    let push = json!({ "before": "1234", "after": head });
    let r = gh_run(&repo, &api, push, &[("GITHUB_EVENT_NAME", "push")], &[]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("/before"), "{r:?}");
    let r = gh_run(&repo, &api, json!([1, 2, 3]), &[], &[]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("JSON object"), "{r:?}");
}

// ---- item 9: no base in a shallow clone --------------------------------------------------

#[test]
fn a_shallow_clone_without_upstream_refuses_the_empty_tree_as_base() {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit("MIT");
    repo.write("src/lib.rs", "// more\n");
    repo.commit("code");
    repo.write("LICENSE", spdx_text("GPL-3.0-only"));
    repo.commit("GPL");
    let clone = repo.sibling("shallow");
    let url = format!("file://{}", repo.path.display());
    git(around(&repo), &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()]);
    git(&clone, &["branch", "--unset-upstream"]);
    let run = unchanged(around(&repo), || run_in(&clone, &["diff"]));
    assert_exit(&run, 2, &["shallow clone", "git fetch --unshallow"]);
}

// ---- item 10: accept writes only a regular file inside the work tree ----------------------

#[test]
fn accept_refuses_a_symlinked_policy_file() {
    let (repo, base, head) = mit_to_gpl();
    let id = diff_json(&repo, &base, &head).rule("license-changed")[0]["id"].as_str().unwrap().to_string();
    let outside = repo.sibling("outside.toml");
    std::fs::write(&outside, "# not yours\n").unwrap();
    std::os::unix::fs::symlink(&outside, repo.path.join(".license-drift.toml")).unwrap();
    let args = ["accept", &id, "--reason", "ok", "--base", &base, "--head", &head];
    let run = unchanged(around(&repo), || run_in(&repo.path, &args));
    assert_exit(&run, 2, &[".license-drift.toml", "symlink"]);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "# not yours\n");

    std::fs::remove_file(repo.path.join(".license-drift.toml")).unwrap();
    let up = ["accept", &id, "--reason", "ok", "--base", &base, "--head", &head, "--config", "../outside.toml"];
    let run = unchanged(around(&repo), || run_in(&repo.path, &up));
    assert_exit(&run, 2, &["outside the working tree"]);
    std::fs::create_dir(repo.sibling("elsewhere")).unwrap();
    std::os::unix::fs::symlink(repo.sibling("elsewhere"), repo.path.join("conf")).unwrap();
    let via_dir = ["accept", &id, "--reason", "ok", "--base", &base, "--head", &head, "--config", "conf/p.toml"];
    let run = unchanged(around(&repo), || run_in(&repo.path, &via_dir));
    assert_exit(&run, 2, &["conf", "symlink"]);
    std::fs::create_dir(repo.path.join(".license-drift.toml")).unwrap();
    let run = unchanged(around(&repo), || run_in(&repo.path, &args));
    assert_exit(&run, 2, &["not a regular file"]);
    std::fs::remove_dir(repo.path.join(".license-drift.toml")).unwrap();
    // A regular file (or none yet) is written.
    let ok = run_in(&repo.path, &args);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(std::fs::read_to_string(repo.path.join(".license-drift.toml")).unwrap().contains(&id));
}

// ---- item 11: pre-push object ids -------------------------------------------------------

#[test]
fn pre_push_lines_need_full_object_ids() {
    let (repo, base, head) = mit_to_gpl();
    let full = |local: &str, remote: &str| format!("refs/heads/main {local} refs/heads/main {remote}\n");
    let cases = [
        (full(&head, "0"), "'0' is not a full object id"),
        (full(&head, &base[..12]), "is not a full object id"),
        (full("0", &base), "'0' is not a full object id"),
        (full(&head, &format!("{}g", &base[..39])), "is not a full object id"),
        (format!("refs/heads/main {head} refs/heads/main\n"), "expected `<local ref>"),
        (format!("\n\n{}", full(&head, "\u{1b}[31mred")), "line 3"),
    ];
    for (stdin, needle) in cases {
        let run =
            unchanged(around(&repo), || run_stdin(&repo.path, &["hook", "pre-push", "origin"], &[], stdin.as_bytes()));
        assert_exit(&run, 2, &[needle]);
        assert!(!run.stderr.contains('\u{1b}'), "escapes are neutralised: {run:?}");
    }
    // The same push with full ids is checked (and refused).
    let run = run_stdin(&repo.path, &["hook", "pre-push", "origin"], &[], full(&head, &base).as_bytes());
    assert_exit(&run, 1, &["license-changed"]);
}

// ---- item 8: the same range pushed by many refs -------------------------------------------

#[test]
fn many_refs_with_one_range_are_diffed_and_printed_once() {
    let (repo, base, head) = mit_to_gpl();
    let id = diff_json(&repo, &base, &head).rule("license-changed")[0]["id"].as_str().unwrap().to_string();
    let stdin: String = (0..2000).map(|i| format!("refs/heads/b{i} {head} refs/heads/b{i} {base}\n")).collect();
    let started = std::time::Instant::now();
    let run =
        unchanged(around(&repo), || run_stdin(&repo.path, &["hook", "pre-push", "origin"], &[], stdin.as_bytes()));
    let took = started.elapsed();
    assert_exit(&run, 1, &["2000 ref(s)", "refs/heads/b0, refs/heads/b1", "and 1995 more ref(s)"]);
    assert_eq!(run.stderr.matches(&format!("[{id}]")).count(), 1, "the finding is printed once: {run:?}");
    assert_eq!(run.stderr.matches("license-drift accept").count(), 1, "one accept command: {run:?}");
    assert!(took < std::time::Duration::from_secs(20), "2000 refs of one range took {took:?}");
}

// ---- items 1 and 3: nothing unreadable is dropped -----------------------------------------

/// The declarations of `scan REV --format json` (with extra arguments) at `path`.
fn declarations_at(repo: &Repo, rev: &str, path: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["scan", rev, "--format", "json"];
    args.extend_from_slice(extra);
    let run = unchanged(around(repo), || run_in(&repo.path, &args));
    assert_eq!(run.code, 0, "{run:?}");
    run.json()["licenses"].as_array().unwrap().iter().filter(|l| l["path"] == path).cloned().collect()
}

/// The one declaration at `path` is unidentified, with a note containing `note`.
fn assert_unidentified(repo: &Repo, rev: &str, path: &str, note: &str, extra: &[&str]) -> Value {
    let decls = declarations_at(repo, rev, path, extra);
    assert_eq!(decls.len(), 1, "one declaration for {path} at {rev}: {decls:#?}");
    let d = decls[0].clone();
    assert!(d["license"].as_str().unwrap_or_default().starts_with("LicenseRef-unidentified-"), "{d:#}");
    assert_eq!(d["identified_as"], "unidentified", "{d:#}");
    assert!(d["note"].as_str().unwrap_or_default().contains(note), "the note should say {note:?}: {d:#}");
    d
}

const LFS: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 123456\n";

/// Each way of making the root LICENSE unreadable, as (tag, note, extra scan arguments).
fn unreadable_licenses(repo: &Repo) -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let mut cases = Vec::new();
    let mut padded = spdx_text("MIT").to_string();
    padded.push_str(&"\n".repeat(8000));
    repo.write("LICENSE", &padded);
    repo.commit_tag("padded");
    cases.push(("padded", "over the size cap: ", vec!["--max-blob-size", "4096"]));
    repo.write("LICENSE", "");
    repo.commit_tag("empty");
    cases.push(("empty", "empty file", vec![]));
    repo.write("LICENSE", b"\x7fELF\x02\x01\x01\0\0\0MIT License");
    repo.commit_tag("binary");
    cases.push(("binary", "binary", vec![]));
    repo.write("LICENSE", LFS);
    repo.commit_tag("lfs");
    cases.push(("lfs", "Git LFS pointer", vec![]));
    std::fs::remove_file(repo.path.join("LICENSE")).unwrap();
    std::os::unix::fs::symlink("../../../etc/passwd", repo.path.join("LICENSE")).unwrap();
    repo.commit_tag("symlink");
    cases.push(("symlink", "symlink out of the tree", vec![]));
    std::fs::remove_file(repo.path.join("LICENSE")).unwrap();
    cases
}

#[test]
fn unreadable_license_files_are_unidentified_declarations_with_a_note() {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.commit_tag("mit");
    for (tag, note, extra) in unreadable_licenses(&repo) {
        let d = assert_unidentified(&repo, tag, "LICENSE", note, &extra);
        if tag == "padded" {
            let size = (spdx_text("MIT").len() + 8000).to_string();
            assert!(d["note"].as_str().unwrap().contains(&size), "the note gives the size: {d:#}");
        }
        // Never a pass in silence: the change is a finding.
        let mut args = vec!["diff", "mit", tag, "--format", "json"];
        args.extend_from_slice(&extra);
        let run = unchanged(around(&repo), || run_in(&repo.path, &args));
        assert_eq!(run.code, 1, "{tag}: an unreadable license blocks: {run:?}");
        let changed = run.rule("license-changed");
        assert_eq!(changed.len(), 1, "{tag}: {run:?}");
        assert_eq!(changed[0]["before"], "MIT", "{tag}: {run:?}");
        assert_eq!(changed[0]["direction"], "unknown", "{tag}: {run:?}");
        assert_eq!(changed[0]["severity"], "error", "{tag}: {run:?}");
        assert!(changed[0].to_string().contains(note), "{tag}: the finding carries the note {note:?}: {run:?}");
    }
}

/// The sixth case: a `license: mit` card whose YAML gets one tab.
#[test]
fn a_tab_in_a_cards_yaml_is_a_license_change() {
    let repo = Repo::new();
    repo.card("README.md", "license: mit\ntags:\n  - a");
    repo.commit_tag("mit");
    repo.card("README.md", "license: mit\ntags:\n\t- a");
    repo.commit_tag("tab");
    let run = unchanged(around(&repo), || diff_json(&repo, "mit", "tab"));
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    assert_eq!(changed.len(), 1, "{run:?}");
    assert_eq!(changed[0]["before"], "MIT", "{run:?}");
    assert_eq!(changed[0]["direction"], "unknown", "{run:?}");
    assert!(changed[0].to_string().contains("front matter is not valid YAML"), "{run:?}");
}

/// A card whose front matter says `license`, then the same card made unreadable.
#[test]
fn unreadable_cards_are_unidentified_declarations_not_dropped() {
    let repo = Repo::new();
    repo.card("README.md", "license: mit");
    repo.commit_tag("mit");
    let body = "# Model\n".repeat(10);
    repo.write("README.md", format!("---\nlicense: mit\ntags:\n\t- a\n---\n{body}"));
    repo.commit_tag("tab");
    assert_unidentified(&repo, "tab", "README.md", "front matter is not valid YAML", &[]);
    repo.write("README.md", format!("---\n\tlicense: mit\n---\n{body}"));
    repo.commit_tag("tab-key");
    let decls = declarations_at(&repo, "tab-key", "README.md", &[]);
    assert_eq!(decls.len(), 1, "{decls:#?}");
    assert!(decls[0]["license"] == "MIT" || decls[0]["identified_as"] == "unidentified", "{decls:#?}");
    repo.write("README.md", LFS);
    repo.commit_tag("lfs");
    assert_unidentified(&repo, "lfs", "README.md", "Git LFS pointer", &[]);
    repo.write("README.md", b"---\nlicense: mit\0\0\0---\n");
    repo.commit_tag("binary");
    assert_unidentified(&repo, "binary", "README.md", "binary", &[]);
    std::fs::remove_file(repo.path.join("README.md")).unwrap();
    std::os::unix::fs::symlink("../outside/README.md", repo.path.join("README.md")).unwrap();
    repo.commit_tag("symlink");
    assert_unidentified(&repo, "symlink", "README.md", "symlink out of the tree", &[]);
    // Capped so small that not even the beginning counts as read: the front matter is.
    std::fs::remove_file(repo.path.join("README.md")).unwrap();
    repo.write("README.md", format!("---\nlicense: apache-2.0\n---\n{}", "prose\n".repeat(2000)));
    repo.commit_tag("capped");
    let decls = declarations_at(&repo, "capped", "README.md", &["--max-blob-size", "100"]);
    assert_eq!(decls.len(), 1, "{decls:#?}");
    assert_eq!(decls[0]["license"], "Apache-2.0", "a card over the cap is read from its start: {decls:#?}");
}

#[test]
fn unreadable_manifests_and_use_policies_are_unidentified_declarations() {
    let repo = Repo::new();
    repo.write("package.json", r#"{"name": "x", "license": "MIT"}"#);
    repo.write("USE_POLICY.md", "You may not use the model for weapons.\n");
    repo.commit_tag("a");
    repo.write("package.json", LFS);
    repo.write("USE_POLICY.md", b"\0\x01\x02binary");
    repo.commit_tag("b");
    assert_unidentified(&repo, "b", "package.json", "Git LFS pointer", &[]);
    assert_unidentified(&repo, "b", "USE_POLICY.md", "binary", &[]);
    repo.write("USE_POLICY.md", "");
    repo.commit_tag("c");
    assert_unidentified(&repo, "c", "USE_POLICY.md", "empty file", &[]);
}

// ---- item 1: a model card over the blob cap ------------------------------------------------

#[test]
fn a_card_over_one_mebibyte_is_read_from_its_start_loose_or_packed() {
    let repo = Repo::new();
    let body = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n".repeat(40_000);
    assert!(body.len() > 2 * 1024 * 1024);
    repo.write("README.md", format!("---\nlicense: mit\n---\n{body}"));
    repo.commit_tag("mit");
    repo.write("README.md", format!("---\nlicense: llama3.1\n---\n{body}"));
    repo.commit_tag("llama");
    for packed in [false, true] {
        if packed {
            repo.git(&["gc", "-q"]);
        }
        let run = unchanged(around(&repo), || diff_json(&repo, "mit", "llama"));
        assert_eq!(run.code, 1, "packed {packed}: {run:?}");
        let changed = run.rule("license-changed");
        assert_eq!(changed.len(), 1, "{run:?}");
        assert_eq!(changed[0]["before"], "MIT", "{run:?}");
        assert!(changed[0]["after"].as_str().unwrap().contains("llama3.1"), "{run:?}");
    }
    // A front matter larger than the part read is unidentified, not dropped.
    let huge = format!("---\nlicense: mit\nnotes: |\n{}---\n{body}", "  padding line\n".repeat(10_000));
    repo.write("README.md", huge);
    repo.commit_tag("huge");
    assert_unidentified(&repo, "huge", "README.md", "larger than 64 KiB", &[]);
}

// ---- item 5: the GitHub API within timeouts and a deadline --------------------------------

/// Runs `license-drift github` with short API limits; fails the test if it takes > 30 s.
async fn gh_limited(repo: &Repo, api: &Api, event: Value, env: &[(&str, &str)]) -> (super::github::GhRun, Duration) {
    let before = super::util::snapshot(around(repo));
    let started = std::time::Instant::now();
    let run = tokio::time::timeout(Duration::from_secs(30), gh_run(repo, api, event, env, &[]))
        .await
        .expect("the run must end by its deadline");
    let took = started.elapsed();
    assert_eq!(super::util::snapshot(around(repo)), before, "nothing written near the repository: {run:?}");
    (run, took)
}

fn assert_outputs_written(r: &super::github::GhRun, findings: &str) {
    assert_eq!(r.output("findings"), findings, "{r:?}");
    assert_eq!(r.output("blocking"), "true", "{r:?}");
    assert_eq!(r.output("comment-url"), "", "{r:?}");
    assert!(r.summary.contains("license-changed"), "the summary is written: {r:?}");
    assert!(r.summary.contains("was not posted"), "the summary says the comment was not posted: {}", r.summary);
}

#[tokio::test]
async fn an_api_that_never_answers_times_out_and_the_outputs_are_written() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    let head = relicense(&repo, "GPL-3.0-only");
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let env =
        [("GITHUB_API_URL", url.as_str()), ("LICENSE_DRIFT_API_TIMEOUT", "300ms"), ("LICENSE_DRIFT_DEADLINE", "20s")];
    let (r, took) = gh_limited(&repo, &api, pr_event(&main, &head), &env).await;
    assert_eq!(r.code, 1, "the exit code follows the findings: {r:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(r.warnings().iter().any(|w| w.contains("no answer within 0.3 s")), "{r:?}");
    assert_outputs_written(&r, "1");
    drop(silent);
}

#[tokio::test]
async fn a_slow_api_stops_at_the_run_deadline() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_secs(60)))
        .with_priority(1)
        .mount(&api.server)
        .await;
    let head = relicense(&repo, "GPL-3.0-only");
    let env = [("LICENSE_DRIFT_API_TIMEOUT", "50s"), ("LICENSE_DRIFT_DEADLINE", "1500ms")];
    let (r, took) = gh_limited(&repo, &api, pr_event(&main, &head), &env).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(r.warnings().iter().any(|w| w.contains("deadline")), "{r:?}");
    assert_outputs_written(&r, "1");
}

#[tokio::test]
async fn a_long_retry_after_is_not_slept_on_and_says_rate_limited() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/issues/7/comments"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("retry-after", "240")
                .insert_header("x-ratelimit-remaining", "0")
                .set_body_json(json!({ "message": "API rate limit exceeded" })),
        )
        .with_priority(1)
        .mount(&api.server)
        .await;
    let head = relicense(&repo, "GPL-3.0-only");
    let (r, took) = gh_limited(&repo, &api, pr_event(&main, &head), &[("LICENSE_DRIFT_DEADLINE", "20s")]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(took < Duration::from_secs(10), "no 240 s sleep: took {took:?}");
    let w = r.warnings().join("\n");
    assert!(w.contains("rate limited: retry after 240 s"), "{r:?}");
    assert!(!w.contains("pull-requests: write"), "a rate limit is not a permission problem: {r:?}");
    assert_outputs_written(&r, "1");
}

#[tokio::test]
async fn a_pull_request_with_500_comments_is_listed_to_the_cap() {
    let (repo, main) = forked(&[]);
    let mut state = State::default();
    for i in 0..500 {
        state.add("someone", &format!("comment {i} <script>alert(1)</script> @everyone"));
    }
    let api = Api::start(state).await;
    let head = relicense(&repo, "GPL-3.0-only");
    // Five pages: the comment is created once, after the whole listing.
    let (r, _) = gh_limited(&repo, &api, pr_event(&main, &head), &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.warnings().is_empty(), "{r:?}");
    assert_eq!(api.comments().len(), 501, "created once");
    // Capped at three pages: the run says so and does not post (it could duplicate).
    let (r, _) = gh_limited(&repo, &api, pr_event(&main, &head), &[("LICENSE_DRIFT_MAX_PAGES", "3")]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.warnings().iter().any(|w| w.contains("more than 300 comments")), "{r:?}");
    assert_eq!(api.comments().len(), 501, "nothing posted past the cap");
    let listed = api.requests().await.iter().filter(|s| s.method == "GET" && s.path.ends_with("/comments")).count();
    assert_eq!(listed, 6 + 3, "pages asked for: {listed}");
}

// ---- item 2: REUSE texts are license texts of their scope ----------------------------------

#[test]
fn reuse_license_texts_are_judged_against_their_standard_text() {
    let repo = Repo::new();
    repo.write("LICENSES/MIT.txt", spdx_text("MIT"));
    repo.write("LICENSES/LicenseRef-Custom.txt", "Permission is granted to use this data.\n");
    repo.write("REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nSPDX-License-Identifier = \"MIT\"\n");
    repo.write("src/main.rs", "// SPDX-License-Identifier: MIT\nfn main() {}\n");
    repo.commit_tag("a");
    // Reflowed but the same text: nothing.
    repo.write("LICENSES/MIT.txt", spdx_text("MIT").replace(". ", ".\n"));
    repo.commit_tag("same");
    let run = unchanged(around(&repo), || diff_json(&repo, "a", "same"));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.findings().is_empty(), "{run:?}");
    // An added non-commercial sentence: a restriction of the repository.
    repo.write(
        "LICENSES/MIT.txt",
        format!("{}\nThe Software may not be used for commercial purposes.\n", spdx_text("MIT")),
    );
    repo.commit_tag("nc");
    let run = unchanged(around(&repo), || diff_json(&repo, "a", "nc"));
    assert_eq!(run.code, 1, "{run:?}");
    let added = run.rule("restriction-added");
    assert_eq!(added.len(), 1, "{run:?}");
    assert_eq!(added[0]["scope"]["path"], "", "{run:?}");
    assert!(added[0]["paths"].to_string().contains("LICENSES/MIT.txt"), "{run:?}");
    // The same in a LicenseRef text: every restricting sentence counts.
    repo.write("LICENSES/MIT.txt", spdx_text("MIT"));
    repo.write(
        "LICENSES/LicenseRef-Custom.txt",
        "Permission is granted to use this data.\nCommercial use is prohibited.\n",
    );
    repo.commit_tag("custom");
    let run = diff_json(&repo, "a", "custom");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.rule("restriction-added")[0]["paths"].to_string().contains("LicenseRef-Custom.txt"), "{run:?}");
    // A text that is not MIT at all: the repository's license changed.
    repo.write("LICENSES/LicenseRef-Custom.txt", "Permission is granted to use this data.\n");
    repo.write("LICENSES/MIT.txt", spdx_text("GPL-3.0-only"));
    repo.commit_tag("gpl");
    let run = diff_json(&repo, "a", "gpl");
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    assert_eq!(changed.len(), 1, "{run:?}");
    assert!(changed[0]["after"].as_str().unwrap().contains("GPL-3.0"), "{run:?}");
    let decl = declarations_at(&repo, "gpl", "LICENSES/MIT.txt", &[]);
    assert!(decl[0]["note"].as_str().unwrap().contains("named for MIT, but its text is GPL-3.0"), "{decl:#?}");
    // Unreadable: an unidentified declaration, as for any license file.
    repo.write("LICENSES/MIT.txt", LFS);
    repo.commit_tag("lfs-text");
    assert_unidentified(&repo, "lfs-text", "LICENSES/MIT.txt", "Git LFS pointer", &[]);
}

// ---- item 12: messages that say what is wrong ----------------------------------------------

#[test]
fn a_corrupt_tree_is_called_corrupt_not_missing() {
    let (repo, _, _) = mit_to_gpl();
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    let file = repo.path.join(".git/objects").join(&tree[..2]).join(&tree[2..]);
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&file, perms).unwrap();
    std::fs::write(&file, b"garbage").unwrap();
    let run = unchanged(around(&repo), || run_in(&repo.path, &["diff", "HEAD~1", "HEAD"]));
    assert_exit(&run, 2, &[&format!("tree {tree} is corrupt"), "git fsck"]);
    assert!(!run.stderr.contains("not in this clone") && !run.stderr.contains("git fetch"), "{run:?}");
}

#[test]
fn blob_and_tree_ids_are_not_commits() {
    let (repo, base, _) = mit_to_gpl();
    let blob = repo.git(&["rev-parse", "HEAD:LICENSE"]);
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]);
    for (rev, kind) in [(blob.as_str(), "is a blob"), (tree.as_str(), "is a tree")] {
        let run = unchanged(around(&repo), || run_in(&repo.path, &["diff", &base, rev]));
        assert_exit(&run, 2, &[kind, "not a commit"]);
        assert!(!run.stderr.contains("unknown revision"), "{run:?}");
    }
}

#[test]
fn hints_quote_revisions_and_causes_are_printed_once() {
    let (repo, _, _) = mit_to_gpl();
    let run = unchanged(around(&repo), || run_in(&repo.path, &["diff", "x;touch pwned", "HEAD"]));
    assert_exit(&run, 2, &["git fetch origin 'x;touch pwned'"]);
    let run = run_in(&repo.path, &["identify", "/nonexistent/LICENSE"]);
    assert_exit(&run, 2, &["cannot read /nonexistent/LICENSE"]);
    assert_eq!(run.stderr.matches("No such file or directory").count(), 1, "{run:?}");
}

#[test]
fn notes_and_warnings_read_as_sentences() {
    let repo = Repo::new();
    repo.write("LICENSE", "zebra quantum ".repeat(30));
    // More nodes than the YAML parser's safety budget (250,000).
    repo.card("README.md", &format!("license: mit\nx: [{}1]", "1,".repeat(260_000)));
    repo.card("deep/README.md", &format!("license: mit\nx: {}{}", "[".repeat(3000), "]".repeat(3000)));
    repo.card("sub/README.md", "license: mit");
    repo.commit("mit");
    repo.card("sub/README.md", "license: mit\ndatasets: [a]\nlicense: apache-2.0");
    repo.commit("odd");
    let run = unchanged(around(&repo), || run_in(&repo.path, &["scan"]));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("at 0.00") && !run.stdout.contains("closest"), "no guess with a score of 0: {run:?}");
    assert!(!run.stdout.contains(" { ") && !run.stderr.contains(" { "), "no Rust structures: {run:?}");
    assert!(run.stdout.contains("safety limit of the parser (250001 nodes)"), "{run:?}");
    let diff = run_in(&repo.path, &["diff", "HEAD~1", "HEAD"]);
    assert!(diff.stdout.contains("after: sub/README.md:4 Apache-2.0"), "the key that counts is cited: {diff:?}");
    let json = run_in(&repo.path, &["scan", "--format", "json"]).json();
    let warnings = json["warnings"].to_string();
    assert!(warnings.contains("gives `license` 2 times (lines 2, 4)"), "{warnings}");
}

// ---- the rest of the matrix: classes that already held, pinned down ------------------------

/// A repository whose root LICENSE goes from MIT (tag `mit`) to whatever `change` makes
/// of it (tag `head`).
fn from_mit(change: impl FnOnce(&Repo)) -> Repo {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT")).write("src/lib.rs", "// code\n");
    repo.commit_tag("mit");
    change(&repo);
    repo.commit_tag("head");
    repo
}

#[test]
fn utf16_and_latin1_license_texts_are_the_same_license() {
    let utf16 = from_mit(|repo| {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(spdx_text("MIT").encode_utf16().flat_map(u16::to_le_bytes));
        repo.write("LICENSE", bytes);
    });
    let run = unchanged(around(&utf16), || diff_json(&utf16, "mit", "head"));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.rule("license-changed").is_empty() && run.rule("license-unidentified").is_empty(), "{run:?}");
    let latin1 = from_mit(|repo| {
        let text = spdx_text("MIT").replace("Copyright (c) <year> <copyright holders>", "Copyright (c) 2024 Jos\u{e9}");
        repo.write("LICENSE", text.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>());
    });
    let run = unchanged(around(&latin1), || diff_json(&latin1, "mit", "head"));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.rule("license-changed").is_empty(), "{run:?}");
}

/// Writes a blob of `size` zero bytes after `head` into the object database, streamed
/// through `git hash-object --stdin` (fast compression), and returns its id.
fn big_blob(repo: &Repo, head: &[u8], size: usize) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("git")
        .current_dir(&repo.path)
        .args(["-c", "core.loosecompression=1", "hash-object", "-w", "--stdin"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(head).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = size - head.len();
    while left > 0 {
        let n = left.min(chunk.len());
        stdin.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn a_300_megabyte_license_and_card_are_judged_without_being_read() {
    const SIZE: usize = 300 * 1024 * 1024;
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.card("README.md", "license: mit");
    repo.commit_tag("mit");
    let license = big_blob(&repo, spdx_text("MIT").as_bytes(), SIZE);
    let card = big_blob(&repo, b"---\nlicense: cc-by-nc-4.0\n---\n# A model\n", SIZE);
    repo.git(&["update-index", "--cacheinfo", &format!("100644,{license},LICENSE")]);
    repo.git(&["update-index", "--cacheinfo", &format!("100644,{card},README.md")]);
    repo.git(&["commit", "-q", "-m", "huge"]);
    repo.git(&["tag", "huge"]);
    let started = std::time::Instant::now();
    let run = unchanged(around(&repo), || diff_json(&repo, "mit", "huge"));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    let text = changed.iter().map(Value::to_string).collect::<String>();
    assert!(text.contains(&format!("over the size cap: {SIZE} bytes")), "the LICENSE is judged by its size: {run:?}");
    assert!(text.contains("CC-BY-NC-4.0"), "the card's front matter is read from its start: {run:?}");
}

#[test]
fn a_symlink_loop_is_an_unreadable_license() {
    let repo = from_mit(|repo| {
        std::fs::remove_file(repo.path.join("LICENSE")).unwrap();
        std::os::unix::fs::symlink("COPYING", repo.path.join("LICENSE")).unwrap();
        std::os::unix::fs::symlink("LICENSE", repo.path.join("COPYING")).unwrap();
    });
    let run = unchanged(around(&repo), || diff_json(&repo, "mit", "head"));
    assert_eq!(run.code, 1, "{run:?}");
    let changed = run.rule("license-changed");
    assert!(!changed.is_empty() && changed[0]["direction"] == "unknown", "{run:?}");
    assert!(changed[0].to_string().contains("not followed"), "{run:?}");
}

#[test]
fn injection_in_file_names_and_texts_is_neutralised_in_every_format() {
    let evil_dir = "pkg \u{1b}[2J<img src=x onerror=alert(1)> @admin [x](http://evil) ::error::\nnext %0A";
    let repo = from_mit(|repo| {
        repo.write(&format!("{evil_dir}/LICENSE"), spdx_text("GPL-3.0-only"));
        repo.write(&format!("{evil_dir}/package.json"), r#"{"name": "x", "license": "MIT"}"#);
    });
    for format in ["text", "json", "markdown", "sarif", "github"] {
        let run = unchanged(around(&repo), || run_in(&repo.path, &["diff", "mit", "head", "--format", format]));
        assert_eq!(run.code, 1, "{format}: {run:?}");
        let out = &run.stdout;
        assert!(!out.contains('\u{1b}'), "{format}: a raw escape: {out}");
        match format {
            "json" | "sarif" => {
                serde_json::from_str::<Value>(out).unwrap_or_else(|e| panic!("{format} is not JSON: {e}\n{out}"));
            }
            "markdown" => {
                assert!(!out.contains("<img"), "raw HTML in markdown: {out}");
                assert!(!out.contains("@admin"), "a live mention in markdown: {out}");
                assert!(!out.contains("](http://evil)"), "a live link in markdown: {out}");
            }
            "github" => {
                for line in out.lines() {
                    assert!(line.starts_with("::"), "every line is one workflow command: {line:?}\n{out}");
                }
                assert!(!out.contains("::error::\n"), "{out}");
            }
            _ => assert!(!out.lines().any(|l| l.starts_with("next %0A")), "the newline in the name is visible: {out}"),
        }
    }
}

#[test]
fn empty_repositories_and_bare_diffs_are_errors_with_hints() {
    let repo = Repo::new();
    let run = unchanged(around(&repo), || run_in(&repo.path, &["diff"]));
    assert_exit(&run, 2, &["no commits"]);
    let run = unchanged(around(&repo), || run_in(&repo.path, &["scan"]));
    assert_exit(&run, 2, &["no commits"]);
    let bare = repo.sibling("bare.git");
    git(around(&repo), &["init", "-q", "--bare", bare.to_str().unwrap()]);
    let run = unchanged(around(&repo), || run_in(&bare, &["diff", "HEAD~1", "HEAD"]));
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
}

#[test]
fn hook_stdin_that_is_not_text_is_an_error() {
    let (repo, base, head) = mit_to_gpl();
    let mut bytes = format!("refs/heads/main {head} refs/heads/main {base}\n").into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\x00garbage\n");
    let run = unchanged(around(&repo), || run_stdin(&repo.path, &["hook", "pre-push", "origin"], &[], &bytes));
    assert_exit(&run, 2, &["cannot read the pre-push input"]);
    // On errors the hook fails closed unless told otherwise.
    let run = run_stdin(&repo.path, &["hook", "pre-push", "origin"], &[("LICENSE_DRIFT_ON_ERROR", "allow")], &bytes);
    assert_exit(&run, 0, &["LICENSE_DRIFT_ON_ERROR=allow"]);
}

#[tokio::test]
async fn event_files_that_are_not_json_or_missing_are_exit_2() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    let head = relicense(&repo, "GPL-3.0-only");
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("event.json");
    std::fs::write(&garbage, "{\"pull_request\": ").unwrap();
    let missing = dir.path().join("nope.json");
    for (path, needle) in [(&garbage, "is not JSON"), (&missing, "cannot read GITHUB_EVENT_PATH")] {
        let env = [("GITHUB_EVENT_PATH", path.to_str().unwrap())];
        let r = gh_run(&repo, &api, pr_event(&main, &head), &env, &[]).await;
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains(needle), "{r:?}");
    }
}

#[tokio::test]
async fn api_404_and_422_are_warnings_with_the_right_advice() {
    for (status, advice, method_name) in
        [(404, "was not found with this token", "GET"), (422, "GitHub rejected the comment", "POST")]
    {
        let (repo, main) = forked(&[]);
        let api = Api::start(State::default()).await;
        Mock::given(method(method_name))
            .and(path("/repos/o/r/issues/7/comments"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({ "message": "nope" })))
            .with_priority(1)
            .mount(&api.server)
            .await;
        let head = relicense(&repo, "Apache-2.0");
        let before = super::util::snapshot(around(&repo));
        let r = gh_run(&repo, &api, pr_event(&main, &head), &[], &[]).await;
        assert_eq!(super::util::snapshot(around(&repo)), before, "nothing written near the repository");
        assert_eq!(r.code, 0, "a warning finding does not block, whatever the API says: {r:?}");
        let w = r.warnings().join("\n");
        assert!(w.contains(&format!("HTTP {status}")) && w.contains(advice), "{status}: {r:?}");
        assert_eq!(r.output("findings"), "1", "{r:?}");
    }
}

#[test]
fn concurrent_runs_agree_and_write_nothing() {
    let (repo, base, head) = mit_to_gpl();
    let outputs = unchanged(around(&repo), || {
        let threads: Vec<_> = (0..6)
            .map(|i| {
                let dir = repo.path.clone();
                let (base, head) = (base.clone(), head.clone());
                std::thread::spawn(move || {
                    if i % 2 == 0 {
                        run_in(&dir, &["diff", &base, &head, "--format", "json"])
                    } else {
                        let stdin = format!("refs/heads/main {head} refs/heads/main {base}\n");
                        run_stdin(&dir, &["hook", "pre-push", "origin"], &[], stdin.as_bytes())
                    }
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect::<Vec<_>>()
    });
    for (i, run) in outputs.iter().enumerate() {
        assert_eq!(run.code, 1, "{run:?}");
        if i % 2 == 0 {
            assert_eq!(run.stdout, outputs[0].stdout, "the same report every time");
        } else {
            assert_eq!(run.stderr, outputs[1].stderr);
        }
    }
}

//! `license-drift github`: the GitHub Actions front. The comparison comes from the event;
//! the sinks are the sticky pull-request comment, the job summary, annotations, outputs
//! and SARIF. API failures are warnings: the exit code depends on the findings only.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use license_drift::drift::Severity;
use license_drift::gate::{self, GateOptions};
use license_drift::git::{Repo, Revision};
use license_drift::policy::PolicyFrom;
use license_drift::report::{self, DiffReport};

use super::github_api::{self, Wanted};
use super::open_repo;
use crate::Outcome;
use crate::cli::{CommentMode, GithubArgs};

/// What the workflow run provides.
struct RunContext {
    event_name: String,
    event: Value,
    repository: String,
    api_url: String,
    sha: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn context() -> Result<RunContext> {
    let event = match env("GITHUB_EVENT_PATH") {
        Some(p) => {
            let text = std::fs::read_to_string(&p).with_context(|| format!("cannot read GITHUB_EVENT_PATH {p}"))?;
            serde_json::from_str(&text).with_context(|| format!("GITHUB_EVENT_PATH {p} is not JSON"))?
        }
        None => Value::Null,
    };
    if !event.is_object() && !event.is_null() {
        bail!("GITHUB_EVENT_PATH does not hold a JSON object (the event payload); check the workflow's environment");
    }
    let sha = match env("GITHUB_SHA") {
        Some(s) if !is_full_oid(&s) => {
            bail!("GITHUB_SHA is {}, not a commit id (40 or 64 hex digits)", quoted(&s))
        }
        s => s,
    };
    Ok(RunContext {
        event_name: env("GITHUB_EVENT_NAME").unwrap_or_default(),
        event,
        repository: env("GITHUB_REPOSITORY").unwrap_or_default(),
        api_url: env("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".into()),
        sha,
    })
}

/// Whether `s` is a full object id: 40 (SHA-1) or 64 (SHA-256) hex digits.
pub fn is_full_oid(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A commit id of the event at `field` (a JSON pointer such as `/pull_request/head/sha`):
/// `None` when absent, empty or all zeros (no commit); an error naming the field when it is
/// anything but 40 or 64 hex digits.
fn event_sha(event: &Value, field: &str) -> Result<Option<String>> {
    let value = match event.pointer(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s,
        Some(other) => bail!(
            "the event's {field} is {}, not a commit id (40 or 64 hex digits); check GITHUB_EVENT_PATH",
            kind_of(other)
        ),
    };
    if value.is_empty() || value.bytes().all(|b| b == b'0') && is_full_oid(value) {
        return Ok(None);
    }
    if !is_full_oid(value) {
        bail!(
            "the event's {field} is {}, not a commit id (40 or 64 hex digits); check GITHUB_EVENT_PATH",
            quoted(value)
        );
    }
    Ok(Some(value.to_ascii_lowercase()))
}

/// A JSON value's kind, for messages.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An external string for a message: quoted, escaped, at most 80 characters.
fn quoted(s: &str) -> String {
    let short: String = s.chars().take(80).collect();
    let more = if short.len() < s.len() { "…" } else { "" };
    format!("'{}'{more}", license_drift::sanitize::terminal(&short, false))
}

/// The first 12 characters of a validated commit id.
fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

fn named(repo: &Repo, oid: &str, name: String) -> Result<Revision> {
    let mut r = repo.resolve(oid)?;
    r.rev = name;
    Ok(r)
}

/// The two sides of the comparison. Pull requests: with the default checkout of the merge
/// commit, its first parent against it; otherwise the merge-base of the PR's base and head
/// against the head — never the base branch's tip. Push: before/after. Returns whether the
/// base is a first push (no earlier history).
fn sides(repo: &Repo, ctx: &RunContext, args: &GithubArgs) -> Result<(Revision, Revision, bool)> {
    if let (Some(b), Some(h)) = (&args.base, &args.head) {
        return Ok((repo.resolve(b)?, repo.resolve(h)?, false));
    }
    if let Some(b) = &args.base {
        // An explicit base with the head the event names (or HEAD).
        let event_head = event_sha(&ctx.event, "/pull_request/head/sha")?
            .or(event_sha(&ctx.event, "/after")?)
            .or_else(|| ctx.sha.clone())
            .unwrap_or_else(|| "HEAD".into());
        return Ok((repo.resolve(b)?, repo.resolve(&event_head)?, false));
    }
    let e = &ctx.event;
    match ctx.event_name.as_str() {
        "pull_request" | "pull_request_target" => {
            let (Some(base_sha), Some(head_sha)) =
                (event_sha(e, "/pull_request/base/sha")?, event_sha(e, "/pull_request/head/sha")?)
            else {
                bail!("the pull_request event has no base/head sha");
            };
            if let Some(merge) = &ctx.sha
                && let Ok(commit) = repo.raw().find_commit(git2::Oid::from_str(merge).unwrap_or(git2::Oid::ZERO_SHA1))
                && commit.parent_count() == 2
                && commit.parent_id(1).map(|p| p.to_string()) == Ok(head_sha.clone())
            {
                let first = commit.parent_id(0)?.to_string();
                return Ok((
                    named(repo, &first, format!("{}^1", short(merge)))?,
                    named(repo, merge, format!("merge {}", short(merge)))?,
                    false,
                ));
            }
            let head = named(repo, args.head.as_deref().unwrap_or(&head_sha), format!("PR head {}", short(&head_sha)))?;
            let base_tip = repo.resolve(&base_sha)?;
            let mb = repo
                .merge_base(base_tip.commit.unwrap_or(base_tip.tree), head.commit.unwrap_or(head.tree))?
                .ok_or_else(|| anyhow::anyhow!("the pull request's base and head have no common ancestor"))?;
            Ok((named(repo, &mb.to_string(), format!("merge-base {}", short(&mb.to_string())))?, head, false))
        }
        "merge_group" => {
            let (Some(b), Some(h)) = (event_sha(e, "/merge_group/base_sha")?, event_sha(e, "/merge_group/head_sha")?)
            else {
                bail!("the merge_group event has no base_sha/head_sha")
            };
            Ok((repo.resolve(&b)?, repo.resolve(&h)?, false))
        }
        "push" => {
            let after = event_sha(e, "/after")?.or_else(|| ctx.sha.clone()).unwrap_or_else(|| "HEAD".into());
            let head = repo.resolve(&after)?;
            match event_sha(e, "/before")? {
                Some(before) => Ok((repo.resolve(&before)?, head, false)),
                None => Ok((repo.empty_revision()?, head, true)),
            }
        }
        _ => {
            let inputs = &e["inputs"];
            let head = repo.resolve(args.head.as_deref().or(inputs["head"].as_str()).unwrap_or("HEAD"))?;
            let base = match args.base.as_deref().or(inputs["base"].as_str().filter(|s| !s.is_empty())) {
                Some(b) => repo.resolve(b)?,
                None => repo.default_base(&head)?,
            };
            Ok((base, head, false))
        }
    }
}

/// For a pull request compared on GitHub's temporary merge commit, the range of the PR's
/// own commits (merge-base..head), which is what a developer's clone has.
fn pr_accept_range(repo: &Repo, ctx: &RunContext, head: &Revision) -> Option<(String, String)> {
    let base_sha = event_sha(&ctx.event, "/pull_request/base/sha").ok()??;
    let head_sha = event_sha(&ctx.event, "/pull_request/head/sha").ok()??;
    if head.commit.map(|c| c.to_string()) == Some(head_sha.clone()) {
        return None;
    }
    let (b, h) = (git2::Oid::from_str(&base_sha).ok()?, git2::Oid::from_str(&head_sha).ok()?);
    let mb = repo.merge_base(b, h).ok().flatten()?;
    Some((mb.to_string(), head_sha))
}

/// Appends `name=value` (or a delimited multi-line value) to the GITHUB_OUTPUT file.
fn output(lines: &mut String, name: &str, value: &str) {
    if value.contains('\n') {
        // The value can hold repository text (the markdown output): the delimiter is one no
        // line of it equals, so nothing in it can end the value early and set other outputs.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let mut delimiter = format!("ghadelimiter_{}_{nanos:x}", std::process::id());
        while value.lines().any(|l| l.trim_end_matches('\r') == delimiter) {
            delimiter.push('_');
        }
        lines.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
    } else {
        lines.push_str(&format!("{name}={value}\n"));
    }
}

fn append(path: &Path, text: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

fn warn(message: &str) {
    println!("::warning title=license-drift::{}", report::escape_data(message));
}

/// The job summary's size limit (GitHub refuses more than 1 MiB per step).
const MAX_SUMMARY: usize = 1_000_000;

/// Runs the command.
pub fn run(args: GithubArgs) -> Result<Outcome> {
    let deadline = Instant::now() + args.deadline;
    let ctx = context()?;
    let repo = open_repo(&args.repo)?;
    let (base, head, first_push) = sides(&repo, &ctx, &args)?;
    let opts = GateOptions {
        allow_incomplete: args.repo.allow_incomplete,
        policy_from: PolicyFrom::Base,
        config_path: args.config.clone(),
        fail_on: args.fail_on,
        allow_missing_config: false,
    };
    let mut doc = gate::run(&repo, &base, &head, &opts)?;
    doc.accept_range = pr_accept_range(&repo, &ctx, &head);
    // Paths link to the pull request's head as reviewers see it (else the compared head);
    // removed files to the base.
    let head_sha = event_sha(&ctx.event, "/pull_request/head/sha")
        .ok()
        .flatten()
        .filter(|_| args.head.is_none())
        .or_else(|| head.commit.map(|c| c.to_string()))
        .unwrap_or_default();
    let base_sha = base.commit.map(|c| c.to_string());
    doc.links = report::Links::new(
        &env("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
        &ctx.repository,
        &head_sha,
        base_sha.as_deref(),
        env("GITHUB_RUN_ID").as_deref(),
    );
    doc.automation_id = automation_id(args.comment_key.as_deref());
    if first_push {
        doc.keep_first_push_findings();
    }
    let mut markdown = Vec::new();
    report::write_diff_markdown(&doc, &mut markdown)?;
    let markdown = String::from_utf8_lossy(&markdown).into_owned();

    let report_path = args.report.clone().unwrap_or_else(|| {
        env("RUNNER_TEMP").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".")).join("license-drift.json")
    });
    let mut json = Vec::new();
    report::write_json(&doc, &mut json)?;
    std::fs::write(&report_path, json).with_context(|| format!("cannot write {}", report_path.display()))?;
    if let Some(sarif) = &args.sarif {
        let mut out = Vec::new();
        report::write_sarif(&doc, &mut out)?;
        std::fs::write(sarif, out).with_context(|| format!("cannot write {}", sarif.display()))?;
    }
    let mut stdout = std::io::stdout().lock();
    report::write_annotations(&doc, &mut stdout)?;
    drop(stdout);
    // Bounded by --api-timeout per request and by the deadline: the outputs and summary
    // below are written whatever the API does.
    let (comment_url, not_posted) = match comment(&ctx, &args, &doc, &markdown, &head, deadline) {
        Ok(url) => (url, None),
        Err(problem) => {
            warn(&format!("the pull-request comment was not updated: {problem}"));
            (None, Some(problem))
        }
    };
    if let Some(summary) = env("GITHUB_STEP_SUMMARY") {
        let mut text = markdown.clone();
        if text.len() > MAX_SUMMARY {
            let mut cut = MAX_SUMMARY - 200;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str("\n\n…cut to fit the job summary; the whole report is the JSON report of this step.\n");
        }
        if let Some(problem) = &not_posted {
            text.push_str(&format!(
                "\n> [!WARNING]\n> The pull-request comment was not posted or updated: {}\n",
                license_drift::sanitize::markdown_inline(problem)
            ));
        }
        append(Path::new(&summary), &format!("{text}\n"))?;
    }
    if let Some(out) = env("GITHUB_OUTPUT") {
        let mut lines = String::new();
        output(&mut lines, "findings", &doc.findings.iter().filter(|f| f.acknowledged.is_none()).count().to_string());
        output(&mut lines, "blocking", if doc.blocking { "true" } else { "false" });
        output(&mut lines, "report", &report_path.display().to_string());
        output(&mut lines, "comment-url", comment_url.as_deref().unwrap_or(""));
        output(&mut lines, "errors", &doc.summary.error.to_string());
        output(&mut lines, "warnings", &doc.summary.warning.to_string());
        output(&mut lines, "infos", &doc.summary.info.to_string());
        let run_url = doc.links.as_ref().and_then(|l| l.run.as_deref());
        output(&mut lines, "markdown", github_api::fit(markdown.clone(), run_url).trim_end());
        append(Path::new(&out), &lines)?;
    }
    Ok(if doc.blocking { Outcome::Blocked } else { Outcome::Clean })
}

/// Keeps the pull request's comment current. `Ok(None)`: nothing to post (or not asked
/// to); `Err`: what went wrong, for a warning (API problems never fail the check).
fn comment(
    ctx: &RunContext,
    args: &GithubArgs,
    doc: &DiffReport,
    markdown: &str,
    head: &Revision,
    deadline: Instant,
) -> std::result::Result<Option<String>, String> {
    if args.comment == CommentMode::Never {
        return Ok(None);
    }
    let Some(number) = args
        .pr_number
        .or_else(|| ctx.event["pull_request"]["number"].as_u64())
        .or_else(|| ctx.event["number"].as_u64())
    else {
        return Ok(None);
    };
    if ctx.repository.is_empty() {
        return Err("GITHUB_REPOSITORY is not set".into());
    }
    let Some(token) = env("GITHUB_TOKEN") else {
        return Err("no token (GITHUB_TOKEN); pass the `token` input".into());
    };
    let findings = doc.findings.iter().filter(|f| f.acknowledged.is_none()).count();
    let head_sha = head.commit.map(|c| c.to_string()).unwrap_or_default();
    let worth = doc.findings.iter().any(|f| f.acknowledged.is_none() && f.severity >= Severity::Warning);
    let wanted = Wanted {
        key: args.comment_key.as_deref().unwrap_or("default"),
        report: (!doc.findings.is_empty()).then_some(markdown),
        findings,
        head: &head_sha,
        create: match args.comment {
            CommentMode::Always => true,
            CommentMode::OnFindings => worth,
            CommentMode::OnBlocking => doc.blocking,
            CommentMode::Never => false,
        },
        run_url: doc.links.as_ref().and_then(|l| l.run.as_deref()),
    };
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        return Err(format!(
            "the run's deadline ({}, --deadline) passed before the API was asked",
            github_api::seconds(args.deadline)
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    let limits = github_api::Limits {
        retry_wait: Duration::from_millis(env("LICENSE_DRIFT_RETRY_MS").and_then(|v| v.parse().ok()).unwrap_or(1000)),
        request_timeout: args.api_timeout,
        deadline,
        max_pages: env("LICENSE_DRIFT_MAX_PAGES").and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(MAX_PAGES),
    };
    let result = runtime.block_on(async {
        let client = octocrab::Octocrab::builder()
            .base_uri(ctx.api_url.as_str())
            .map(|b| {
                b.personal_token(token)
                    .add_retry_config(octocrab::service::middleware::retry::RetryConfig::None)
                    .set_connect_timeout(Some(args.api_timeout))
                    .set_read_timeout(Some(args.api_timeout))
                    .set_write_timeout(Some(args.api_timeout))
            })
            .and_then(|b| b.build())
            .map_err(|e| format!("cannot set up the GitHub client for {}: {e}", ctx.api_url))?;
        let sync =
            github_api::sync_comment(&client, &ctx.repository, number, &wanted, args.comment_author.as_deref(), limits);
        // The whole conversation ends at the deadline, whatever a request is doing.
        match tokio::time::timeout(remaining, sync).await {
            Ok(r) => r.map_err(|p| p.0),
            Err(_) => Err(format!(
                "the GitHub API did not finish before the run's deadline ({}, --deadline)",
                github_api::seconds(args.deadline)
            )),
        }
    });
    // Leave pending connections behind instead of waiting for them.
    runtime.shutdown_background();
    result
}

/// SARIF `automationDetails.id`: `license-drift/<category>/`, the category being the
/// comment key, else the checked directory relative to the workspace, so that several runs
/// of the Action in one workflow upload separate analyses.
fn automation_id(comment_key: Option<&str>) -> String {
    let dir = || {
        let workspace = PathBuf::from(env("GITHUB_WORKSPACE")?);
        let here = std::env::current_dir().ok()?;
        let rel = here.strip_prefix(&workspace).ok()?.to_string_lossy().replace('\\', "/");
        (!rel.is_empty()).then_some(rel)
    };
    let category = comment_key.map(str::to_string).filter(|k| !k.is_empty()).or_else(dir).unwrap_or_default();
    let category: String =
        category.chars().map(|c| if c.is_ascii_alphanumeric() || "._-/".contains(c) { c } else { '_' }).collect();
    let category = category.trim_matches('/');
    if category.is_empty() { "license-drift/".into() } else { format!("license-drift/{category}/") }
}

/// Pages of comments listed at most when looking for the sticky comment (100 each);
/// `LICENSE_DRIFT_MAX_PAGES` changes it.
const MAX_PAGES: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn a_multi_line_output_cannot_be_ended_by_its_value() {
        let delimiter = format!("ghadelimiter_{}", std::process::id());
        let hostile = format!("line\n{delimiter}\nblocking=false\n{delimiter}_0\nend");
        let mut lines = String::new();
        output(&mut lines, "markdown", &hostile);
        let first = lines.lines().next().unwrap();
        let used = first.strip_prefix("markdown<<").unwrap();
        assert!(!hostile.lines().any(|l| l == used), "{lines}");
        assert!(lines.ends_with(&format!("\n{used}\n")));
        assert_eq!(lines.lines().filter(|l| *l == used).count(), 1, "{lines}");
    }

    #[test]
    fn event_shas_are_full_hex_or_absent() {
        let full = "a".repeat(40);
        let event = json!({ "a": full, "b": "abc", "c": "0".repeat(40), "d": 7, "e": "", "f": "é".repeat(12) });
        assert_eq!(event_sha(&event, "/a").unwrap(), Some(full));
        assert_eq!(event_sha(&event, "/c").unwrap(), None, "all zeros: no commit");
        assert_eq!(event_sha(&event, "/e").unwrap(), None);
        assert_eq!(event_sha(&event, "/missing").unwrap(), None);
        for bad in ["/b", "/d", "/f"] {
            let err = event_sha(&event, bad).unwrap_err().to_string();
            assert!(err.contains(bad) && err.contains("40 or 64 hex"), "{err}");
        }
        assert_eq!(short("abc"), "abc");
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "[0-9a-f]{40}".prop_map(Value::String),
            "\\PC{0,50}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(
                    "(sha|head|base|after|before|pull_request|merge_group|[a-z]{1,6})",
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever the event holds: no panic, and a commit id only when it is one.
        #[test]
        fn event_fields_never_panic(event in json_value()) {
            for field in ["/pull_request/head/sha", "/pull_request/base/sha", "/after", "/before", "/merge_group/head_sha"] {
                match event_sha(&event, field) {
                    Ok(Some(sha)) => prop_assert!(is_full_oid(&sha)),
                    Ok(None) => {}
                    Err(e) => prop_assert!(e.to_string().len() < 300, "{e}"),
                }
            }
        }
    }
}

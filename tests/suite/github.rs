//! `license-drift github` end to end: the real binary on pull-request-shaped histories, against
//! a local mock of the GitHub REST API that keeps the pull request's comments (listing with
//! pagination, creation, edits) and records every request. Faults (403, 5xx, a lost answer
//! to a POST that did create the comment) are injected per test.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::util::{Repo, spdx_text};

/// The token handed to the binary; it must never appear in its output.
const TOKEN: &str = "ghs_tEsTsEcReTtOkEn0123456789abcdefXYZ";
/// The default comment key's marker.
const MARKER: &str = "<!-- license-drift:default -->";
/// The login behind the token in the mock (what `GET /user` answers).
const BOT: &str = "drift-bot";
const COMMENTS: &str = "/repos/o/r/issues/7/comments";

#[derive(Clone, Debug)]
pub(super) struct Comment {
    pub(super) id: u64,
    pub(super) login: String,
    pub(super) body: String,
}

impl Comment {
    fn url(&self) -> String {
        format!("https://github.example/o/r/pull/7#issuecomment-{}", self.id)
    }

    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "html_url": self.url(),
            "body": self.body,
            "user": { "login": self.login, "type": "User" },
        })
    }
}

/// The mock's state: the comments of pull request 7 and the faults to inject.
pub(super) struct State {
    pub(super) comments: Vec<Comment>,
    pub(super) next_id: u64,
    /// What `GET /user` answers; `None`: 403, as for the workflow token.
    pub(super) me: Option<String>,
    /// The author of comments created with the token.
    pub(super) poster: String,
    /// The next N listings answer 503.
    pub(super) list_failures: usize,
    /// POSTs answer this status and create nothing (403 for a fork's read-only token).
    pub(super) post_status: Option<u16>,
    /// The next N POSTs create the comment but answer 502 (the answer got lost).
    pub(super) post_lost: usize,
}

impl Default for State {
    fn default() -> State {
        State {
            comments: Vec::new(),
            next_id: 1000,
            me: Some(BOT.into()),
            poster: BOT.into(),
            list_failures: 0,
            post_status: None,
            post_lost: 0,
        }
    }
}

impl State {
    pub(super) fn add(&mut self, login: &str, body: &str) -> u64 {
        self.next_id += 1;
        self.comments.push(Comment { id: self.next_id, login: login.into(), body: body.into() });
        self.next_id
    }
}

#[derive(Clone)]
struct Gh(Arc<Mutex<State>>);

fn message(status: u16, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "message": text }))
}

impl Respond for Gh {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut st = self.0.lock().unwrap();
        let path = req.url.path().to_string();
        let query: BTreeMap<String, String> = req.url.query_pairs().into_owned().collect();
        let method = req.method.as_str();
        match (method, path.as_str()) {
            ("GET", "/user") => match &st.me {
                Some(login) => ResponseTemplate::new(200).set_body_json(json!({ "login": login })),
                None => message(403, "Resource not accessible by integration"),
            },
            ("GET", COMMENTS) => {
                if st.list_failures > 0 {
                    st.list_failures -= 1;
                    return message(503, "Service Unavailable");
                }
                let per_page: usize = query.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(30).min(100);
                let page: usize = query.get("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
                let items: Vec<Value> =
                    st.comments.iter().skip((page - 1) * per_page).take(per_page).map(Comment::json).collect();
                ResponseTemplate::new(200).set_body_json(Value::Array(items))
            }
            ("POST", COMMENTS) => {
                if let Some(status) = st.post_status {
                    return message(status, "Resource not accessible by integration");
                }
                let Ok(body) = req.body_json::<Value>() else { return message(400, "Problems parsing JSON") };
                let Some(text) = body["body"].as_str() else { return message(422, "body is missing") };
                let poster = st.poster.clone();
                let id = st.add(&poster, text);
                if st.post_lost > 0 {
                    st.post_lost -= 1;
                    return message(502, "Bad Gateway");
                }
                let c = st.comments.iter().find(|c| c.id == id).unwrap();
                ResponseTemplate::new(201).set_body_json(c.json())
            }
            ("PATCH", p) if p.starts_with("/repos/o/r/issues/comments/") => {
                let id: u64 = p.rsplit('/').next().and_then(|v| v.parse().ok()).unwrap_or(0);
                let Ok(body) = req.body_json::<Value>() else { return message(400, "Problems parsing JSON") };
                let Some(text) = body["body"].as_str() else { return message(422, "body is missing") };
                match st.comments.iter_mut().find(|c| c.id == id) {
                    Some(c) => {
                        c.body = text.to_string();
                        ResponseTemplate::new(200).set_body_json(c.json())
                    }
                    None => message(404, "Not Found"),
                }
            }
            _ => message(404, "Not Found"),
        }
    }
}

/// A mock GitHub API with its state.
pub(super) struct Api {
    pub(super) server: MockServer,
    pub(super) state: Arc<Mutex<State>>,
}

impl Api {
    pub(super) async fn start(state: State) -> Api {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(state));
        Mock::given(any()).respond_with(Gh(state.clone())).mount(&server).await;
        Api { server, state }
    }

    /// Every request so far, as (method, path, query, body).
    pub(super) async fn requests(&self) -> Vec<Sent> {
        let all = self.server.received_requests().await.expect("request recording is on");
        all.iter()
            .map(|r| Sent {
                method: r.method.as_str().to_string(),
                path: r.url.path().to_string(),
                query: r.url.query().unwrap_or_default().to_string(),
                body: r.body_json::<Value>().ok().and_then(|v| v["body"].as_str().map(String::from)),
                auth: r.headers.get("authorization").map(|v| v.to_str().unwrap_or_default().to_string()),
            })
            .collect()
    }

    pub(super) fn comments(&self) -> Vec<Comment> {
        self.state.lock().unwrap().comments.clone()
    }

    fn ours(&self) -> Vec<Comment> {
        self.comments().into_iter().filter(|c| c.login == BOT && c.body.contains(MARKER)).collect()
    }
}

#[derive(Debug, Clone)]
pub(super) struct Sent {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: String,
    pub(super) body: Option<String>,
    pub(super) auth: Option<String>,
}

fn count(sent: &[Sent], method: &str, path: &str) -> usize {
    sent.iter().filter(|s| s.method == method && s.path == path).count()
}

fn writes(sent: &[Sent]) -> Vec<&Sent> {
    sent.iter().filter(|s| s.method == "POST" || s.method == "PATCH").collect()
}

/// One run of `license-drift github`.
pub(super) struct GhRun {
    pub(super) code: i32,
    pub(super) stdout: String,
    pub(super) stderr: String,
    pub(super) outputs_text: String,
    pub(super) outputs: BTreeMap<String, String>,
    pub(super) summary: String,
    pub(super) _dir: tempfile::TempDir,
}

impl std::fmt::Debug for GhRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr (last 3000 bytes)\n{}\n--- GITHUB_OUTPUT\n{}",
            self.code,
            self.stdout,
            tail(&self.stderr, 3000),
            self.outputs_text
        )
    }
}

fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

impl GhRun {
    pub(super) fn output(&self, name: &str) -> &str {
        self.outputs.get(name).map(String::as_str).unwrap_or_else(|| panic!("no output {name}: {self:?}"))
    }

    fn report(&self) -> Value {
        let path = self.output("report");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("report {path}: {e}\n{self:?}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("report {path} is not JSON: {e}\n{self:?}"))
    }

    pub(super) fn warnings(&self) -> Vec<&str> {
        self.stdout.lines().filter(|l| l.starts_with("::warning title=license-drift::")).collect()
    }
}

/// The `pull_request` event of pull request 7.
pub(super) fn pr_event(base: &str, head: &str) -> Value {
    json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": { "number": 7, "base": { "sha": base, "ref": "main" }, "head": { "sha": head, "ref": "pr" } },
        "repository": { "full_name": "o/r" },
    })
}

/// Runs `license-drift github ARGS` in the repository as a workflow step would, with the
/// token in the environment and tracing at its most verbose; checks the token stays secret.
pub(super) async fn run(repo: &Repo, api: &Api, event: Value, extra_env: &[(&str, &str)], args: &[&str]) -> GhRun {
    let dir = tempfile::tempdir().unwrap();
    let event_path = dir.path().join("event.json");
    std::fs::write(&event_path, event.to_string()).unwrap();
    let (output, summary) = (dir.path().join("github-output"), dir.path().join("step-summary"));
    std::fs::write(&output, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_license-drift"));
    cmd.current_dir(&repo.path).arg("github").args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("GITHUB_") || k.starts_with("LICENSE_DRIFT_") || k.starts_with("RUNNER_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_REPOSITORY", "o/r")
        .env("GITHUB_API_URL", api.server.uri())
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", dir.path())
        .env("LICENSE_DRIFT_RETRY_MS", "10")
        .env("RUST_LOG", "trace")
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("the binary runs")).await.unwrap();
    let outputs_text = std::fs::read_to_string(&output).unwrap();
    let run = GhRun {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outputs: super::util::parse_outputs(&outputs_text),
        outputs_text,
        summary: std::fs::read_to_string(&summary).unwrap(),
        _dir: dir,
    };
    let secret_tail = &TOKEN[TOKEN.len() - 16..];
    assert!(
        !run.stdout.contains(secret_tail) && !run.stderr.contains(secret_tail),
        "the token leaked into the output at RUST_LOG=trace: {run:?}"
    );
    run
}

/// `main` with an MIT LICENSE (plus `extra` files), then branch `pr` checked out.
/// Returns the repository and main's commit.
pub(super) fn forked(extra: &[(&str, &str)]) -> (Repo, String) {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    repo.write("src/lib.rs", "pub fn f() {}\n");
    for (path, text) in extra {
        repo.write(path, text);
    }
    let main = repo.commit("MIT");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    (repo, main)
}

/// Commits a new root LICENSE on the checked-out branch.
pub(super) fn relicense(repo: &Repo, id: &str) -> String {
    repo.write("LICENSE", spdx_text(id));
    repo.commit(id)
}

/// The URL the mock gives a comment.
fn url_of(id: u64) -> String {
    format!("https://github.example/o/r/pull/7#issuecomment-{id}")
}

#[tokio::test]
async fn sticky_comment_is_created_edited_resolved_and_left_alone_when_unchanged() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;

    // 1. A GPL change: the comment is created, once.
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r1 = run(&repo, &api, pr_event(&main, &gpl), &[], &[]).await;
    assert_eq!(r1.code, 1, "an error finding blocks: {r1:?}");
    assert!(r1.warnings().is_empty(), "no API problem: {r1:?}");
    let sent = api.requests().await;
    assert!(
        sent.iter().any(|s| s.auth.as_deref().is_some_and(|a| a.contains(TOKEN))),
        "the token authenticates the requests: {sent:?}"
    );
    assert_eq!(count(&sent, "POST", COMMENTS), 1, "one comment is created: {sent:?}");
    assert_eq!(writes(&sent).len(), 1, "{sent:?}");
    let ours = api.ours();
    assert_eq!(ours.len(), 1, "{:?}", api.comments());
    let created = ours[0].clone();
    assert!(created.body.starts_with(MARKER), "the body starts with the marker:\n{}", created.body);
    assert!(created.body.contains("license-changed") && created.body.contains("GPL-3.0-only"), "{}", created.body);
    assert_eq!(r1.output("comment-url"), url_of(created.id), "{r1:?}");
    let before = sent.len();

    // 2. Other findings (Apache-2.0 instead): the same comment is edited, nothing is created.
    let apache = relicense(&repo, "Apache-2.0");
    let r2 = run(&repo, &api, pr_event(&main, &apache), &[], &[]).await;
    assert_eq!(r2.code, 0, "a warning does not block: {r2:?}");
    assert_eq!(r2.output("findings"), "1", "{r2:?}");
    let sent = api.requests().await[before..].to_vec();
    assert_eq!(count(&sent, "POST", COMMENTS), 0, "no second comment: {sent:?}");
    let patch = format!("/repos/o/r/issues/comments/{}", created.id);
    assert_eq!(count(&sent, "PATCH", &patch), 1, "the comment is edited in place: {sent:?}");
    assert_eq!(api.comments().len(), 1);
    let edited = api.ours().remove(0);
    assert!(edited.body.starts_with(MARKER) && edited.body.contains("Apache-2.0"), "{}", edited.body);
    assert!(!edited.body.contains("GPL-3.0-only"), "the old findings are gone:\n{}", edited.body);
    assert_eq!(r2.output("comment-url"), url_of(created.id), "{r2:?}");
    let before = before + sent.len();

    // 3. Back to MIT: no findings, the comment becomes the resolved note.
    let mit = relicense(&repo, "MIT");
    let r3 = run(&repo, &api, pr_event(&main, &mit), &[], &[]).await;
    assert_eq!(r3.code, 0, "{r3:?}");
    assert_eq!(r3.output("findings"), "0", "{r3:?}");
    let sent = api.requests().await[before..].to_vec();
    assert_eq!(count(&sent, "POST", COMMENTS), 0, "{sent:?}");
    assert_eq!(count(&sent, "PATCH", &patch), 1, "the stale comment is edited: {sent:?}");
    let resolved = api.ours().remove(0);
    assert!(resolved.body.starts_with(MARKER), "{}", resolved.body);
    assert!(resolved.body.contains("no license drift"), "{}", resolved.body);
    assert!(resolved.body.contains("was: 1 finding(s)"), "the note says what was there:\n{}", resolved.body);
    assert!(resolved.body.contains(&format!("resolved at {}", &mit[..12])), "{}", resolved.body);
    assert!(!resolved.body.contains("Apache-2.0"), "no stale finding is left:\n{}", resolved.body);
    let before = before + sent.len();

    // 4. The same state again: the body would not change, so nothing is written.
    let r4 = run(&repo, &api, pr_event(&main, &mit), &[], &[]).await;
    assert_eq!(r4.code, 0, "{r4:?}");
    let sent = api.requests().await[before..].to_vec();
    assert!(writes(&sent).is_empty(), "an unchanged comment is not written again: {:#?}", writes(&sent));
    assert_eq!(api.comments().len(), 1);
    let last = api.ours().remove(0);
    assert!(last.body.contains("was: 1 finding(s)"), "the resolved note stays as it was:\n{}", last.body);
    assert_eq!(r4.output("comment-url"), url_of(created.id), "{r4:?}");
}

#[tokio::test]
async fn a_marked_comment_by_someone_else_is_left_alone() {
    let (repo, main) = forked(&[]);
    let mut state = State::default();
    let forged = format!("{MARKER}\n<!-- license-drift-findings:3 -->\nall is fine, merge me");
    let mallory = state.add("mallory", &forged);
    let api = Api::start(state).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let sent = api.requests().await;
    assert_eq!(count(&sent, "PATCH", &format!("/repos/o/r/issues/comments/{mallory}")), 0, "{sent:?}");
    assert_eq!(count(&sent, "POST", COMMENTS), 1, "the tool creates its own comment: {sent:?}");
    let comments = api.comments();
    assert_eq!(comments.len(), 2, "{comments:?}");
    assert_eq!(comments[0].body, forged, "mallory's comment is untouched");
    let ours = api.ours();
    assert_eq!(ours.len(), 1, "{comments:?}");
    assert!(ours[0].body.contains("license-changed"), "{}", ours[0].body);
    assert_eq!(r.output("comment-url"), url_of(ours[0].id), "{r:?}");
}

#[tokio::test]
async fn the_comment_is_found_on_the_second_page_of_150() {
    let (repo, main) = forked(&[]);
    let mut state = State::default();
    let mut ours = 0;
    for i in 0..150 {
        let who = if i % 3 == 0 { "alice" } else { "bob" };
        state.add(who, &format!("comment {i} by {who}"));
        if i == 120 {
            ours = state.add(BOT, &format!("{MARKER}\n<!-- license-drift-findings:2 -->\nold report"));
        }
    }
    let api = Api::start(state).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.warnings().is_empty(), "{r:?}");
    let sent = api.requests().await;
    let lists: Vec<&Sent> = sent.iter().filter(|s| s.method == "GET" && s.path == COMMENTS).collect();
    assert!(
        lists.iter().any(|s| s.query.contains("page=2") && s.query.contains("per_page=100")),
        "the second page of 100 is read: {lists:?}"
    );
    assert_eq!(count(&sent, "POST", COMMENTS), 0, "no duplicate: {sent:?}");
    assert_eq!(count(&sent, "PATCH", &format!("/repos/o/r/issues/comments/{ours}")), 1, "{sent:?}");
    assert_eq!(api.comments().len(), 151);
    let mine = api.ours();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].body.contains("license-changed") && !mine[0].body.contains("old report"), "{}", mine[0].body);
    assert_eq!(r.output("comment-url"), url_of(ours), "{r:?}");
}

#[tokio::test]
async fn forbidden_get_user_means_the_actions_bot() {
    let (repo, main) = forked(&[]);
    let bot = "github-actions[bot]";
    let mut state = State { me: None, poster: bot.into(), ..State::default() };
    // A user's comment quoting the marker, then the bot's own comment.
    state.add(BOT, &format!("{MARKER}\nnot the workflow token's comment"));
    let id = state.add(bot, &format!("{MARKER}\n<!-- license-drift-findings:1 -->\nold report"));
    let api = Api::start(state).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let sent = api.requests().await;
    assert_eq!(count(&sent, "GET", "/user"), 1, "the identity is asked for: {sent:?}");
    assert_eq!(count(&sent, "POST", COMMENTS), 0, "{sent:?}");
    let patched: Vec<&Sent> = sent.iter().filter(|s| s.method == "PATCH").collect();
    assert_eq!(patched.len(), 1, "{sent:?}");
    assert_eq!(patched[0].path, format!("/repos/o/r/issues/comments/{id}"), "the bot's comment is edited: {sent:?}");
    let comments = api.comments();
    assert_eq!(comments[0].body, format!("{MARKER}\nnot the workflow token's comment"));
    assert!(comments[1].body.contains("license-changed"), "{}", comments[1].body);
    assert_eq!(r.output("comment-url"), url_of(id), "{r:?}");
}

#[tokio::test]
async fn a_read_only_token_is_a_warning_and_the_exit_code_follows_the_policy() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State { post_status: Some(403), ..State::default() }).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &[]).await;
    assert_eq!(r.code, 1, "the GPL change blocks, the 403 does not change that: {r:?}");
    let warnings = r.warnings();
    assert_eq!(warnings.len(), 1, "one warning about the comment: {r:?}");
    assert!(warnings[0].contains("403") && warnings[0].contains("pull-requests: write"), "{r:?}");
    assert_eq!(r.output("blocking"), "true", "{r:?}");
    assert_eq!(r.output("findings"), "1", "{r:?}");
    assert_eq!(r.output("comment-url"), "", "{r:?}");
    assert!(r.report()["findings"].as_array().is_some_and(|f| !f.is_empty()), "{r:?}");
    assert!(r.summary.contains("license-changed"), "the job summary is written: {}", r.summary);
    assert!(r.stdout.lines().any(|l| l.starts_with("::error file=LICENSE")), "{r:?}");
    let sent = api.requests().await;
    assert_eq!(count(&sent, "POST", COMMENTS), 1, "a refused POST is not repeated: {sent:?}");
    assert!(api.comments().is_empty());

    // A warning-only change with the same token: exit 0.
    let apache = relicense(&repo, "Apache-2.0");
    let r = run(&repo, &api, pr_event(&main, &apache), &[], &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.warnings().len(), 1, "{r:?}");
    assert_eq!(r.output("blocking"), "false", "{r:?}");
}

#[tokio::test]
async fn a_failing_listing_is_retried_and_the_comment_created_once() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State { list_failures: 1, ..State::default() }).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.warnings().is_empty(), "the retry succeeded: {r:?}");
    let sent = api.requests().await;
    assert!(count(&sent, "GET", COMMENTS) >= 2, "the listing is retried: {sent:?}");
    assert_eq!(count(&sent, "POST", COMMENTS), 1, "{sent:?}");
    assert_eq!(api.ours().len(), 1, "{:?}", api.comments());
    assert_eq!(r.output("comment-url"), url_of(api.ours()[0].id), "{r:?}");
}

#[tokio::test]
async fn a_lost_answer_to_a_post_does_not_duplicate_the_comment() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State { post_lost: 1, ..State::default() }).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &[]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let sent = api.requests().await;
    assert_eq!(count(&sent, "POST", COMMENTS), 1, "the POST is not repeated blindly: {sent:?}");
    let posted = sent.iter().position(|s| s.method == "POST").unwrap();
    assert!(
        sent[posted..].iter().any(|s| s.method == "GET" && s.path == COMMENTS),
        "the comments are listed again after the 502: {sent:?}"
    );
    let comments = api.comments();
    assert_eq!(comments.len(), 1, "no duplicate: {comments:?}");
    assert_eq!(r.output("comment-url"), url_of(comments[0].id), "the comment found again is reported: {r:?}");
    assert!(r.warnings().is_empty(), "the comment exists, nothing to warn about: {r:?}");
}

#[tokio::test]
async fn a_long_report_is_cut_to_fit_a_comment() {
    let mit = spdx_text("MIT");
    let dirs: Vec<String> = (0..140).map(|i| format!("pkg{i:03}/LICENSE")).collect();
    let extra: Vec<(&str, &str)> = dirs.iter().map(|d| (d.as_str(), mit)).collect();
    let (repo, main) = forked(&extra);
    for d in &dirs {
        repo.write(d, spdx_text("Apache-2.0"));
    }
    let head = repo.commit("Apache-2.0 everywhere");
    let api = Api::start(State::default()).await;
    let r = run(&repo, &api, pr_event(&main, &head), &[], &[]).await;
    assert_eq!(r.code, 0, "warnings only: {r:?}");
    assert_eq!(r.output("findings"), "140", "{r:?}");
    assert!(r.summary.chars().count() > 70_000, "the report is long: {} chars", r.summary.chars().count());
    let sent = api.requests().await;
    let posts: Vec<&Sent> = sent.iter().filter(|s| s.method == "POST").collect();
    assert_eq!(posts.len(), 1, "{r:?}");
    let body = posts[0].body.as_deref().expect("a JSON body with `body`");
    assert!(body.chars().count() <= 65_536 && body.len() <= 65_536, "the body has {} bytes", body.len());
    assert!(body.starts_with(MARKER), "{}", &body[..200]);
    assert!(body.contains("job summary"), "the cut body points to the job summary:\n{}", tail(body, 500));
    assert_eq!(body.matches("<details>").count(), body.matches("</details>").count(), "{}", tail(body, 800));
    assert_eq!(body.matches("~~~").count() % 2, 0, "no open code fence");
    assert!(r.warnings().is_empty(), "{r:?}");
    // GitHub shows ten annotations per level: ten, then one pointing to the summary.
    let located = r.stdout.lines().filter(|l| l.starts_with("::warning file=")).count();
    assert_eq!(located, 10, "{r:?}");
    assert!(r.stdout.lines().any(|l| l.starts_with("::warning ") && l.contains("130 more")), "{r:?}");
}

#[tokio::test]
async fn outputs_summary_and_annotations_are_written() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let report_path = repo.sibling("report.json");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &["--report", report_path.to_str().unwrap()]).await;
    assert_eq!(r.code, 1, "{r:?}");
    for line in ["findings=", "blocking=", "report=", "comment-url="] {
        assert!(r.outputs_text.lines().any(|l| l.starts_with(line)), "GITHUB_OUTPUT has {line}: {r:?}");
    }
    let findings: usize = r.output("findings").parse().expect("findings is a number");
    assert_eq!(r.output("blocking"), "true", "{r:?}");
    assert_eq!(PathBuf::from(r.output("report")), report_path, "{r:?}");
    let report = r.report();
    assert_eq!(report["base"]["commit"], main.as_str(), "{report}");
    assert_eq!(report["head"]["commit"], gpl.as_str(), "{report}");
    let listed = report["findings"].as_array().expect("findings in the report");
    assert_eq!(listed.iter().filter(|f| f["acknowledged"].is_null()).count(), findings, "{report}");
    let changed = listed.iter().find(|f| f["rule"] == "license-changed").expect("license-changed in the report");
    let comment = api.ours().pop().expect("a comment");
    assert_eq!(r.output("comment-url"), comment.url(), "{r:?}");

    // The job summary holds the markdown report with the compared SHAs.
    assert!(r.summary.starts_with("### license-drift:"), "{}", r.summary);
    for needle in ["license-changed", "GPL-3.0-only", "#### Licenses", &main[..7], &gpl[..7]] {
        assert!(r.summary.contains(needle), "the summary has {needle:?}:\n{}", r.summary);
    }
    let id = changed["id"].as_str().unwrap();
    assert!(r.summary.contains(&format!("license-drift accept {id}")), "the accept command:\n{}", r.summary);
    assert!(comment.body.contains(r.summary.trim_end()), "the comment carries the same markdown");

    // One annotation on LICENSE for the error.
    let errors: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("::error ")).collect();
    assert!(!errors.is_empty(), "{r:?}");
    let on_license = errors.iter().find(|l| l.starts_with("::error file=LICENSE")).expect("::error file=LICENSE");
    assert!(on_license.contains("license-changed") && on_license.contains(id), "{on_license}");
    let (props, text) = on_license[2..].split_once("::").expect("::error props::message");
    assert!(props.contains("title=") && !text.is_empty(), "{on_license}");
    assert!(!props.contains(": "), "`:` is escaped in properties: {on_license}");
}

#[tokio::test]
async fn sarif_has_the_2_1_0_shape() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    let gpl = relicense(&repo, "GPL-3.0-only");
    let sarif_path = repo.sibling("out.sarif");
    let args = ["--sarif", sarif_path.to_str().unwrap(), "--comment", "never"];
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &args).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(api.requests().await.is_empty(), "--comment never sends nothing");
    let text = std::fs::read_to_string(&sarif_path).expect("the SARIF file is written");
    let sarif: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().is_some_and(|s| s.contains("sarif")), "{sarif}");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "license-drift");
    let rules: Vec<&str> =
        driver["rules"].as_array().expect("rules").iter().map(|r| r["id"].as_str().expect("rule id")).collect();
    let mut unique = rules.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), rules.len(), "rule ids are unique: {rules:?}");
    for name in ["license-changed", "license-added", "license-removed"] {
        assert!(rules.contains(&name), "rule {name} is declared: {rules:?}");
    }
    let report = r.report();
    let findings = report["findings"].as_array().unwrap();
    let results = runs[0]["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        let rule = result["ruleId"].as_str().expect("ruleId");
        assert_eq!(rule, finding["rule"]);
        if let Some(i) = result["ruleIndex"].as_u64() {
            assert_eq!(rules[i as usize], rule, "ruleIndex points to the rule");
        }
        assert!(["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap_or("")), "{result}");
        assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{result}");
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty(), "{result}");
        for l in locations {
            let uri = l["physicalLocation"]["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(!uri.is_empty() && !uri.starts_with('/'), "a relative uri: {result}");
            if let Some(line) = l["physicalLocation"]["region"].get("startLine") {
                assert!(line.as_u64().is_some_and(|n| n >= 1), "{result}");
            }
        }
        let prints = result["partialFingerprints"].as_object().expect("partialFingerprints");
        assert!(!prints.is_empty() && prints.values().all(Value::is_string), "{result}");
        assert!(prints.values().any(|v| v == &finding["id"]), "the fingerprint is the finding id: {result}");
    }
    let changed = results.iter().find(|r| r["ruleId"] == "license-changed").expect("license-changed");
    assert_eq!(changed["level"], "error");
    let uris: Vec<&str> = changed["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"LICENSE"), "{uris:?}");

    // Stable: the same comparison gives the same fingerprints.
    let r2 = run(&repo, &api, pr_event(&main, &gpl), &[], &args).await;
    assert_eq!(r2.code, 1, "{r2:?}");
    let again: Value = serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    let prints = |v: &Value| -> Vec<Value> {
        v["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["partialFingerprints"].clone()).collect()
    };
    assert_eq!(prints(&sarif), prints(&again));
}

/// Paths of a report's findings.
fn finding_paths(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        for p in f["paths"].as_array().into_iter().flatten() {
            out.push(p.as_str().unwrap_or_default().to_string());
        }
    }
    out
}

/// `main` with MIT at the root and in `sub/`; `pr` relicenses the root to GPL-3.0-only; then
/// `main` moves on and relicenses `sub/` to Apache-2.0. Returns (repo, fork point, main tip, pr head).
fn moved_on() -> (Repo, String, String, String) {
    let (repo, fork) = forked(&[("sub/LICENSE", spdx_text("MIT"))]);
    let pr = relicense(&repo, "GPL-3.0-only");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("sub/LICENSE", spdx_text("Apache-2.0"));
    let tip = repo.commit("sub: Apache-2.0");
    (repo, fork, tip, pr)
}

fn only_the_pr_change(r: &GhRun, report: &Value) {
    let paths = finding_paths(report);
    assert!(paths.iter().all(|p| !p.starts_with("sub/")), "main's own change is not reported: {paths:?}\n{r:?}");
    let findings = report["findings"].as_array().unwrap();
    let changed: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "license-changed").collect();
    assert_eq!(changed.len(), 1, "{report}");
    assert_eq!(changed[0]["before"], "MIT", "{report}");
    assert_eq!(changed[0]["after"], "GPL-3.0-only", "{report}");
    assert!(!r.summary.contains("Apache-2.0"), "{}", r.summary);
}

#[tokio::test]
async fn a_base_branch_that_moved_on_is_compared_from_the_merge_base() {
    let (repo, fork, tip, pr) = moved_on();
    repo.git(&["checkout", "-q", "pr"]);
    let api = Api::start(State::default()).await;
    let r = run(&repo, &api, pr_event(&tip, &pr), &[], &["--comment", "never"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let report = r.report();
    assert_eq!(report["base"]["commit"], fork.as_str(), "the merge-base, not main's tip: {report}");
    assert_eq!(report["head"]["commit"], pr.as_str(), "{report}");
    only_the_pr_change(&r, &report);
}

#[tokio::test]
async fn the_merge_commit_checkout_is_compared_with_its_first_parent() {
    let (repo, _fork, tip, pr) = moved_on();
    // What actions/checkout gives a pull request: refs/pull/7/merge, detached.
    repo.git(&["checkout", "-q", "--detach", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "--no-edit", "pr"]);
    let merge = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(repo.git(&["rev-parse", "HEAD^1"]), tip);
    let api = Api::start(State::default()).await;
    let r = run(&repo, &api, pr_event(&tip, &pr), &[("GITHUB_SHA", &merge)], &["--comment", "never"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    let report = r.report();
    assert_eq!(report["base"]["commit"], tip.as_str(), "the merge commit's first parent: {report}");
    assert_eq!(report["head"]["commit"], merge.as_str(), "the merge commit: {report}");
    only_the_pr_change(&r, &report);
}

/// The last fenced `sh` block of a markdown text.
fn last_sh_block(text: &str) -> &str {
    let start = text.rfind("```sh\n").map(|i| i + 6).unwrap_or(0);
    let end = text[start..].find("```").map(|i| start + i).unwrap_or(text.len());
    text[start..end].trim()
}

#[tokio::test]
async fn the_comment_links_paths_to_the_head_commit_and_ends_with_one_accept_command() {
    let (repo, main) = forked(&[("models/my model#1%/LICENSE", spdx_text("MIT"))]);
    repo.write("models/my model#1%/LICENSE", spdx_text("GPL-3.0-only"));
    let head = relicense(&repo, "GPL-3.0-only");
    let api = Api::start(State::default()).await;
    let env = [("GITHUB_SERVER_URL", "https://ghe.example.com/"), ("GITHUB_RUN_ID", "4242")];
    let sarif_path = repo.sibling("out.sarif");
    let args = ["--sarif", sarif_path.to_str().unwrap(), "--comment-key", "legal"];
    let r = run(&repo, &api, pr_event(&main, &head), &env, &args).await;
    assert_eq!(r.code, 1, "{r:?}");
    let comment = api.comments().pop().expect("a comment");
    let body = &comment.body;
    let blob = format!("https://ghe.example.com/o/r/blob/{head}/");
    assert!(body.contains(&format!("[LICENSE]({blob}LICENSE)")), "the root LICENSE is linked:\n{body}");
    assert!(
        body.contains(&format!("({blob}models/my%20model%231%25/LICENSE)")),
        "the path is percent-encoded in the link:\n{body}"
    );
    assert!(body.contains("| repository root |"), "the root scope is named:\n{body}");
    assert!(!body.contains("| / "), "no `/ all` scope:\n{body}");

    // The comment ends with one command accepting every blocking finding of the range.
    let report = r.report();
    let blocking: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error" && f["acknowledged"].is_null())
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(blocking.len() >= 2, "{report}");
    let command = last_sh_block(body);
    assert!(command.starts_with(&format!("license-drift accept {} --reason", blocking.join(" "))), "{command}");
    assert!(command.ends_with(&format!("--base {main} --head {head}")), "{command}");
    assert!(body.trim_end().ends_with("```"), "the command closes the comment:\n{}", tail(body, 400));
    assert_eq!(r.output("markdown"), r.summary.trim_end(), "the markdown output is the report");

    // SARIF: percent-encoded URIs, the comment key as the category, no placeholder.
    let text = std::fs::read_to_string(&sarif_path).unwrap();
    assert!(!text.contains("OWNER"), "no placeholder URI");
    let sarif: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "license-drift/legal/");
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["locations"].as_array().unwrap().iter())
        .filter_map(|l| l["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"models/my%20model%231%25/LICENSE"), "{uris:?}");
    assert!(uris.iter().all(|u| !u.contains(' ') && !u.contains('#')), "{uris:?}");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        assert!(rule["help"]["text"].as_str().is_some_and(|t| t.len() > 20), "{rule}");
        assert!(rule["help"]["markdown"].as_str().is_some_and(|t| t.contains("license-drift accept")), "{rule}");
        assert!(["error", "warning", "note"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
        assert!(rule["helpUri"].as_str().unwrap().starts_with(env!("CARGO_PKG_REPOSITORY")), "{rule}");
    }

    // Run again with another run id: the same report, so the comment is not rewritten.
    let env = [("GITHUB_SERVER_URL", "https://ghe.example.com/"), ("GITHUB_RUN_ID", "4243")];
    let again = run(&repo, &api, pr_event(&main, &head), &env, &args).await;
    assert_eq!(again.code, 1, "{again:?}");
    let patched: Vec<Sent> = api.requests().await.into_iter().filter(|s| s.method == "PATCH").collect();
    assert!(patched.is_empty(), "rewritten:\n{}\n---- was\n{body}", patched[0].body.as_deref().unwrap_or_default());
}

#[tokio::test]
async fn info_only_findings_open_no_comment_and_on_blocking_waits_for_a_blocking_one() {
    let (repo, main) = forked(&[]);
    let api = Api::start(State::default()).await;
    let relaxed = relicense(&repo, "Unlicense");
    let r = run(&repo, &api, pr_event(&main, &relaxed), &[], &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!((r.output("errors"), r.output("warnings")), ("0", "0"), "{r:?}");
    assert_ne!(r.output("infos"), "0", "MIT -> Unlicense is relaxed (info): {r:?}");
    assert!(writes(&api.requests().await).is_empty(), "info alone opens no comment under on-findings");

    // on-blocking: a warning opens none either, a blocking finding does.
    let changed = relicense(&repo, "Apache-2.0");
    let r = run(&repo, &api, pr_event(&main, &changed), &[], &["--comment", "on-blocking"]).await;
    assert_eq!((r.code, r.output("blocking")), (0, "false"), "{r:?}");
    assert_ne!(r.output("warnings"), "0", "{r:?}");
    assert!(writes(&api.requests().await).is_empty(), "on-blocking: no comment for a warning");
    let gpl = relicense(&repo, "GPL-3.0-only");
    let r = run(&repo, &api, pr_event(&main, &gpl), &[], &["--comment", "on-blocking"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(count(&api.requests().await, "POST", COMMENTS), 1, "{r:?}");
}

/// The `workflow_run` pattern for pull requests from forks: the event names no pull request,
/// the workflow gives the number and the revisions.
#[tokio::test]
async fn pr_number_comments_where_the_event_names_no_pull_request() {
    let (repo, main) = forked(&[]);
    let gpl = relicense(&repo, "GPL-3.0-only");
    let api = Api::start(State::default()).await;
    let event = json!({ "workflow_run": { "id": 1, "head_sha": gpl } });
    let env = [("GITHUB_EVENT_NAME", "workflow_run")];
    let r = run(&repo, &api, event.clone(), &env, &["--base", &main, "--head", &gpl]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(writes(&api.requests().await).is_empty(), "no pull request, no comment");
    let r = run(&repo, &api, event, &env, &["--base", &main, "--head", &gpl, "--pr-number", "7"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(count(&api.requests().await, "POST", COMMENTS), 1, "{r:?}");
    assert!(api.ours().pop().expect("the comment").body.contains("license-changed"));
}

//! The pull-request comment: one per pull request and comment key, found by its hidden
//! marker and by the identity that posts, updated in place, turned into a short resolved
//! note when the findings go away, never duplicated.

use std::time::{Duration, Instant};

use http::StatusCode;
use octocrab::Octocrab;
use serde_json::{Value, json};

/// A comment body's hard limit on GitHub.
pub const MAX_BODY: usize = 65_536;
/// Marks a comment that says there is no drift.
const NO_DRIFT: &str = "<!-- license-drift-no-drift -->";
/// Comments per page asked for.
const PER_PAGE: usize = 100;
/// The identity of the workflow token when `GET /user` is forbidden.
pub const ACTIONS_BOT: &str = "github-actions[bot]";

/// An API problem: reported as a warning, never the check's failure.
#[derive(Debug)]
pub struct ApiProblem(pub String);

/// What the sticky comment should say.
pub struct Wanted<'a> {
    pub key: &'a str,
    /// The report when there are findings; `None` when there are none.
    pub report: Option<&'a str>,
    pub findings: usize,
    /// The head commit, for the resolved note.
    pub head: &'a str,
    /// Whether a new comment may be created when there is none (`comment` mode); an
    /// existing one is always kept current.
    pub create: bool,
    /// The workflow run, linked when the report is cut.
    pub run_url: Option<&'a str>,
}

/// The marker line of a comment key.
pub fn marker(key: &str) -> String {
    format!("<!-- license-drift:{} -->", key.replace("--", "-").replace('>', ""))
}

fn count_marker(n: usize) -> String {
    format!("<!-- license-drift-findings:{n} -->")
}

fn previous_count(body: &str) -> Option<usize> {
    let start = body.find("<!-- license-drift-findings:")? + "<!-- license-drift-findings:".len();
    body[start..].split(' ').next()?.parse().ok()
}

/// The start of the line that says a comment was cut.
const CUT_NOTE: &str = "…the report is cut here to fit a comment";

/// Cuts a body to GitHub's limit, with a pointer to the job summary (a link to the run when
/// known). The closing "accept every blocking finding" section is kept whole.
pub fn fit(body: String, run_url: Option<&str>) -> String {
    if body.len() <= MAX_BODY {
        return body;
    }
    let summary = match run_url {
        Some(url) => format!("[job summary of this run]({url})"),
        None => "job summary of this run".to_string(),
    };
    let note = format!("\n\n{CUT_NOTE}; the full report is in the {summary}.\n");
    let (body, tail) = match body.find(license_drift::report::ACCEPT_ALL_MARKER) {
        Some(i) if body.len() - i < MAX_BODY / 4 => (&body[..i], &body[i..]),
        _ => (body.as_str(), ""),
    };
    let mut cut = MAX_BODY - note.len() - tail.len() - 32;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    // Do not leave an open <details> or code fence behind.
    let mut s = body[..cut].to_string();
    if s.matches("~~~").count() % 2 == 1 {
        s.push_str("\n~~~");
    }
    if s.matches("<details>").count() > s.matches("</details>").count() {
        s.push_str("\n</details>");
    }
    s.push_str(&note);
    if !tail.is_empty() {
        s.push('\n');
        s.push_str(tail);
    }
    s
}

/// A body without what changes from run to run although the report does not (the link to
/// the run in a cut note): two bodies alike in this form are not rewritten.
fn comparable(body: &str) -> String {
    body.lines().filter(|l| !l.starts_with(CUT_NOTE)).collect::<Vec<_>>().join("\n")
}

fn body_for(w: &Wanted<'_>, previous: Option<&str>) -> Option<String> {
    let head = marker(w.key);
    match w.report {
        Some(_) if previous.is_none() && !w.create => None,
        Some(report) => Some(fit(format!("{head}\n{}\n{report}", count_marker(w.findings)), w.run_url)),
        None => {
            // Already a "no drift" note (resolved or not): leave it as it is.
            if let Some(p) = previous
                && p.contains(NO_DRIFT)
            {
                return Some(p.to_string());
            }
            let was = previous.and_then(previous_count).unwrap_or(0);
            if previous.is_some() && was > 0 {
                let short = &w.head[..w.head.len().min(12)];
                Some(format!(
                    "{head}\n{}\n{NO_DRIFT}\n### license-drift: no license drift\n\nNo license drift (was: {was} finding(s), resolved at {short}).\n",
                    count_marker(0)
                ))
            } else if previous.is_some() || w.create {
                Some(format!("{head}\n{}\n{NO_DRIFT}\n### license-drift: no license drift\n", count_marker(0)))
            } else {
                None
            }
        }
    }
}

/// Limits of the conversation with the API.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The first wait before retrying a failed request (then twice that).
    pub retry_wait: Duration,
    /// How long one request may take.
    pub request_timeout: Duration,
    /// When the run must be done: nothing waits or is sent past it.
    pub deadline: Instant,
    /// Pages of comments listed at most (100 each).
    pub max_pages: usize,
}

/// One answer of the API.
struct Answer {
    status: StatusCode,
    value: Value,
    /// A rate limit answered it; `Some(seconds)` when it said how long to wait.
    rate_limited: Option<Option<u64>>,
}

struct Api<'a> {
    client: &'a Octocrab,
    limits: Limits,
}

impl Api<'_> {
    fn remaining(&self) -> Duration {
        self.limits.deadline.saturating_duration_since(Instant::now())
    }

    /// Waits `wait` unless that passes the deadline.
    async fn sleep(&self, wait: Duration, doing: &str) -> Result<(), ApiProblem> {
        if wait >= self.remaining() {
            return Err(ApiProblem(format!("{doing}: the run's deadline is reached")));
        }
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// Sends a request within the request timeout and the deadline, retrying idempotent
    /// ones on 5xx and waiting out rate limits when the wait fits before the deadline.
    async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Answer, ApiProblem> {
        let mut attempt = 0;
        let doing = format!("{method} {}", path.split('?').next().unwrap_or(path));
        loop {
            attempt += 1;
            let budget = self.limits.request_timeout.min(self.remaining());
            if budget.is_zero() {
                return Err(ApiProblem(format!("{doing}: the run's deadline is reached")));
            }
            let request = async {
                let response = match method {
                    "GET" => self.client._get(path).await,
                    "POST" => self.client._post(path, body).await,
                    _ => self.client._patch(path, body).await,
                }?;
                let status = response.status();
                let headers = response.headers().clone();
                // A body that cannot be read is an error, never an empty answer: read as one,
                // a comment listing would look empty and a second comment would be posted.
                let text = self.client.body_to_string(response).await?;
                Ok::<_, octocrab::Error>((status, headers, text))
            };
            let result = match tokio::time::timeout(budget, request).await {
                Ok(r) => r,
                Err(_) => {
                    return Err(ApiProblem(format!(
                        "{doing}: no answer within {} (--api-timeout, --deadline)",
                        seconds(budget)
                    )));
                }
            };
            let (status, headers, text) = match result {
                Ok(r) => r,
                Err(e) if method != "POST" && attempt < 3 => {
                    tracing::debug!("{doing}: {e}; retrying");
                    self.sleep(self.limits.retry_wait * attempt, &doing).await?;
                    continue;
                }
                Err(e) => return Err(ApiProblem(format!("{doing} failed: {e}"))),
            };
            let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let retry_after =
                headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
            let exhausted = headers.get("x-ratelimit-remaining").is_some_and(|v| v.as_bytes() == b"0");
            let limited = (status == StatusCode::FORBIDDEN || status == StatusCode::TOO_MANY_REQUESTS)
                && (headers.contains_key("retry-after") || exhausted);
            let rate_limited = limited.then_some(retry_after);
            if limited && attempt < 3 {
                let wait = retry_after.map(Duration::from_secs).unwrap_or(self.limits.retry_wait);
                if wait > Duration::from_secs(60) || wait >= self.remaining() {
                    // Waiting would pass the deadline: give up now and say when to retry.
                    return Ok(Answer { status, value, rate_limited });
                }
                tracing::debug!("{doing}: rate limited; waiting {wait:?}");
                tokio::time::sleep(wait).await;
                continue;
            }
            if status.is_server_error() && method != "POST" && attempt < 3 {
                self.sleep(self.limits.retry_wait * attempt, &doing).await?;
                continue;
            }
            return Ok(Answer { status, value, rate_limited });
        }
    }

    async fn identity(&self, fallback: Option<&str>) -> String {
        if let Some(f) = fallback {
            return f.to_string();
        }
        match self.send("GET", "/user", None).await {
            Ok(a) if a.status.is_success() => a.value["login"].as_str().unwrap_or(ACTIONS_BOT).to_string(),
            _ => ACTIONS_BOT.to_string(),
        }
    }

    async fn find(
        &self,
        repo: &str,
        number: u64,
        mark: &str,
        author: &str,
    ) -> Result<Option<(u64, String, String)>, ApiProblem> {
        for page in 1..=self.limits.max_pages {
            let path = format!("/repos/{repo}/issues/{number}/comments?per_page={PER_PAGE}&page={page}");
            let a = self.send("GET", &path, None).await?;
            if !a.status.is_success() {
                return Err(problem(&a, "listing the pull request's comments"));
            }
            let Some(items) = a.value.as_array().cloned() else {
                return Err(ApiProblem(
                    "listing the pull request's comments: the answer is not a list of comments; not posting, so as not to duplicate an earlier license-drift comment".into(),
                ));
            };
            for c in &items {
                let body = c["body"].as_str().unwrap_or_default();
                let login = c["user"]["login"].as_str().unwrap_or_default();
                if body.contains(mark) && login.eq_ignore_ascii_case(author) {
                    let id = c["id"].as_u64().unwrap_or_default();
                    let url = c["html_url"].as_str().unwrap_or_default().to_string();
                    return Ok(Some((id, body.to_string(), url)));
                }
            }
            if items.len() < PER_PAGE {
                return Ok(None);
            }
        }
        // Not found in the pages read: posting could duplicate a comment further on.
        Err(ApiProblem(format!(
            "the pull request has more than {} comments (the listing stops after {} pages); not posting, so as not to duplicate an earlier license-drift comment",
            self.limits.max_pages * PER_PAGE,
            self.limits.max_pages
        )))
    }
}

/// A duration for messages: `1.5 s`, `240 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 { format!("{s:.0} s") } else { format!("{s:.1} s") }
}

fn problem(a: &Answer, doing: &str) -> ApiProblem {
    let status = a.status;
    let message = a.value["message"].as_str().unwrap_or_default();
    if let Some(retry_after) = a.rate_limited {
        let when = match retry_after {
            Some(s) => format!("retry after {s} s"),
            None => "retry when the rate limit resets".into(),
        };
        return ApiProblem(format!(
            "{doing}: HTTP {status}: rate limited: {when} (not waited for: it passes the run's deadline or a minute)"
        ));
    }
    let advice = match status.as_u16() {
        401 | 403 => {
            " — the token cannot write pull-request comments: grant `pull-requests: write` (fork pull requests get a read-only token: use the job summary and annotations, or pull_request_target without checking out untrusted code)"
        }
        404 => " — the repository or pull request was not found with this token",
        422 => " — GitHub rejected the comment",
        _ => "",
    };
    ApiProblem(format!("{doing}: HTTP {status} {message}{advice}"))
}

/// Makes the pull request's license-drift comment say what `wanted` says; returns its URL.
pub async fn sync_comment(
    client: &Octocrab,
    repo: &str,
    number: u64,
    wanted: &Wanted<'_>,
    author: Option<&str>,
    limits: Limits,
) -> Result<Option<String>, ApiProblem> {
    let api = Api { client, limits };
    let author = api.identity(author).await;
    let mark = marker(wanted.key);
    let existing = api.find(repo, number, &mark, &author).await?;
    let Some(body) = body_for(wanted, existing.as_ref().map(|(_, b, _)| b.as_str())) else { return Ok(None) };
    match existing {
        // The same report: not rewritten (no notification, no "edited" mark).
        Some((_, old, url)) if comparable(&old) == comparable(&body) => Ok(Some(url)),
        Some((id, _, url)) => {
            let a = api
                .send("PATCH", &format!("/repos/{repo}/issues/comments/{id}"), Some(&json!({ "body": body })))
                .await?;
            if a.status.is_success() {
                Ok(a.value["html_url"].as_str().map(String::from).or(Some(url)))
            } else {
                Err(problem(&a, "updating the comment"))
            }
        }
        None => {
            let path = format!("/repos/{repo}/issues/{number}/comments");
            for attempt in 0..2 {
                match api.send("POST", &path, Some(&json!({ "body": body }))).await {
                    Ok(a) if a.status.is_success() => return Ok(a.value["html_url"].as_str().map(String::from)),
                    Ok(a) if !a.status.is_server_error() => return Err(problem(&a, "creating the comment")),
                    Ok(_) | Err(_) if attempt == 0 => {
                        // The comment may exist although the answer was lost: look before posting again.
                        api.sleep(limits.retry_wait, "creating the comment").await?;
                        if let Some((_, _, url)) = api.find(repo, number, &mark, &author).await? {
                            return Ok(Some(url));
                        }
                    }
                    Ok(a) => return Err(problem(&a, "creating the comment")),
                    Err(e) => return Err(e),
                }
            }
            Err(ApiProblem("creating the comment failed twice".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        let w = Wanted {
            key: "default",
            report: None,
            findings: 0,
            head: "0123456789abcdef",
            create: false,
            run_url: None,
        };
        assert!(body_for(&w, None).is_none());
        let old = format!("{}\n{}\nold", marker("default"), count_marker(3));
        let resolved = body_for(&w, Some(&old)).unwrap();
        assert!(resolved.contains("was: 3 finding(s), resolved at 0123456789ab"), "{resolved}");
        let big = "x".repeat(100_000);
        let cut = fit(big, None);
        assert!(cut.len() <= MAX_BODY && cut.contains("job summary"));

        // Findings that may not open a comment (info only under on-findings) still update one.
        let info = Wanted { report: Some("### 1 info"), findings: 1, ..w };
        assert!(body_for(&info, None).is_none());
        assert!(body_for(&info, Some(&old)).unwrap().contains("### 1 info"));
    }

    #[test]
    fn a_cut_body_links_the_run_and_keeps_the_accept_all_command() {
        let url = "https://github.com/o/r/actions/runs/42";
        let tail = format!(
            "{}\naccept all:\n```sh\nlicense-drift accept aaa bbb --reason \"…\"\n```\n",
            license_drift::report::ACCEPT_ALL_MARKER
        );
        let body = format!("<details>\n{}\n{tail}", "y".repeat(100_000));
        let cut = fit(body, Some(url));
        assert!(cut.len() <= MAX_BODY, "{}", cut.len());
        assert!(cut.contains(&format!("[job summary of this run]({url})")), "{}", &cut[cut.len() - 400..]);
        assert!(cut.ends_with(&tail), "the accept-all section survives the cut");
        assert!(cut.contains("</details>"));
        // Another run of the same report differs only by the run link: not rewritten.
        let other = cut.replace("/runs/42", "/runs/43");
        assert_ne!(cut, other);
        assert_eq!(comparable(&cut), comparable(&other));
    }
}

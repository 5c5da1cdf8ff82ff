//! The pull-request comment: one per pull request and comment key, found by its hidden
//! marker and by the identity that posts, updated in place, turned into a short resolved
//! note when the findings go away, never duplicated.

use std::time::Duration;

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
    /// Post a comment even when there is nothing to say.
    pub always: bool,
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

/// Cuts a body to GitHub's limit, with a pointer to the job summary.
pub fn fit(body: String) -> String {
    if body.len() <= MAX_BODY {
        return body;
    }
    let note = "\n\n…the report is cut here to fit a comment; the full report is in the job summary of this run.\n";
    let mut cut = MAX_BODY - note.len() - 16;
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
    s.push_str(note);
    s
}

fn body_for(w: &Wanted<'_>, previous: Option<&str>) -> Option<String> {
    let head = marker(w.key);
    match w.report {
        Some(report) => Some(fit(format!("{head}\n{}\n{report}", count_marker(w.findings)))),
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
            } else if previous.is_some() || w.always {
                Some(format!("{head}\n{}\n{NO_DRIFT}\n### license-drift: no license drift\n", count_marker(0)))
            } else {
                None
            }
        }
    }
}

struct Api<'a> {
    client: &'a Octocrab,
    retry_wait: Duration,
}

impl Api<'_> {
    /// Sends a request, retrying idempotent ones on 5xx and waiting out rate limits (bounded).
    async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(StatusCode, Value), ApiProblem> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match method {
                "GET" => self.client._get(path).await,
                "POST" => self.client._post(path, body).await,
                _ => self.client._patch(path, body).await,
            };
            let response = match result {
                Ok(r) => r,
                Err(e) if method != "POST" && attempt < 3 => {
                    tracing::debug!("{method} {path}: {e}; retrying");
                    tokio::time::sleep(self.retry_wait * attempt).await;
                    continue;
                }
                Err(e) => return Err(ApiProblem(format!("{method} {path} failed: {e}"))),
            };
            let status = response.status();
            let headers = response.headers().clone();
            let text = self.client.body_to_string(response).await.unwrap_or_default();
            let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let limited = (status == StatusCode::FORBIDDEN || status == StatusCode::TOO_MANY_REQUESTS)
                && (headers.contains_key("retry-after")
                    || headers.get("x-ratelimit-remaining").is_some_and(|v| v.as_bytes() == b"0"));
            if limited && attempt < 3 {
                let wait = headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(Duration::from_secs)
                    .unwrap_or(self.retry_wait)
                    .min(Duration::from_secs(60));
                tracing::debug!("{method} {path}: rate limited; waiting {wait:?}");
                tokio::time::sleep(wait).await;
                continue;
            }
            if status.is_server_error() && method != "POST" && attempt < 3 {
                tokio::time::sleep(self.retry_wait * attempt).await;
                continue;
            }
            return Ok((status, value));
        }
    }

    async fn identity(&self, fallback: Option<&str>) -> String {
        if let Some(f) = fallback {
            return f.to_string();
        }
        match self.send("GET", "/user", None).await {
            Ok((s, v)) if s.is_success() => v["login"].as_str().unwrap_or(ACTIONS_BOT).to_string(),
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
        let mut page = 1;
        loop {
            let path = format!("/repos/{repo}/issues/{number}/comments?per_page={PER_PAGE}&page={page}");
            let (status, v) = self.send("GET", &path, None).await?;
            if !status.is_success() {
                return Err(problem(status, &v, "listing the pull request's comments"));
            }
            let items = v.as_array().cloned().unwrap_or_default();
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
            page += 1;
        }
    }
}

fn problem(status: StatusCode, v: &Value, doing: &str) -> ApiProblem {
    let message = v["message"].as_str().unwrap_or_default();
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
    retry_wait: Duration,
) -> Result<Option<String>, ApiProblem> {
    let api = Api { client, retry_wait };
    let author = api.identity(author).await;
    let mark = marker(wanted.key);
    let existing = api.find(repo, number, &mark, &author).await?;
    let Some(body) = body_for(wanted, existing.as_ref().map(|(_, b, _)| b.as_str())) else { return Ok(None) };
    match existing {
        Some((_, old, url)) if old == body => Ok(Some(url)),
        Some((id, _, url)) => {
            let (status, v) = api
                .send("PATCH", &format!("/repos/{repo}/issues/comments/{id}"), Some(&json!({ "body": body })))
                .await?;
            if status.is_success() {
                Ok(v["html_url"].as_str().map(String::from).or(Some(url)))
            } else {
                Err(problem(status, &v, "updating the comment"))
            }
        }
        None => {
            let path = format!("/repos/{repo}/issues/{number}/comments");
            for attempt in 0..2 {
                match api.send("POST", &path, Some(&json!({ "body": body }))).await {
                    Ok((status, v)) if status.is_success() => return Ok(v["html_url"].as_str().map(String::from)),
                    Ok((status, v)) if !status.is_server_error() => {
                        return Err(problem(status, &v, "creating the comment"));
                    }
                    Ok(_) | Err(_) if attempt == 0 => {
                        // The comment may exist although the answer was lost: look before posting again.
                        tokio::time::sleep(retry_wait).await;
                        if let Some((_, _, url)) = api.find(repo, number, &mark, &author).await? {
                            return Ok(Some(url));
                        }
                    }
                    Ok((status, v)) => return Err(problem(status, &v, "creating the comment")),
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
        let w = Wanted { key: "default", report: None, findings: 0, head: "0123456789abcdef", always: false };
        assert!(body_for(&w, None).is_none());
        let old = format!("{}\n{}\nold", marker("default"), count_marker(3));
        let resolved = body_for(&w, Some(&old)).unwrap();
        assert!(resolved.contains("was: 3 finding(s), resolved at 0123456789ab"), "{resolved}");
        let big = "x".repeat(100_000);
        let cut = fit(big);
        assert!(cut.len() <= MAX_BODY && cut.contains("job summary"));
    }
}

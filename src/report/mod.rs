//! Reports: the documents the engine's results become, and one renderer per format.
//! The JSON documents are the machine interface; every one carries `schema_version`.

mod github;
mod json;
mod markdown;
mod sarif;
mod text;

use std::io::{self, Write};

use serde::Serialize;

use crate::drift::{Finding, Severity};
use crate::engine::DiffOutcome;
use crate::git::Revision;
use crate::knowledge::components::MofClass;
use crate::knowledge::{Guess, IdKind};
use crate::profile::openness::{ComponentState, Openness};
use crate::profile::restrictions::RestrictionFact;
use crate::profile::{DeclKind, EvidenceFile, Profile};

pub use github::{escape_data, escape_property, write_annotations};
pub use json::write_diff_json;
pub use markdown::{ACCEPT_ALL_MARKER, write_diff_markdown};
pub use sarif::{sarif, write_sarif};
pub use text::{write_diff_text, write_identify_text, write_scan_text};

/// Version of the JSON documents.
pub const SCHEMA_VERSION: u32 = 1;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a person (the default).
    Text,
    /// The machine interface.
    Json,
    /// For pull-request comments and step summaries.
    Markdown,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// CycloneDX 1.6 JSON: the head's ML-BOM with the findings attached (diff).
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD: the head's AI/dataset BOM with the findings attached (diff).
    Spdx3,
}

/// The lowest severity that blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` blocks.
    pub fn blocks(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// The tool that wrote a document.
#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") }
    }
}

/// A revision as documents name it.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionRef {
    pub rev: String,
    /// 40 hex digits; `null` for the empty tree.
    pub commit: Option<String>,
}

impl From<&Revision> for RevisionRef {
    fn from(r: &Revision) -> Self {
        RevisionRef { rev: r.rev.clone(), commit: r.commit.map(|c| c.to_string()) }
    }
}

/// Counts of findings per severity.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// The `diff` document.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub base: RevisionRef,
    pub head: RevisionRef,
    pub fail_on: FailOn,
    /// Where the policy came from (`<rev>:.license-drift.toml` or `(defaults)`).
    pub policy: String,
    /// `warn-only = true`: blocking findings are printed as warnings and nothing blocks.
    pub warn_only: bool,
    /// The range `accept` should name when it differs from base..head (a pull request
    /// compared on GitHub's temporary merge commit is accepted on its own commits).
    #[serde(skip)]
    pub accept_range: Option<(String, String)>,
    /// Where paths link to (the `github` front sets it); `None`: plain paths.
    #[serde(skip)]
    pub links: Option<Links>,
    /// For findings without a path (by id): the file their SARIF result points at, the
    /// scope's license file or manifest, else the root README or LICENSE.
    #[serde(skip)]
    pub anchors: std::collections::BTreeMap<String, String>,
    /// SARIF `automationDetails.id` (`license-drift/<category>/`).
    #[serde(skip)]
    pub automation_id: String,
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
    pub summary: Summary,
    pub blocking: bool,
}

impl DiffReport {
    /// The document for an outcome under a fail-on threshold.
    pub fn new(outcome: DiffOutcome, fail_on: FailOn) -> Self {
        let mut report = DiffReport {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo::default(),
            base: RevisionRef::from(&outcome.base),
            head: RevisionRef::from(&outcome.head),
            fail_on,
            policy: "(defaults)".into(),
            warn_only: false,
            accept_range: None,
            links: None,
            anchors: Default::default(),
            automation_id: "license-drift/".into(),
            findings: outcome.findings,
            warnings: outcome.warnings,
            summary: Summary::default(),
            blocking: false,
        };
        report.judge();
        report
    }

    /// Recomputes `summary` and `blocking` from the findings (acknowledged ones count for
    /// neither).
    pub fn judge(&mut self) {
        let mut summary = Summary::default();
        for f in self.findings.iter().filter(|f| f.acknowledged.is_none()) {
            match f.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Info => summary.info += 1,
            }
        }
        self.summary = summary;
        self.blocking = self.findings.iter().any(|f| f.acknowledged.is_none() && self.fail_on.blocks(f.severity));
    }

    /// For a first push (the whole history new) nothing drifted: only the policy's
    /// allow/deny applies. Keeps those findings and judges again.
    pub fn keep_first_push_findings(&mut self) {
        self.findings.retain(|f| f.rule == crate::drift::Rule::LicenseNotAllowed);
        self.judge();
    }

    /// Findings that block under the threshold (not acknowledged).
    pub fn blocking_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.acknowledged.is_none() && self.fail_on.blocks(f.severity))
    }

    /// Findings that would block without `warn-only` (error severity, not acknowledged).
    pub fn would_block(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.acknowledged.is_none() && f.severity == Severity::Error)
    }

    /// The exact command that accepts a finding on this report's range.
    pub fn accept_command(&self, id: &str) -> String {
        self.accept_ids_command(&[id])
    }

    /// One command that accepts every blocking finding, when there are any.
    pub fn accept_all_command(&self) -> Option<String> {
        let ids: Vec<&str> = self.blocking_findings().map(|f| f.id.as_str()).collect();
        (!ids.is_empty()).then(|| self.accept_ids_command(&ids))
    }

    fn accept_ids_command(&self, ids: &[&str]) -> String {
        let id = ids.join(" ");
        let range = match (&self.accept_range, &self.base.commit, &self.head.commit) {
            (Some((b, h)), _, _) => format!(" --base {b} --head {h}"),
            (None, _, None) if self.head.rev == "(working tree)" => " --worktree".into(),
            (None, _, None) => " --staged".into(),
            (None, Some(b), Some(h)) => format!(" --base {b} --head {h}"),
            // A first push: there is no base commit to name.
            (None, None, Some(h)) => format!(" --head {h}"),
        };
        format!("license-drift accept {id} --reason \"…\"{range}")
    }
}

/// One declaration in a `scan` document.
#[derive(Debug, Clone, Serialize)]
pub struct ScanLicense {
    pub path: String,
    pub kind: DeclKind,
    pub scope: crate::drift::ScopeJson,
    /// SPDX expression, knowledge-base id, or `LicenseRef-unidentified-<hash>`.
    pub license: String,
    pub confidence: f32,
    pub identified_as: IdKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<Guess>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The `scan` document.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub revision: RevisionRef,
    pub licenses: Vec<ScanLicense>,
    pub evidence: Vec<EvidenceFile>,
    pub restrictions: Vec<RestrictionFact>,
    pub components: Vec<ComponentState>,
    pub mof_class: MofClass,
    pub mof_class_completeness: MofClass,
    pub osaid_compatible: bool,
    pub submodules: Vec<String>,
    pub warnings: Vec<String>,
}

impl ScanReport {
    /// The document for a profile and its openness.
    pub fn new(rev: &Revision, profile: Profile, openness: Openness) -> Self {
        let licenses = profile
            .declarations
            .iter()
            .map(|d| ScanLicense {
                path: d.path.clone(),
                kind: d.kind,
                scope: (&d.scope).into(),
                license: d.license.to_string(),
                confidence: d.confidence,
                identified_as: d.id_kind,
                closest: d.closest.clone(),
                note: d.note.clone(),
            })
            .collect();
        ScanReport {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo::default(),
            revision: rev.into(),
            licenses,
            evidence: profile.evidence,
            restrictions: profile.restrictions,
            components: openness.components,
            mof_class: openness.mof_class,
            mof_class_completeness: openness.mof_class_completeness,
            osaid_compatible: openness.osaid_compatible,
            submodules: profile.submodules,
            warnings: profile.warnings,
        }
    }
}

/// One file in an `identify` document.
#[derive(Debug, Clone, Serialize)]
pub struct IdentifiedFile {
    pub path: String,
    /// SPDX expression (knowledge-base ids as `LicenseRef-<id>` in compounds), or `null`.
    pub license: Option<String>,
    pub confidence: f32,
    pub kind: IdKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<Guess>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The `identify` document.
#[derive(Debug, Clone, Serialize)]
pub struct IdentifyReport {
    pub schema_version: u32,
    pub files: Vec<IdentifiedFile>,
}

/// Writes any document as pretty JSON with a trailing newline.
pub fn write_json<T: Serialize>(doc: &T, w: &mut dyn Write) -> io::Result<()> {
    // Through a buffer of a known type: the serializer's many small writes are inlined
    // copies, not calls through `dyn Write`.
    let mut out = io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut out, doc).map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

/// Characters percent-encoded in a path that becomes part of a URL (a link or a SARIF
/// `artifactLocation.uri`): controls, space, `%`, `#`, `?` and every character RFC 3986
/// does not allow in a path or that ends a markdown link; `/` stays. Non-ASCII is encoded
/// as UTF-8.
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'(')
    .add(b')')
    .add(b'\'');

/// A repository path as a URL path (see [`PATH_ESCAPES`]).
pub fn percent_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_ESCAPES).to_string()
}

/// Where the paths of a report link to on GitHub (or GitHub Enterprise Server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// `https://github.com`, or an Enterprise server's URL (`GITHUB_SERVER_URL`).
    pub server: String,
    /// `owner/name`.
    pub repository: String,
    /// The commit paths of the head side link to.
    pub head: String,
    /// The commit paths of the base side (removed files) link to.
    pub base: Option<String>,
    /// The workflow run, linked when a comment is cut.
    pub run: Option<String>,
}

impl Links {
    /// Links from the values of a workflow run; `None` when one is missing or malformed
    /// (nothing from the environment is pasted into markdown unchecked).
    pub fn new(server: &str, repository: &str, head: &str, base: Option<&str>, run_id: Option<&str>) -> Option<Links> {
        let server = server.trim_end_matches('/');
        let server_ok = (server.starts_with("https://") || server.starts_with("http://"))
            && server.len() > "https://".len()
            && server.bytes().all(|b| b.is_ascii_graphic() && !b"()<>[]\"'`\\".contains(&b));
        let name_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        let repo_ok = repository.split_once('/').is_some_and(|(o, n)| name_ok(o) && name_ok(n));
        let sha_ok = |s: &str| matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !server_ok || !repo_ok || !sha_ok(head) {
            return None;
        }
        let run = run_id
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .map(|id| format!("{server}/{repository}/actions/runs/{id}"));
        Some(Links {
            server: server.to_string(),
            repository: repository.to_string(),
            head: head.to_ascii_lowercase(),
            base: base.filter(|b| sha_ok(b)).map(str::to_ascii_lowercase),
            run,
        })
    }

    /// `{server}/{repo}/blob/{sha}/{path}#L{line}` on the head side, or the base side when
    /// `base_side` (and there is a base).
    pub fn blob(&self, path: &str, line: Option<u32>, base_side: bool) -> String {
        let sha = if base_side { self.base.as_deref().unwrap_or(&self.head) } else { &self.head };
        let anchor = line.map(|l| format!("#L{}", l.max(1))).unwrap_or_default();
        format!("{}/{}/blob/{sha}/{}{anchor}", self.server, self.repository, percent_path(path.trim_start_matches('/')))
    }
}

/// Short form of a commit for people.
pub(crate) fn short(r: &RevisionRef) -> String {
    match &r.commit {
        Some(c) => format!("{} ({})", r.rev, &c[..c.len().min(7)]),
        None => r.rev.clone(),
    }
}

/// A finding's paths for people: the first few and a count of the rest.
pub(crate) fn paths_summary(paths: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut s = paths.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if paths.len() > SHOWN {
        s.push_str(&format!(" and {} more", paths.len() - SHOWN));
    }
    s
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn links_point_at_a_commit_line_with_encoded_paths() {
        let sha = "a".repeat(40);
        let base = "b".repeat(40);
        let l = Links::new("https://ghe.example.com/", "o/r", &sha, Some(&base), Some("42")).unwrap();
        assert_eq!(l.blob("LICENSE", Some(3), false), format!("https://ghe.example.com/o/r/blob/{sha}/LICENSE#L3"));
        assert_eq!(
            l.blob("a b/#%?x(1).md", None, true),
            format!("https://ghe.example.com/o/r/blob/{base}/a%20b/%23%25%3Fx%281%29.md")
        );
        assert_eq!(l.blob("é\n", Some(0), false), format!("https://ghe.example.com/o/r/blob/{sha}/%C3%A9%0A#L1"));
        assert_eq!(l.run.as_deref(), Some("https://ghe.example.com/o/r/actions/runs/42"));
        // Nothing malformed from the environment becomes a link.
        assert!(Links::new("javascript:alert(1)", "o/r", &sha, None, None).is_none());
        assert!(Links::new("https://x)[y](z", "o/r", &sha, None, None).is_none());
        assert!(Links::new("https://github.com", "o/r/../x", &sha, None, None).is_none());
        assert!(Links::new("https://github.com", "o/r", "HEAD", None, None).is_none());
        assert_eq!(Links::new("https://github.com", "o/r", &sha, None, Some("1 2")).unwrap().run, None);
    }
}

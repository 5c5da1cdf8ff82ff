//! Command-line definitions.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use license_drift::policy::PolicyFrom;
use license_drift::report::{FailOn, Format};

/// Examples, exit codes and environment variables, after the options of `--help`.
const AFTER_HELP: &str = concat!(
    "\
Examples:
  license-drift diff v1.2.0 v1.3.0               compare two releases (text report, exit code)
  license-drift diff main...feature --format json
  license-drift diff --worktree                  what the uncommitted change would do
  license-drift scan                             what HEAD declares, where, for which scope
  license-drift sbom v1.0.0 --format spdx3       the revision as an AI bill of materials
  license-drift log                              drift release by release (version tags)
  license-drift accept ID1 ID2 --reason \"…\"      acknowledge deliberate changes
  license-drift hook install                     refuse pushes that bring blocking drift
  license-drift completions bash > ~/.local/share/bash-completion/completions/license-drift

Exit codes:
  0  nothing at or above --fail-on (default: the policy's, else error)
  1  blocking findings
  2  any error (usage, unknown revision, bad policy, missing objects)

Environment:
  LICENSE_DRIFT_SKIP=1            the pre-push hook skips the check, with a notice
  LICENSE_DRIFT_ON_ERROR=allow    the pre-push hook lets a push through on an internal error
  LICENSE_DRIFT_API_TIMEOUT, LICENSE_DRIFT_DEADLINE
                                  github: --api-timeout, --deadline
  GITHUB_TOKEN, GITHUB_*          github: the token (never printed) and the workflow run
  RUST_LOG                        logging on stderr (license_drift=debug)
  NO_COLOR                        no colours

Documentation: ",
    env!("CARGO_PKG_REPOSITORY"),
    "#readme"
);

/// Reports license, restriction and openness drift between two git revisions.
#[derive(Debug, Parser)]
#[command(name = "license-drift", version, about, long_about = None, propagate_version = true, after_help = AFTER_HELP)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare two revisions: licenses changed, added, removed, unidentified or contradicted.
    ///
    /// With no revision: the merge-base with the branch's upstream (or HEAD~1) against HEAD.
    /// With one: that revision against HEAD. `A..B` and `A...B` (merge-base) work too.
    Diff(DiffArgs),
    /// List what a revision declares: licenses, where, and the scope each covers.
    Scan(ScanArgs),
    /// Write a revision's openness profile as an AI bill of materials (CycloneDX 1.6 ML-BOM
    /// or SPDX 3.0.1 with the AI and dataset profiles).
    Sbom(SbomArgs),
    /// Identify the license of files on disk.
    Identify(IdentifyArgs),
    /// Accept findings: write `[[accept]]` entries to the policy file in the working tree.
    Accept(AcceptArgs),
    /// The pre-push hook: run it (`pre-push`), or install, uninstall and inspect it.
    Hook(HookArgs),
    /// Drift release by release (version-ordered tags), or commit by commit over A..B.
    Log(LogArgs),
    /// GitHub Actions: compare what the event names; comment, summary, annotations, outputs.
    Github(GithubArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout: `license-drift man > license-drift.1`.
    Man,
}

/// Where and how a report is written.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format: text, json, markdown (diff, log), sarif, github annotations, cyclonedx or
    /// spdx3 (diff: the head's bill of materials with the findings attached).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Options shared by commands that read a repository.
#[derive(Debug, Args)]
pub struct RepoArgs {
    /// The repository (working tree, bare repository or worktree); default: the current one.
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Report missing blobs (shallow or partial clones) as warnings instead of failing.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Blobs larger than this many bytes are judged by their size and never read.
    #[arg(long, value_name = "BYTES", default_value_t = license_drift::git::DEFAULT_BLOB_CAP)]
    pub max_blob_size: u64,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older revision (tag, branch, SHA, `A..B`).
    pub base: Option<String>,
    /// The newer revision (default: HEAD).
    pub head: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// The lowest severity that makes the exit code 1 (default: the policy's, else error).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Compare BASE (default HEAD) with the working tree, untracked files included.
    #[arg(long, conflicts_with_all = ["staged", "head"])]
    pub worktree: bool,
    /// Compare BASE (default HEAD) with the index.
    #[arg(long, conflicts_with = "head")]
    pub staged: bool,
}

/// Where the policy comes from.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Read the policy from the base revision (default: a change cannot relax its own gate),
    /// the head, or the working tree.
    #[arg(long, value_enum, default_value_t = PolicyFrom::Base)]
    pub policy_from: PolicyFrom,
    /// The policy file's path inside the policy revision (on disk with --policy-from worktree).
    #[arg(long, value_name = "PATH")]
    pub config: Option<String>,
}

/// When to post the pull-request comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CommentMode {
    /// Always keep a comment (also "no license drift").
    Always,
    /// When there are warnings or errors (info alone opens no comment); an existing
    /// comment is always kept current.
    OnFindings,
    /// Only when findings block; an existing comment is always kept current.
    OnBlocking,
    /// Never comment.
    Never,
}

#[derive(Debug, Args)]
pub struct GithubArgs {
    /// The base revision (default: from the event).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The head revision (default: from the event).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// The policy file's path inside the base revision.
    #[arg(long, value_name = "PATH")]
    pub config: Option<String>,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// When to keep a pull-request comment.
    #[arg(long, value_enum, default_value_t = CommentMode::OnFindings)]
    pub comment: CommentMode,
    /// Keeps several independent comments on one pull request apart (also the SARIF
    /// category: `automationDetails.id` is `license-drift/<KEY>/`).
    #[arg(long, value_name = "KEY")]
    pub comment_key: Option<String>,
    /// The pull request to comment on (default: the event's). For `workflow_run` and other
    /// events that carry none.
    #[arg(long, value_name = "NUMBER", value_parser = clap::value_parser!(u64).range(1..))]
    pub pr_number: Option<u64>,
    /// Write SARIF 2.1.0 to this path.
    #[arg(long, value_name = "PATH")]
    pub sarif: Option<PathBuf>,
    /// The login that posts the comment (default: GET /user, or github-actions[bot]).
    #[arg(long, value_name = "LOGIN")]
    pub comment_author: Option<String>,
    /// Write the JSON report to this path (default: $RUNNER_TEMP/license-drift.json).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// How long one GitHub API request may take (connect, send, answer): `30s`, `500ms`, `2m`.
    #[arg(long, value_name = "DURATION", env = "LICENSE_DRIFT_API_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub api_timeout: Duration,
    /// How long the whole run may take: what is not posted by then is skipped with a
    /// warning, and the outputs and summary are written anyway.
    #[arg(long, value_name = "DURATION", env = "LICENSE_DRIFT_DEADLINE", default_value = "5m", value_parser = parse_duration)]
    pub deadline: Duration,
    #[command(flatten)]
    pub repo: RepoArgs,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Compare the first-parent commits of A..B that touched a license file, instead of tags.
    pub range: Option<String>,
    /// Only tags matching this glob (default: every tag that looks like a version).
    #[arg(long, value_name = "PATTERN")]
    pub tags: Option<String>,
    /// Leave out pre-releases (v2.0.0-rc.1).
    #[arg(long)]
    pub exclude_pre_releases: bool,
    /// Start at this release.
    #[arg(long, value_name = "TAG")]
    pub since: Option<String>,
    /// End at this release.
    #[arg(long, value_name = "TAG")]
    pub until: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// The lowest severity that makes the exit code 1 (over the whole range).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
    #[command(flatten)]
    pub repo: RepoArgs,
}

#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Check the refs git is pushing (git's pre-push protocol on stdin); exit 1 blocks.
    PrePush {
        /// The remote's name (git passes it).
        remote: Option<String>,
        /// The remote's URL (git passes it).
        url: Option<String>,
    },
    /// Install the pre-push hook where git looks for hooks (core.hooksPath, worktrees).
    Install {
        /// Keep an existing pre-push hook and run it first.
        #[arg(long)]
        chain: bool,
        /// Call `license-drift` from PATH instead of this binary's absolute path.
        #[arg(long)]
        use_path: bool,
    },
    /// Remove the hook and restore what was there.
    Uninstall,
    /// Say what is installed.
    Status,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// Finding ids to accept (12 hex digits, as reports print them).
    #[arg(value_name = "ID", required_unless_present = "prune")]
    pub ids: Vec<String>,
    /// Why the change is deliberate (required when adding entries).
    #[arg(long, required_unless_present = "prune")]
    pub reason: Option<String>,
    /// Who accepts it.
    #[arg(long)]
    pub by: Option<String>,
    /// The last day the acknowledgement counts (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// The range the findings come from (default: the one `diff` uses).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// The range is HEAD (or --base) against the working tree, as `diff --worktree`.
    #[arg(long, conflicts_with_all = ["staged", "head"])]
    pub worktree: bool,
    /// The range is HEAD (or --base) against the index, as `diff --staged`.
    #[arg(long, conflicts_with = "head")]
    pub staged: bool,
    /// Write ids even when they are not findings of the range.
    #[arg(long)]
    pub force: bool,
    /// Remove entries that predate the range and match no finding of it.
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub repo: RepoArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The revision to scan (default: HEAD).
    pub rev: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// The bill-of-materials format of `sbom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SbomFormat {
    /// CycloneDX 1.6 JSON (machine-learning-model and data components).
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD (ai_AIPackage, dataset_DatasetPackage).
    Spdx3,
}

#[derive(Debug, Args)]
pub struct SbomArgs {
    /// The revision (default: HEAD).
    pub rev: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
    /// The bill-of-materials format.
    #[arg(long, value_enum, default_value_t = SbomFormat::Cyclonedx)]
    pub format: SbomFormat,
    /// Write the document to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IdentifyArgs {
    /// Files to identify.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// A duration: a number with an optional unit `ms`, `s` (the default), `m` or `h`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("{s:?} is not a duration (30s, 500ms, 2m)"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        other => return Err(format!("unknown unit {other:?} in {s:?}: use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{s:?} is not a duration (30s, 500ms, 2m)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// `--help` carries the examples, exit codes and environment variables; a change of any
    /// option shows up here in review.
    #[test]
    fn help_snapshot() {
        let help = Cli::command().term_width(100).render_long_help().to_string();
        for part in ["Examples:", "Exit codes:", "Environment:", "completions", "LICENSE_DRIFT_SKIP"] {
            assert!(help.contains(part), "{part} missing from --help:\n{help}");
        }
        insta::assert_snapshot!(help);
    }

    #[test]
    fn completions_and_man_page_cover_every_subcommand() {
        let mut bash = Vec::new();
        clap_complete::generate(clap_complete::Shell::Bash, &mut Cli::command(), "license-drift", &mut bash);
        let bash = String::from_utf8(bash).unwrap();
        let mut man = Vec::new();
        clap_mangen::Man::new(Cli::command()).render(&mut man).unwrap();
        let man = String::from_utf8(man).unwrap();
        assert!(man.starts_with(".ie") || man.contains(".TH license-drift"), "{man}");
        assert!(man.contains("Exit codes:"), "the man page carries the after-help");
        for sub in ["diff", "scan", "sbom", "identify", "accept", "hook", "log", "github", "completions", "man"] {
            assert!(bash.contains(&format!("license__drift,{sub})")), "bash completion lacks {sub}");
            assert!(man.contains(sub), "man page lacks {sub}");
        }
    }

    #[test]
    fn durations_parse_with_units_and_bad_ones_are_errors() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        for bad in ["", "s", "-1s", "1 week", "1e400", "NaN", "ten"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}

//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use license_drift::report::{FailOn, Format};

/// Reports license, restriction and openness drift between two git revisions.
#[derive(Debug, Parser)]
#[command(name = "license-drift", version, about, long_about = None, propagate_version = true)]
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
    /// Identify the license of files on disk.
    Identify(IdentifyArgs),
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The revision to scan (default: HEAD).
    pub rev: Option<String>,
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}

//! Typed engine errors. Every variant says what went wrong; [`Error::hint`] says what to do.

use std::path::PathBuf;

/// Result alias for the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error of the engine. The binary maps every error to exit code 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No repository at or above the path.
    #[error("not a git repository: {path}")]
    NotARepository { path: PathBuf },
    /// A repository libgit2 cannot read (reftable, sha256, unknown extensions).
    #[error("cannot open the repository at {path}: {reason}")]
    UnsupportedRepository { path: PathBuf, reason: String },
    /// A revision that does not resolve to a commit.
    #[error("unknown revision '{rev}'")]
    UnknownRevision { rev: String, shallow: bool },
    /// A revision that names an object other than a commit (a blob or a tree id).
    #[error("revision '{rev}' is a {kind} ({oid}), not a commit")]
    NotACommit { rev: String, kind: String, oid: String },
    /// An object that is present but cannot be read (damaged or malformed).
    #[error("{what} {oid} is corrupt: {reason}")]
    CorruptObject { what: String, oid: String, reason: String },
    /// A revision that resolves, but whose commit or tree is not in this clone.
    #[error("revision '{rev}' resolves to {oid}, which is not in this clone")]
    MissingCommit { rev: String, oid: String },
    /// A relevant blob that is neither present nor fetchable.
    #[error("{path} at '{rev}' (blob {oid}) is missing from the object database")]
    MissingBlob { rev: String, path: String, oid: String },
    /// No base given, and the default one (the parent of `rev`) is cut off by a shallow clone.
    #[error("cannot find a base to compare '{rev}' with: this is a shallow clone and its parent is not here")]
    ShallowBase { rev: String },
    /// The repository has no commit at all.
    #[error("the repository has no commits yet")]
    EmptyRepository,
    /// A file given on the command line that cannot be read.
    #[error("cannot read {path}: {source}")]
    ReadFile { path: PathBuf, source: std::io::Error },
    /// A policy file with problems (each with file, line and column).
    #[error("invalid policy:\n{}", .problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Policy { problems: Vec<String> },
    /// A policy file named explicitly (`--config`) that is in none of the places read.
    #[error("the policy file '{path}' does not exist {place}")]
    PolicyNotFound { path: String, place: String },
    /// A built-in data table that does not load (a broken build).
    #[error("the built-in table {table} does not load: {reason}")]
    BrokenTable { table: &'static str, reason: String },
    /// Any other libgit2 failure, with what was being done.
    #[error("{context}: {source}")]
    Git { context: String, source: git2::Error },
}

impl Error {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotARepository { .. } => Some(
                "run inside a git repository, or name one with --repo PATH (bare repositories work too)".into(),
            ),
            Error::UnsupportedRepository { .. } => Some(
                "license-drift reads repositories through libgit2, which supports neither the reftable ref format nor sha256 object ids; \
                 run it on a clone made with the default formats (git clone --ref-format=files)"
                    .into(),
            ),
            Error::UnknownRevision { rev, shallow } => Some(if *shallow {
                format!(
                    "this is a shallow clone; fetch the revision with `git fetch --depth=1 origin {}` or the whole history with `git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)",
                    shell_quote(rev)
                )
            } else {
                format!(
                    "check the spelling (`git rev-parse --verify {}`), or fetch it: `git fetch origin {}` (tags: `git fetch --tags`)",
                    shell_quote(&format!("{rev}^{{commit}}")),
                    shell_quote(rev)
                )
            }),
            Error::NotACommit { .. } => {
                Some("name a commit: a branch, a tag or a commit id (`git log --oneline` lists them)".into())
            }
            Error::CorruptObject { .. } => Some(
                "the repository is damaged: run `git fsck` to see what is broken, and re-clone it or fetch the object again from a good copy".into(),
            ),
            Error::MissingCommit { oid, .. } => Some(format!(
                "fetch it with `git fetch --depth=1 origin {oid}` (or `git fetch --unshallow`; in GitHub Actions: fetch-depth: 0)"
            )),
            Error::MissingBlob { rev, .. } => Some(format!(
                "fetch the objects with `git fetch origin {}` (a partial clone fetches blobs on demand when its promisor remote is reachable), or pass --allow-incomplete to report without it",
                shell_quote(rev)
            )),
            Error::ShallowBase { .. } => Some(
                "fetch the history with `git fetch --unshallow` (or `git fetch --deepen=1`; in GitHub Actions: fetch-depth: 0), or name the base: license-drift diff BASE"
                    .into(),
            ),
            Error::EmptyRepository => Some("commit something first, or name two revisions".into()),
            Error::ReadFile { .. } => None,
            Error::Policy { .. } => Some(
                "fix the policy file (every key is documented in the README; see examples/license-drift.toml)".into(),
            ),
            Error::PolicyNotFound { .. } => Some(
                "--config (the Action's `config` input) is a path inside the repository, relative to its root; fix it, or leave it out to use .license-drift.toml"
                    .into(),
            ),
            Error::BrokenTable { .. } => {
                Some("this binary was built from a broken data file: rebuild it from a release".into())
            }
            Error::Git { .. } => None,
        }
    }

    pub(crate) fn corrupt(what: &str, oid: impl ToString, source: &git2::Error) -> Self {
        Error::CorruptObject { what: what.into(), oid: oid.to_string(), reason: source.message().to_string() }
    }

    pub(crate) fn git(context: impl Into<String>, source: git2::Error) -> Self {
        Error::Git { context: context.into(), source }
    }
}

/// A word for a shell command line: as it is when it needs no quoting, else in single
/// quotes (a revision can hold `;`, spaces, quotes or `$`).
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._/@^~:+-=,".contains(&b)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_quote_revisions_for_the_shell() {
        assert_eq!(shell_quote("v1.2.0"), "v1.2.0");
        assert_eq!(shell_quote("a;rm -rf ~"), "'a;rm -rf ~'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        let hint = Error::UnknownRevision { rev: "x$(id)".into(), shallow: false }.hint().unwrap();
        assert!(hint.contains("git fetch origin 'x$(id)'"), "{hint}");
        assert!(hint.contains("git rev-parse --verify 'x$(id)^{commit}'"), "{hint}");
    }
}

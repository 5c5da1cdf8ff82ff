//! Fronts: each turns command-line arguments into a pipeline run and its output.

pub mod accept;
pub mod diff;
pub mod github;
pub mod github_api;
pub mod hook;
pub mod identify;
pub mod log;
pub mod sbom;
pub mod scan;

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};

use license_drift::git::Repo;

use crate::cli::{PolicyArgs, RepoArgs};

/// Gate options from the command line.
pub fn gate_options(
    repo: &RepoArgs,
    policy: &PolicyArgs,
    fail_on: Option<license_drift::report::FailOn>,
) -> license_drift::gate::GateOptions {
    license_drift::gate::GateOptions {
        allow_incomplete: repo.allow_incomplete,
        policy_from: policy.policy_from,
        config_path: policy.config.clone(),
        fail_on,
        allow_missing_config: false,
    }
}

/// Opens the repository named by the arguments.
pub fn open_repo(args: &RepoArgs) -> Result<Repo> {
    Ok(Repo::open(args.repo.as_deref())?.with_blob_cap(args.max_blob_size))
}

/// Runs `write` into the output file, or standard output (colour only on a terminal, and
/// never when NO_COLOR is set or for machine formats).
pub fn emit(output: Option<&Path>, colour: bool, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let mut buf = Vec::new();
    write(&mut buf)?;
    let keep_colour = colour
        && output.is_none()
        && !matches!(anstream::AutoStream::choice(&io::stdout()), anstream::ColorChoice::Never);
    // Only styled text carries escapes (JSON escapes control characters itself): stripping
    // a report without any costs a pass over every byte for nothing.
    let bytes = if keep_colour || memchr::memchr(0x1b, &buf).is_none() {
        buf
    } else {
        anstream::adapter::strip_bytes(&buf).into_vec()
    };
    match output {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}

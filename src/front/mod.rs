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
use license_drift::report::Format;

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
/// never when NO_COLOR is set or for machine formats). JSON and SARIF escape control
/// characters themselves, so they stream to standard output: a report of 40,000 findings is
/// never held twice.
pub fn emit(output: Option<&Path>, format: Format, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    if output.is_none() && matches!(format, Format::Json | Format::Sarif) {
        widen_stdout_pipe();
        let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        write(&mut out)?;
        out.flush()?;
        return Ok(());
    }
    let mut buf = Vec::new();
    write(&mut buf)?;
    let keep_colour = format == Format::Text
        && output.is_none()
        && !matches!(anstream::AutoStream::choice(&io::stdout()), anstream::ColorChoice::Never);
    // Only styled text carries escapes: stripping a report without any costs a pass over
    // every byte for nothing.
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

/// Asks for a 1 MiB pipe when standard output is one: a reader that drains tens of
/// megabytes of JSON 64 KiB at a time (the default pipe) makes the writer wait on every
/// chunk. Files, terminals and a refusal (over the user's pipe quota) leave things as they
/// were.
#[cfg(target_os = "linux")]
fn widen_stdout_pipe() {
    use std::os::fd::AsRawFd;
    let fd = io::stdout().as_raw_fd();
    // SAFETY: fcntl(F_SETPIPE_SZ) takes an int argument; on a descriptor that is no pipe it
    // fails with EBADF and changes nothing. The result is not needed either way.
    unsafe {
        libc::fcntl(fd, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_stdout_pipe() {}

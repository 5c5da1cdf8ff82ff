//! The `license-drift` binary: parse, dispatch, map outcomes to exit codes
//! (0 nothing blocking, 1 blocking findings, 2 any error).

mod cli;
mod front;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// mimalloc, for the memory it maps: on a change of 40,000 scopes the system allocator's
/// page-by-page faults cost more than the comparison, where mimalloc takes memory in large
/// (transparent huge) pages when the system allows them; musl's allocator, in the static
/// Linux builds, is slower still.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What a command concluded.
pub enum Outcome {
    /// Nothing at or above the fail-on threshold.
    Clean,
    /// Blocking findings.
    Blocked,
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // HTTP crates never log below info, whatever RUST_LOG says: their traces carry headers
    // (and so the token).
    for quiet in ["hyper=info", "hyper_util=info", "h2=info", "tower=info", "octocrab=info", "rustls=info", "http=info"]
    {
        if let Ok(d) = quiet.parse() {
            filter = filter.add_directive(d);
        }
    }
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).try_init();
}

/// An error and its causes on one line, each cause once: typed errors often show their
/// source in their own message already, which `{:#}` would repeat.
fn chain_text(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(text.trim()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    // A broken built-in table would make every gate pass: stop before anything runs.
    let result =
        license_drift::knowledge::check_tables().map_err(anyhow::Error::from).and_then(|()| match cli.command {
            Command::Diff(args) => front::diff::run(args),
            Command::Scan(args) => front::scan::run(args),
            Command::Sbom(args) => front::sbom::run(args),
            Command::Identify(args) => front::identify::run(args),
            Command::Accept(args) => front::accept::run(args),
            Command::Hook(args) => front::hook::run(args),
            Command::Log(args) => front::log::run(args),
            Command::Github(args) => front::github::run(args),
            Command::Completions { shell } => {
                let mut cmd = <Cli as clap::CommandFactory>::command();
                clap_complete::generate(shell, &mut cmd, "license-drift", &mut std::io::stdout().lock());
                Ok(Outcome::Clean)
            }
            Command::Man => {
                let cmd = <Cli as clap::CommandFactory>::command();
                clap_mangen::Man::new(cmd).render(&mut std::io::stdout().lock())?;
                Ok(Outcome::Clean)
            }
        });
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Blocked) => ExitCode::from(1),
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let hint = e.chain().find_map(|c| c.downcast_ref::<license_drift::Error>()).and_then(|le| le.hint());
            eprintln!("error: {}", license_drift::sanitize::terminal(&chain_text(&e), true));
            if let Some(hint) = hint {
                eprintln!("hint: {}", license_drift::sanitize::terminal(&hint, false));
            }
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_printed_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let e = anyhow::Error::new(license_drift::Error::ReadFile { path: "x".into(), source: io }).context("checking");
        assert_eq!(chain_text(&e), "checking: cannot read x: No such file or directory");
    }
}

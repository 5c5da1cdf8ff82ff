//! `license-drift scan [REV]`.

use anyhow::{Result, bail};

use license_drift::engine;
use license_drift::profile::Profiler;
use license_drift::report::{self, Format, ScanReport};

use super::{emit, open_repo};
use crate::Outcome;
use crate::cli::ScanArgs;

/// Runs the command.
pub fn run(args: ScanArgs) -> Result<Outcome> {
    if matches!(args.out.format, Format::Markdown | Format::Sarif | Format::Github | Format::Cyclonedx | Format::Spdx3)
    {
        bail!(
            "scan writes text or json; markdown, sarif, github, cyclonedx and spdx3 are formats of diff (and the last two of sbom)"
        );
    }
    let repo = open_repo(&args.repo)?;
    let rev = repo.resolve(args.rev.as_deref().unwrap_or("HEAD"))?;
    let profiler = Profiler::new(&repo, args.repo.allow_incomplete);
    let (profile, openness) = engine::scan(&profiler, &rev)?;
    let doc = ScanReport::new(&rev, profile, openness);
    emit(args.out.output.as_deref(), args.out.format, |w| match args.out.format {
        Format::Json => report::write_json(&doc, w),
        _ => report::write_scan_text(&doc, w),
    })?;
    Ok(Outcome::Clean)
}

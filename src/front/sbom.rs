//! `license-drift sbom [REV] --format cyclonedx|spdx3`, and the bill of materials `diff`
//! writes for those formats.

use std::io::{self, Write};

use anyhow::{Result, bail};

use license_drift::engine;
use license_drift::git::{Repo, Revision};
use license_drift::profile::Profiler;
use license_drift::report::{DiffReport, Format};
use license_drift::sanitize::terminal;
use license_drift::sbom::{self, Bom, RevInfo};

use super::{emit, open_repo};
use crate::Outcome;
use crate::cli::{SbomArgs, SbomFormat};

/// The repository's name: its working tree's folder, or a bare repository's without `.git`.
fn repo_name(repo: &Repo) -> String {
    let raw = repo.raw();
    let dir = raw.workdir().unwrap_or_else(|| raw.path());
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("repository");
    name.strip_suffix(".git").filter(|n| !n.is_empty()).unwrap_or(name).to_string()
}

/// The bill of materials of a committed revision; the profile's warnings go to stderr.
pub fn bom_of(repo: &Repo, rev: &Revision, allow_incomplete: bool) -> Result<Bom> {
    if rev.commit.is_none() {
        bail!("a bill of materials describes a commit; {} is none (commit the change first)", rev.rev);
    }
    let profiler = Profiler::new(repo, allow_incomplete);
    let (profile, openness) = engine::scan(&profiler, rev)?;
    for w in &profile.warnings {
        eprintln!("warning: {}", terminal(w, false));
    }
    Ok(sbom::build(&repo_name(repo), RevInfo::of(repo, rev)?, &profile, &openness))
}

/// Writes a document as pretty JSON with a trailing newline.
pub fn write_doc(doc: &serde_json::Value, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, doc).map_err(io::Error::other)?;
    writeln!(w)
}

/// The head's bill of materials with a diff's findings attached.
pub fn diff_bom(
    repo: &Repo,
    base: &Revision,
    head: &Revision,
    report: &DiffReport,
    allow_incomplete: bool,
) -> Result<Bom> {
    let mut bom = bom_of(repo, head, allow_incomplete)?;
    bom.attach(&report.findings, base.commit.map(|c| c.to_string()).as_deref());
    bom.properties.push((format!("{}:blocking", sbom::NS), report.blocking.to_string()));
    bom.properties.sort();
    Ok(bom)
}

/// Runs the command.
pub fn run(args: SbomArgs) -> Result<Outcome> {
    let repo = open_repo(&args.repo)?;
    let rev = repo.resolve(args.rev.as_deref().unwrap_or("HEAD"))?;
    let bom = bom_of(&repo, &rev, args.repo.allow_incomplete)?;
    let doc = match args.format {
        SbomFormat::Cyclonedx => sbom::cyclonedx::document(&bom),
        SbomFormat::Spdx3 => sbom::spdx3::document(&bom),
    };
    emit(args.output.as_deref(), Format::Cyclonedx, |w| write_doc(&doc, w))?;
    Ok(Outcome::Clean)
}

//! `license-drift identify FILE...`.

use std::io::Read;

use anyhow::{Result, bail};

use license_drift::git::DEFAULT_BLOB_CAP;
use license_drift::knowledge::{self, IdKind, normalize};
use license_drift::report::{self, Format, IdentifiedFile, IdentifyReport, SCHEMA_VERSION};

use super::emit;
use crate::Outcome;
use crate::cli::IdentifyArgs;

/// A file named as a license file, notice, patent grant or use policy is read as one: a short
/// one that says "licensed under X" states X. Any other file only names licenses.
fn text_source(path: &std::path::Path) -> knowledge::TextSource {
    use license_drift::snapshot::{Role, classify};
    let mut parts: Vec<String> =
        path.iter().rev().take(2).map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>();
    parts.reverse();
    match classify(&parts.join("/")) {
        Some(Role::LicenseFile(_) | Role::Notice | Role::Patents | Role::ReuseText | Role::UsePolicy) => {
            knowledge::TextSource::LicenseFile
        }
        // A header template (`LICENSE-HEADER.txt`) or a third-party listing in CSV
        // (`LICENSE-3rdparty.csv`) declares no scope's license in a diff, but asked about by
        // name, what it says is what it is.
        _ if parts.last().is_some_and(|name| {
            let lower = name.to_ascii_lowercase();
            let header =
                lower.contains("header") && ["license", "licence", "copying"].iter().any(|w| lower.contains(w));
            let listing = lower.ends_with(".csv")
                && (license_drift::snapshot::names_third_party(&lower) || lower.contains("notice"));
            header || listing
        }) =>
        {
            knowledge::TextSource::LicenseFile
        }
        _ => knowledge::TextSource::Other,
    }
}

fn identify_file(path: &std::path::Path) -> Result<IdentifiedFile> {
    let shown = path.display().to_string();
    let unidentified = |note: String| IdentifiedFile {
        path: shown.clone(),
        license: None,
        confidence: 0.0,
        kind: IdKind::Unidentified,
        closest: None,
        note: Some(note),
    };
    let file = std::fs::File::open(path)
        .map_err(|source| license_drift::Error::ReadFile { path: path.to_path_buf(), source })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > DEFAULT_BLOB_CAP {
        return Ok(unidentified(format!("not read: {size} bytes is over the size cap")));
    }
    let mut bytes = Vec::new();
    file.take(DEFAULT_BLOB_CAP)
        .read_to_end(&mut bytes)
        .map_err(|source| license_drift::Error::ReadFile { path: path.to_path_buf(), source })?;
    let decoded = normalize::decode(&bytes);
    if decoded.binary {
        return Ok(unidentified("binary content, not a license text".into()));
    }
    let id = knowledge::identify_text(&decoded.text, text_source(path));
    Ok(IdentifiedFile {
        path: shown,
        kind: id.kind(),
        license: id.license.as_ref().map(ToString::to_string),
        confidence: id.confidence,
        closest: id.closest,
        note: None,
    })
}

/// Identifies every file, in order, on as many threads as there are cores: matching a
/// text is pure computation over shared, read-only indexes.
fn identify_all(paths: &[std::path::PathBuf]) -> Result<Vec<IdentifiedFile>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(paths.len()).max(1);
    if threads == 1 {
        return paths.iter().map(|p| identify_file(p)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(i) else { return done };
            done.push((i, identify_file(path)));
        }
    };
    let mut results: Vec<(usize, Result<IdentifiedFile>)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            all.extend(h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        all
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Runs the command.
pub fn run(args: IdentifyArgs) -> Result<Outcome> {
    if matches!(args.format, Format::Markdown | Format::Sarif | Format::Github | Format::Cyclonedx | Format::Spdx3) {
        bail!("identify writes text or json; markdown, sarif, github, cyclonedx and spdx3 are formats of diff");
    }
    let files = identify_all(&args.files)?;
    let doc = IdentifyReport { schema_version: SCHEMA_VERSION, files };
    emit(None, args.format, |w| match args.format {
        Format::Json => report::write_json(&doc, w),
        _ => report::write_identify_text(&doc, w),
    })?;
    Ok(Outcome::Clean)
}

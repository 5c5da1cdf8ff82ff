//! Glue to the `spdx` crate: id lookup, canonical ids, the exact-text index and the
//! text matcher, each built lazily on first use.

use std::sync::OnceLock;

use spdx::LicenseId;
use spdx::detection::{Store, scan::Scanner};

use super::normalize;

/// Canonical form of an id: deprecated bare GNU ids become `-only`, `+` on a GNU id becomes
/// `-or-later`.
pub fn canonical(id: LicenseId, or_later: bool) -> (&'static str, bool) {
    if id.is_gnu() {
        let or_later = or_later || id.name.ends_with('+') || id.name.ends_with("-or-later");
        let base = id.name.trim_end_matches('+').trim_end_matches("-only").trim_end_matches("-or-later");
        if let Some(g) = spdx::gnu_license_id(base, or_later) {
            return (g.name, false);
        }
    }
    (id.name, or_later)
}

/// Case-insensitive lookup of an SPDX license id, in canonical form.
pub fn lookup_ci(name: &str) -> Option<&'static str> {
    let name = name.trim();
    let id = spdx::license_id(name).or_else(|| {
        spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
            .and_then(|l| spdx::license_id(l.name))
    })?;
    Some(canonical(id, false).0)
}

mod generated {
    include!(concat!(env!("OUT_DIR"), "/exact_index.rs"));
}

/// Words of a text's beginning that the exact index keys on (must match `build.rs`).
const FINGERPRINT_WORDS: usize = 40;

/// The SPDX id whose full text (or the text up to "END OF TERMS AND CONDITIONS") equals
/// `text` after normalization, from the index `build.rs` compiled in.
pub fn exact_match(text: &str, normalized_text: &str) -> Option<&'static str> {
    if normalized_text.split(' ').count() < 20 {
        return None;
    }
    let fp = normalize::fingerprint(text, FINGERPRINT_WORDS);
    let table = generated::EXACT_TEXTS;
    let start = table.partition_point(|row| row.0 < fp);
    let full = normalize::hash64(normalized_text);
    table[start..].iter().take_while(|row| row.0 == fp).find(|row| row.1 == full || row.2 == full).map(|row| row.3)
}

fn store() -> Option<&'static Store> {
    static STORE: OnceLock<Option<Store>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let started = std::time::Instant::now();
            let store =
                Store::load_inline().map_err(|e| tracing::warn!("the SPDX text matcher could not load: {e}")).ok();
            tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "loaded the SPDX text matcher");
            store
        })
        .as_ref()
}

/// A license found in a text by the matcher.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// Canonical SPDX id.
    pub id: &'static str,
    /// Match score, 0..1.
    pub score: f32,
    /// 0-based line range inside the text, when found as part of a larger text.
    pub lines: Option<(usize, usize)>,
}

/// What the matcher says of a text: licenses at or above `threshold`, and the closest
/// license with its score in any case.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Detection {
    pub found: Vec<Detected>,
    pub closest: Option<(&'static str, f32)>,
}

fn canonical_name(name: &str) -> Option<&'static str> {
    spdx::license_id(name).map(|id| canonical(id, false).0)
}

/// Runs the SPDX text matcher (loaded on first use) over `text`, looking for several
/// licenses in one file: after each pass the lines found are removed and the rest is
/// scanned again.
pub fn detect(text: &str, threshold: f32) -> Detection {
    let Some(store) = store() else {
        return Detection::default();
    };
    let mut out = Detection::default();
    let mut remaining: Vec<&str> = text.lines().collect();
    for pass in 0..4 {
        let chunk = remaining.join("\n");
        if pass > 0 && chunk.split_whitespace().count() < 20 {
            break;
        }
        let data = spdx::detection::TextData::new(&chunk);
        let scanner =
            Scanner::new(store).confidence_threshold(threshold).shallow_limit(0.98).optimize(true).max_passes(6);
        let result = scanner.scan(&data);
        let mut found_lines: Vec<(usize, usize)> = Vec::new();
        if let Some(l) = result.license
            && let Some(id) = canonical_name(l.name).map(|id| disambiguate(id, &chunk))
        {
            if pass == 0 {
                out.closest = Some((id, result.score));
            }
            if result.score >= threshold && !out.found.iter().any(|d| d.id == id) {
                out.found.push(Detected { id, score: result.score, lines: None });
                // The whole text, unless the optimizer located the license inside it.
                if result.containing.is_empty() {
                    found_lines.push((0, remaining.len()));
                }
            }
        }
        for c in &result.containing {
            found_lines.push(c.line_range);
            if let Some(id) = canonical_name(c.license.name).map(|id| disambiguate(id, &chunk))
                && !out.found.iter().any(|d| d.id == id)
            {
                out.found.push(Detected { id, score: c.score, lines: Some(c.line_range) });
            }
        }
        if pass == 0 && out.closest.is_none() {
            let m = store.analyze(&data);
            out.closest = canonical_name(m.name).map(|id| (id, m.score));
        }
        tracing::debug!(pass, lines = remaining.len(), score = result.score, found = ?found_lines, "text matcher pass");
        if found_lines.is_empty() {
            break;
        }
        remaining = remaining
            .iter()
            .enumerate()
            .filter(|(i, _)| !found_lines.iter().any(|(a, b)| i >= a && i <= b))
            .map(|(_, l)| *l)
            .collect();
    }
    out
}

/// Known confusions of the matcher: Pixar's license is Apache-2.0 with another trademark
/// clause, so a shortened Apache-2.0 text scores closer to Pixar.
fn disambiguate(id: &'static str, text: &str) -> &'static str {
    if id == "Pixar" && !normalize::normalized(text).contains("product names of the licensor and its affiliates") {
        return "Apache-2.0";
    }
    id
}

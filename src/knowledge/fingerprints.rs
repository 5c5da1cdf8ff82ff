//! Fingerprints of published knowledge-base license texts, to know a copy that was renamed or
//! had terms changed (the Llama 2 license with "Llama" replaced by another model's name, a
//! use policy edited): a set of 32-bit hashes of the text's four-word shingles, without the
//! shingles that hold the license's own names, so a renamed copy still matches whole. The
//! hashes are not the text; `corpus/fingerprints/build.py` makes them from the publishers'
//! repositories (`sources.toml` says which blob each comes from).

use std::sync::OnceLock;

use super::ai::{self, KbLicense};

/// The compiled-in data: one line per license, `id<TAB>name words<TAB>hashes` (comma-separated
/// names, space-separated hexadecimal hashes).
pub const DATA: &str = include_str!("fingerprints.txt");

/// Words per shingle.
const SHINGLE: usize = 4;

/// A license's fingerprint.
#[derive(Debug)]
pub struct Fingerprint {
    pub license: &'static KbLicense,
    /// Lower-case words that name the license or its publisher.
    pub names: Vec<&'static str>,
    /// Sorted shingle hashes.
    pub hashes: Vec<u32>,
}

/// How much of a fingerprint a text holds.
#[derive(Debug, Clone, Copy)]
pub struct Overlap {
    pub license: &'static KbLicense,
    /// Share of the published text's shingles found in the text, 0..1.
    pub share: f32,
}

/// The words of a normalized text, letters and digits only.
fn plain_words(norm: &str) -> Vec<String> {
    norm.split(' ')
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The sorted, distinct hashes of a normalized text's shingles that hold none of `names`.
pub fn shingles(norm: &str, names: &[&str]) -> Vec<u32> {
    shingles_of(&plain_words(norm), names)
}

fn shingles_of(words: &[String], names: &[&str]) -> Vec<u32> {
    let mut out: Vec<u32> = words
        .windows(SHINGLE)
        .filter(|w| !w.iter().any(|word| names.contains(&word.as_str())))
        .map(|w| super::normalize::fnv1a32(w.join(" ").as_bytes()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn parse() -> Result<Vec<Fingerprint>, String> {
    let mut out = Vec::new();
    for (n, line) in DATA.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#')) {
        let mut fields = line.split('\t');
        let (Some(id), Some(names), Some(hashes), None) = (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(format!("line {}: expected id, names and hashes separated by tabs", n + 1));
        };
        let license = ai::lookup(id).ok_or_else(|| format!("line {}: {id} is not in the knowledge base", n + 1))?;
        let mut hashes = hashes
            .split(' ')
            .map(|h| u32::from_str_radix(h, 16).map_err(|e| format!("line {}: {h}: {e}", n + 1)))
            .collect::<Result<Vec<u32>, String>>()?;
        hashes.sort_unstable();
        hashes.dedup();
        out.push(Fingerprint { license, names: names.split(',').filter(|w| !w.is_empty()).collect(), hashes });
    }
    Ok(out)
}

fn load() -> &'static Result<Vec<Fingerprint>, String> {
    static FINGERPRINTS: OnceLock<Result<Vec<Fingerprint>, String>> = OnceLock::new();
    FINGERPRINTS.get_or_init(parse)
}

/// Whether the compiled-in data loads (checked at start, with the other tables).
pub fn check() -> Result<(), String> {
    load().as_ref().map(|_| ()).map_err(String::clone)
}

/// All fingerprints (empty only if [`check`] failed, which stops every run).
pub fn all() -> &'static [Fingerprint] {
    load().as_deref().unwrap_or_default()
}

/// How much of each fingerprint the normalized text holds, most first (ties: the one with
/// more shingles found, then the order of the data).
pub fn overlaps(norm: &str) -> Vec<Overlap> {
    let words = plain_words(norm);
    let mut out: Vec<(usize, Overlap)> = all()
        .iter()
        .map(|f| {
            let text = shingles_of(&words, &f.names);
            let found = f.hashes.iter().filter(|h| text.binary_search(h).is_ok()).count();
            (found, Overlap { license: f.license, share: found as f32 / f.hashes.len().max(1) as f32 })
        })
        .collect();
    out.sort_by(|(fa, a), (fb, b)| b.share.total_cmp(&a.share).then(fb.cmp(fa)));
    out.into_iter().map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_loads_and_every_fingerprint_is_substantial() {
        check().unwrap();
        assert!(!all().is_empty());
        for f in all() {
            assert!(f.hashes.len() >= 100, "{}: {} hashes", f.license.id, f.hashes.len());
            assert!(f.names.iter().all(|n| n.chars().all(char::is_alphanumeric) && *n == n.to_lowercase()));
        }
    }

    #[test]
    fn common_licenses_hold_little_of_any_fingerprint() {
        for id in ["MIT", "Apache-2.0", "GPL-3.0-only", "CC-BY-NC-4.0", "BUSL-1.1", "OpenMDW-1.0"] {
            let text = spdx::license_id(id).unwrap().text();
            let best = overlaps(&crate::knowledge::normalize::normalized(text))[0];
            assert!(best.share < 0.5, "{id} holds {:.2} of {}", best.share, best.license.id);
        }
    }

    #[test]
    fn a_renamed_copy_holds_the_whole_fingerprint_and_other_text_little() {
        let text = "the licensee may use the acme materials for any lawful purpose and shall keep this notice \
            with every copy of the acme materials that it distributes to others under these terms";
        let renamed = text.replace("acme", "zenith");
        let (published, copy) = (shingles(text, &["acme"]), shingles(&renamed, &["acme"]));
        assert!(published.iter().all(|h| copy.binary_search(h).is_ok()));
        let a = published;
        let other = shingles("a different text about something else entirely and not a license at all", &["acme"]);
        assert!(a.iter().all(|h| other.binary_search(h).is_err()));
    }
}

//! Glue to the `spdx` crate: id lookup, canonical ids, the exact-text index, and the ids to
//! answer for what the text matcher names.

use std::collections::HashSet;

use spdx::LicenseId;

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
/// At most how many words may precede a known text (a README-like preamble, a title of
/// another spelling) for it to count as that text.
const MAX_PREAMBLE_WORDS: usize = 50;
/// How many more words than the standard one another rendering of a license's appendix
/// (Apache's, the GPLs') may hold.
const APPENDIX_SLACK_WORDS: usize = 15;

/// A known SPDX text found whole inside a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactHit {
    pub id: &'static str,
    /// Words before and after the known text.
    pub before: usize,
    pub after: usize,
}

/// The SPDX license whose text (whole, without its title lines, or up to "END OF TERMS AND
/// CONDITIONS") the normalized text holds, from the index `build.rs` compiled in. The known
/// text may follow a short preamble without license text of its own (`line_starts` are
/// the byte offsets of line beginnings in `norm`, and a known text begins at one; no
/// offset of `license_starts`, where some license text begins, may lie before it), and only
/// the license's own appendix may follow it.
pub fn exact_within(norm: &str, line_starts: &[usize], license_starts: &[usize]) -> Option<ExactHit> {
    let offsets: Vec<usize> =
        std::iter::once(0).chain(memchr::memchr_iter(b' ', norm.as_bytes()).map(|i| i + 1)).collect();
    let n = offsets.len();
    if n < 20 {
        return None;
    }
    // The byte range of words [from, to).
    let span = |from: usize, to: usize| &norm[offsets[from]..if to < n { offsets[to] - 1 } else { norm.len() }];
    let table = generated::EXACT_TEXTS;
    let starts = std::iter::once(0).chain(line_starts.iter().map(|b| offsets.partition_point(|o| o < b)));
    let mut tried = Vec::new();
    for s in starts.take_while(|&s| s <= MAX_PREAMBLE_WORDS).filter(|&s| s < n) {
        if tried.contains(&s) {
            continue;
        }
        tried.push(s);
        if license_starts.iter().any(|&b| b < offsets[s]) {
            // The words before hold the start of a license: a bundle, not a preamble.
            return None;
        }
        let fp = normalize::hash64(span(s, (s + FINGERPRINT_WORDS).min(n)));
        let first = table.partition_point(|row| row.0 < fp);
        for &(_, hash, words, appendix_words, id) in table[first..].iter().take_while(|row| row.0 == fp) {
            let end = s + words as usize;
            if end > n || normalize::hash64(span(s, end)) != hash {
                continue;
            }
            // The license's own how-to-apply appendix, in another rendering: about as long as
            // the standard one, and no other license text begins in it.
            let rest = span(end.min(n - 1), n);
            let appendix = appendix_words > 0
                && (rest.starts_with("appendix") || rest.starts_with("how to apply"))
                && n - end <= appendix_words as usize + APPENDIX_SLACK_WORDS
                && !license_starts.iter().any(|&b| b >= offsets[end.min(n - 1)]);
            if end == n || appendix {
                return Some(ExactHit { id, before: s, after: n - end });
            }
        }
    }
    None
}

/// The canonical id of a license the matcher named. A GNU text cannot tell `-only` from
/// `-or-later` (one text serves both; the choice is in a notice outside it): like the exact
/// index, a matched text is `-only`, whichever of the two the matcher happened to name.
fn canonical_name(name: &str) -> Option<&'static str> {
    let id = spdx::license_id(name)?;
    if id.is_gnu() {
        let base = id.name.trim_end_matches('+').trim_end_matches("-only").trim_end_matches("-or-later");
        if let Some(g) = spdx::gnu_license_id(base, false) {
            return Some(g.name);
        }
    }
    Some(canonical(id, false).0)
}

/// The id to answer for a license a matcher named in `text`: canonical, a GNU text `-only`,
/// Pixar told from Apache-2.0, no variant without its distinguishing words.
pub fn answer_for(name: &str, text: &str) -> Option<&'static str> {
    canonical_name(name).map(|id| disambiguate(id, text))
}

/// Whether SPDX exception `exception` is written for licenses of `id`'s kind: the LLVM and
/// Swift exceptions (and Apache's own) amend Apache-2.0, the others a GNU license (GPL,
/// LGPL, AGPL, GFDL).
pub fn exception_fits(exception: &str, id: &str) -> bool {
    let apache = ["LLVM-exception", "Swift-exception"].contains(&exception) || exception.contains("Apache");
    if apache {
        id.starts_with("Apache-")
    } else {
        ["GPL-", "LGPL-", "AGPL-", "GFDL-"].iter().any(|p| id.starts_with(p))
    }
}

/// Known confusions of the matcher: Pixar's license is Apache-2.0 with another trademark
/// clause, so a shortened Apache-2.0 text scores closer to Pixar.
fn disambiguate(id: &'static str, text: &str) -> &'static str {
    if id == "Pixar" && !normalize::normalized(text).contains("product names of the licensor and its affiliates") {
        return "Apache-2.0";
    }
    if id.starts_with("OFL-1.") {
        return font_variant(id, text);
    }
    unproven_variant_dropped(id, text)
}

/// The OFL variant a font's license names: `-RFN` when the copyright statements before the
/// license declare a Reserved Font Name (the OFL's own text defines the term, so only the
/// preamble counts), else the base id; an explicit `-no-RFN` answer is kept.
pub fn font_variant(id: &'static str, text: &str) -> &'static str {
    let Some(base) = ["OFL-1.1", "OFL-1.0"].into_iter().find(|b| id.starts_with(b)) else { return id };
    let lower = text.to_lowercase();
    let preamble = lower.find("sil open font license").map_or("", |end| &lower[..end]);
    let rfn = if base == "OFL-1.1" { "OFL-1.1-RFN" } else { "OFL-1.0-RFN" };
    if preamble.contains("reserved font name") {
        rfn
    } else if id == rfn {
        base
    } else {
        id
    }
}

/// A variant is never named for a text that lacks its distinguishing words: when the matcher
/// answers an id that extends a license on the list (`BSD-3-Clause-No-Nuclear-License-2014`
/// extends `BSD-3-Clause-No-Nuclear-License` and `BSD-3-Clause`; `BSD-2-Clause-Patent`
/// extends `BSD-2-Clause`), at least half of the words its text has and the shorter one's has
/// not (`nuclear`, `facility`; `patent`) must be in the text, else the answer is the shorter
/// one. Each shorter id on the way is checked in turn.
fn unproven_variant_dropped(id: &'static str, text: &str) -> &'static str {
    let words = |t: &str| -> HashSet<String> {
        normalize::normalized(t)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 4)
            .map(str::to_string)
            .collect()
    };
    let present = words(text);
    let mut current = id;
    let mut cut = id.len();
    while let Some(i) = id[..cut].rfind('-') {
        cut = i;
        let (Some(base), Some(variant)) = (spdx::license_id(&id[..cut]), spdx::license_id(current)) else { continue };
        let base_words = words(base.text());
        let distinguishing: Vec<String> =
            words(variant.text()).into_iter().filter(|w| !base_words.contains(w)).collect();
        let found = distinguishing.iter().filter(|w| present.contains(*w)).count();
        if found * 2 < distinguishing.len() {
            current = base.name;
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::super::identify_text;

    #[test]
    fn a_font_license_declaring_a_reserved_font_name_is_the_rfn_variant() {
        let ofl = spdx_text("OFL-1.1");
        let body = &ofl[ofl.find("This Font Software is licensed").unwrap_or(0)..];
        let with = format!("Copyright 2012 Example, with Reserved Font Name \"Example Sans\".\n\n{body}");
        let without = format!("Copyright 2012 Example.\n\n{body}");
        let answer = |t: &str| identify_text(t, super::super::TextSource::LicenseFile).license.unwrap().to_string();
        assert_eq!(answer(&with), "OFL-1.1-RFN");
        assert_eq!(answer(&without), "OFL-1.1");
    }

    fn spdx_text(id: &str) -> &'static str {
        spdx::text::LICENSE_TEXTS.iter().find(|(name, _)| *name == id).map(|(_, text)| *text).unwrap()
    }

    fn identified(text: &str) -> (Option<String>, &'static str) {
        let id = identify_text(text, super::super::TextSource::LicenseFile);
        (id.license.map(|l| l.to_string()), id.method)
    }

    #[test]
    fn a_variant_is_named_only_with_its_distinguishing_words() {
        use super::unproven_variant_dropped as check;
        let nuclear = "BSD-3-Clause-No-Nuclear-License-2014";
        assert_eq!(check(nuclear, spdx_text("BSD-3-Clause")), "BSD-3-Clause");
        assert_eq!(check(nuclear, spdx_text(nuclear)), nuclear);
        assert_eq!(check("BSD-2-Clause-Patent", spdx_text("BSD-2-Clause")), "BSD-2-Clause");
        assert_eq!(check("BSD-2-Clause-Patent", spdx_text("BSD-2-Clause-Patent")), "BSD-2-Clause-Patent");
        // Ids without a base on the list, or whose text adds nothing, stand.
        assert_eq!(check("Apache-2.0", spdx_text("MIT")), "Apache-2.0");
        assert_eq!(check("GPL-3.0-only", spdx_text("GPL-3.0-only")), "GPL-3.0-only");
    }

    #[test]
    fn known_texts_inside_real_files_are_exact() {
        let mit = spdx_text("MIT");
        let body = &mit[mit.find("Permission").unwrap()..];
        let exact = (Some("MIT".to_string()), "exact-text");
        // Another title, no title, a README-like preamble.
        assert_eq!(identified(&format!("The MIT License (MIT)\n\nCopyright (c) 2015 A. Person\n\n{body}")), exact);
        assert_eq!(identified(&format!("Copyright (c) Individual contributors\n\n{body}")), exact);
        let preamble = "# frobnicate\n\nThis project is released under the following license.\n\n---\n\n";
        assert_eq!(identified(&format!("{preamble}{mit}")), exact);
        // Apache-2.0 with another rendering of its appendix.
        let apache = spdx_text("Apache-2.0");
        let end = apache.find("END OF TERMS AND CONDITIONS").unwrap() + "END OF TERMS AND CONDITIONS".len();
        let curly = format!(
            "{}\n\nAPPENDIX: How to apply the Apache License to your work.\n\n   Copyright {{yyyy}} {{name of copyright owner}}\n",
            &apache[..end]
        );
        assert_eq!(identified(&curly), (Some("Apache-2.0".to_string()), "exact-text"));
    }

    #[test]
    fn bundles_and_additions_are_not_exact() {
        let mit = spdx_text("MIT");
        let apache = spdx_text("Apache-2.0");
        let isc = spdx_text("ISC");
        // Two licenses; another license after an appendix; a license without a common
        // opening after the appendix: the matcher finds both.
        for (first, second, ids) in [
            (mit, apache, ["MIT", "Apache-2.0"]),
            (apache, mit, ["MIT", "Apache-2.0"]),
            (apache, isc, ["ISC", "Apache-2.0"]),
        ] {
            let (license, method) = identified(&format!("{first}\n\n{second}"));
            assert_ne!(method, "exact-text");
            assert!(license.is_some_and(|l| ids.iter().all(|id| l.contains(id))), "{ids:?}");
        }
        // Terms after a known text are not part of it.
        let (_, method) = identified(&format!("{mit}\n\nCommons Clause restriction: the Software may not be sold.\n"));
        assert_ne!(method, "exact-text");
        // A license start in the preamble makes a bundle.
        let apache_title_then_mit = format!("Apache License\nVersion 2.0, January 2004\n\n{mit}");
        assert_ne!(identified(&apache_title_then_mit).1, "exact-text");
    }
}

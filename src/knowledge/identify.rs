//! Which license a text is: the steps from `SPDX-License-Identifier:` lines to the text
//! matcher, for one text (a file, or a section of a bundle, which `bundle` splits).

use serde::Serialize;

use super::expr::{self, Expr, Term};
use super::{ai, fingerprints, matcher, similarity, spdx_ids, statements};

/// Scores at or above this are an identification; below it the text is unidentified.
pub const MATCH_THRESHOLD: f32 = 0.9;

/// How a license was identified, as the JSON interface names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdKind {
    /// SPDX-listed licenses only.
    Spdx,
    /// At least one knowledge-base (AI) license.
    Ai,
    /// Not identified.
    Unidentified,
}

/// The closest license to an unidentified text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guess {
    pub license: String,
    pub score: f32,
}

/// The answer to "which license is this text?".
#[derive(Debug, Clone, PartialEq)]
pub struct Identification {
    /// The license(s) found; several in one text combine with AND.
    pub license: Option<Expr>,
    /// 0..1.
    pub confidence: f32,
    /// The closest license when unidentified.
    pub closest: Option<Guess>,
    /// How it was found (for debugging and `--verbose`).
    pub method: &'static str,
    /// The sections of a bundle that name licenses of their own, with their lines (empty for
    /// a file of one license).
    pub parts: Vec<Part>,
}

impl Identification {
    /// The JSON kind of this identification.
    pub fn kind(&self) -> IdKind {
        match &self.license {
            None => IdKind::Unidentified,
            Some(e) if e.has_ai() => IdKind::Ai,
            Some(_) => IdKind::Spdx,
        }
    }

    fn unidentified(closest: Option<Guess>) -> Self {
        Identification { license: None, confidence: 0.0, closest, method: "none", parts: Vec::new() }
    }
}

/// Reads `SPDX-License-Identifier:` lines from the first lines of a text.
pub fn spdx_identifier_lines(text: &str, max_lines: usize) -> Vec<Expr> {
    const MARKER: &str = "SPDX-License-Identifier:";
    let text = first_lines(text, max_lines);
    let mut out = Vec::new();
    for pos in memchr::memmem::find_iter(text.as_bytes(), MARKER) {
        let value = &text[pos + MARKER.len()..];
        let value = value.split(['\n', '\r']).next().unwrap_or_default();
        let value = value.trim().trim_end_matches("*/").trim_end_matches("-->").trim().trim_end_matches('|').trim();
        if let Some(e) = Expr::parse(value) {
            out.push(e);
        }
    }
    out
}

/// The first `n` lines of a text (with their line breaks).
pub fn first_lines(text: &str, n: usize) -> &str {
    match memchr::memchr_iter(b'\n', text.as_bytes()).nth(n.saturating_sub(1)) {
        Some(end) if n > 0 => &text[..end],
        _ if n == 0 => "",
        _ => text,
    }
}

/// Lines that open common SPDX license texts: at the start of a line next to a
/// knowledge-base license, they mean the file is a bundle worth running the matcher on (a
/// mention inside a sentence, such as BUSL's "Change License: Mozilla Public License 2.0",
/// is not).
pub(crate) const BUNDLE_PARTNERS: &[&str] = &[
    "permission is hereby granted, free of charge",
    "mit license",
    "apache license",
    "gnu general public license",
    "gnu lesser general public license",
    "gnu affero general public license",
    "redistribution and use in source and binary forms",
    "mozilla public license",
    "creative commons",
    "eclipse public license",
    "bsd 3-clause license",
    "bsd 2-clause license",
];

/// The least text-matcher score of a text that is a known license with terms added or
/// changed (a "Modified MIT License"); below it the text is another license, unidentified.
const MODIFIED_MIN_SCORE: f32 = 0.7;

/// The least share of a knowledge-base fingerprint that makes an untitled text a modified copy
/// of that license (Meta's research licenses, written from the Llama 2 text, hold 0.7-0.82
/// of it; renamed copies 0.84-0.94).
const RENAMED_MIN_SHARE: f32 = 0.8;
/// A modified license stays below the threshold: its own sentences are read for restrictions.
const MODIFIED_MAX_CONFIDENCE: f32 = 0.89;

/// The least share of some SPDX license's word pairs a text must hold for the text matcher to
/// run on it (legal prose holds 0.3-0.5 of the long licenses' pairs; a license text, or a
/// bundle holding one, 0.9 and more).
const MATCHER_MIN_CONTAINED: f32 = 0.6;

/// Confidence of a known text found whole among other words.
const EXACT_WITH_SURROUNDINGS: f32 = 0.99;
/// The most confidence of a text that is only similar to a license's text.
const SIMILAR_MAX_CONFIDENCE: f32 = 0.99;

/// Where a text comes from, which decides whether the licenses it names count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    /// A license file, notice or header template: a short one that says "licensed under X"
    /// is a pointer to X, and states X.
    LicenseFile,
    /// Any other text (a README, a manifest value): naming a license grants nothing.
    Other,
}

/// Words a license must have after its title when a file names several licenses by title.
const MIN_WORDS_AFTER_TITLE: usize = 60;

/// Title hits of a file that names several licenses, without those that are only listed: a
/// title followed by fewer than [`MIN_WORDS_AFTER_TITLE`] words before the next title or the
/// end is a name in a list (a docs page, a table of supported licenses), not a license. A
/// single title stands, however short what follows (a title and a link declare it).
fn listed_titles_dropped<'a>(
    hits: Vec<(&'a ai::KbLicense, &'a str)>,
    norm: &str,
    line_starts: &[usize],
) -> Vec<(&'a ai::KbLicense, &'a str)> {
    if hits.len() < 2 {
        return hits;
    }
    let at = |phrase: &str| {
        line_starts
            .iter()
            .copied()
            .find(|&o| norm.get(o..).is_some_and(|rest| ai::title_start(rest).starts_with(phrase)))
    };
    let mut placed: Vec<(usize, (&ai::KbLicense, &str))> =
        hits.into_iter().filter_map(|h| at(h.1).map(|o| (o, h))).collect();
    placed.sort_by_key(|(o, _)| *o);
    let ends: Vec<usize> = placed.iter().skip(1).map(|(o, _)| *o).chain([norm.len()]).collect();
    placed
        .into_iter()
        .zip(ends)
        .filter(|((start, _), end)| {
            norm.get(*start..*end)
                .is_some_and(|seg| seg.split(' ').filter(|w| !w.is_empty()).count() >= MIN_WORDS_AFTER_TITLE)
        })
        .map(|((_, h), _)| h)
        .collect()
}

/// [`identify_known`], and for a short license file it leaves unidentified, the licenses the
/// text states it is under (a pointer file, a notice, a license header).
pub(crate) fn identify_whole(text: &str, norm: &str, line_starts: &[usize], source: TextSource) -> Identification {
    let known = identify_known(text, norm, line_starts);
    if known.license.is_some() || source != TextSource::LicenseFile {
        return Identification { license: known.license.map(|l| or_later_granted(l, norm)), ..known };
    }
    match statements::stated(text) {
        Some(said) => Identification {
            license: Some(said.license),
            confidence: if said.complete { statements::CONFIDENCE } else { statements::PARTIAL_CONFIDENCE },
            closest: None,
            method: "statement",
            parts: Vec::new(),
        },
        None => known,
    }
}

/// Words of a GNU license notice, not the license text: a file this short that grants
/// "version N of the License, or (at your option) any later version" is the notice a project
/// puts on its code, and grants the later versions too. (The full text's how-to-apply
/// appendix carries the same words as an example, so a long text never counts.)
const GNU_NOTICE_MAX_WORDS: usize = 400;

/// The GNU licenses of `license` as `-or-later` when `norm` is a notice that grants later
/// versions.
fn or_later_granted(license: Expr, norm: &str) -> Expr {
    let notice = norm.split(' ').filter(|w| !w.is_empty()).count() <= GNU_NOTICE_MAX_WORDS;
    if !notice || !norm.contains("any later version") {
        return license;
    }
    license.map_terms(&|t| match t {
        Term::Spdx { id, or_later: false, exception } if id.ends_with("-only") => {
            let later = spdx::license_id(id)
                .map(|l| spdx_ids::canonical(l, true).0)
                .filter(|later| later.ends_with("-or-later"));
            match later {
                Some(later) => Term::Spdx { id: later.to_string(), or_later: false, exception: exception.clone() },
                None => t.clone(),
            }
        }
        _ => t.clone(),
    })
}

/// A text identified by its own words: identifier lines, knowledge-base titles, a known text
/// whole, the text matcher.
fn identify_known(text: &str, norm: &str, line_starts: &[usize]) -> Identification {
    let word_count = norm.split(' ').filter(|w| !w.is_empty()).count();
    if word_count == 0 {
        return Identification::unidentified(None);
    }
    // A short file that only carries SPDX-License-Identifier lines.
    let ids = spdx_identifier_lines(text, 20);
    if !ids.is_empty() && word_count <= 40 {
        return Identification {
            license: Expr::and_all(ids),
            confidence: 1.0,
            closest: None,
            method: "spdx-identifier",
            parts: Vec::new(),
        };
    }
    let mut found: Vec<Expr> = Vec::new();
    let mut confidence: f32 = 1.0;
    let mut method = "phrase";
    // A knowledge-base phrase counts where it begins a line (a title or version line, also
    // after a preamble or another license), not where a sentence mentions the license.
    let hits = listed_titles_dropped(ai::line_start_hits(norm, line_starts), norm, line_starts);
    for (k, _) in &hits {
        found.push(Expr::term(k.term()));
        confidence = confidence.min(0.95);
        // A clause that amends another license (the Commons Clause) comes with that license.
        if k.amends {
            for amended in statements::amended_by(text) {
                if !found.contains(&amended) {
                    found.push(amended);
                }
            }
        }
    }
    let license_starts: Vec<usize> = line_starts
        .iter()
        .copied()
        .filter(|&o| norm.get(o..).is_some_and(|rest| BUNDLE_PARTNERS.iter().any(|p| rest.starts_with(p))))
        .collect();
    if found.is_empty()
        && let Some(hit) = spdx_ids::exact_within(norm, line_starts, &license_starts)
    {
        // Words around the known text (a title of another spelling, a preamble, an appendix)
        // are not standard text: below 1.0, their sentences are read for restrictions.
        let confidence = if hit.before == 0 && hit.after == 0 { 1.0 } else { EXACT_WITH_SURROUNDINGS };
        return Identification {
            license: Some(Expr::term(Term::spdx(spdx_ids::font_variant(hit.id, text)))),
            confidence,
            closest: None,
            method: "exact-text",
            parts: Vec::new(),
        };
    }
    // A published knowledge-base text renamed or edited (the Llama 2 license under another
    // model's name): most of its fingerprint, and no title of its own.
    if found.is_empty()
        && let Some(best) = fingerprints::overlaps(norm).into_iter().next().filter(|o| o.share >= RENAMED_MIN_SHARE)
    {
        return Identification {
            license: Some(Expr::term(Term::modified(&best.license.id))),
            confidence: round2(best.share.min(MODIFIED_MAX_CONFIDENCE)),
            closest: None,
            method: "modified-fingerprint",
            parts: Vec::new(),
        };
    }
    // The text matcher: for texts the steps above did not settle, and for bundles where a
    // knowledge-base license sits beside the text of a common SPDX license. A text the
    // knowledge base identified, with no such partner in it, is settled.
    let settled = !hits.is_empty() && license_starts.is_empty();
    if word_count >= 20 && !settled && found.is_empty() {
        let survey = similarity::survey(norm);
        // One license's text, reworded or reflowed a little, with no exception beside it: the
        // closest text of the word-pair index, as the matcher's one run over it would answer.
        if let Some(s) =
            survey.filter(|s| s.closest.dice >= MATCH_THRESHOLD && s.exception_contained < MATCHER_MIN_CONTAINED)
            && let Some(id) = spdx_ids::answer_for(s.closest.id, text)
        {
            return Identification {
                license: Some(Expr::term(expr::matched_term(id))),
                // Only the exact text is certain: a dice that rounds to 1.00 still left words
                // out (a sentence in a script without spaces is one word), and those are read.
                confidence: round2(s.closest.dice).min(SIMILAR_MAX_CONFIDENCE),
                closest: None,
                method: "text-similarity",
                parts: Vec::new(),
            };
        }
        // A standard license header, reflowed or with its fields filled in: the license it
        // is the header of.
        if let Some((id, dice)) = survey.and_then(|s| s.header).filter(|(_, dice)| *dice >= MATCH_THRESHOLD)
            && let Some(id) = spdx_ids::answer_for(id, text)
        {
            return Identification {
                license: Some(Expr::term(expr::matched_term(id))),
                confidence: round2(dice).min(SIMILAR_MAX_CONFIDENCE),
                closest: None,
                method: "header-similarity",
                parts: Vec::new(),
            };
        }
        // A long text that holds no large share of any SPDX license or exception text, and
        // opens none after its first line, cannot be one nor hold one: no need to run the
        // matcher's passes to say so.
        let opens_another = license_starts.iter().any(|&o| o > 0);
        let holds_none = survey.is_none_or(|s| {
            s.contained < MATCHER_MIN_CONTAINED
                && s.exception_contained < MATCHER_MIN_CONTAINED
                && s.header_contained < MATCHER_MIN_CONTAINED
        });
        if !opens_another && holds_none {
            let closest = survey
                .map(|s| Guess { license: s.closest.id.to_string(), score: round2(s.closest.dice) })
                .filter(|g| g.score > 0.0);
            return Identification::unidentified(closest);
        }
    }
    if word_count >= 20 && !settled {
        let matched = matcher::find(norm, line_starts, MATCH_THRESHOLD);
        // The licenses the matcher found, with their lines, for the exceptions to amend.
        let mut placed: Vec<(Term, (usize, usize))> = Vec::new();
        for d in &matched.licenses {
            let Some(id) = spdx_ids::answer_for(d.id, text) else { continue };
            let term = expr::matched_term(id);
            // A knowledge-base hit already names this license (BUSL, CC-BY-NC …).
            if found.iter().any(|e| e.terms().iter().any(|t| t.family() == term.family())) {
                continue;
            }
            placed.push((term.clone(), d.lines));
            found.push(Expr::term(term));
            confidence = confidence.min(d.score);
            method = if hits.is_empty() { "text-match" } else { "phrase+text-match" };
        }
        // An exception amends the license of its kind nearest before it (else after it): the
        // GPL's Classpath exception, Apache-2.0's LLVM exception.
        for x in &matched.exceptions {
            let distance = |lines: (usize, usize)| {
                if lines.1 <= x.lines.0 {
                    x.lines.0 - lines.1
                } else {
                    usize::MAX / 2 + lines.0.saturating_sub(x.lines.1)
                }
            };
            let Some((old, _)) = placed
                .iter()
                .filter(
                    |(t, _)| matches!(t, Term::Spdx { id, exception: None, .. } if spdx_ids::exception_fits(x.id, id)),
                )
                .min_by_key(|(_, lines)| distance(*lines))
                .cloned()
            else {
                continue;
            };
            let Term::Spdx { id, or_later, .. } = &old else { continue };
            let new = Term::Spdx { id: id.clone(), or_later: *or_later, exception: Some(x.id.to_string()) };
            for e in found.iter_mut() {
                *e = e.map_terms(&|t| if *t == old { new.clone() } else { t.clone() });
            }
            placed.retain(|(t, _)| *t != old);
            confidence = confidence.min(x.score);
        }
        let closest = matched.closest.and_then(|(id, score)| spdx_ids::answer_for(id, text).map(|id| (id, score)));
        if found.is_empty()
            && let Some((id, score)) = closest.filter(|(id, score)| {
                // A deprecated id (a license with its exception in one) names no one text to modify.
                *score >= MODIFIED_MIN_SCORE && spdx::license_id(id).is_some_and(|l| !l.is_deprecated())
            })
        {
            // Most of a known text with terms added or changed: that license, modified. Below
            // the threshold, so its sentences are read for restrictions.
            return Identification {
                license: Some(Expr::term(Term::modified(id))),
                confidence: round2(score),
                closest: None,
                method: "modified-text",
                parts: Vec::new(),
            };
        }
        if found.is_empty() {
            // A guess that rounds to a score of 0 is no guess at all.
            let closest = closest
                .map(|(id, score)| Guess { license: id.to_string(), score: round2(score) })
                .filter(|g| g.score > 0.0);
            return Identification::unidentified(closest);
        }
    }
    if found.is_empty() {
        return Identification::unidentified(None);
    }
    Identification {
        license: Expr::and_all(found),
        // Only the exact text is certain: words the matcher's Dice rounds away (a paragraph
        // appended to a license) are read for restrictions below 1.00.
        confidence: round2(confidence).min(SIMILAR_MAX_CONFIDENCE),
        closest: None,
        method,
        parts: Vec::new(),
    }
}

/// Rounds a score to two decimals for output.
pub fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// A section of a bundle and the license it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub license: Expr,
    /// 1-based first and last line of the section.
    pub lines: (u32, u32),
}

//! Files that hold several licenses (a LICENSE with third-party texts appended, a
//! third-party notice): split into sections, each identified on its own, the file's answer
//! the `AND` of its parts, each part with its lines.

use std::collections::{BTreeSet, HashSet};

use super::expr::{self, Expr, Term};
use super::identify::{BUNDLE_PARTNERS, Identification, MATCH_THRESHOLD, Part, TextSource, identify_whole, round2};
use super::similarity::{self, SetKind};
use super::{normalize, spdx_ids, statements};

/// The least share of an SPDX exception's word pairs a section holds to be that exception.
const EXCEPTION_MIN_CONTAINED: f32 = 0.8;

/// The least Dice coefficient of a section and an exception for the section to be that
/// exception alone; below it the section holds more text, which is identified too.
const EXCEPTION_ALONE_DICE: f32 = 0.6;

/// The SPDX exception a section holds, if any, and whether the section is that exception alone.
fn exception_text(norm: &str) -> Option<(&'static str, bool)> {
    let survey = super::similarity::survey(norm).filter(|s| s.exception_contained >= EXCEPTION_MIN_CONTAINED)?;
    Some((survey.exception?, survey.exception_dice >= EXCEPTION_ALONE_DICE))
}

/// An exception's section and the number of parts found before it.
struct ExceptionSection {
    id: &'static str,
    lines: (u32, u32),
    after_parts: usize,
}

/// Writes each exception `WITH` the license it amends: the nearest part before it (else
/// after it) that is an SPDX license of the kind the exception is written for and has no
/// exception yet, else the nearest SPDX part at all, else the first SPDX term found. The
/// exception's own lines become a part of the amended license; `found` is amended wherever
/// the license occurs in it (an `AND` of the whole text included). Whether any was amended.
fn with_exceptions(found: &mut [Expr], parts: &mut Vec<Part>, exceptions: &[ExceptionSection]) -> bool {
    let mut amended = false;
    for exception in exceptions {
        // Already written with it (the matcher read the license and exception together): the
        // exception's lines are a part of that license.
        let written = parts
            .iter()
            .map(|p| &p.license)
            .chain(found.iter())
            .flat_map(|e| e.terms())
            .find(|t| matches!(t, Term::Spdx { exception: Some(x), .. } if x == exception.id));
        if let Some(term) = written {
            let part = Part { license: Expr::term(term.clone()), lines: exception.lines };
            if !parts.contains(&part) {
                parts.push(part);
            }
            continue;
        }
        let plain = |p: &Part| match &p.license {
            Expr::Term(Term::Spdx { id, exception: None, .. }) => Some(id.clone()),
            _ => None,
        };
        let candidates = || {
            let n = exception.after_parts.min(parts.len());
            (0..n).rev().chain(n..parts.len())
        };
        let target = candidates()
            .find(|&i| plain(&parts[i]).is_some_and(|id| spdx_ids::exception_fits(exception.id, &id)))
            .or_else(|| candidates().find(|&i| plain(&parts[i]).is_some()));
        let old = match target {
            Some(i) => match &parts[i].license {
                Expr::Term(t) => t.clone(),
                _ => continue,
            },
            None => {
                match found.iter().flat_map(|f| f.terms()).find(|t| matches!(t, Term::Spdx { exception: None, .. })) {
                    Some(t) => t.clone(),
                    None => continue,
                }
            }
        };
        let Term::Spdx { id, or_later, .. } = &old else { continue };
        let new = Term::Spdx { id: id.clone(), or_later: *or_later, exception: Some(exception.id.to_string()) };
        for part in parts.iter_mut().filter(|p| p.license == Expr::Term(old.clone())) {
            part.license = Expr::term(new.clone());
        }
        parts.push(Part { license: Expr::term(new.clone()), lines: exception.lines });
        for f in found.iter_mut() {
            *f = f.map_terms(&|t| if *t == old { new.clone() } else { t.clone() });
        }
        amended = true;
    }
    parts.sort_by_key(|p| p.lines);
    amended
}

/// The license among `found` whose use policy `license` is (a knowledge-base policy entry).
fn policy_owner(license: &Expr, found: &[Expr]) -> Option<Expr> {
    let Expr::Term(Term::Ai(id)) = license else { return None };
    let of = super::ai::lookup(id)?.policy_of.as_deref()?;
    found.iter().flat_map(|f| f.terms()).find(|t| matches!(t, Term::Ai(l) if l == of)).map(|t| Expr::term(t.clone()))
}

/// Whether a section made of the words of the whole text's licenses (`own`) is closer still
/// to another license's text by word pairs: a BSD text beside the OpenSSL license uses the
/// SSLeay part's words, not all its sentences. A license whose text one of them holds whole,
/// word for word (the GPL inside LGPL-3.0's text), is theirs; one that only shares their words
/// (BSD-2-Clause inside BSD-3-Clause, a clause apart) is not.
fn closer_to_another(norm: &str, own: &[OwnText<'_>], known: &BTreeSet<String>) -> bool {
    let pairs = normalize::bigram_hashes(norm);
    let held = pairs.iter().filter(|p| own.iter().any(|o| o.pairs.binary_search(p).is_ok())).count();
    let share = held as f32 / pairs.len().max(1) as f32;
    let close = similarity::closeness(&pairs);
    let Some(closest) = close
        .iter()
        .enumerate()
        .filter(|(set, _)| similarity::set_kind(*set) == SetKind::License)
        .map(|(_, c)| c)
        .max_by(|a, b| a.dice.total_cmp(&b.dice))
    else {
        return false;
    };
    if closest.dice < MATCH_THRESHOLD || closest.dice <= share || known.contains(&Term::spdx(closest.id).family()) {
        return false;
    }
    let Some(other) = spdx::license_id(closest.id).map(|l| normalize::normalized(l.text())) else { return true };
    // Its body, without a title or a closing line spelled another way.
    let words: Vec<&str> = other.split(' ').collect();
    let body =
        words.get(EMBEDDED_EDGE_WORDS..words.len().saturating_sub(EMBEDDED_EDGE_WORDS)).unwrap_or(&words).join(" ");
    body.is_empty() || !own.iter().any(|o| o.norm.contains(&body))
}

/// Words at either end of a license text left out when looking for it inside another.
const EMBEDDED_EDGE_WORDS: usize = 12;

/// A standard text the whole file was identified as: its term, normalized text, words and
/// sorted word-pair hashes.
struct OwnText<'a> {
    term: &'a Term,
    norm: String,
    words: HashSet<String>,
    pairs: Vec<u32>,
}

/// A section of a file: its text and 1-based first line.
struct Section<'a> {
    text: &'a str,
    first_line: u32,
}

impl Section<'_> {
    fn lines(&self) -> (u32, u32) {
        let count = self.text.trim_end().lines().count().max(1) as u32;
        (self.first_line, self.first_line + count - 1)
    }
}

/// Words (of four letters or more) of a section that makes a file only partly known when
/// nothing identifies it and it reads as a license of its own.
const MIN_UNKNOWN_PART_WORDS: usize = 60;
/// Confidence of a file with a known license beside an unknown one.
const PARTLY_KNOWN: f32 = 0.6;
/// The most confidence of a file with a section nothing identifies.
const PARTLY_EXPLAINED: f32 = 0.85;

/// Words a section of a bundle needs to be identified on its own.
const MIN_SECTION_WORDS: usize = 30;

/// The sections of a file that may hold several licenses: split at separator lines (`---`,
/// `===`, `***`, two blank lines) and at lines that open a common license text (after the file's first line).
/// One section for an ordinary license file.
fn sections(text: &str) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let (mut start, mut start_line) = (0, 1u32);
    let mut offset = 0;
    let mut blank_run = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        blank_run = if trimmed.is_empty() { blank_run + 1 } else { 0 };
        // A rule line, or the second of two blank lines in a row.
        let separator = (trimmed.len() >= 3 && trimmed.chars().all(|c| "-=*_#~ ".contains(c))) || blank_run == 2;
        let opens = i > 0 && {
            let lower = trimmed.trim_start_matches(['#', '*', ' ']).to_ascii_lowercase();
            BUNDLE_PARTNERS.iter().any(|p| lower.starts_with(p))
        };
        let line_no = i as u32 + 1;
        if separator || opens {
            out.push(Section { text: &text[start..offset], first_line: start_line });
            (start, start_line) = if separator { (offset + line.len(), line_no + 1) } else { (offset, line_no) };
        }
        offset += line.len();
    }
    out.push(Section { text: &text[start..], first_line: start_line });
    // Leading blank lines belong to no license: a part's lines start at its first word.
    for s in &mut out {
        let blank = s.text.len() - s.text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
        s.first_line += s.text[..blank].matches('\n').count() as u32;
        s.text = &s.text[blank..];
    }
    out.retain(|s| s.text.split_whitespace().count() >= MIN_SECTION_WORDS);
    out
}

/// [`identify_text`](super::identify_text) for a text already normalized (`norm` and `line_starts` as
/// [`normalize::normalized_with_line_starts`] gives them). A file of several sections (a
/// bundle of license texts, a third-party notice) is also identified section by section:
/// the licenses its sections name confidently are added to what the whole text gave.
pub fn identify_normalized(text: &str, norm: &str, line_starts: &[usize], source: TextSource) -> Identification {
    // Only a file named as a listing of others' licenses: a report of the same shape
    // (`licenses.csv` of a license checker's test data) grants nothing.
    if source == TextSource::LicenseFile
        && let Some(listing) = super::listing::identify_listing(text)
    {
        return listing;
    }
    let sections = sections(text);
    let mut ident = identify_sections(text, norm, line_starts, source, &sections);
    if let Some(license) = ident.license.as_ref().and_then(|l| opening_choice(text, &sections, l)) {
        ident.license = Some(license);
    }
    ident
}

/// Lines of an opening statement read for a choice.
const MAX_OPENING_LINES: usize = 12;

/// The choice a file's opening offers among the licenses whose texts follow ("available under
/// your choice of the GNU General Public License, version 2 or later, or the Business Source
/// License, as set forth below"): the `OR` of the licenses found, each spelled as precisely as
/// either the statement or the text spells it. `None` unless the opening offers a choice that
/// covers every license found.
fn opening_choice(text: &str, sections: &[Section<'_>], found: &Expr) -> Option<Expr> {
    let first_section = sections.first().map_or(1, |s| s.first_line) as usize;
    let opening_lines = (first_section.max(2) - 1).min(MAX_OPENING_LINES);
    let opening: String = text.lines().take(opening_lines).collect::<Vec<_>>().join("\n");
    let opening = if opening.trim().is_empty() {
        // The statement may open the first section itself (its first paragraph).
        sections.first()?.text.split("\n\n").next()?.to_string()
    } else {
        opening
    };
    let stated = statements::stated(&opening)?;
    let Expr::Or(choices) = &stated.license else { return None };
    let found_terms = found.terms();
    if found_terms.len() < 2 {
        return None;
    }
    let same = |a: &Term, b: &Term| {
        a.family() == b.family()
            || matches!((a, b), (Term::Spdx { id: x, .. }, Term::Spdx { id: y, .. }) if y.starts_with(x.as_str()) || x.starts_with(y.as_str()))
    };
    // Every license found is one of the choices.
    if !found_terms.iter().all(|f| choices.iter().any(|c| matches!(c, Expr::Term(t) if same(t, f)))) {
        return None;
    }
    let alternatives = choices.iter().map(|c| match c {
        Expr::Term(t) => {
            let text_term = found_terms.iter().find(|f| same(t, f));
            // The statement says "or later" where a text cannot; a text says the version where a
            // statement names the license alone.
            match (t, text_term) {
                (Term::Spdx { id, or_later, .. }, Some(_)) if *or_later || id.ends_with("-or-later") => {
                    Expr::term(t.clone())
                }
                (_, Some(f)) => Expr::term((*f).clone()),
                (_, None) => c.clone(),
            }
            .clone()
        }
        other => other.clone(),
    });
    Expr::or_all(alternatives.collect::<Vec<_>>())
}

/// [`identify_normalized`] over the file's sections.
fn identify_sections(
    text: &str,
    norm: &str,
    line_starts: &[usize],
    source: TextSource,
    sections: &[Section<'_>],
) -> Identification {
    let whole = identify_whole(text, norm, line_starts, source);
    if sections.len() < 2 {
        return whole;
    }
    let mut found: Vec<Expr> = whole.license.iter().cloned().collect();
    let mut confidence = if whole.license.is_some() { whole.confidence } else { 1.0 };
    let known: BTreeSet<String> = whole.license.iter().flat_map(|l| l.terms()).map(|t| t.family()).collect();
    // Words and word pairs of the standard texts the whole text was identified as: a section
    // made of their words is part of that license (LGPL-3.0 quotes the GPL, Sleepycat holds a
    // BSD text), not another, unless it is closer still to another license's text (a BSD text
    // beside the OpenSSL license uses the SSLeay part's words, not all its sentences).
    let own_texts: Vec<OwnText<'_>> = whole
        .license
        .iter()
        .flat_map(|l| l.terms())
        .filter_map(|t| match t {
            Term::Spdx { id, .. } => spdx::license_id(id).map(|l| (t, l.text())),
            _ => None,
        })
        .map(|(term, text)| {
            let norm = normalize::normalized(text);
            let words = norm.split(' ').map(str::to_string).collect();
            let pairs = normalize::bigram_hashes(&norm);
            OwnText { term, norm, words, pairs }
        })
        .collect();
    let mut added = false;
    let mut unknown_parts: Vec<Expr> = Vec::new();
    let mut exceptions: Vec<ExceptionSection> = Vec::new();
    let whole_has_ai = whole.license.as_ref().is_some_and(Expr::has_ai);
    // A section nothing explains (prose about other licensing, a text too short to match)
    // leaves the answer less certain than its parts.
    let mut unexplained = false;
    let mut parts: Vec<Part> = Vec::new();
    for section in sections {
        let part = section.text;
        let (n, starts) = normalize::normalized_with_line_starts(part);
        let words: Vec<&str> = n.split(' ').filter(|w| w.len() >= 4).collect();
        let own = |vocabulary: &HashSet<String>| words.iter().filter(|w| vocabulary.contains(**w)).count();
        let all_own = words.iter().filter(|w| own_texts.iter().any(|o| o.words.contains(**w))).count();
        if !own_texts.is_empty() && all_own * 10 >= words.len() * 9 && !closer_to_another(&n, &own_texts, &known) {
            // The part of the license whose words it holds most of.
            if let Some(o) = own_texts.iter().max_by_key(|o| own(&o.words)) {
                parts.push(Part { license: Expr::term(o.term.clone()), lines: section.lines() });
            }
            continue;
        }
        // An exception's text after the license it amends (Apache-2.0's LLVM exception, the
        // GPL's Classpath exception): the license is written WITH it, not beside it.
        if let Some((id, alone)) = exception_text(&n) {
            exceptions.push(ExceptionSection { id, lines: section.lines(), after_parts: parts.len() });
            if alone {
                continue;
            }
        }
        let ident = identify_whole(part, &n, &starts, source);
        let modified = ident.license.as_ref().is_some_and(|l| l.terms().iter().any(|t| t.is_modified()));
        let Some(license) = ident.license.filter(|_| ident.confidence >= MATCH_THRESHOLD || modified) else {
            // A license of its own that nothing identifies: the file's answer is incomplete.
            // (A knowledge-base license's own sections are not held here to compare with,
            // so beside one nothing counts as unknown.)
            if !whole_has_ai && words.len() >= MIN_UNKNOWN_PART_WORDS && statements::is_license_body(part) {
                let unknown =
                    Expr::term(Term::Other(format!("{}{}", expr::UNIDENTIFIED, &normalize::sha256_hex(&n)[..12])));
                parts.push(Part { license: unknown.clone(), lines: section.lines() });
                unknown_parts.push(unknown);
            } else if !whole_has_ai {
                unexplained = true;
            }
            continue;
        };
        if !license.has_unidentified() {
            parts.push(Part { license: license.clone(), lines: section.lines() });
        }
        if license.has_unidentified() || license.terms().iter().all(|t| known.contains(&t.family())) {
            continue;
        }
        // A use policy appended to its own license is part of that license.
        if let Some(owner) = policy_owner(&license, &found) {
            if let Some(last) = parts.last_mut() {
                last.license = owner;
            }
            continue;
        }
        if found.iter().any(|f| f.terms().iter().map(|t| t.family()).eq(license.terms().iter().map(|t| t.family()))) {
            continue;
        }
        confidence = confidence.min(ident.confidence);
        found.push(license);
        added = true;
    }
    if !exceptions.is_empty() {
        added |= with_exceptions(&mut found, &mut parts, &exceptions);
    }
    if !unknown_parts.is_empty() && !found.is_empty() {
        // Named, but not whole: below the threshold, and the unknown part stays in the
        // expression so that a diff sees it come, go or change.
        found.extend(unknown_parts);
        return Identification {
            license: Expr::and_all(found),
            confidence: round2(confidence.min(PARTLY_KNOWN)),
            closest: None,
            method: "sections",
            parts,
        };
    }
    let cap = if unexplained { PARTLY_EXPLAINED } else { 1.0 };
    if !added {
        // Parts are worth keeping when the file holds several licenses.
        let several = parts.iter().map(|p| p.license.to_string()).collect::<BTreeSet<_>>().len() >= 2;
        return Identification {
            confidence: whole.confidence.min(cap),
            parts: if several { parts } else { Vec::new() },
            ..whole
        };
    }
    Identification {
        license: Expr::and_all(found),
        confidence: round2(confidence.min(cap)),
        closest: None,
        method: "sections",
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{TextSource, identify_text};

    fn answer(text: &str) -> String {
        identify_text(text, TextSource::LicenseFile).license.map(|l| l.to_string()).unwrap_or_default()
    }

    #[test]
    fn an_exception_after_its_license_amends_it() {
        let apache = spdx::license_id("Apache-2.0").unwrap().text();
        let llvm = spdx::text::EXCEPTION_TEXTS.iter().find(|(id, _)| *id == "LLVM-exception").unwrap().1;
        let text = format!("{apache}\n\n--- LLVM Exceptions to the Apache 2.0 License ----\n\n{llvm}\n");
        assert_eq!(answer(&text), "Apache-2.0 WITH LLVM-exception");
    }

    fn exception(id: &str) -> &'static str {
        spdx::text::EXCEPTION_TEXTS.iter().find(|(e, _)| *e == id).unwrap().1
    }

    fn license(id: &str) -> &'static str {
        spdx::license_id(id).unwrap().text()
    }

    #[test]
    fn an_exception_amends_the_license_it_is_written_for_not_the_first() {
        let text = format!(
            "{}\n\n---\n\n{}\n\n---\n\n{}\n",
            license("MIT"),
            license("GPL-2.0-only"),
            exception("Classpath-exception-2.0")
        );
        let ident = identify_text(&text, TextSource::LicenseFile);
        let answer = ident.license.map(|l| l.to_string()).unwrap_or_default();
        assert!(answer.contains("WITH Classpath-exception-2.0"), "{answer}");
        assert!(answer.contains("MIT") && !answer.contains("MIT WITH"), "{answer}");
        let with: Vec<_> = ident.parts.iter().filter(|p| p.license.to_string().contains("WITH Classpath")).collect();
        assert!(with.len() >= 2, "the license's part and the exception's lines: {:?}", ident.parts);
        assert!(ident.parts.iter().all(|p| p.license.to_string() != "GPL-2.0-only"), "{:?}", ident.parts);
    }

    #[test]
    fn an_exception_before_its_license_amends_the_license_after_it() {
        let text = format!(
            "{}\n\n---\n\n{}\n\n---\n\n{}\n",
            license("MIT"),
            exception("LLVM-exception"),
            license("Apache-2.0")
        );
        let answer = answer(&text);
        assert!(answer.contains("Apache-2.0 WITH LLVM-exception") && answer.contains("MIT"), "{answer}");
    }

    #[test]
    fn a_section_holding_an_exception_and_more_is_read_for_both() {
        // No separator between the exception and the BSD text after it.
        let text = format!(
            "{}\n\n---\n\n{}\n\n{}\n",
            license("Apache-2.0"),
            exception("LLVM-exception"),
            license("BSD-2-Clause").replace("<year>", "2020").replace("<owner>", "Example")
        );
        let answer = answer(&text);
        assert!(answer.contains("Apache-2.0 WITH LLVM-exception"), "{answer}");
        assert!(answer.contains("BSD-2-Clause"), "the text after the exception is read: {answer}");
    }

    #[test]
    fn an_opening_choice_among_the_texts_that_follow_is_their_or() {
        let text = format!(
            "This software is available under your choice of the GNU General Public\nLicense, version 2 or \
             later, or the Business Source License, as set\nforth below.\n\n{}\n\n---\n\n{}\n",
            license("GPL-2.0-only"),
            license("BUSL-1.1")
        );
        assert_eq!(answer(&text), "BUSL-1.1 OR GPL-2.0-or-later");
        // Without the choice, the texts are a bundle.
        let bundle = format!("{}\n\n---\n\n{}\n", license("GPL-2.0-only"), license("BUSL-1.1"));
        assert!(answer(&bundle).contains(" AND "), "{}", answer(&bundle));
    }

    #[test]
    fn a_use_policy_in_its_own_section_is_part_of_its_license() {
        let words = "The licensee may use, reproduce and distribute the materials under the terms set out below, \
            subject to the conditions of this agreement and the laws that apply to it. "
            .repeat(4);
        let text = format!(
            "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n\n{words}\n\n---\n\n\
             # Llama 3.1 Acceptable Use Policy\n\nMeta is committed to promoting safe and fair use of its tools. {words}\n"
        );
        assert_eq!(answer(&text), "llama3.1");
    }

    #[test]
    fn a_bsd_text_beside_the_openssl_license_is_a_part_of_its_own() {
        // The OpenSSL license's SSLeay part holds nearly every word of a BSD text, not its sentences.
        let text = format!(
            "{}\n\n---\n\nCopyright (c) 2009 The Go Authors. All rights reserved.\n\n{}\n",
            license("OpenSSL"),
            license("BSD-3-Clause")
        );
        assert_eq!(answer(&text), "BSD-3-Clause AND OpenSSL");
        // The OpenSSL text alone is one license, its parts included.
        assert_eq!(answer(license("OpenSSL")), "OpenSSL");
    }

    #[test]
    fn a_license_held_word_for_word_inside_another_is_part_of_it_a_shorter_variant_is_not() {
        // LGPL-3.0's text ends with the GPL's, here set off by a rule line.
        let lgpl =
            license("LGPL-3.0-only").replacen("GNU GENERAL PUBLIC LICENSE", "---\n\nGNU GENERAL PUBLIC LICENSE", 1);
        assert_eq!(answer(&lgpl), "LGPL-3.0-only");
        // BSD-2-Clause's words are all in BSD-3-Clause, but not its sentences in order.
        let both = format!("{}\n\n---\n\n{}\n", license("BSD-3-Clause"), license("BSD-2-Clause"));
        assert_eq!(answer(&both), "BSD-2-Clause AND BSD-3-Clause");
    }

    #[test]
    fn a_summary_of_per_file_licenses_before_the_main_text_names_each() {
        let text = format!(
            "The distribution as a whole is subject to the copyright notice reproduced at the bottom.\n\n\
             * The following source files are also subject in whole or in part to\n  a 3-clause UC Regents \
             copyright; please read the individual source\n  files for details:\n   lib/compress.c\n\n\
             * The following source files are triple-licensed with the ability to choose\n  from CC0 1.0 \
             Universal, OpenSSL or Apache 2.0 licenses:\n   lib/blake2.h\n\n\n{}\n",
            license("BSD-2-Clause")
        );
        assert_eq!(answer(&text), "BSD-2-Clause AND BSD-3-Clause AND (Apache-2.0 OR CC0-1.0 OR OpenSSL)");
    }
}

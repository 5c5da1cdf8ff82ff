//! Licenses a short text grants by naming them: "licensed under the Apache License, Version
//! 2.0", "dual-licensed under the Unlicense and MIT licenses", "available under either the MIT
//! License or the Apache License 2.0, at your option", a list after "the following licenses:",
//! a Creative Commons or Apache license address, or a file that is one license title.
//!
//! A name counts only where a statement puts it (after "under", "licensed", "dedicated"), so a
//! page that merely mentions licenses names none; and only in short texts (pointer files,
//! notices, headers), never in documents that talk about licensing at length.

use super::expr::{Expr, Term};
use super::{names, own_terms};

/// Longer texts are documents about licensing (docs pages, model cards), not statements.
pub const MAX_WORDS: usize = 600;
/// Confidence of a license a statement names.
pub const CONFIDENCE: f32 = 0.9;
/// Confidence of the licenses a statement names beside one it points at by words no table
/// knows.
pub const PARTIAL_CONFIDENCE: f32 = 0.7;

/// Longest license name tried, in words.
const MAX_NAME_WORDS: usize = 10;
/// How far past its trigger a statement's names may run, in words.
const MAX_STATEMENT_WORDS: usize = 40;
/// Statements read in one text; a pointer file makes a handful.
const MAX_STATEMENTS: usize = 24;
/// Items of a "the following licenses:" list read.
const MAX_LIST_ITEMS: usize = 10;
/// Words between "the following" and the colon that opens its list.
const MAX_LIST_LEAD_WORDS: usize = 8;
/// A text of at most this many words on one line may be a license title alone.
const MAX_TITLE_WORDS: usize = 14;

/// Words between a trigger and the first name.
const LEAD_INS: &[&str] = &[
    "the",
    "terms",
    "term",
    "and",
    "conditions",
    "of",
    "either",
    "both",
    "a",
    "an",
    "following",
    "two",
    "three",
    "four",
    "licenses",
    "licences",
    "license",
    "licence",
    "its",
    "their",
    "as",
    "your",
    "choice",
    "option",
    "any",
    "to",
    "dedicated",
    "public",
    "domain",
    "is",
    "are",
    // "triple-licensed with the ability to choose from …", "choose between …"
    "with",
    "ability",
    "choose",
    "from",
    "between",
    // "subject in whole or in part to …"
    "in",
    "whole",
    "or",
    "part",
];
/// Words between two names of one statement.
const JOINERS: &[&str] =
    &["and", "or", "the", "license", "licenses", "licence", "licences", "either", "both", "&", "/", "as", "well"];
/// Words of a license's own body (grants, parties, liability, termination), which headers and
/// notices lack: a text with two of them is a license of its own, and the licenses it names
/// are ones it excepts or sits beside, not its statement.
const LICENSE_BODY: &[&str] = &[
    "sublicense",
    "licensor",
    "granted",
    "hereby",
    "liable",
    "liability",
    "indemnif",
    "terminat",
    "royalty",
    "perpetual",
    "irrevocable",
    "redistribution and use",
];
/// [`LICENSE_BODY`] words that make a text a license of its own.
const LICENSE_BODY_MIN: usize = 2;
/// How far back a statement's subject is read, in words.
const SUBJECT_WORDS: usize = 15;
/// Words that open a clause with a subject of its own.
const CLAUSE_OPENERS: &[&str] = &["which", "except", "but", "whereas", "while"];
/// Words before a trigger that deny it ("not distributed under the MIT license").
const DENIALS: &[&str] = &["not", "never", "no", "except", "excluding"];

/// Phrases that make the named licenses a choice (`OR`), not a conjunction.
const CHOICE: &[&str] = &[
    "either",
    "at your option",
    "dual-licensed",
    "dual licensed",
    "dual-licenced",
    "any of these",
    "any of the",
    "choice of",
    "one of the",
    "under both",
    "triple-licensed",
    "triple licensed",
    "multi-licensed",
    "choose from",
    "choose between",
];

/// One word of the text.
#[derive(Debug)]
struct Word<'a> {
    /// Without surrounding quotes, brackets and trailing punctuation.
    text: &'a str,
    /// A sentence ends after it (`.`, `;`, `!`, `?`, a blank line).
    ends_sentence: bool,
    /// A full stop (`.`, `!`, `?`) or a blank line follows it: unlike a `;`, it ends a list
    /// of names ("(i) the RSALv2; or (ii) the SSPL").
    full_stop: bool,
    /// A colon follows it.
    colon: bool,
    /// Inside parentheses.
    aside: bool,
    /// The first word of a list item (`- x`, `* x`, `1. x`).
    item: bool,
    /// The first word of its line.
    line_start: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out: Vec<Word<'_>> = Vec::new();
    let mut depth = 0usize;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(last) = out.last_mut() {
                last.ends_sentence = true;
                last.full_stop = true;
            }
            continue;
        }
        let mut first = true;
        let mut bullet = false;
        for raw in trimmed.split_whitespace() {
            if first && !bullet && (matches!(raw, "-" | "*" | "+" | "•") || is_number_bullet(raw)) {
                // A list item starts a sentence of its own.
                if let Some(last) = out.last_mut() {
                    last.ends_sentence = true;
                }
                bullet = true;
                continue;
            }
            let opens = raw.chars().take_while(|c| matches!(c, '(' | '[' | '"' | '\'' | '`' | '*' | '_')).count();
            let aside = depth > 0 || raw.starts_with('(');
            depth += raw.matches('(').count();
            depth = depth.saturating_sub(raw.matches(')').count());
            let core = raw[opens..].trim_end_matches([')', ']', '"', '\'', '`', '*', '_', ',']);
            let colon = core.ends_with(':');
            let text = core.trim_end_matches([':', '.', ';', '!', '?', ',']);
            let abbreviation = core.ends_with('.') && is_abbreviation(text);
            let ends_sentence = core.ends_with(['.', ';', '!', '?']) && !abbreviation;
            let full_stop = core.ends_with(['.', '!', '?']) && !abbreviation;
            if text.is_empty() {
                continue;
            }
            out.push(Word { text, ends_sentence, full_stop, colon, aside, item: bullet && first, line_start: first });
            first = false;
        }
    }
    out
}

/// A word whose full stop ends no sentence ("v. 2.0", "Inc.", "e.g.").
fn is_abbreviation(word: &str) -> bool {
    word.chars().count() == 1
        || matches!(word.to_ascii_lowercase().as_str(), "inc" | "ltd" | "co" | "ver" | "vs" | "e.g" | "i.e" | "cf")
}

fn is_number_bullet(raw: &str) -> bool {
    raw.len() <= 3 && raw.ends_with(['.', ')']) && raw[..raw.len() - 1].chars().all(|c| c.is_ascii_digit())
}

/// The license a web address stands for: Creative Commons licenses and dedications, the
/// Apache license, opensource.org and SPDX pages of an id.
fn from_address(word: &str) -> Option<Expr> {
    let lower = word.to_ascii_lowercase();
    let rest = lower.split("://").nth(1).unwrap_or(&lower).trim_start_matches("www.");
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    let id = match parts.as_slice() {
        ["creativecommons.org", "publicdomain", "zero", version, ..] => format!("CC0-{version}"),
        ["creativecommons.org", "licenses", kind, version, ..] => format!("CC-{}-{version}", kind.to_uppercase()),
        ["apache.org", "licenses", name, ..] => name.replace("license-", "Apache-"),
        ["opensource.org", "licenses" | "license", name, ..] | ["spdx.org", "licenses", name, ..] => {
            name.trim_end_matches(".html").trim_end_matches(".php").to_string()
        }
        _ => return None,
    };
    let e = names::recognized(&id, true)?;
    (!e.terms().iter().any(|t| matches!(t, Term::Other(_)))).then_some(e)
}

/// The longest license name starting at `words[at]`, and how many words it takes.
fn name_at(words: &[Word<'_>], at: usize) -> Option<(Expr, usize)> {
    let aside = words.get(at)?.aside;
    let mut end = at;
    while end < words.len() && end - at < MAX_NAME_WORDS && words[end].aside == aside {
        end += 1;
        if words[end - 1].ends_sentence || words[end - 1].colon {
            break;
        }
    }
    (at + 1..=end).rev().find_map(|stop| {
        let name = words[at..stop].iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
        names::recognized(&name, stop == at + 1).map(|e| (e, stop - at))
    })
}

/// What one statement says.
#[derive(Debug, Default)]
struct Said {
    /// The licenses it names.
    names: Vec<Expr>,
    /// It points at a license by words no name table knows ("the Elastic License", "the
    /// license defined in ee/LICENSE"): what it names is not all it grants.
    unresolved: bool,
    /// A statement offered its names as a choice in its own sentence (they are one `OR` in
    /// `names`): a choice elsewhere in the text is not about the other statements.
    choice_stated: bool,
}

/// Words that end a reference to a license.
const LICENSE_WORDS: &[&str] = &["license", "licence", "licenses", "licences", "agreement", "terms"];
/// Words a license name may carry before the part a table knows ("the Creative Commons CC BY
/// 3.0 license").
const MAX_NAME_PREFIX_WORDS: usize = 2;

/// A name at `words[at]` or a few words later, with the words it takes from `at`.
fn name_near(words: &[Word<'_>], at: usize) -> Option<(Expr, usize)> {
    (0..=MAX_NAME_PREFIX_WORDS).find_map(|skip| {
        let start = at + skip;
        // The words passed over stay inside the sentence and are not themselves license words.
        let passed = words.get(at..start)?;
        if passed
            .iter()
            .any(|w| w.ends_sentence || w.aside || LICENSE_WORDS.contains(&w.text.to_ascii_lowercase().as_str()))
        {
            return None;
        }
        name_at(words, start).map(|(e, len)| (e, skip + len))
    })
}

/// The first word of the sentence holding `words[at]`.
fn sentence_start(words: &[Word<'_>], at: usize) -> usize {
    words[..at].iter().rposition(|w| w.ends_sentence).map_or(0, |p| p + 1)
}

/// Whether words offer what they name as a choice (a [`CHOICE`] phrase among them).
fn offers_choice(words: &[Word<'_>]) -> bool {
    let spaced = format!(" {} ", words.iter().map(|w| w.text.to_ascii_lowercase()).collect::<Vec<_>>().join(" "))
        .replace('-', " ");
    CHOICE.iter().any(|c| spaced.contains(&format!(" {} ", c.replace('-', " "))))
}

/// The statement whose trigger is `words[trigger]`; the index after the last word of it (a
/// word it stopped at that is no part of it is not read).
fn statement_names(words: &[Word<'_>], trigger: usize, said: &mut Said) -> usize {
    let limit = (trigger + 1 + MAX_STATEMENT_WORDS).min(words.len());
    let mut i = trigger + 1;
    let mut lead_in = true;
    let mut list_follows = false;
    let mut license_word_seen = false;
    // A license address anywhere in the statement's sentence ("under the Creative Commons
    // Attribution License (http://creativecommons.org/licenses/by/2.5)"), or on the line
    // after its colon ("which can be found at:").
    for w in &words[trigger + 1..limit] {
        if let Some(e) = from_address(w.text) {
            said.names.push(e);
        }
        if w.ends_sentence && !w.colon {
            break;
        }
    }
    while i < limit {
        let w = &words[i];
        // Set when the words before a list's colon were passed over, to read the list.
        let mut continue_list = false;
        // Asides and addresses (read above) are passed over.
        if !w.aside && from_address(w.text).is_none() {
            if let Some((e, len)) = name_near(words, i) {
                said.names.push(e);
                lead_in = false;
                i += len;
                if words[i - 1].full_stop {
                    return i;
                }
                continue;
            }
            let lower = w.text.to_ascii_lowercase();
            let fits = if lead_in { LEAD_INS } else { JOINERS };
            list_follows |= lower == "following";
            license_word_seen |= LICENSE_WORDS.contains(&lower.as_str());
            // "the following, starting with version 8: …": a few words before the list's colon.
            if list_follows
                && lead_in
                && !fits.contains(&lower.as_str())
                && let Some(colon) = words[i..(i + MAX_LIST_LEAD_WORDS).min(limit)]
                    .iter()
                    .position(|w| w.colon || w.full_stop)
                    .filter(|&p| words[i + p].colon)
            {
                i += colon;
                continue_list = true;
            }
            if !continue_list && !fits.contains(&lower.as_str()) {
                // Stopped inside a reference to a license no table names.
                let ahead = &words[i..(i + 5).min(words.len())];
                let in_sentence = ahead.iter().position(|w| w.ends_sentence).map_or(ahead, |end| &ahead[..=end]);
                let names_ahead =
                    in_sentence.iter().any(|w| LICENSE_WORDS.contains(&w.text.to_ascii_lowercase().as_str()));
                said.unresolved |= lead_in && (license_word_seen || names_ahead);
                return i;
            }
        }
        let w = &words[i];
        if w.colon && list_follows {
            if words.get(i + 1).is_some_and(|n| n.item) {
                list_items(words, i + 1, &mut said.names);
                break;
            }
            // The list runs on in the sentence: "(i) the RSALv2; (ii) the SSPL; or (iii) …".
            list_follows = false;
            i += 1;
            continue;
        }
        if w.full_stop || (w.ends_sentence && !lead_in && !w.aside) {
            break;
        }
        i += 1;
    }
    (i + 1).min(words.len())
}

/// Names that open the list items after `from`.
fn list_items(words: &[Word<'_>], from: usize, out: &mut Vec<Expr>) {
    let mut seen = 0;
    for (i, w) in words.iter().enumerate().skip(from) {
        if !w.item {
            if (seen == 0 && i > from + 2) || (seen > 0 && w.line_start) {
                return;
            }
            continue;
        }
        seen += 1;
        if seen > MAX_LIST_ITEMS {
            return;
        }
        if let Some((e, _)) = name_at(words, i) {
            out.push(e);
        }
    }
}

fn body_words(lower: &str) -> usize {
    LICENSE_BODY.iter().filter(|m| lower.contains(*m)).count()
}

/// Whether a text reads as a license of its own (grants, parties, liability), not a header,
/// a notice or a pointer.
pub fn is_license_body(text: &str) -> bool {
    body_words(&text.to_lowercase()) >= LICENSE_BODY_MIN
}

/// Whether the statement at `words[trigger]` is denied ("not distributed under"), or is about
/// a license rather than the work ("the text of the Creative Commons public licenses is
/// dedicated to the public domain under CC0").
fn denied(words: &[Word<'_>], trigger: usize) -> bool {
    let near = &words[trigger.saturating_sub(2)..trigger];
    if near.iter().any(|d| DENIALS.contains(&d.text.to_ascii_lowercase().as_str())) {
        return true;
    }
    let from = trigger.saturating_sub(SUBJECT_WORDS);
    let sentence = words[from..trigger].iter().rposition(|w| w.ends_sentence).map_or(from, |p| from + p + 1);
    // A clause of its own ("…, except some modules, which are licensed under …") has its own
    // subject: the license an earlier clause named is not it.
    let clause = words[sentence..trigger]
        .iter()
        .rposition(|w| CLAUSE_OPENERS.contains(&w.text.to_ascii_lowercase().as_str()))
        .map_or(sentence, |p| sentence + p + 1);
    words[clause..trigger]
        .iter()
        .any(|w| matches!(w.text.to_ascii_lowercase().as_str(), "license" | "licenses" | "licence" | "licences"))
}

/// The licenses a short text states it is under.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `OR`ed when the text offers a choice.
    pub license: Expr,
    /// Whether every license the text points at has a name here; when not, what it names is
    /// only part of what it grants.
    pub complete: bool,
}

/// The licenses a short text states it is under; `None` when it states none (or is too long
/// to be a statement, or is a license of its own).
pub fn stated(text: &str) -> Option<Statement> {
    let words = words(text);
    if words.is_empty() || words.len() > MAX_WORDS {
        return None;
    }
    let lower = text.to_lowercase();
    if body_words(&lower) >= LICENSE_BODY_MIN {
        return None;
    }
    if words.len() <= MAX_TITLE_WORDS && text.trim().lines().count() == 1 {
        let title = words.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
        if let Some(license) = names::recognized(&title, words.len() == 1) {
            return Some(Statement { license, complete: true });
        }
    }
    // Words that restrict, deny or date the grant: the text is more than a pointer, and
    // naming the license it mentions would pass its other terms as that license.
    let spaced = own_terms::spaced_words(&lower);
    if own_terms::has_terms_of_its_own(&lower) {
        return None;
    }
    let mut said = statements_of(&words);
    component_items(&words, &mut said.names);
    if !said.names.is_empty() {
        // A pointer that names licenses also names the files of others ("see LICENSE-MIT").
        // (A file of a license already named adds nothing, also when it was named in a choice.)
        let named: Vec<String> = said.names.iter().flat_map(|e| e.terms()).map(|t| t.family()).collect();
        let references = words.iter().filter_map(|w| license_file_reference(w.text));
        let new: Vec<Expr> = references.filter(|e| !e.terms().iter().all(|t| named.contains(&t.family()))).collect();
        said.names.extend(new);
    }
    let unique = distinct(said.names);
    let choice = !said.choice_stated && CHOICE.iter().any(|c| spaced.contains(&format!(" {} ", c.replace('-', " "))));
    let license = if choice { Expr::or_all(unique) } else { Expr::and_all(unique) }?;
    Some(Statement { license, complete: !said.unresolved })
}

/// The licenses a license text that amends another one names as the one it amends (the
/// Commons Clause's "Licensed under the Apache License, Version 2.0 … modified with Commons
/// Clause"): what its statements name, read although the text is a license of its own.
pub fn amended_by(text: &str) -> Vec<Expr> {
    let words = words(text);
    if words.len() > MAX_WORDS {
        return Vec::new();
    }
    distinct(statements_of(&words).names)
}

/// Everything the statements of a text say.
fn statements_of(words: &[Word<'_>]) -> Said {
    let mut read = 0usize;
    statements_of_counting(words, &mut read)
}

/// [`statements_of`], counting the statements read in `read`.
fn statements_of_counting(words: &[Word<'_>], read: &mut usize) -> Said {
    let mut said = Said::default();
    for (i, w) in words.iter().enumerate() {
        let lower = w.text.to_ascii_lowercase();
        let trigger = match lower.as_str() {
            "under" | "licensed" | "licenced" | "dedicated" | "subject" => true,
            // "triple-licensed with …", "dual-licensed: …" (before "under", that word is the trigger).
            _ if lower.ends_with("-licensed") || lower.ends_with("-licenced") => {
                words.get(i + 1).is_none_or(|n| !n.text.eq_ignore_ascii_case("under"))
            }
            // "files use a BSD 2-Clause license": only before an article, and never a
            // reference to an unnamed license ("use this code under the terms of either").
            "use" | "uses" => words.get(i + 1).is_some_and(|n| matches!(n.text, "a" | "an" | "the")),
            _ => false,
        };
        // A text of little but trigger words ("dedicated dedicated …") is read no further:
        // each statement costs up to a few hundred name lookups.
        if trigger && *read >= MAX_STATEMENTS {
            break;
        }
        if trigger && !denied(words, i) {
            *read += 1;
            let unresolved = said.unresolved;
            let before = said.names.len();
            let end = statement_names(words, i, &mut said);
            if matches!(lower.as_str(), "use" | "uses") {
                said.unresolved = unresolved;
            }
            // Names its sentence offers as a choice ("triple-licensed with the ability to
            // choose from A, B or C") are one `OR`, beside what other statements name.
            // (The choice may follow the names: "… or the MIT license, at your option.")
            let sentence_end =
                (end.saturating_sub(1)..words.len()).find(|&k| words[k].ends_sentence).map_or(words.len(), |k| k + 1);
            if said.names.len() - before >= 2 && offers_choice(&words[sentence_start(words, i)..sentence_end]) {
                let choice = Expr::or_all(distinct(said.names.split_off(before)));
                said.names.extend(choice);
                said.choice_stated = true;
            }
        }
    }
    said
}

/// The license a reference to a license file names by its suffix: `LICENSE-MIT`,
/// `src/x/LICENSE-APACHE` (Apache-2.0, the only Apache license such files hold today),
/// `LICENSE.BSD-3-Clause.txt`; `None` for suffixes that name no license (`LICENSE-BoringSSL`).
fn license_file_reference(word: &str) -> Option<Expr> {
    let name = word.rsplit('/').next()?;
    let lower = name.to_ascii_lowercase();
    // "license", "licence" and "copying" are all seven bytes long.
    if !["license", "licence", "copying"].iter().any(|p| lower.starts_with(p))
        || !lower[7..].starts_with(['-', '_', '.'])
    {
        return None;
    }
    let end = [".txt", ".md", ".rst"].iter().find(|e| lower.ends_with(*e)).map_or(name.len(), |e| name.len() - e.len());
    let suffix = name.get(8..end).filter(|s| !s.is_empty())?;
    if suffix.eq_ignore_ascii_case("apache") {
        return Expr::parse("Apache-2.0");
    }
    names::recognized(suffix, true).filter(|e| !e.terms().iter().any(|t| matches!(t, Term::Other(_))))
}

/// Words of one list item read for a component's license.
const MAX_ITEM_WORDS: usize = 60;

/// Licenses a list of components names by title alone, one sentence of an item that credits
/// a copyright holder ("- tree.h (from FreeBSD), copyright Niels Provos. Two clause BSD
/// license."): a third-party list of a license file, not a docs page listing license names.
fn component_items(words: &[Word<'_>], out: &mut Vec<Expr>) {
    let mut start = 0;
    while start < words.len() {
        if !words[start].item {
            start += 1;
            continue;
        }
        let end = (start + 1..words.len().min(start + MAX_ITEM_WORDS))
            .find(|&j| words[j].item)
            .unwrap_or(words.len().min(start + MAX_ITEM_WORDS));
        let item = &words[start..end];
        if item.iter().any(|w| w.text.eq_ignore_ascii_case("copyright")) {
            let mut from = 0;
            for (k, w) in item.iter().enumerate() {
                if !w.ends_sentence {
                    continue;
                }
                let sentence = &item[from..=k];
                from = k + 1;
                if sentence.len() <= MAX_NAME_WORDS {
                    let title = sentence.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
                    if let Some(e) = names::recognized(&title, sentence.len() == 1) {
                        out.push(e);
                    }
                }
            }
        }
        start = end;
    }
}

/// One expression per license family, the more specific spelling kept.
fn distinct(names: Vec<Expr>) -> Vec<Expr> {
    let mut unique: Vec<Expr> = Vec::new();
    for e in names {
        let families: Vec<String> = e.terms().iter().map(|t| t.family()).collect();
        match unique.iter().position(|u| u.terms().iter().map(|t| t.family()).eq(families.iter().cloned())) {
            // The more specific spelling of one license wins (CC-BY-2.5 over a bare CC-BY).
            Some(p) if e.to_string().len() > unique[p].to_string().len() => unique[p] = e,
            Some(_) => {}
            None => unique.push(e),
        }
    }
    unique
}

#[cfg(test)]
mod tests;

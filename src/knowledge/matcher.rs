//! The text matcher: which SPDX licenses and exceptions a text holds, and on which lines,
//! from the word-pair index compiled in ([`super::similarity`]) and read in place, so that
//! nothing is loaded or decompressed before the first text.
//!
//! Each pass takes the longest text of the index that the rest of the text holds nearly whole
//! (else the one it holds most of), finds the run of lines densest in its word pairs, moves the
//! run's ends a line at a time while that raises the Dice coefficient, and scores those lines
//! against every text of the same kind (licenses, exceptions or standard headers). The closest
//! at or above the threshold (a header at a lower one) is found, and its lines are taken out
//! before the next pass; a candidate whose run finds nothing is not tried again.

use std::ops::Range;

use super::normalize;
use super::similarity::{self, Closeness, SetKind};

/// Passes over one text; each finds at most one license or exception.
const MAX_PASSES: usize = 16;
/// The least share of a text's word pairs the rest of the text holds for it to be looked for.
const MIN_CONTAINED: f32 = 0.5;
/// Candidates tried in one pass before giving up.
const MAX_TRIED: usize = 8;
/// A text held at least this much is tried before texts held less, the longest first.
const WHOLE_CONTAINED: f32 = 0.9;
/// What a pair the set does not hold costs a run, against 1 for one it holds.
const MISS_COST: i64 = 2;
/// Word pairs the rest of a text needs to hold a license at all.
const MIN_PAIRS: usize = 15;

/// A license or exception found, with its score and its lines (0-based, in the text's
/// non-empty lines as `line_starts` counts them).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub id: &'static str,
    pub score: f32,
    pub lines: (usize, usize),
}

/// What the matcher says of a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matched {
    /// Licenses (and standard headers, as their licenses) found, in the order found.
    pub licenses: Vec<Found>,
    /// Exceptions found.
    pub exceptions: Vec<Found>,
    /// The license closest to the whole text, and its Dice coefficient.
    pub closest: Option<(&'static str, f32)>,
}

/// One word pair of the text.
struct Pair {
    hash: u32,
    /// Which of the text's lines its second word is on.
    line: usize,
    /// Its postings in the index.
    postings: Range<usize>,
    /// Not yet taken by a text found.
    open: bool,
}

/// Finds the licenses and exceptions a normalized text (`norm`, `line_starts` as
/// [`normalize::normalized_with_line_starts`] gives them) holds at Dice `threshold` or above.
pub fn find(norm: &str, line_starts: &[usize], threshold: f32) -> Matched {
    let mut pairs: Vec<Pair> = normalize::pair_hashes(norm)
        .into_iter()
        .map(|(hash, offset)| Pair {
            hash,
            line: line_starts.partition_point(|&s| s <= offset).saturating_sub(1),
            postings: similarity::postings_of(hash),
            open: true,
        })
        .collect();
    // Pair numbers of each line, as ranges (pairs are in line order).
    let lines = pairs.last().map_or(0, |p| p.line + 1);
    let mut line_pairs = vec![0..0; lines];
    let mut start = 0;
    for (i, p) in pairs.iter().enumerate() {
        if i + 1 == pairs.len() || pairs[i + 1].line != p.line {
            line_pairs[p.line] = start..i + 1;
            start = i + 1;
        }
    }
    let mut out = Matched::default();
    let mut tried_in_vain: Vec<usize> = Vec::new();
    for pass in 0..MAX_PASSES {
        let open = distinct(pairs.iter().filter(|p| p.open).map(|p| p.hash));
        if open.len() < MIN_PAIRS {
            break;
        }
        let close = similarity::closeness(&open);
        if pass == 0 {
            out.closest = best(&close, SetKind::License).map(|(_, c)| (c.id, c.dice));
        }
        let mut candidates: Vec<(usize, &Closeness)> = close
            .iter()
            .enumerate()
            .filter(|(set, c)| c.contained >= MIN_CONTAINED && !tried_in_vain.contains(set))
            .collect();
        // The longest text held nearly whole first (OpenSSL before its SSLeay part, a BSD text
        // before the shorter BSD texts it holds), then the most held.
        let whole = |c: &Closeness| c.contained >= WHOLE_CONTAINED;
        candidates.sort_by(|a, b| {
            whole(b.1)
                .cmp(&whole(a.1))
                .then_with(|| if whole(a.1) { b.1.pairs.cmp(&a.1.pairs) } else { std::cmp::Ordering::Equal })
                .then(b.1.contained.total_cmp(&a.1.contained))
        });
        let mut progress = false;
        for &(set, _) in candidates.iter().take(MAX_TRIED) {
            let Some(lines) = densest_lines(&pairs, set).map(|seed| refined(&pairs, &line_pairs, set, seed)) else {
                tried_in_vain.push(set);
                continue;
            };
            let within = |p: &Pair| p.open && p.line >= lines.0 && p.line <= lines.1;
            let run = distinct(pairs.iter().filter(|p| within(p)).map(|p| p.hash));
            let kind = similarity::set_kind(set);
            let top = best(&similarity::closeness(&run), kind);
            tracing::debug!(pass, candidate = close[set].id, ?lines, best = ?top.map(|(_, c)| (c.id, c.dice, c.contained)), "text matcher run");
            let Some((_, top)) = top.filter(|(_, c)| accepted(c, kind, threshold)) else {
                tried_in_vain.push(set);
                continue;
            };
            let found = Found { id: top.id, score: top.dice, lines };
            match kind {
                SetKind::Exception => out.exceptions.push(found),
                // A standard header stands for its license.
                SetKind::License | SetKind::Header => out.licenses.push(found),
            }
            pairs.iter_mut().filter(|p| within(p)).for_each(|p| p.open = false);
            progress = true;
            break;
        }
        if !progress {
            break;
        }
    }
    out
}

/// The least Dice coefficient, and share held, of a standard header: a header is a few dozen
/// word pairs, so a filled-in name, a placeholder line or a reworded address weighs more than
/// in a license text.
const HEADER_MIN_DICE: f32 = 0.8;
const HEADER_MIN_CONTAINED: f32 = 0.75;

/// Whether the closest text to a run is found in it.
fn accepted(c: &Closeness, kind: SetKind, threshold: f32) -> bool {
    c.dice >= threshold || (kind == SetKind::Header && c.dice >= HEADER_MIN_DICE && c.contained >= HEADER_MIN_CONTAINED)
}

/// The sorted, distinct hashes among `hashes`.
fn distinct(hashes: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut out: Vec<u32> = hashes.collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The set of `kind` closest by Dice coefficient, with its number.
fn best(close: &[Closeness], kind: SetKind) -> Option<(usize, Closeness)> {
    close
        .iter()
        .copied()
        .enumerate()
        .filter(|(set, _)| similarity::set_kind(*set) == kind)
        .max_by(|a, b| a.1.dice.total_cmp(&b.1.dice))
}

/// The first and last line of the run of open pairs densest in set `set`'s pairs: the run
/// whose pairs held by the set outnumber the others by most (pairs already taken are passed
/// over). `None` when no pair is held.
fn densest_lines(pairs: &[Pair], set: usize) -> Option<(usize, usize)> {
    let (mut best, mut best_span) = (0i64, None);
    let (mut sum, mut start) = (0i64, None::<usize>);
    for (i, p) in pairs.iter().enumerate().filter(|(_, p)| p.open) {
        let held = similarity::names_set(p.postings.clone(), set);
        if sum <= 0 {
            if !held {
                continue;
            }
            (sum, start) = (0, Some(i));
        }
        sum += if held { 1 } else { -MISS_COST };
        if sum > best {
            best = sum;
            best_span = start.map(|s| (s, i));
        }
    }
    best_span.map(|(s, e)| (pairs[s].line, pairs[e].line))
}

/// A run of lines and its Dice coefficient with one set, kept up to date as lines are added
/// and removed at its ends.
struct Run<'a> {
    pairs: &'a [Pair],
    /// Pair numbers of each line, as ranges (pairs are in line order).
    line_pairs: &'a [Range<usize>],
    set: usize,
    set_pairs: usize,
    /// Open pairs of the run by hash: how often, and whether the set holds it.
    counts: std::collections::HashMap<u32, (u32, bool)>,
    held: usize,
    first: usize,
    last: usize,
}

impl Run<'_> {
    fn dice(&self) -> f32 {
        (2 * self.held) as f32 / (self.counts.len() + self.set_pairs).max(1) as f32
    }

    fn add(&mut self, line: usize) {
        for p in self.pairs[self.line_pairs[line].clone()].iter().filter(|p| p.open) {
            let (set, postings) = (self.set, p.postings.clone());
            let entry = self.counts.entry(p.hash).or_insert_with(|| (0, similarity::names_set(postings, set)));
            if entry.0 == 0 && entry.1 {
                self.held += 1;
            }
            entry.0 += 1;
        }
    }

    fn remove(&mut self, line: usize) {
        for p in self.pairs[self.line_pairs[line].clone()].iter().filter(|p| p.open) {
            if let Some(entry) = self.counts.get_mut(&p.hash) {
                entry.0 -= 1;
                if entry.0 == 0 {
                    if entry.1 {
                        self.held -= 1;
                    }
                    self.counts.remove(&p.hash);
                }
            }
        }
    }

    /// The Dice coefficient after one step, undone.
    fn try_step(&mut self, step: Step) -> f32 {
        self.apply(step, true);
        let dice = self.dice();
        self.apply(step, false);
        dice
    }

    fn apply(&mut self, step: Step, forward: bool) {
        match (step, forward) {
            (Step::DropFirst, true) | (Step::AddBefore, false) => {
                self.remove(self.first);
                self.first += 1;
            }
            (Step::DropFirst, false) | (Step::AddBefore, true) => {
                self.first -= 1;
                self.add(self.first);
            }
            (Step::DropLast, true) | (Step::AddAfter, false) => {
                self.remove(self.last);
                self.last -= 1;
            }
            (Step::DropLast, false) | (Step::AddAfter, true) => {
                self.last += 1;
                self.add(self.last);
            }
        }
    }
}

/// One change at an end of a run.
#[derive(Debug, Clone, Copy)]
enum Step {
    DropFirst,
    DropLast,
    AddBefore,
    AddAfter,
}

/// Steps taken to refine one run; each moves an end by one line.
const MAX_STEPS: usize = 400;

/// The lines near `seed` whose Dice coefficient with set `set` is highest: the seed's ends
/// moved a line at a time while that improves it.
fn refined(pairs: &[Pair], line_pairs: &[Range<usize>], set: usize, seed: (usize, usize)) -> (usize, usize) {
    let lines = line_pairs.len();
    let set_pairs = similarity::set_pairs(set);
    let mut run =
        Run { pairs, line_pairs, set, set_pairs, counts: Default::default(), held: 0, first: seed.0, last: seed.0 };
    run.add(seed.0);
    for line in seed.0 + 1..=seed.1 {
        run.last = line;
        run.add(line);
    }
    for _ in 0..MAX_STEPS {
        let now = run.dice();
        let possible = [
            (Step::DropFirst, run.first < run.last),
            (Step::DropLast, run.first < run.last),
            (Step::AddBefore, run.first > 0),
            (Step::AddAfter, run.last + 1 < lines),
        ];
        let best = possible
            .into_iter()
            .filter(|(_, possible)| *possible)
            .map(|(s, _)| (s, run.try_step(s)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .filter(|(_, dice)| *dice > now);
        match best {
            Some((step, _)) => run.apply(step, true),
            None => break,
        }
    }
    (run.first, run.last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(text: &str) -> Matched {
        let (norm, starts) = normalize::normalized_with_line_starts(text);
        find(&norm, &starts, 0.9)
    }

    fn text(id: &str) -> &'static str {
        spdx::license_id(id).unwrap().text()
    }

    #[test]
    fn finds_each_license_of_a_bundle_and_its_lines() {
        let bundle = format!(
            "Third-party notices\n\nThis product includes:\n\n{}\n\nAnd also:\n\n{}\n",
            text("MIT"),
            text("Apache-2.0")
        );
        let m = matched(&bundle);
        let ids: Vec<&str> = m.licenses.iter().map(|f| f.id).collect();
        assert_eq!(ids.len(), 2, "{m:?}");
        assert!(ids.contains(&"MIT") && ids.contains(&"Apache-2.0"), "{m:?}");
        let mit = m.licenses.iter().find(|f| f.id == "MIT").unwrap();
        let apache = m.licenses.iter().find(|f| f.id == "Apache-2.0").unwrap();
        assert!(mit.lines.0 >= 2, "the preamble is not the license: {m:?}");
        assert!(mit.lines.1 < apache.lines.0, "each text's own lines: {m:?}");
    }

    #[test]
    fn a_variant_is_told_by_its_own_words_and_prose_holds_nothing() {
        let m = matched(text("BSD-3-Clause"));
        assert_eq!(m.licenses.first().map(|f| f.id), Some("BSD-3-Clause"), "{m:?}");
        // A README that talks about licensing at length holds no license text.
        let readme = "## License\n\nThis project is licensed under the terms of the MIT license. You may use, copy and \
            modify the software, and redistribute it in source or binary form, as long as the copyright notice is kept. \
            Contributions are accepted under the same license. The software is provided as is, without warranty, \
            and the authors are not liable for any damages arising from its use. See the LICENSE file for the full \
            text and the conditions that apply to redistribution of the source code and of binaries.\n";
        assert!(matched(readme).licenses.is_empty(), "{:?}", matched(readme));
        assert!(matched("").licenses.is_empty() && matched("").closest.is_none());
    }

    #[test]
    fn an_exception_beside_its_license_is_found_as_an_exception() {
        let classpath = spdx::text::EXCEPTION_TEXTS.iter().find(|(id, _)| *id == "Classpath-exception-2.0").unwrap().1;
        let m = matched(&format!("{}\n{classpath}\n", text("GPL-2.0-only")));
        assert!(m.licenses.iter().any(|f| f.id.starts_with("GPL-2.0")), "{m:?}");
        assert_eq!(m.exceptions.iter().map(|f| f.id).collect::<Vec<_>>(), ["Classpath-exception-2.0"], "{m:?}");
    }
}

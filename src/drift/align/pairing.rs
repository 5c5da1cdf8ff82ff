//! Which removed and added clauses are one clause reworded: parameter lines by their label,
//! the rest by word similarity, within a bounded budget.

use std::collections::HashMap;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::word_diff::key;
use crate::knowledge::normalize;

/// Word-level similarity from which two clauses are the same clause reworded.
const NEAR_DUPLICATE: f32 = 0.7;
/// Clause pairs compared per hunk at most (a rewrite of a whole text is not a rewording).
const MAX_CANDIDATES: usize = 10_000;
/// Words the word-level diffs of one hunk may cover in all: past it, clauses stay unpaired
/// (reported added and removed, which is the safe side). A hostile text of long sentences
/// costs a bounded amount.
const WORD_BUDGET: usize = 2_000_000;

/// Indices of `old` and `new` clauses paired as reworded, best matches first taken. Clauses
/// are compared word by word; only pairs at least [`NEAR_DUPLICATE`] alike are paired.
pub fn pair(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    if old.is_empty() || new.is_empty() || old.len() * new.len() > MAX_CANDIDATES {
        return Vec::new();
    }
    let old_words: Vec<Vec<String>> = old.iter().map(|s| tokens(s)).collect();
    let new_words: Vec<Vec<String>> = new.iter().map(|s| tokens(s)).collect();
    fn bag(words: &[String]) -> HashMap<&str, u32> {
        let mut m: HashMap<&str, u32> = HashMap::new();
        for w in words {
            *m.entry(w.as_str()).or_default() += 1;
        }
        m
    }
    let (old_bags, new_bags): (Vec<_>, Vec<_>) =
        (old_words.iter().map(|w| bag(w)).collect(), new_words.iter().map(|w| bag(w)).collect());
    let mut budget = WORD_BUDGET;
    let mut scored = Vec::new();
    'pairs: for (i, a) in old_words.iter().enumerate() {
        for (j, b) in new_words.iter().enumerate() {
            // Cheap bounds first: similarity cannot exceed the ratio of the lengths, nor the
            // share of words the two have in common whatever their order.
            let (short, long) = (a.len().min(b.len()), a.len().max(b.len()));
            if long == 0 || ((2 * short) as f32 / (short + long) as f32) < NEAR_DUPLICATE {
                continue;
            }
            let common: u32 = old_bags[i].iter().map(|(w, n)| (*n).min(new_bags[j].get(w).copied().unwrap_or(0))).sum();
            let most_alike = (2 * common as usize) as f32 / (a.len() + b.len()) as f32;
            if most_alike < NEAR_DUPLICATE {
                continue;
            }
            budget = match budget.checked_sub(a.len() + b.len()) {
                Some(left) => left,
                None => break 'pairs,
            };
            let s = similarity(a, b);
            if s >= NEAR_DUPLICATE {
                scored.push((s, i, j));
            }
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_old, mut used_new) = (vec![false; old.len()], vec![false; new.len()]);
    let mut out = Vec::new();
    for (_, i, j) in scored {
        if !used_old[i] && !used_new[j] {
            used_old[i] = true;
            used_new[j] = true;
            out.push((i, j));
        }
    }
    out.sort_unstable();
    out
}

/// The parameter label a normalized sentence starts with, if any.
/// Two lines with the same label (BUSL's parameters, version and date lines) are one
/// parameter, however different their values.
pub fn label_of(norm: &str) -> Option<&'static str> {
    normalize::LABELS.iter().copied().find(|l| norm.starts_with(l))
}

/// Pairs reworded clauses of normalized sentences: parameter lines by their label (`Licensor:`
/// with `Licensor:`, an Additional Use Grant with the grant it replaces), the rest by word
/// similarity ([`pair`]).
pub fn pair_clauses(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut used_new = vec![false; new.len()];
    let mut new_by_label: HashMap<&str, std::collections::VecDeque<usize>> = HashMap::new();
    for (j, n) in new.iter().enumerate() {
        if let Some(label) = label_of(n) {
            new_by_label.entry(label).or_default().push_back(j);
        }
    }
    let mut used_old = vec![false; old.len()];
    for (i, o) in old.iter().enumerate() {
        let Some(label) = label_of(o) else { continue };
        if let Some(j) = new_by_label.get_mut(label).and_then(|q| q.pop_front()) {
            used_new[j] = true;
            used_old[i] = true;
            pairs.push((i, j));
        }
    }
    let rest_old: Vec<usize> = (0..old.len()).filter(|&i| !used_old[i]).collect();
    let rest_new: Vec<usize> = (0..new.len()).filter(|j| !used_new[*j]).collect();
    let similar = pair(
        &rest_old.iter().map(|&i| old[i]).collect::<Vec<_>>(),
        &rest_new.iter().map(|&j| new[j]).collect::<Vec<_>>(),
    );
    pairs.extend(similar.into_iter().map(|(i, j)| (rest_old[i], rest_new[j])));
    pairs.sort_unstable();
    pairs
}

fn tokens(s: &str) -> Vec<String> {
    s.split_whitespace().map(key).filter(|w| !w.is_empty()).collect()
}

/// 2 × matching words / all words (the ratio `similar` reports), over word keys.
fn similarity(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let same: usize = capture_diff_slices(Algorithm::Myers, a, b)
        .iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .map(|op| op.old_range().len())
        .sum();
    (2 * same) as f32 / (a.len() + b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_pair_and_different_clauses_do_not() {
        let old = [
            "if you institute patent litigation, then any patent licenses granted to you shall terminate, as such litigation constitutes infringement.",
            "you must give any other recipients a copy of this license.",
        ];
        let new = [
            "you may not use the model for commercial purposes.",
            "if you institute patent litigation, then any patent licenses granted to you shall terminate, as such litigation constitutes an infringement.",
        ];
        assert_eq!(pair(&old, &new), vec![(0, 1)]);
        assert!(pair(&old[1..], &new[..1]).is_empty());
    }
}

//! Word-level comparison of two clauses: the comparison form of a word, and the word diff
//! as findings and printers show it.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// Comparison form of a word: lower case, surrounding punctuation removed.
pub(super) fn key(word: &str) -> String {
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '$' && c != '%' && c != '€' && c != '£');
    // A possessive names the same party: "HashiCorp's" is "HashiCorp".
    let trimmed = trimmed.strip_suffix("'s").or_else(|| trimmed.strip_suffix("’s")).unwrap_or(trimmed);
    trimmed.to_lowercase()
}

/// The word diff of two clauses as written: runs of equal, removed and added words (each run
/// the original words joined by single spaces).
pub fn word_diff<'a>(old: &'a str, new: &'a str) -> Vec<(DiffTag, Vec<&'a str>, Vec<&'a str>)> {
    let (ow, nw): (Vec<&str>, Vec<&str>) = (old.split_whitespace().collect(), new.split_whitespace().collect());
    let (ok, nk): (Vec<String>, Vec<String>) =
        (ow.iter().map(|w| key(w)).collect(), nw.iter().map(|w| key(w)).collect());
    capture_diff_slices(Algorithm::Myers, &ok, &nk)
        .into_iter()
        .map(|op| (op.tag(), ow[op.old_range()].to_vec(), nw[op.new_range()].to_vec()))
        .collect()
}

/// The word diff as runs, for printers: equal words once, replaced words as removed then added.
pub fn runs<'a>(old: &'a str, new: &'a str) -> Vec<(RunKind, String)> {
    let mut out = Vec::new();
    for (tag, o, n) in word_diff(old, new) {
        match tag {
            DiffTag::Equal => out.push((RunKind::Same, n.join(" "))),
            _ => {
                if !o.is_empty() {
                    out.push((RunKind::Removed, o.join(" ")));
                }
                if !n.is_empty() {
                    out.push((RunKind::Added, n.join(" ")));
                }
            }
        }
    }
    out
}

/// A reworded clause on one line: equal words as they are, removed and added words wrapped
/// in `del` / `ins` (opening and closing marks), every run passed through `escape` first.
pub fn mark_words(old: &str, new: &str, escape: &dyn Fn(&str) -> String, del: [&str; 2], ins: [&str; 2]) -> String {
    runs(old, new)
        .into_iter()
        .map(|(kind, words)| {
            let words = escape(&words);
            match kind {
                RunKind::Same => words,
                RunKind::Removed => format!("{}{words}{}", del[0], del[1]),
                RunKind::Added => format!("{}{words}{}", ins[0], ins[1]),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a run of a word diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Same,
    Removed,
    Added,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_mark_the_changed_words() {
        let r = runs("as such litigation constitutes infringement.", "as such litigation constitutes an infringement.");
        assert_eq!(
            r,
            vec![
                (RunKind::Same, "as such litigation constitutes".to_string()),
                (RunKind::Added, "an".to_string()),
                (RunKind::Same, "infringement.".to_string()),
            ]
        );
    }
}

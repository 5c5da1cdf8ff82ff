//! Clause alignment: a removed and an added clause that are near-duplicates are one
//! *reworded* clause, never a removal plus an addition. A rewording either leaves every
//! meaning-bearing token alone (numbers, amounts, durations, dates, territories, named
//! parties, negations and modal words) or moves one: then it is a parameter change, with the
//! values before and after and, where the category allows, a direction.
//!
//! `pairing` finds the reworded pairs, `word_diff` compares two clauses word by word,
//! `meaning` tells what a rewording moved, reading the word lists of `vocabulary`.

mod meaning;
mod pairing;
mod vocabulary;
mod word_diff;

pub use meaning::{MeaningChange, ParameterName, licensor_words, meaning_change};
pub use pairing::{label_of, pair_clauses};
pub use word_diff::mark_words;

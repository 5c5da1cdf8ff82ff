//! Clause detection: which restriction categories a sentence expresses, from the patterns
//! in `clauses.toml`.

use std::sync::OnceLock;

use regex::bytes::{RegexSet, RegexSetBuilder};
use serde::Deserialize;

use super::ladder::Restriction;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Category {
    name: Restriction,
    patterns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseFile {
    category: Vec<Category>,
}

/// The data file, as compiled in.
pub const DATA: &str = include_str!("clauses.toml");

/// The compiled patterns, or why the compiled-in file does not load.
fn load() -> &'static Result<Vec<(Restriction, RegexSet)>, String> {
    static SETS: OnceLock<Result<Vec<(Restriction, RegexSet)>, String>> = OnceLock::new();
    SETS.get_or_init(|| {
        let file: ClauseFile = toml::from_str(DATA).map_err(|e| e.to_string())?;
        if file.category.is_empty() {
            return Err("it has no [[category]] entry".into());
        }
        file.category
            .into_iter()
            // Sentences arrive normalized (lower case): no case folding, and ASCII classes
            // over bytes, which compile several times faster than Unicode ones.
            .map(|c| match RegexSetBuilder::new(&c.patterns).unicode(false).build() {
                Ok(set) => Ok((c.name, set)),
                Err(e) => Err(format!("a pattern of {} does not compile: {e}", c.name.name())),
            })
            .collect()
    })
}

/// Whether the file parses and has categories (checked at start: a broken table stops the
/// run, exit 2). Compiling the patterns is left to first use: `build.rs` and the unit tests
/// compile every one, and a start-up check must cost microseconds, not milliseconds.
pub fn check() -> Result<(), String> {
    match toml::from_str::<ClauseFile>(DATA) {
        Ok(f) if f.category.is_empty() || f.category.iter().any(|c| c.patterns.is_empty()) => {
            Err("a [[category]] is missing or has no pattern".into())
        }
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

fn sets() -> &'static [(Restriction, RegexSet)] {
    load().as_deref().unwrap_or_default()
}

/// The number a threshold clause names ("700 million monthly active users", "US$1,000,000
/// in annual revenue"), as written.
pub fn threshold_in(sentence: &str) -> Option<String> {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?i)([0-9][0-9,.]*\s*(?:million|billion|thousand|m|k)?\s+(?:(?:monthly|daily) active users|(?:visits|visitors|users) (?:per|a|each) (?:month|day))|(?:us\$|usd\s?|\$)\s?[0-9][0-9,.]*\s*(?:million|billion|m)?(?:\s+(?:in\s+)?(?:annual|yearly)\s+(?:gross\s+)?revenue)?)")
            .expect("a valid pattern")
    });
    re.find(sentence).map(|m| m.as_str().trim().to_string())
}

/// The restriction categories a normalized (lower-case) sentence expresses.
pub fn classify(sentence: &str) -> Vec<Restriction> {
    sets().iter().filter(|(_, set)| set.is_match(sentence.as_bytes())).map(|(r, _)| *r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Restriction::*;

    #[test]
    fn data_file_compiles_and_covers_every_category() {
        let file: ClauseFile = toml::from_str(DATA).expect("clauses.toml parses");
        for c in &file.category {
            for p in &c.patterns {
                regex::Regex::new(p).unwrap_or_else(|e| panic!("{}: {p}: {e}", c.name.name()));
                // Sentences are lower case: an upper-case letter (other than an escape such
                // as `\S`) could never match.
                let mut unescaped =
                    p.split('\\').enumerate().flat_map(|(i, part)| part.chars().skip(usize::from(i > 0)));
                assert!(!unescaped.any(|ch| ch.is_uppercase()), "{}: {p} has upper case", c.name.name());
            }
        }
        assert_eq!(sets().len(), file.category.len());

        for r in Restriction::ALL {
            assert!(file.category.iter().any(|c| c.name == r), "{} has no patterns", r.name());
        }
    }

    #[test]
    fn thresholds_are_read_from_clauses() {
        assert_eq!(
            threshold_in("more than 700 million monthly active users in the month").as_deref(),
            Some("700 million monthly active users")
        );
        assert_eq!(threshold_in("annual revenue of US$1,000,000 or more").as_deref(), Some("US$1,000,000"));
        assert_eq!(
            threshold_in("exceeds 1 million visits per month, contact us").as_deref(),
            Some("1 million visits per month")
        );
        assert_eq!(threshold_in("no numbers here"), None);
    }

    #[test]
    fn sentences_and_categories() {
        for (sentence, want) in [
            ("you may use the model for non-commercial purposes only.", vec![NonCommercial]),
            (
                "if the monthly active users of your products exceed 700 million, you must request a license.",
                vec![UserThreshold],
            ),
            (
                "the rights granted for multimodal models are not granted to individuals domiciled in the european union.",
                vec![Geographic],
            ),
            ("you will not use the model for military use or weapons development.", vec![UsePolicy]),
            ("you must display \"built with llama\" on a related website.", vec![Naming]),
            (
                "if the number of service users (visits) for your commercial activities exceeds 1 million visits per month, you need to contact our business team to obtain more commercial licenses.",
                vec![UserThreshold],
            ),
            ("this model is provided solely for research purposes.", vec![ResearchOnly]),
            (
                "the license granted hereunder will terminate, automatically and without notice, if you initiate any patent assertion against the company.",
                vec![PatentTermination],
            ),
            (
                "if you institute or order or agree to the institution of patent litigation against any entity, the patent rights granted to you terminate.",
                vec![PatentTermination],
            ),
            ("permission is hereby granted, free of charge, to any person obtaining a copy.", vec![]),
            // Permitted purposes of FSL: permissions, not restrictions.
            ("for non-commercial education;", vec![]),
            (
                "in connection with software development services or managed services that you provide to a licensee using the software in accordance with these terms.",
                vec![],
            ),
            ("stability ai non-commercial research community license agreement", vec![NonCommercial, ResearchOnly]),
            ("the model is licensed for non-commercial use.", vec![NonCommercial]),
            ("the software is provided \"as is\", without warranty of any kind.", vec![]),
        ] {
            assert_eq!(classify(sentence), want, "{sentence}");
        }
    }
}

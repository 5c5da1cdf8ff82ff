//! What a rewording moved that bears meaning: numbers and what they count, amounts,
//! durations, dates, versions, territories, negations and modal words, named parties, other
//! content words; with a direction where the clause's category allows one.

use serde::Serialize;
use similar::DiffTag;

use super::vocabulary::{
    COUNTED, CURRENCY, DEFINED_TERMS, DURATION_UNITS, EXCEPTIONS, FUNCTION_WORDS, MONTHS, MULTIPLIERS, NUMBER_WORDS,
    PERMISSIVE, RESTRICTIVE, TERRITORIES,
};
use super::word_diff::{key, word_diff};
use crate::knowledge::ladder::{Direction, Restriction};

/// What kind of value a rewording moved. The kebab-case names are part of the JSON interface
/// (`parameter.name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParameterName {
    /// A user cap ("700 million monthly active users").
    UserCap,
    /// A revenue threshold.
    RevenueThreshold,
    /// An amount of money.
    Amount,
    /// A period ("30 days", "two years").
    Duration,
    /// A date or year.
    Date,
    /// A version number.
    Version,
    /// Another number.
    Number,
    /// Countries or regions.
    Territory,
    /// Negation, "only", "must", "may" and their kin: what is allowed or required.
    Scope,
    /// A named party or product (a licensor, a company, a model family).
    Party,
    /// Other words that carry content ("military" → "surveillance"): what the clause covers
    /// may have changed, and nothing tells which way.
    Wording,
}

impl ParameterName {
    /// The public name.
    pub fn name(self) -> &'static str {
        match self {
            ParameterName::UserCap => "user-cap",
            ParameterName::RevenueThreshold => "revenue-threshold",
            ParameterName::Amount => "amount",
            ParameterName::Duration => "duration",
            ParameterName::Date => "date",
            ParameterName::Version => "version",
            ParameterName::Number => "number",
            ParameterName::Territory => "territory",
            ParameterName::Scope => "scope",
            ParameterName::Party => "party",
            ParameterName::Wording => "wording",
        }
    }
}

/// A meaning-bearing value a rewording moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeaningChange {
    pub name: ParameterName,
    /// The words before and after, as written (empty when added or removed outright).
    pub before: String,
    pub after: String,
    pub direction: Direction,
    /// Moved on with a release or renamed (a date, a version, the licensor): worth knowing,
    /// never worth blocking.
    pub routine: bool,
}

fn is_number(k: &str) -> bool {
    k.chars().any(|c| c.is_ascii_digit()) || NUMBER_WORDS.iter().any(|(w, _)| *w == k)
}

/// The value a quantity phrase names ("700 million", "US$1,000,000", "seven hundred
/// million"), if any.
fn quantity(words: &[&str]) -> Option<f64> {
    let mut value: Option<f64> = None;
    for w in words {
        let k = key(w);
        let digits: String = k.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
        if !digits.is_empty() && k.chars().any(|c| c.is_ascii_digit()) {
            let n: f64 = digits.trim_end_matches('.').parse().ok()?;
            // A suffix glued to the number: "700m", "1.5b".
            let suffix = k.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
            let suffix = suffix.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
            let mult = MULTIPLIERS.iter().find(|(m, _)| *m == suffix).map(|(_, v)| *v).unwrap_or(1.0);
            value = Some(value.map_or(n * mult, |v| v + n * mult));
        } else if let Some((_, n)) = NUMBER_WORDS.iter().find(|(w, _)| *w == k) {
            value = Some(match (value, *n) {
                (Some(v), 100.0) => v * 100.0,
                (Some(v), n) => v + n,
                (None, n) => n,
            });
        } else if let Some((_, m)) = MULTIPLIERS.iter().find(|(m, _)| *m == k) {
            value = value.map(|v| v * m);
        }
    }
    value
}

/// The changed words of a rewording with the equal words right around them (so a number keeps
/// its unit: "700" → "100" is read as "700 million monthly" → "100 million monthly").
struct Hunk<'a> {
    old: Vec<&'a str>,
    new: Vec<&'a str>,
    /// Equal words just before and after the change.
    before_ctx: Vec<&'a str>,
    after_ctx: Vec<&'a str>,
}

fn hunks<'a>(old: &'a str, new: &'a str) -> Vec<Hunk<'a>> {
    let ops = word_diff(old, new);
    let mut out = Vec::new();
    for (i, (tag, o, n)) in ops.iter().enumerate() {
        if *tag == DiffTag::Equal {
            continue;
        }
        let before_ctx = match i.checked_sub(1).map(|p| &ops[p]) {
            Some((DiffTag::Equal, _, n)) => n[n.len().saturating_sub(2)..].to_vec(),
            _ => Vec::new(),
        };
        let after_ctx = match ops.get(i + 1) {
            Some((DiffTag::Equal, _, n)) => n[..n.len().min(3)].to_vec(),
            _ => Vec::new(),
        };
        out.push(Hunk { old: o.clone(), new: n.clone(), before_ctx, after_ctx });
    }
    out
}

/// Named-party words of a text's licensor (BUSL's `Licensor:` line): renaming it is routine.
pub fn licensor_words(licensor_lines: &[&str]) -> Vec<String> {
    licensor_lines
        .iter()
        .flat_map(|l| l.split_whitespace().skip(1))
        .map(key)
        .filter(|k| k.len() > 1 && !DEFINED_TERMS.contains(&k.as_str()))
        .collect()
}

/// What a rewording of a clause of `category` changed that bears meaning, if anything. `old`
/// and `new` are the clauses as written; `licensors` the words naming the licensor on either
/// side (a licensor renamed is routine).
pub fn meaning_change(
    category: Option<Restriction>,
    old: &str,
    new: &str,
    licensors: &[String],
) -> Option<MeaningChange> {
    let hunks = hunks(old, new);
    let changed_keys = |h: &Hunk, old_side: bool| -> Vec<String> {
        (if old_side { &h.old } else { &h.new }).iter().map(|w| key(w)).filter(|k| !k.is_empty()).collect()
    };
    // Every change found, the most severe reported: a version bump must not mask a lower cap.
    let mut out: Vec<MeaningChange> = Vec::new();
    // Numbers and what they count.
    for h in &hunks {
        let (ok, nk) = (changed_keys(h, true), changed_keys(h, false));
        if !(ok.iter().any(|k| is_number(k)) || nk.iter().any(|k| is_number(k))) {
            continue;
        }
        let context: Vec<String> = h.before_ctx.iter().chain(&h.after_ctx).map(|w| key(w)).collect();
        let all: Vec<&String> = ok.iter().chain(&nk).chain(&context).collect();
        let has = |set: &[&str]| all.iter().any(|k| set.contains(&k.as_str()));
        let (before_words, after_words) = (with_units(&h.old, &h.after_ctx), with_units(&h.new, &h.after_ctx));
        let (qb, qa) =
            (quantity(&prefixed(&h.before_ctx, &before_words)), quantity(&prefixed(&h.before_ctx, &after_words)));
        let name = match category {
            Some(Restriction::UserThreshold) if has(COUNTED) && !has(CURRENCY) => ParameterName::UserCap,
            Some(Restriction::RevenueThreshold) if has(CURRENCY) || has(&["revenue", "revenues", "turnover"]) => {
                ParameterName::RevenueThreshold
            }
            _ if has(CURRENCY) => ParameterName::Amount,
            _ if has(DURATION_UNITS) => ParameterName::Duration,
            _ if has(MONTHS) || ok.iter().chain(&nk).any(|k| is_year(k) || is_date(k)) => ParameterName::Date,
            _ if ok.iter().chain(&nk).any(|k| is_version(k)) => ParameterName::Version,
            _ => ParameterName::Number,
        };
        let direction = match (name, qb, qa) {
            // A lower cap or threshold lets fewer users stay under it.
            (ParameterName::UserCap | ParameterName::RevenueThreshold, Some(b), Some(a)) if a < b => {
                Direction::Tightened
            }
            (ParameterName::UserCap | ParameterName::RevenueThreshold, Some(b), Some(a)) if a > b => Direction::Relaxed,
            _ => Direction::Changed,
        };
        // "Section 4.2" renumbered is a cross-reference that moved, not a term.
        let reference = h.before_ctx.last().is_some_and(|w| {
            matches!(
                key(w).as_str(),
                "section" | "sections" | "clause" | "article" | "paragraph" | "exhibit" | "schedule" | "appendix"
            )
        });
        let routine = matches!(name, ParameterName::Date | ParameterName::Version) || reference;
        out.push(MeaningChange {
            name,
            before: before_words.join(" "),
            after: after_words.join(" "),
            direction,
            routine,
        });
    }
    // Territories.
    let territory = |side: bool| -> Vec<String> {
        hunks.iter().flat_map(|h| changed_keys(h, side)).filter(|k| TERRITORIES.contains(&k.as_str())).collect()
    };
    let (tb, ta) = (territory(true), territory(false));
    if !tb.is_empty() || !ta.is_empty() {
        let (before, after) = joined_changes(&hunks);
        let direction = match category {
            Some(Restriction::Geographic) if tb.is_empty() => Direction::Tightened,
            Some(Restriction::Geographic) if ta.is_empty() => Direction::Relaxed,
            _ => Direction::Changed,
        };
        out.push(MeaningChange { name: ParameterName::Territory, before, after, direction, routine: false });
    }
    // Negations and modal words.
    // "non-production", "non-commercial": a negating prefix restricts as "not" does.
    let count = |side: bool, set: &[&str]| -> usize {
        hunks
            .iter()
            .flat_map(|h| changed_keys(h, side))
            .filter(|k| set.contains(&k.as_str()) || (set == RESTRICTIVE && k.starts_with("non-")))
            .count()
    };
    let (rb, ra, pb, pa) =
        (count(true, RESTRICTIVE), count(false, RESTRICTIVE), count(true, PERMISSIVE), count(false, PERMISSIVE));
    // An exception ("except lawful uses") relaxes a prohibition and narrows a grant: which
    // one a clause is, words alone cannot say.
    let (eb, ea) = (count(true, EXCEPTIONS), count(false, EXCEPTIONS));
    if rb + ra + pb + pa + eb + ea > 0 {
        let tighter = ra > rb || pb > pa;
        let looser = rb > ra || pa > pb;
        let direction = match (tighter, looser, eb == ea) {
            (true, false, true) => Direction::Tightened,
            (false, true, true) => Direction::Relaxed,
            _ => Direction::Changed,
        };
        let (before, after) = joined_changes(&hunks);
        out.push(MeaningChange { name: ParameterName::Scope, before, after, direction, routine: false });
    }
    // Named parties: capitalized words that are not defined terms, and the licensor's words.
    let party = |words: &[&str]| {
        words.iter().any(|w| {
            let k = key(w);
            (w.chars().next().is_some_and(char::is_uppercase) && !DEFINED_TERMS.contains(&k.as_str()))
                || licensors.contains(&k)
        })
    };
    if hunks.iter().any(|h| party(&h.old) || party(&h.new)) {
        let (before, after) = joined_changes(&hunks);
        let routine = hunks.iter().all(|h| {
            h.old.iter().chain(&h.new).map(|w| key(w)).filter(|k| !k.is_empty()).all(|k| {
                licensors.contains(&k)
                    || matches!(k.as_str(), "inc" | "llc" | "ltd" | "corp" | "corporation" | "co" | "gmbh" | "s")
            })
        }) && !licensors.is_empty();
        out.push(MeaningChange { name: ParameterName::Party, before, after, direction: Direction::Changed, routine });
    }
    if let Some(worst) = out.into_iter().max_by_key(severity_rank) {
        return Some(worst);
    }
    // Content words: anything but function words, and spelling fixes (a typo corrected, a
    // plural, British spelling) of a word on the other side.
    let content = |mine: &[&str], other: &[&str]| {
        mine.iter().map(|w| key(w)).any(|k| {
            !k.is_empty() && !FUNCTION_WORDS.contains(&k.as_str()) && !other.iter().any(|o| is_respelling(&k, &key(o)))
        })
    };
    if hunks.iter().any(|h| content(&h.old, &h.new) || content(&h.new, &h.old)) {
        let (before, after) = joined_changes(&hunks);
        return Some(MeaningChange {
            name: ParameterName::Wording,
            before,
            after,
            direction: Direction::Changed,
            routine: false,
        });
    }
    None
}

/// How much a change weighs: routine < relaxed < changed < tightened.
fn severity_rank(m: &MeaningChange) -> u8 {
    match (m.routine, m.direction) {
        (true, _) => 0,
        (false, Direction::Relaxed) => 1,
        (false, Direction::Changed | Direction::Unknown) => 2,
        (false, Direction::Tightened) => 3,
    }
}

/// Whether two word keys are one word spelled two ways: equal letters, a plural or
/// possessive, or at most two edits apart in words of five letters or more.
fn is_respelling(a: &str, b: &str) -> bool {
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let (a, b) = (letters(a), letters(b));
    if a == b || a.trim_end_matches('s') == b.trim_end_matches('s') {
        return true;
    }
    // An antonym by prefix (lawful / unlawful, revocable / irrevocable) or the other party
    // (licensee / licensor) is another word, however few letters apart.
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if ["un", "in", "il", "ir", "im", "non", "dis"].iter().any(|p| long.strip_prefix(p) == Some(short.as_str())) {
        return false;
    }
    let party = |w: &str| w.ends_with("ee") || w.ends_with("or") || w.ends_with("er");
    if party(&a) && party(&b) && a.len() > 3 && b.len() > 3 && a[..a.len() - 2] == b[..b.len() - 2] {
        return false;
    }
    let budget = if a.chars().count().min(b.chars().count()) >= 8 { 2 } else { 1 };
    if a.chars().count().min(b.chars().count()) < 5 {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            row.push((prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()] <= budget
}

fn is_year(k: &str) -> bool {
    k.len() == 4 && k.chars().all(|c| c.is_ascii_digit()) && (k.starts_with("19") || k.starts_with("20"))
}

fn is_date(k: &str) -> bool {
    let parts: Vec<&str> = k.split(['-', '/']).collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn is_version(k: &str) -> bool {
    let k = k.trim_start_matches('v');
    k.contains('.') && k.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Changed words plus the multiplier or unit that follows them unchanged ("700" + "million").
fn with_units<'a>(changed: &[&'a str], after_ctx: &[&'a str]) -> Vec<&'a str> {
    let mut out = changed.to_vec();
    if out.is_empty() {
        return out;
    }
    for w in after_ctx.iter().take(2) {
        let k = key(w);
        if MULTIPLIERS.iter().any(|(m, _)| *m == k) || DURATION_UNITS.contains(&k.as_str()) {
            out.push(w);
        } else {
            break;
        }
    }
    out
}

/// A currency sign just before the change belongs to the amount ("US$ 1,000,000").
fn prefixed<'a>(before_ctx: &[&'a str], words: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> =
        before_ctx.iter().rev().take(1).filter(|w| CURRENCY.contains(&key(w).as_str())).copied().collect();
    out.extend_from_slice(words);
    out
}

fn joined_changes(hunks: &[Hunk]) -> (String, String) {
    let side = |old: bool| {
        hunks
            .iter()
            .map(|h| (if old { &h.old } else { &h.new }).join(" "))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" … ")
    };
    (side(true), side(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(category: Restriction, old: &str, new: &str) -> Option<MeaningChange> {
        meaning_change(Some(category), old, new, &[])
    }

    #[test]
    fn a_one_word_rewording_moves_nothing() {
        assert_eq!(
            change(
                Restriction::PatentTermination,
                "as such litigation constitutes infringement of the patent.",
                "as such litigation constitutes an infringement of the patent."
            ),
            None
        );
    }

    #[test]
    fn caps_thresholds_territories_and_scope() {
        let cap = change(
            Restriction::UserThreshold,
            "if your products had more than 700 million monthly active users, you must request a license.",
            "if your products had more than 100 million monthly active users, you must request a license.",
        )
        .unwrap();
        assert_eq!((cap.name, cap.direction), (ParameterName::UserCap, Direction::Tightened));
        assert_eq!((cap.before.as_str(), cap.after.as_str()), ("700 million", "100 million"));

        let revenue = change(
            Restriction::RevenueThreshold,
            "companies with annual revenue above US$ 1,000,000 need a license.",
            "companies with annual revenue above US$ 10,000,000 need a license.",
        )
        .unwrap();
        assert_eq!((revenue.name, revenue.direction), (ParameterName::RevenueThreshold, Direction::Relaxed));

        let eu = change(
            Restriction::Geographic,
            "the rights are not granted to individuals domiciled in the european union.",
            "the rights are not granted to individuals domiciled in the european union or china.",
        )
        .unwrap();
        assert_eq!((eu.name, eu.direction), (ParameterName::Territory, Direction::Tightened));

        let scope = change(
            Restriction::ResearchOnly,
            "you may use the model for research and evaluation purposes.",
            "you may use the model for research purposes only.",
        )
        .unwrap();
        assert_eq!((scope.name, scope.direction), (ParameterName::Scope, Direction::Tightened));
    }

    #[test]
    fn dates_versions_and_the_licensor_are_routine() {
        let date = meaning_change(None, "change date: 2027-01-01", "change date: 2028-06-01", &[]).unwrap();
        assert!(date.routine && date.name == ParameterName::Date, "{date:?}");
        let licensors = licensor_words(&["Licensor: HashiCorp, Inc.", "Licensor: IBM Corp."]);
        let party = meaning_change(
            Some(Restriction::Hosting),
            "You may not offer it as a hosted service that competes with HashiCorp products.",
            "You may not offer it as a hosted service that competes with IBM products.",
            &licensors,
        )
        .unwrap();
        assert!(party.routine && party.name == ParameterName::Party, "{party:?}");
        let other = meaning_change(
            Some(Restriction::Hosting),
            "You may not offer it as a hosted service that competes with HashiCorp products.",
            "You may not offer it as a hosted service that competes with Google products.",
            &licensor_words(&["Licensor: HashiCorp, Inc."]),
        )
        .unwrap();
        assert!(!other.routine, "{other:?}");
    }

    #[test]
    fn content_words_are_meaning_function_words_and_respellings_are_not() {
        let swap = meaning_change(
            Some(Restriction::UsePolicy),
            "you will not use the model for military purposes.",
            "you will not use the model for surveillance purposes.",
            &[],
        )
        .unwrap();
        assert_eq!((swap.name, swap.direction), (ParameterName::Wording, Direction::Changed));
        for (old, new) in [
            ("the licence is granted to you.", "the license is granted to you."),
            ("you must retain the notices.", "you must retain all the notices."),
            ("subject to the terms of this agreemnt.", "subject to the terms of this agreement."),
            ("contact us for a license.", "contact us for the license."),
        ] {
            assert_eq!(meaning_change(None, old, new, &[]), None, "{old} -> {new}");
        }
        let section =
            meaning_change(None, "as set out in section 4.2 above.", "as set out in section 5.2 above.", &[]).unwrap();
        assert!(section.routine, "{section:?}");
    }

    #[test]
    fn the_most_severe_change_of_a_clause_is_the_one_reported() {
        let both = change(
            Restriction::UserThreshold,
            "if Acme Model 3.1 serves more than 700 million monthly active users, you must request a license.",
            "if Acme Model 3.2 serves more than 100 million monthly active users, you must request a license.",
        )
        .unwrap();
        assert_eq!((both.name, both.direction), (ParameterName::UserCap, Direction::Tightened), "{both:?}");
        let exception = change(
            Restriction::UsePolicy,
            "you agree not to use it for military purposes, except lawful uses approved by a government.",
            "you agree not to use it for military purposes.",
        )
        .unwrap();
        assert_ne!(exception.direction, Direction::Relaxed, "{exception:?}");
        let antonym = change(
            Restriction::UsePolicy,
            "you agree not to use it for military purposes, except lawful uses.",
            "you agree not to use it for military purposes, except unlawful uses.",
        );
        assert!(antonym.is_some(), "lawful -> unlawful is no respelling");
        assert!(!is_respelling("licensee", "licensor"));
        assert!(is_respelling("licence", "license"));
    }

    #[test]
    fn quantities_read_units_and_words() {
        assert_eq!(quantity(&["700", "million"]), Some(7e8));
        assert_eq!(quantity(&["US$1,000,000"]), Some(1e6));
        assert_eq!(quantity(&["seven", "hundred", "million"]), Some(7e8));
        assert_eq!(quantity(&["700m"]), Some(7e8));
    }
}

//! Whether a short text that names a license has terms of its own (a restriction, a denial,
//! a change of license): such a text is more than a pointer, and naming the license it
//! mentions would pass its other terms as that license. Copyright lines, a notice's sentences
//! about its third-party components and standard header sentences are no terms of its own.

/// Whether a lower-case text has terms of its own.
pub(super) fn has_terms_of_its_own(lower: &str) -> bool {
    restricts(&own_terms(lower))
}

/// Words that make a short text more than a statement of its license (a restriction, a
/// denial, a change of license): such a text is not read as a pointer.
const RESTRICTING: &[&str] = &[
    "may only",
    "solely",
    "must",
    "prohibited",
    "proprietary",
    "all rights reserved",
    "previously",
    "formerly",
    "confidential",
    "commercial",
    "additional condition",
    "neither",
    "nor",
    "unauthorized",
];

/// Words after which a "not" restricts or denies the grant ("may not be used", "not for
/// commercial", "does not apply to"); a "not" elsewhere describes ("libraries that are not
/// externally maintained").
const NEGATED_GRANT: &[&str] = &[
    "use",
    "used",
    "using",
    "be",
    "for",
    "modify",
    "modified",
    "distribute",
    "distributed",
    "redistribute",
    "redistributed",
    "sell",
    "sold",
    "copy",
    "copied",
    "permitted",
    "allowed",
    "granted",
    "licensed",
    "licenced",
    "sublicense",
    "commercial",
    "commercially",
    "deploy",
    "deployed",
    "host",
    "hosted",
    "offer",
    "provide",
    "compete",
    "apply",
    "applies",
    "covered",
    "included",
    "open",
    "free",
    "available",
];
/// Words between a "not" and the grant it negates.
const NEGATION_REACH: usize = 3;

/// Whether spaced words (as [`spaced_words`] gives them) restrict, deny or date a grant.
fn restricts(spaced: &str) -> bool {
    if RESTRICTING.iter().any(|r| spaced.contains(&format!(" {r} "))) {
        return true;
    }
    let words: Vec<&str> = spaced.split_whitespace().collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "not" | "cannot" | "t")
            && words[i + 1..(i + 1 + NEGATION_REACH).min(words.len())].iter().any(|n| NEGATED_GRANT.contains(n))
    })
}

/// A lower-case text as its words, each between single spaces.
pub(super) fn spaced_words(lower: &str) -> String {
    format!(" {} ", lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
}

/// Words of a line that names the work before its copyright ("Stability AI Community
/// License, Copyright © Stability AI, Ltd. All Rights Reserved.").
const MAX_COPYRIGHT_LINE_WORDS: usize = 20;

/// Words of the bundled components' licenses, which a notice's sentences about them carry.
const THIRD_PARTY: &[&str] = &["third-party", "third party", "thirdparty"];

/// The words of a lower-case text that may be terms of its own: without copyright lines
/// ("All rights reserved.") and without the sentences a notice says of its third-party
/// components' licenses ("users must comply with the original licenses of these third-party
/// components"), which restrict nothing the text grants.
fn own_terms(lower: &str) -> String {
    let mut kept = String::new();
    let notice = |l: &str| {
        super::normalize::is_copyright_line(l)
            || (l.contains("copyright")
                && l.contains("all rights reserved")
                && l.split_whitespace().count() <= MAX_COPYRIGHT_LINE_WORDS)
    };
    // Lines of a paragraph that a copyright line opened continue its notice: their "All
    // rights reserved." belongs to that notice.
    let mut in_notice = false;
    for line in lower.lines() {
        if line.trim().is_empty() {
            in_notice = false;
        }
        if notice(line) {
            in_notice = true;
            continue;
        }
        let line = if in_notice { line.replace("all rights reserved", " ") } else { line.to_string() };
        for sentence in line.split_inclusive(['.', ';']) {
            let about_others = THIRD_PARTY.iter().any(|t| sentence.contains(t))
                && ["license", "licence"].iter().any(|l| sentence.contains(l));
            if !about_others {
                kept.push_str(sentence);
            }
        }
        kept.push('\n');
    }
    let mut spaced = spaced_words(&kept);
    for phrase in BOILERPLATE {
        spaced = spaced.replace(phrase, " ");
    }
    for verb in ATTRIBUTION {
        spaced = spaced.replace(&format!(" must {verb} "), &format!(" {verb} "));
    }
    spaced
}

/// Standard sentences of license headers and texts that restrict nothing a pointer grants:
/// the Apache-style header's "you may not use this file except in compliance with the
/// License", the GNU texts' "changing it is not allowed" (of the license document).
const BOILERPLATE: &[&str] =
    &[" you may not use this file except in compliance with ", " but changing it is not allowed "];
/// Conditions of attribution ("must include this copyright and license notice"), which every
/// permissive license sets: a "must" before them adds no term of its own.
const ATTRIBUTION: &[&str] = &["include", "retain", "reproduce", "keep", "preserve"];

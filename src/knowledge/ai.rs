//! The knowledge base of AI model licenses (and attributes of some SPDX licenses), kept as
//! data in `ai-licenses.toml` and compiled in.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::vocab::{Restriction, Rung};

/// Whether an entry is a license of its own or adds attributes to an SPDX license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KbKind {
    /// Not on the SPDX list (Llama, Gemma, RAIL, …).
    Ai,
    /// On the SPDX list; the entry only adds attributes and phrases.
    Spdx,
}

/// One license of the knowledge base.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbLicense {
    /// Hugging Face style id (`llama3.1`) or the SPDX id for `kind = "spdx"`.
    pub id: String,
    pub kind: KbKind,
    /// Full name.
    pub name: String,
    /// Other ids and `license_name` values, lower case.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Normalized phrases that identify the text.
    #[serde(default)]
    pub phrases: Vec<String>,
    pub rung: Rung,
    pub commercial: bool,
    pub osi: bool,
    #[serde(default)]
    pub restrictions: Vec<Restriction>,
    /// An earlier revision published under the same title as another entry: this entry's
    /// answer when that title (a phrase of the other entry) is found and none of
    /// [`KbLicense::unless`] is.
    #[serde(default)]
    pub same_title_as: Option<String>,
    /// Normalized phrases only the later revision has (a registration clause, say).
    #[serde(default)]
    pub unless: Vec<String>,
    /// The license this use policy belongs to: inside a text of that license (an appended
    /// attachment) the policy is part of it, not a second document.
    #[serde(default)]
    pub policy_of: Option<String>,
    /// A clause that amends another license, which the text names (the Commons Clause):
    /// identifying it identifies that license too.
    #[serde(default)]
    pub amends: bool,
    /// The user or revenue threshold in words.
    #[serde(default)]
    pub threshold: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KbFile {
    license: Vec<KbLicense>,
}

/// The data file, as compiled in.
pub const DATA: &str = include_str!("ai-licenses.toml");

/// The entries, or why the compiled-in file does not load.
fn load() -> &'static Result<Vec<KbLicense>, String> {
    static KB: OnceLock<Result<Vec<KbLicense>, String>> = OnceLock::new();
    KB.get_or_init(|| match toml::from_str::<KbFile>(DATA) {
        Ok(f) if f.license.is_empty() => Err("it has no [[license]] entry".into()),
        Ok(f) => Ok(f.license),
        Err(e) => Err(e.to_string()),
    })
}

/// Whether the table loads (checked at start: a broken table stops the run, exit 2).
pub fn check() -> Result<(), String> {
    load().as_ref().map(|_| ()).map_err(String::clone)
}

/// All entries, sorted by id (empty only if [`check`] failed, which stops every run).
pub fn all() -> &'static [KbLicense] {
    load().as_deref().unwrap_or_default()
}

/// Finds an entry by id or alias, case-insensitively.
pub fn lookup(name: &str) -> Option<&'static KbLicense> {
    let name = name.trim();
    all().iter().find(|k| k.id.eq_ignore_ascii_case(name) || k.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

/// The published id a revision answers to as well: the entry whose title an earlier revision
/// shares (`cogvlm` for `cogvlm-initial`), so allow and deny lists written before the
/// revisions were told apart keep working.
pub fn umbrella(id: &str) -> Option<&'static KbLicense> {
    let title = lookup(id)?.same_title_as.as_deref()?;
    all().iter().find(|k| k.phrases.iter().any(|p| p == title))
}

/// The published list of knowledge-base ids as a markdown table (`docs/license-ids.md`):
/// id, kind, name, what it is an umbrella over or belongs to, openness rung, commercial use,
/// restriction categories.
pub fn id_table_markdown() -> String {
    let mut out = String::from(
        "# License ids license-drift knows beyond the SPDX list\n\n\
         Generated from `src/knowledge/ai-licenses.toml` by `cargo run --example license-ids`; a test keeps it \
         current. Ids are stable: allow and deny lists, accepts and scripts may rely on them. In expressions an \
         id that is not an SPDX id is written `LicenseRef-<id>` (`+` as `plus`). A revision answers to its \
         umbrella id too (`cogvlm` covers `cogvlm-initial`). Any license text changed from a known one is \
         `LicenseRef-modified-<id>`.\n\n\
         | id | kind | name | umbrella / policy of | rung | commercial | restrictions |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for k in all() {
        let related = umbrella(&k.id)
            .map(|u| format!("revision of `{}`", u.id))
            .or_else(|| k.policy_of.as_ref().map(|l| format!("use policy of `{l}`")))
            .unwrap_or_default();
        let restrictions: Vec<String> = k.restrictions.iter().map(|r| r.name()).collect();
        let kind = match k.kind {
            KbKind::Ai => "knowledge base",
            KbKind::Spdx => "SPDX",
        };
        out.push_str(&format!(
            "| `{}` | {kind} | {} | {related} | {} | {} | {} |\n",
            k.id,
            k.name.replace('|', "\\|"),
            k.rung.describe(),
            if k.commercial { "yes" } else { "no" },
            restrictions.join(", ")
        ));
    }
    out
}

/// Finds the attribute entry of an SPDX license.
pub fn lookup_spdx(id: &str) -> Option<&'static KbLicense> {
    all().iter().find(|k| k.kind == KbKind::Spdx && k.id == id)
}

/// Entries whose phrases occur in `normalized_text`, with the longest phrase matched.
/// An entry whose every hit lies inside a longer hit of another entry is dropped.
pub fn phrase_hits(normalized_text: &str) -> Vec<(&'static KbLicense, &'static str)> {
    let mut hits: Vec<(&'static KbLicense, &'static str)> = Vec::new();
    for k in all() {
        if let Some(best) = k.phrases.iter().filter(|p| normalized_text.contains(p.as_str())).max_by_key(|p| p.len()) {
            hits.push((k, best.as_str()));
        }
    }
    drop_contained(hits)
}

/// Like [`phrase_hits`], but a phrase counts only where it begins a line of the text
/// (`line_starts` are byte offsets into `normalized_text`, as
/// [`normalize::normalized_with_line_starts`](super::normalize::normalized_with_line_starts)
/// gives them): a license's title or version line, not a sentence that mentions it.
pub fn line_start_hits(normalized_text: &str, line_starts: &[usize]) -> Vec<(&'static KbLicense, &'static str)> {
    let by_first_word = phrases_by_first_word();
    let mut best: Vec<Option<&'static str>> = vec![None; all().len()];
    for &start in line_starts {
        let Some(rest) = normalized_text.get(start..).map(title_start) else { continue };
        let first = rest.split(' ').next().unwrap_or_default();
        let Some(candidates) = by_first_word.get(first) else { continue };
        for &(i, phrase) in candidates {
            if rest.starts_with(phrase) && best[i].is_none_or(|b| b.len() < phrase.len()) {
                best[i] = Some(phrase);
            }
        }
    }
    let hits = all().iter().zip(best).filter_map(|(k, p)| p.map(|p| (k, p))).collect();
    earlier_revisions(own_policies_dropped(drop_contained(hits)), normalized_text)
}

/// A normalized text from a line start on, after the few words of symbols that open the line:
/// a title set between rules ("----- NVIDIA Source Code License -----") begins after them.
pub fn title_start(line: &str) -> &str {
    let mut rest = line;
    for _ in 0..MAX_RULE_WORDS {
        match rest.split_once(' ') {
            Some((word, after)) if !word.chars().any(char::is_alphanumeric) => rest = after,
            _ => break,
        }
    }
    rest
}

/// Words of symbols passed over before a title (a rule, a bullet, a box-drawing border).
const MAX_RULE_WORDS: usize = 3;

/// Without the use policies whose license is also hit: a policy appended to its license's
/// text is part of that license.
fn own_policies_dropped(hits: Vec<(&'static KbLicense, &'static str)>) -> Vec<(&'static KbLicense, &'static str)> {
    let ids: Vec<&str> = hits.iter().map(|(k, _)| k.id.as_str()).collect();
    let keep: Vec<bool> = hits.iter().map(|(k, _)| k.policy_of.as_deref().is_none_or(|l| !ids.contains(&l))).collect();
    hits.into_iter().zip(keep).filter_map(|(h, keep)| keep.then_some(h)).collect()
}

/// Each hit whose title an earlier revision shares, as that revision when the text lacks every
/// phrase the later one added.
fn earlier_revisions(
    hits: Vec<(&'static KbLicense, &'static str)>,
    normalized_text: &str,
) -> Vec<(&'static KbLicense, &'static str)> {
    hits.into_iter()
        .map(|(k, phrase)| {
            let earlier = all().iter().find(|r| {
                r.same_title_as.as_deref() == Some(phrase)
                    && !r.unless.iter().any(|u| normalized_text.contains(u.as_str()))
            });
            (earlier.unwrap_or(k), phrase)
        })
        .collect()
}

/// Phrases by their first word, as (entry index, phrase).
fn phrases_by_first_word() -> &'static HashMap<&'static str, Vec<(usize, &'static str)>> {
    static MAP: OnceLock<HashMap<&'static str, Vec<(usize, &'static str)>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<(usize, &'static str)>> = HashMap::new();
        for (i, k) in all().iter().enumerate() {
            for p in &k.phrases {
                let first = p.split(' ').next().unwrap_or_default();
                map.entry(first).or_default().push((i, p.as_str()));
            }
        }
        map
    })
}

/// Drops an entry whose hit lies inside a longer hit of another entry.
fn drop_contained(mut hits: Vec<(&'static KbLicense, &'static str)>) -> Vec<(&'static KbLicense, &'static str)> {
    let snapshot = hits.clone();
    hits.retain(|(k, phrase)| {
        !snapshot
            .iter()
            .any(|(other, longer)| other.id != k.id && longer.len() > phrase.len() && longer.contains(phrase))
    });
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_set_between_rules_is_found() {
        assert_eq!(title_start("--------------- nvidia source code license ---"), "nvidia source code license ---");
        assert_eq!(title_start("plain title"), "plain title");
        let norm = "--------------- nvidia source code license for segformer --------------- 1. definitions";
        let hits = line_start_hits(norm, &[0]);
        assert_eq!(hits.iter().map(|(k, _)| k.id.as_str()).collect::<Vec<_>>(), ["nvidia-source-code-segformer"]);
    }

    #[test]
    fn data_file_is_sorted_unique_and_self_identifying() {
        let kb = all();
        assert!(kb.len() >= 30, "only {} entries", kb.len());
        for w in kb.windows(2) {
            assert!(w[0].id < w[1].id, "not sorted or duplicated: {} / {}", w[0].id, w[1].id);
        }
        let mut names: Vec<String> =
            kb.iter().flat_map(|k| k.aliases.iter().map(|a| a.to_lowercase()).chain([k.id.to_lowercase()])).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(n, names.len(), "an alias repeats an id or another alias");
        for k in kb {
            for p in &k.phrases {
                assert_eq!(p, &crate::knowledge::normalize::normalized(p), "phrase of {} is not normalized", k.id);
                let hits: Vec<&str> = phrase_hits(p).iter().map(|(h, _)| h.id.as_str()).collect();
                assert_eq!(hits, vec![k.id.as_str()], "phrase {p:?} of {} identifies {hits:?}", k.id);
                // A title alone, without the words a later revision added, is the earliest.
                let earliest = kb.iter().find(|r| r.same_title_as.as_deref() == Some(p.as_str())).unwrap_or(k);
                let at_start: Vec<&str> = line_start_hits(p, &[0]).iter().map(|(h, _)| h.id.as_str()).collect();
                assert_eq!(at_start, vec![earliest.id.as_str()], "phrase {p:?} of {} at a line start", k.id);
            }
            if let Some(title) = &k.same_title_as {
                let owner = kb.iter().find(|o| o.phrases.contains(title));
                assert!(owner.is_some_and(|o| o.id != k.id), "same_title_as of {}: no other entry has {title:?}", k.id);
                assert!(!k.unless.is_empty(), "{} names a title it shares but no phrase that tells them apart", k.id);
                for u in &k.unless {
                    assert_eq!(u, &crate::knowledge::normalize::normalized(u), "unless of {} is not normalized", k.id);
                }
            }
            if let Some(license) = &k.policy_of {
                assert!(lookup(license).is_some_and(|l| l.id != k.id), "policy_of of {}: no entry {license}", k.id);
            }
            if k.kind == KbKind::Spdx {
                assert!(spdx::license_id(&k.id).is_some(), "{} is not an SPDX id", k.id);
            } else {
                assert!(spdx::license_id(&k.id).is_none(), "{} is an SPDX id; use kind = \"spdx\"", k.id);
            }
        }
    }

    #[test]
    fn the_published_id_table_is_current() {
        let committed = include_str!("../../docs/license-ids.md");
        assert!(
            committed == id_table_markdown(),
            "docs/license-ids.md is out of date: run `cargo run --example license-ids > docs/license-ids.md`"
        );
    }

    #[test]
    fn only_phrases_that_begin_a_line_identify() {
        let ids = |text: &str| -> Vec<&str> {
            let (norm, starts) = crate::knowledge::normalize::normalized_with_line_starts(text);
            line_start_hits(&norm, &starts).iter().map(|(k, _)| k.id.as_str()).collect()
        };
        assert_eq!(
            ids("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n"),
            ["llama3.1"]
        );
        assert_eq!(
            ids("# Preamble\n\nSome words.\n\n**Llama 3.1 Version Release Date:** July 23, 2024\n"),
            ["llama3.1"]
        );
        assert!(ids("The weights are released under the Llama 3.1 Community License Agreement.\n").is_empty());
        assert!(ids("This product bundles Gemma, which is provided under the Gemma Terms of Use.\n").is_empty());
        // Found again across a line break inside the phrase.
        assert_eq!(ids("Gemma Terms\nof Use\n"), ["gemma"]);
    }

    #[test]
    fn a_title_two_revisions_share_is_told_apart_by_the_later_ones_words() {
        let ids = |text: &str| -> Vec<&str> {
            let (norm, starts) = crate::knowledge::normalize::normalized_with_line_starts(text);
            line_start_hits(&norm, &starts).iter().map(|(k, _)| k.id.as_str()).collect()
        };
        let first =
            "The CogVLM License\n\n1. Definitions\n\nThe Licensor hereby grants you a license to use the Software.\n";
        let later = "The CogVLM License\n\n1. Definitions\n\nUsers who wish to use the models for commercial purposes must register here.\n";
        assert_eq!(ids(first), ["cogvlm-initial"]);
        assert_eq!(ids(later), ["cogvlm"]);
        assert_eq!(umbrella("cogvlm-initial").map(|k| k.id.as_str()), Some("cogvlm"));
        assert!(umbrella("cogvlm").is_none());
    }

    #[test]
    fn a_use_policy_is_its_own_document_but_part_of_its_license_when_appended() {
        let ids = |text: &str| -> Vec<&str> {
            let (norm, starts) = crate::knowledge::normalize::normalized_with_line_starts(text);
            line_start_hits(&norm, &starts).iter().map(|(k, _)| k.id.as_str()).collect()
        };
        let policy = "# Llama 3.2 Acceptable Use Policy\n\nMeta is committed to promoting safe and fair use.\n";
        assert_eq!(ids(policy), ["llama3.2-aup"]);
        let license = format!(
            "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\nLlama 3.2 Version Release Date: September 25, 2024\n\n{policy}"
        );
        assert_eq!(ids(&license), ["llama3.2"]);
    }

    #[test]
    fn issue_two_licenses_are_known() {
        for id in [
            "llama2",
            "llama3",
            "llama3.1",
            "llama3.2",
            "llama3.3",
            "llama4",
            "gemma",
            "bigscience-openrail-m",
            "creativeml-openrail-m",
            "openrail++",
            "bigcode-openrail-m",
            "bigscience-bloom-rail-1.0",
            "CC-BY-NC-4.0",
            "BUSL-1.1",
            "SSPL-1.0",
            "rsalv2",
            "Elastic-2.0",
            "FSL-1.1-ALv2",
        ] {
            assert!(lookup(id).is_some(), "{id} missing");
        }
    }
}

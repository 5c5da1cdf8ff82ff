//! What a text or a declared value means: SPDX ids and texts, the AI license knowledge
//! base, the openness ladder.
//!
//! Identification of a text runs the cheap steps first: `SPDX-License-Identifier:` lines,
//! knowledge-base phrases, the exact normalized-text index, and only then the text matcher
//! over the compiled-in word-pair index of the SPDX texts.

pub mod ai;
pub mod bundle;
pub mod clauses;
pub mod components;
pub mod expr;
pub mod fingerprints;
pub mod identify;
pub mod ladder;
pub mod listing;
pub mod matcher;
pub mod names;
pub mod normalize;
mod own_terms;
pub mod similarity;
pub mod spdx_ids;
pub mod statements;
pub mod vocab;

pub use bundle::identify_normalized;
pub use identify::{
    Guess, IdKind, Identification, MATCH_THRESHOLD, Part, TextSource, first_lines, round2, spdx_identifier_lines,
};

use expr::{Expr, Term};

/// Identifies the license(s) in a text.
pub fn identify_text(text: &str, source: TextSource) -> Identification {
    let (norm, line_starts) = normalize::normalized_with_line_starts(text);
    identify_normalized(text, &norm, &line_starts, source)
}

/// Generic Hugging Face ids that name a family of licenses, not one.
const HUB_GENERIC: &[&str] = &["bsd", "gpl", "lgpl", "gfdl", "cc", "openrail"];

/// Hub ids whose SPDX id is spelled differently.
const HUB_TO_SPDX: &[(&str, &str)] = &[
    ("agpl-3.0", "AGPL-3.0-only"),
    ("gpl-2.0", "GPL-2.0-only"),
    ("gpl-3.0", "GPL-3.0-only"),
    ("lgpl-2.1", "LGPL-2.1-only"),
    ("lgpl-3.0", "LGPL-3.0-only"),
    ("lgpl-lr", "LGPLLR"),
    ("odc-by", "ODC-By-1.0"),
    ("odbl", "ODbL-1.0"),
    ("pddl", "PDDL-1.0"),
    ("c-uda", "C-UDA-1.0"),
];

/// Interprets a model card's `license` value (with `license_name` for `other`), the way
/// the Hugging Face Hub does: Hub ids, SPDX ids in any case, knowledge-base ids.
pub fn card_license(value: &str, license_name: Option<&str>) -> Expr {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if lower == "other" {
        if let Some(name) = license_name.map(str::trim).filter(|n| !n.is_empty()) {
            if let Some(e) = ai::lookup(name).map(|k| Expr::term(k.term())) {
                return e;
            }
            if let Some(id) = spdx_ids::lookup_ci(name) {
                return Expr::term(Term::spdx(id));
            }
            return Expr::term(Term::Other(name.to_ascii_lowercase()));
        }
        return Expr::term(Term::Other("other".into()));
    }
    if let Some(k) = ai::lookup(&lower) {
        return Expr::term(k.term());
    }
    if let Some((_, id)) = HUB_TO_SPDX.iter().find(|(hub, _)| *hub == lower) {
        return Expr::term(Term::spdx(id));
    }
    if HUB_GENERIC.contains(&lower.as_str()) || lower == "unknown" {
        return Expr::term(Term::Other(lower));
    }
    if let Some(id) = spdx_ids::lookup_ci(v) {
        return Expr::term(Term::spdx(id));
    }
    Expr::parse(v).unwrap_or_else(|| Expr::term(Term::Other(lower)))
}

/// Loads the compiled-in tables (AI licenses, clause patterns, component signals): a table
/// that does not load is an error, never an empty table that would let everything pass.
/// `build.rs` already refuses to build with a malformed one; this catches the rest.
pub fn check_tables() -> crate::Result<()> {
    for (table, check) in [
        ("src/knowledge/ai-licenses.toml", ai::check as fn() -> Result<(), String>),
        ("src/knowledge/clauses.toml", clauses::check),
        ("src/knowledge/components.toml", components::check),
        ("src/knowledge/fingerprints.txt", fingerprints::check),
    ] {
        check().map_err(|reason| crate::Error::BrokenTable { table, reason })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn googles_patent_grants_are_told_apart_by_their_project() {
        let grant = |project: &str| {
            format!(
                "Additional IP Rights Grant (Patents)\n\n\"This implementation\" means the copyrightable works \
                 distributed by Google as part of the {project}.\n\nGoogle hereby grants to You a perpetual, \
                 worldwide, non-exclusive, no-charge, royalty-free, irrevocable patent license.\n"
            )
        };
        let answer = |t: &str| identify_text(t, TextSource::LicenseFile).license.map(|l| l.to_string());
        assert_eq!(answer(&grant("Go project")).as_deref(), Some("go-patent-grant"));
        assert_eq!(answer(&grant("WebM Project")).as_deref(), Some("webm-patent-grant"));
    }

    #[test]
    fn a_third_party_listing_is_read_only_from_a_file_named_as_one() {
        let csv = "Component,Origin,License,Copyright\nfoo,https://x.invalid,MIT,Copyright 2020 Foo\n";
        assert_eq!(identify_text(csv, TextSource::LicenseFile).method, "third-party-listing");
        assert!(identify_text(csv, TextSource::Other).license.is_none(), "a report of the same shape grants nothing");
    }

    #[test]
    fn a_standard_header_is_its_license_without_the_matcher() {
        let header = "Copyright 2015-2020 the fiat-crypto authors\n\nLicensed under the Apache License, Version 2.0 \
            (the \"License\");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy \
            of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n\nUnless required by applicable law \
            or agreed to in writing, software\ndistributed under the License is distributed on an \"AS IS\" BASIS,\n\
            WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\nSee the License for the specific \
            language governing permissions and\nlimitations under the License.\n";
        let ident = identify_text(header, TextSource::LicenseFile);
        assert_eq!(ident.license.map(|l| l.to_string()).as_deref(), Some("Apache-2.0"));
        assert_eq!(ident.method, "header-similarity");
        assert!(ident.confidence < 1.0, "a header is not the license's text");
    }

    #[test]
    fn no_guess_with_a_score_of_zero() {
        let ident = identify_text(
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
            TextSource::LicenseFile,
        );
        assert!(ident.license.is_none(), "{ident:?}");
        assert!(ident.closest.as_ref().is_none_or(|g| g.score > 0.0), "{ident:?}");
    }

    #[test]
    fn a_notice_of_several_components_names_each_license() {
        let text = |id: &str| spdx::license_id(id).unwrap().text();
        let notice = format!(
            "Third-party notices\n\nThis product includes the following components.\n\n---------\nleftpad 1.0\n\n{}\n\n---------\nzlib-rs\n\n{}\n\n---------\nisc-thing\n\n{}\n",
            text("MIT"),
            text("Zlib"),
            text("ISC")
        );
        let found = identify_text(&notice, TextSource::LicenseFile).license.map(|l| l.to_string()).unwrap_or_default();
        for id in ["MIT", "Zlib", "ISC"] {
            assert!(found.contains(id), "{id} missing from {found}");
        }
        // Each part with its lines; an ordinary license file has no parts.
        let parts = identify_text(&notice, TextSource::LicenseFile).parts;
        let zlib = parts.iter().find(|p| p.license.to_string() == "Zlib").expect("a Zlib part");
        let first = notice.lines().position(|l| l.starts_with("This software is provided")).unwrap() as u32 + 1;
        assert!(zlib.lines.0 <= first && first <= zlib.lines.1, "{zlib:?} misses line {first}");
        assert!(identify_text(text("Apache-2.0"), TextSource::LicenseFile).parts.is_empty());
    }

    #[test]
    fn a_license_with_an_exception_is_written_with_it() {
        assert_eq!(
            Expr::term(expr::matched_term("GPL-2.0-with-classpath-exception")).to_string(),
            "GPL-2.0-only WITH Classpath-exception-2.0"
        );
        assert_eq!(Expr::term(expr::matched_term("MIT")).to_string(), "MIT");
    }

    #[test]
    fn a_list_of_license_titles_is_not_those_licenses() {
        let list = "# Supported licenses\n\nLlama 3.1 Community License Agreement\nGemma Terms of Use\nIf yours is not listed, use other.\n";
        assert!(
            identify_text(list, TextSource::LicenseFile).license.is_none(),
            "{:?}",
            identify_text(list, TextSource::LicenseFile)
        );
        // One title with a link declares the license; a title followed by its terms is it.
        let one = "Llama 3.1 Community License Agreement\nhttps://llama.meta.com/llama3_1/license/\n";
        assert_eq!(
            identify_text(one, TextSource::LicenseFile).license.map(|l| l.to_string()).as_deref(),
            Some("llama3.1")
        );
        let body = "You may use, reproduce and distribute the materials subject to these terms. ".repeat(8);
        let bundle = format!("Llama 3.1 Community License Agreement\n{body}\nGemma Terms of Use\n{body}\n");
        let found = identify_text(&bundle, TextSource::LicenseFile).license.map(|l| l.to_string()).unwrap_or_default();
        assert!(found.contains("llama3.1") && found.contains("gemma"), "{found}");
    }

    #[test]
    fn every_built_in_table_loads_and_is_not_empty() {
        check_tables().unwrap();
        assert!(ai::all().len() > 10, "{}", ai::all().len());
        assert!(components::all().len() > 10, "{}", components::all().len());
        assert!(!clauses::classify("commercial use is prohibited").is_empty(), "the clause patterns compile");
    }

    #[test]
    fn card_values_map_like_the_hub() {
        assert_eq!(card_license("mit", None).to_string(), "MIT");
        assert_eq!(card_license("apache-2.0", None).to_string(), "Apache-2.0");
        assert_eq!(card_license("cc-by-nc-4.0", None).to_string(), "CC-BY-NC-4.0");
        assert_eq!(card_license("llama3.1", None).to_string(), "llama3.1");
        assert_eq!(card_license("gpl-3.0", None).to_string(), "GPL-3.0-only");
        assert_eq!(card_license("other", Some("tongyi-qianwen")).to_string(), "tongyi-qianwen");
        assert_eq!(card_license("other", Some("my-license-1.0")).to_string(), "LicenseRef-my-license-1.0");
        assert_eq!(card_license("other", None).to_string(), "LicenseRef-other");
    }

    #[test]
    fn spdx_header_files_and_prose() {
        let id = identify_text("SPDX-License-Identifier: Apache-2.0\n", TextSource::LicenseFile);
        assert_eq!(id.license.unwrap().to_string(), "Apache-2.0");
        assert_eq!(
            identify_text("These are notes about our release process.\n", TextSource::LicenseFile).kind(),
            IdKind::Unidentified
        );
    }

    #[test]
    fn a_clause_that_amends_a_license_comes_with_it() {
        let text = "Example Licensing\n\nLicensed under the Apache License, Version 2.0 (the \"License\") modified with Commons Clause Restriction; you may not use this file except in compliance with the License.\n\nCommons Clause Restriction\n\nThe Software is provided to you by the Licensor under the License, subject to the following condition. Without limiting other conditions in the License, the grant of rights under the License will not include, and the License does not grant to you, the right to Sell the Software.\n";
        let found = identify_text(text, TextSource::LicenseFile).license.map(|l| l.to_string()).unwrap_or_default();
        assert_eq!(found, "Apache-2.0 AND LicenseRef-commons-clause");
    }

    #[test]
    fn a_license_with_a_paragraph_appended_is_never_certain() {
        let mit =
            spdx::license_id("MIT").unwrap().text().replace("<year>", "2025").replace("<copyright holders>", "Example");
        let text = format!(
            "{}\n\nOur only modification part is that, if the Software (or any derivative works\nthereof) is used for any \
             of your commercial products or services that have\nmore than 100 million monthly active users, or more than \
             20 million US dollars\n(or equivalent in other currencies) in monthly revenue, you shall prominently\ndisplay \
             \"Example\" on the user interface of such product or service.\n",
            mit.replacen("MIT License", "Modified MIT License", 1).trim_end()
        );
        let id = identify_text(&text, TextSource::LicenseFile);
        assert_eq!(id.license.as_ref().map(ToString::to_string).as_deref(), Some("MIT"), "{id:?}");
        // The appended paragraph is read for restrictions only below 1.00.
        assert!(id.confidence < 1.0, "{id:?}");
    }

    #[test]
    fn the_functional_source_license_is_known_by_its_whole_title_line() {
        let answer =
            |t: &str| identify_text(t, TextSource::LicenseFile).license.map(|l| l.to_string()).unwrap_or_default();
        // Another license under a heading that names a future license is not the FSL.
        let sspl = spdx::license_id("SSPL-1.0").unwrap().text();
        let other = format!("# Server Side Public License, Version 1.0\n# Apache 2.0 Future License\n\n{sspl}");
        assert!(!answer(&other).contains("FSL"), "{}", answer(&other));
        let fsl = "# Functional Source License, Version 1.1, ALv2 Future License\n\nThe Software is licensed for any purpose other than a Competing Use.\n";
        assert_eq!(answer(fsl), "FSL-1.1-ALv2");
    }

    #[test]
    fn a_gnu_notice_that_grants_later_versions_is_or_later() {
        let notice = "This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n\nThis program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public License for more details.\n\nYou should have received a copy of the GNU General Public License along with this program. If not, see <https://www.gnu.org/licenses/>.\n";
        let found = identify_text(notice, TextSource::LicenseFile).license.map(|l| l.to_string()).unwrap_or_default();
        assert_eq!(found, "GPL-3.0-or-later");
        // The full text carries the same words in its how-to-apply appendix: still -only.
        let full = spdx::license_id("GPL-3.0-only").unwrap().text();
        let found = identify_text(full, TextSource::LicenseFile).license.map(|l| l.to_string()).unwrap_or_default();
        assert_eq!(found, "GPL-3.0-only");
    }
}

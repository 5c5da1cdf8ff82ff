//! Free-text license names (manifest fields, Python classifiers, Maven `<name>`s) → expressions.
//!
//! The order: a table of common names, SPDX expressions and ids (any case, knowledge-base ids
//! and aliases), "<name> or later", the SPDX and knowledge-base full names after normalization,
//! a trailing "(ABBR)", the spdx crate's imprecise names, and otherwise `Term::Other`.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::expr::{Expr, Term};
use super::{ai, spdx_ids};

/// Common free-text names, keyed by their normalized form (see `normalize_name`). Values are
/// SPDX expressions with canonical ids, or `?<value>` for `Term::Other(<value>)`.
const NAMES: &[(&str, &str)] = &[
    // MIT
    ("MIT License", "MIT"),
    ("The MIT License", "MIT"),
    ("The MIT License (MIT)", "MIT"),
    ("MIT/X11", "MIT"),
    ("MIT X11", "MIT"),
    ("Expat", "MIT"),
    ("Expat License", "MIT"),
    ("MIT No Attribution License (MIT-0)", "MIT-0"),
    ("MIT No Attribution", "MIT-0"),
    // Apache
    ("Apache License, Version 2.0", "Apache-2.0"),
    ("The Apache License, Version 2.0", "Apache-2.0"),
    ("The Apache Software License, Version 2.0", "Apache-2.0"),
    ("Apache Software License", "Apache-2.0"),
    ("Apache Software License 2.0", "Apache-2.0"),
    ("Apache 2", "Apache-2.0"),
    ("Apache License 2", "Apache-2.0"),
    ("ASL 2.0", "Apache-2.0"),
    ("ASL2", "Apache-2.0"),
    ("Apache License, Version 1.1", "Apache-1.1"),
    // BSD
    ("BSD", "?bsd"),
    ("BSD License", "?bsd"),
    ("BSD-style", "?bsd"),
    ("BSD-style License", "?bsd"),
    ("BSD 3-Clause", "BSD-3-Clause"),
    ("BSD 3-Clause License", "BSD-3-Clause"),
    ("3-Clause BSD License", "BSD-3-Clause"),
    ("BSD-3", "BSD-3-Clause"),
    ("New BSD", "BSD-3-Clause"),
    ("New BSD License", "BSD-3-Clause"),
    ("Modified BSD License", "BSD-3-Clause"),
    ("Revised BSD License", "BSD-3-Clause"),
    ("BSD 2-Clause", "BSD-2-Clause"),
    ("BSD 2-Clause License", "BSD-2-Clause"),
    ("2-Clause BSD License", "BSD-2-Clause"),
    ("BSD-2", "BSD-2-Clause"),
    ("Simplified BSD", "BSD-2-Clause"),
    ("Simplified BSD License", "BSD-2-Clause"),
    ("FreeBSD License", "BSD-2-Clause"),
    // The Elastic License named without a version is the 2018 one: its successor (2021) is
    // always written "Elastic License 2.0" or "ELv2".
    ("Elastic License", "elastic-license-1.0"),
    // Version 1.0 is the only one Confluent published.
    ("Confluent Community License", "confluent-community-1.0"),
    // 1.1 is the only version MariaDB published.
    ("Business Source License", "BUSL-1.1"),
    ("Two clause BSD", "BSD-2-Clause"),
    ("Two-clause BSD", "BSD-2-Clause"),
    ("BSD two-clause", "BSD-2-Clause"),
    ("Three clause BSD", "BSD-3-Clause"),
    ("Three-clause BSD", "BSD-3-Clause"),
    ("BSD three-clause", "BSD-3-Clause"),
    // The BSD licenses were written by the Regents of the University of California.
    ("3-clause UC Regents", "BSD-3-Clause"),
    ("Three-clause UC Regents", "BSD-3-Clause"),
    ("UC Regents 3-clause", "BSD-3-Clause"),
    ("BSD 4-Clause", "BSD-4-Clause"),
    ("Original BSD License", "BSD-4-Clause"),
    ("Zero-Clause BSD (0BSD)", "0BSD"),
    // GPL
    ("GPL", "?gpl"),
    ("GNU GPL", "?gpl"),
    ("GNU General Public License", "?gpl"),
    ("GNU General Public License (GPL)", "?gpl"),
    ("GNU General Public License v2 (GPLv2)", "GPL-2.0-only"),
    ("GNU General Public License v2", "GPL-2.0-only"),
    ("GNU General Public License v2.0", "GPL-2.0-only"),
    ("GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"),
    ("GNU General Public License v2 or later", "GPL-2.0-or-later"),
    ("GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
    ("GNU General Public License v3", "GPL-3.0-only"),
    ("GNU General Public License v3.0", "GPL-3.0-only"),
    ("GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later"),
    ("GNU General Public License v3 or later", "GPL-3.0-or-later"),
    ("GNU GPL v2", "GPL-2.0-only"),
    ("GNU GPLv2", "GPL-2.0-only"),
    ("GNU GPL v3", "GPL-3.0-only"),
    ("GNU GPLv3", "GPL-3.0-only"),
    ("GPLv2+", "GPL-2.0-or-later"),
    ("GPL-2+", "GPL-2.0-or-later"),
    ("GPL v2+", "GPL-2.0-or-later"),
    ("GPLv3+", "GPL-3.0-or-later"),
    ("GPL-3+", "GPL-3.0-or-later"),
    ("GPL v3+", "GPL-3.0-or-later"),
    // LGPL
    ("LGPL", "?lgpl"),
    ("GNU LGPL", "?lgpl"),
    ("GNU Lesser General Public License", "?lgpl"),
    ("GNU Library or Lesser General Public License (LGPL)", "?lgpl"),
    ("GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only"),
    ("GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"),
    ("GNU Lesser General Public License v2.1", "LGPL-2.1-only"),
    ("GNU Lesser General Public License v2.1 or later", "LGPL-2.1-or-later"),
    ("GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only"),
    ("GNU Lesser General Public License v3", "LGPL-3.0-only"),
    ("GNU Lesser General Public License v3.0", "LGPL-3.0-only"),
    ("GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later"),
    ("GNU Lesser General Public License v3 or later", "LGPL-3.0-or-later"),
    ("LGPLv2", "LGPL-2.0-only"),
    ("LGPLv2+", "LGPL-2.0-or-later"),
    ("LGPLv2.1", "LGPL-2.1-only"),
    ("LGPLv2.1+", "LGPL-2.1-or-later"),
    ("LGPLv3", "LGPL-3.0-only"),
    ("LGPLv3+", "LGPL-3.0-or-later"),
    // AGPL
    ("GNU Affero General Public License v3", "AGPL-3.0-only"),
    ("GNU Affero General Public License v3.0", "AGPL-3.0-only"),
    ("GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later"),
    ("GNU Affero General Public License v3 or later", "AGPL-3.0-or-later"),
    ("AGPLv3+", "AGPL-3.0-or-later"),
    // Other GNU
    ("GNU Free Documentation License (FDL)", "?gfdl"),
    ("GNU Free Documentation License", "?gfdl"),
    // MPL
    ("Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
    ("Mozilla Public License 1.1 (MPL 1.1)", "MPL-1.1"),
    ("Mozilla Public License 1.0 (MPL)", "MPL-1.0"),
    ("MPL 2.0", "MPL-2.0"),
    ("MPL-2", "MPL-2.0"),
    ("MPL 1.1", "MPL-1.1"),
    // Permissive, misc.
    ("ISC License (ISCL)", "ISC"),
    ("ISCL", "ISC"),
    ("Python Software Foundation License", "PSF-2.0"),
    ("PSF", "PSF-2.0"),
    ("PSFL", "PSF-2.0"),
    ("Python License (CNRI Python License)", "CNRI-Python"),
    ("The Unlicense (Unlicense)", "Unlicense"),
    ("zlib/libpng License", "Zlib"),
    ("zlib/libpng", "Zlib"),
    ("Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0"),
    ("Eclipse Public License 2.0", "EPL-2.0"),
    ("Eclipse Public License 1.0 (EPL-1.0)", "EPL-1.0"),
    ("Eclipse Public License 1.0", "EPL-1.0"),
    ("Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"),
    ("Boost Software License", "BSL-1.0"),
    ("Boost", "BSL-1.0"),
    ("Universal Permissive License (UPL)", "UPL-1.0"),
    ("European Union Public Licence 1.0 (EUPL 1.0)", "EUPL-1.0"),
    ("European Union Public Licence 1.1 (EUPL 1.1)", "EUPL-1.1"),
    ("European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2"),
    ("Academic Free License (AFL)", "?afl"),
    ("Historical Permission Notice and Disclaimer (HPND)", "HPND"),
    ("IBM Public License", "IPL-1.0"),
    ("Common Public License", "CPL-1.0"),
    ("Sun Public License", "SPL-1.0"),
    ("W3C License", "W3C"),
    ("Artistic License", "?artistic"),
    ("WTFPL", "WTFPL"),
    ("Do What The F*ck You Want To Public License", "WTFPL"),
    // Creative Commons
    ("CC0", "CC0-1.0"),
    ("CC0 1.0", "CC0-1.0"),
    ("CC0 1.0 Universal", "CC0-1.0"),
    ("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"),
    ("Creative Commons Zero", "CC0-1.0"),
    ("Creative Commons Attribution 4.0", "CC-BY-4.0"),
    ("CC BY 4.0", "CC-BY-4.0"),
    ("Creative Commons Attribution 3.0", "CC-BY-3.0"),
    ("CC BY 3.0", "CC-BY-3.0"),
    ("Creative Commons Attribution-ShareAlike 4.0", "CC-BY-SA-4.0"),
    ("Creative Commons Attribution Share Alike 4.0", "CC-BY-SA-4.0"),
    ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
    ("Creative Commons Attribution-NonCommercial 4.0", "CC-BY-NC-4.0"),
    ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
    // Not a license list entry
    ("Public Domain", "?public-domain"),
    ("Other/Proprietary License", "?proprietary"),
    ("Proprietary", "?proprietary"),
    ("Proprietary License", "?proprietary"),
    ("All rights reserved", "?proprietary"),
    ("UNLICENSED", "?unlicensed"),
];

/// Lower case; punctuation as spaces; without "the", "license"/"licence", "version",
/// a lone "v" and the `v` of "v2"; single spaces. `+` is kept.
pub fn normalize_name(s: &str) -> String {
    let lower = s.to_lowercase();
    let spaced: String = lower.chars().map(|c| if c.is_alphanumeric() || c == '+' { c } else { ' ' }).collect();
    let mut words: Vec<&str> = Vec::new();
    for w in spaced.split_whitespace() {
        if matches!(w, "the" | "license" | "licence" | "licensed" | "version" | "v") {
            continue;
        }
        let w = match w.strip_prefix('v') {
            Some(rest) if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '+') => rest,
            _ => w,
        };
        words.push(w);
    }
    words.join(" ")
}

/// The expression a table value stands for.
fn table_value(v: &str) -> Option<Expr> {
    match v.strip_prefix('?') {
        Some(other) => Some(Expr::term(Term::Other(other.to_string()))),
        None => Expr::parse(v),
    }
}

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| NAMES.iter().map(|(k, v)| (normalize_name(k), *v)).collect())
}

/// Maps `key` to `term`, or to `None` once two different terms claim it.
fn put_unique(map: &mut HashMap<String, Option<Term>>, key: String, term: Term) {
    match map.get(&key) {
        Some(Some(existing)) if *existing != term => {
            map.insert(key, None);
        }
        Some(_) => {}
        None => {
            map.insert(key, Some(term));
        }
    }
}

/// Normalized full names of SPDX licenses and knowledge-base entries → their term; `None`
/// for a name that several current licenses share.
fn full_names() -> &'static HashMap<String, Option<Term>> {
    static FULL: OnceLock<HashMap<String, Option<Term>>> = OnceLock::new();
    FULL.get_or_init(|| {
        let mut map: HashMap<String, Option<Term>> = HashMap::new();
        let mut deprecated: Vec<(String, Term)> = Vec::new();
        for lic in spdx::identifiers::LICENSES {
            let Some(id) = spdx::license_id(lic.name) else {
                continue;
            };
            let term = Term::spdx(spdx_ids::canonical(id, false).0);
            let key = normalize_name(lic.full_name);
            if key.is_empty() {
                continue;
            }
            if id.is_deprecated() {
                deprecated.push((key, term));
                continue;
            }
            put_unique(&mut map, key, term);
        }
        for (key, term) in deprecated {
            map.entry(key).or_insert(Some(term));
        }
        for k in ai::all() {
            let key = normalize_name(&k.name);
            if !key.is_empty() {
                map.entry(key).or_insert_with(|| Some(k.term()));
            }
        }
        map
    })
}

/// The term of an SPDX id (not canonical, any case), optionally "or later".
fn spdx_term(id: &str, or_later: bool) -> Option<Term> {
    let canonical = spdx_ids::lookup_ci(id)?;
    let lid = spdx::license_id(canonical)?;
    let (name, later) = spdx_ids::canonical(lid, or_later);
    Some(Term::Spdx { id: name.to_string(), or_later: later, exception: None })
}

/// Table, then full names, for a normalized name.
fn lookup_normalized(norm: &str) -> Option<Expr> {
    if norm.is_empty() {
        return None;
    }
    if let Some(v) = table().get(norm) {
        return table_value(v);
    }
    match full_names().get(norm) {
        Some(Some(t)) => Some(Expr::term(t.clone())),
        _ => None,
    }
}

/// A name without its "or later" / "+" suffix, mapped with `or_later` set.
fn or_later(norm: &str) -> Option<Expr> {
    let base = norm
        .strip_suffix(" or any later")
        .or_else(|| norm.strip_suffix(" or later"))
        .or_else(|| norm.strip_suffix('+'))
        .map(str::trim)?;
    let e = lookup_normalized(base)?;
    let Expr::Term(Term::Spdx { id, exception: None, .. }) = e else {
        return None;
    };
    let base_id = id.trim_end_matches("-only").trim_end_matches("-or-later");
    spdx_term(base_id, true).map(Expr::term)
}

/// Table, full names, "or later" for a raw name.
fn lookup_name(name: &str) -> Option<Expr> {
    let norm = normalize_name(name);
    lookup_normalized(&norm).or_else(|| or_later(&norm))
}

/// The spdx crate's imprecise names (`apache2`, `gplv3`, …), only when the name is the whole
/// value (its prefix matching is too loose otherwise: `mit` would match `mitre`).
fn imprecise(name: &str) -> Option<Expr> {
    let (id, len) = spdx::imprecise_license_id(name)?;
    let rest = name.get(len..)?;
    if !normalize_name(rest).is_empty() {
        return None;
    }
    let (canonical, later) = spdx_ids::canonical(id, false);
    Some(Expr::term(Term::Spdx { id: canonical.to_string(), or_later: later, exception: None }))
}

/// `name`'s normalized words without spaces and without "public" ("Attribution-NonCommercial
/// 4.0 International Public License" and "Attribution Non Commercial 4.0 International" meet).
fn compact(name: &str) -> String {
    normalize_name(name).split(' ').filter(|w| *w != "public").collect()
}

/// SPDX ids and full names, and knowledge-base names, by their [`compact`] form; `None` for a
/// key that several current licenses share.
fn compact_names() -> &'static HashMap<String, Option<Term>> {
    static COMPACT: OnceLock<HashMap<String, Option<Term>>> = OnceLock::new();
    COMPACT.get_or_init(|| {
        let mut map: HashMap<String, Option<Term>> = HashMap::new();
        let mut put = |key: String, term: Term| {
            if key.is_empty() {
                return;
            }
            put_unique(&mut map, key, term);
        };
        for lic in spdx::identifiers::LICENSES {
            let Some(id) = spdx::license_id(lic.name).filter(|id| !id.is_deprecated()) else {
                continue;
            };
            let term = Term::spdx(spdx_ids::canonical(id, false).0);
            put(compact(lic.name), term.clone());
            put(compact(lic.full_name), term);
        }
        for k in ai::all() {
            put(compact(&k.name), k.term());
        }
        map
    })
}

/// A license name met in prose ("the Apache License, Version 2.0", "CC BY NC 4.0", "GPLv2+",
/// "MIT"), or `None` when the words name no one license (a generic "BSD" or "GPL", an unknown
/// name). `single_word` also admits an SPDX or knowledge-base id or a common abbreviation
/// written as one word, when it has a capital or a digit (prose's "mit" is no name).
pub fn recognized(name: &str, single_word: bool) -> Option<Expr> {
    let specific = |e: Expr| (!e.terms().iter().any(|t| matches!(t, Term::Other(_)))).then_some(e);
    if let Some(e) = lookup_name(name).and_then(specific) {
        return Some(e);
    }
    if let Some(Some(t)) = compact_names().get(&compact(name)) {
        return Some(Expr::term(t.clone()));
    }
    if !single_word || !name.chars().any(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        return None;
    }
    if let Some(base) = name.strip_suffix('+') {
        let id = spdx_ids::lookup_ci(base).or_else(|| spdx::imprecise_license_id(base).map(|(id, _)| id.name))?;
        return spdx_term(id.trim_end_matches("-only").trim_end_matches("-or-later"), true).map(Expr::term);
    }
    if let Some(id) = spdx_ids::lookup_ci(name) {
        return Some(Expr::term(Term::spdx(id)));
    }
    if let Some(k) = ai::lookup(name) {
        return Some(Expr::term(k.term()));
    }
    imprecise(name).and_then(specific)
}

/// Interprets a free-text license name (or an SPDX expression, or a Python `License ::`
/// classifier, whose last part is the name).
pub fn license_from_name(name: &str) -> Expr {
    let mut s = name.trim();
    if let Some(pos) = s.rfind("::") {
        s = s[pos + 2..].trim();
    }
    let s = s.trim_matches(|c: char| c == '"' || c == '\'').trim();
    if s.is_empty() {
        return Expr::term(Term::Other("unknown".into()));
    }
    if let Some(e) = table().get(&normalize_name(s)).and_then(|v| table_value(v)) {
        return e;
    }
    if let Some(e) = Expr::parse(s) {
        return e;
    }
    if let Some(e) = lookup_name(s) {
        return e;
    }
    // "Name (ABBR)": the abbreviation as an id, the name, the abbreviation as a name.
    if let Some(open) = s.rfind('(')
        && s.ends_with(')')
    {
        let inner = s[open + 1..s.len() - 1].trim();
        let outer = s[..open].trim();
        if let Some(id) = spdx_ids::lookup_ci(inner) {
            return Expr::term(Term::spdx(id));
        }
        if let Some(k) = ai::lookup(inner) {
            return Expr::term(k.term());
        }
        if let Some(e) = lookup_name(outer).or_else(|| lookup_name(inner)) {
            return e;
        }
    }
    if let Some(e) = imprecise(s) {
        return e;
    }
    Expr::term(Term::Other(s.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> String {
        license_from_name(s).to_string()
    }

    #[test]
    fn table_values_parse_and_keys_do_not_collide() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (k, v) in NAMES {
            assert!(table_value(v).is_some(), "{v} does not parse");
            let norm = normalize_name(k);
            assert!(!norm.is_empty(), "{k}");
            if let Some(prev) = seen.insert(norm.clone(), v) {
                assert_eq!(prev, *v, "{k} normalizes to {norm}, mapped twice");
            }
        }
    }

    #[test]
    fn spdx_expressions_and_ids_in_any_case() {
        assert_eq!(name("MIT"), "MIT");
        assert_eq!(name("mit"), "MIT");
        assert_eq!(name("apache-2.0 OR mit"), "Apache-2.0 OR MIT");
        assert_eq!(name("MIT/Apache-2.0"), "Apache-2.0 OR MIT");
        assert_eq!(name("GPL-3.0"), "GPL-3.0-only");
        assert_eq!(name("llama3.1"), "llama3.1");
    }

    #[test]
    fn common_names_and_classifiers() {
        let cases = [
            ("MIT License", "MIT"),
            ("The MIT License", "MIT"),
            ("The MIT License (MIT)", "MIT"),
            ("Apache License, Version 2.0", "Apache-2.0"),
            ("The Apache Software License, Version 2.0", "Apache-2.0"),
            ("Apache Software License", "Apache-2.0"),
            ("Apache 2", "Apache-2.0"),
            ("Apache 2.0", "Apache-2.0"),
            ("BSD License", "LicenseRef-bsd"),
            ("BSD 3-Clause", "BSD-3-Clause"),
            ("New BSD License", "BSD-3-Clause"),
            ("Simplified BSD", "BSD-2-Clause"),
            ("GNU General Public License v2 (GPLv2)", "GPL-2.0-only"),
            ("GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"),
            ("GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
            ("GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later"),
            ("GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only"),
            ("GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"),
            ("GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only"),
            ("GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later"),
            ("GNU Affero General Public License v3", "AGPL-3.0-only"),
            ("GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later"),
            ("Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
            ("ISC License (ISCL)", "ISC"),
            ("Python Software Foundation License", "PSF-2.0"),
            ("The Unlicense (Unlicense)", "Unlicense"),
            ("zlib/libpng License", "Zlib"),
            ("Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0"),
            ("Eclipse Public License 1.0", "EPL-1.0"),
            ("Eclipse Public License - v 1.0", "EPL-1.0"),
            ("Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"),
            ("Public Domain", "LicenseRef-public-domain"),
            ("Other/Proprietary License", "LicenseRef-proprietary"),
            ("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"),
            ("Creative Commons Attribution 4.0", "CC-BY-4.0"),
            ("Universal Permissive License (UPL)", "UPL-1.0"),
            ("European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2"),
            ("Academic Free License (AFL)", "LicenseRef-afl"),
            ("MIT No Attribution License (MIT-0)", "MIT-0"),
            ("GNU Free Documentation License (FDL)", "LicenseRef-gfdl"),
            ("Historical Permission Notice and Disclaimer (HPND)", "HPND"),
            ("GNU GPL v2", "GPL-2.0-only"),
            ("UNLICENSED", "LicenseRef-unlicensed"),
        ];
        for (input, want) in cases {
            assert_eq!(name(input), want, "{input}");
        }
        assert_eq!(name("License :: OSI Approved :: MIT License"), "MIT");
        assert_eq!(name("License :: OSI Approved :: GNU General Public License v3 (GPLv3)"), "GPL-3.0-only");
        assert_eq!(name("License :: Public Domain"), "LicenseRef-public-domain");
    }

    #[test]
    fn full_names_and_abbreviations() {
        assert_eq!(name("Apache License 2.0"), "Apache-2.0");
        assert_eq!(name("Sleepycat License"), "Sleepycat");
        assert_eq!(name("University of Illinois/NCSA Open Source License"), "NCSA");
        assert_eq!(name("GNU General Public License v2.0 or later"), "GPL-2.0-or-later");
        assert_eq!(name("European Union Public License 1.1"), "EUPL-1.1");
        assert_eq!(name("Blue Oak Model License (BlueOak-1.0.0)"), "BlueOak-1.0.0");
        assert_eq!(name("Mozilla Public License 1.0 (MPL)"), "MPL-1.0");
        assert_eq!(name("Common Development and Distribution License 1.0 (CDDL-1.0)"), "CDDL-1.0");
        assert_eq!(name("SIL Open Font License 1.1"), "OFL-1.1");
    }

    #[test]
    fn unknown_names_stay_other() {
        assert_eq!(license_from_name("  My Company License  "), Expr::term(Term::Other("my company license".into())));
        assert_eq!(name("MITRE thing"), "LicenseRef-mitre-thing");
        assert_eq!(name("Eiffel Forum License"), "LicenseRef-eiffel-forum-license");
        assert_eq!(name(""), "LicenseRef-unknown");
    }
}

//! DEP-5 copyright files: machine-readable debian/copyright and .reuse/dep5, with Debian's
//! short license names.

use std::sync::LazyLock;

use regex::Regex;

use super::{Declared, ManifestLicense, Parsed, glob_subdir, regex};
use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::names::license_from_name;

struct Field {
    name: String,
    value: String,
    line: u32,
}

/// Paragraphs of a Debian control-style file.
fn paragraphs(text: &str) -> Vec<Vec<Field>> {
    let mut out: Vec<Vec<Field>> = Vec::new();
    let mut para: Vec<Field> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !para.is_empty() {
                out.push(std::mem::take(&mut para));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(f) = para.last_mut() {
                f.value.push('\n');
                f.value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            para.push(Field {
                name: name.trim().to_ascii_lowercase(),
                value: value.trim().to_string(),
                line: i as u32 + 1,
            });
        }
    }
    if !para.is_empty() {
        out.push(para);
    }
    out
}

static DEP5_COMMA: LazyLock<Regex> = LazyLock::new(|| regex(r",\s*(?i:and\s+)?"));
static DEP5_OR: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\s+or\s+"));
static DEP5_AND: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\s+and\s+"));
static DEP5_WITH: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^(.+?)\s+with\s+(.+?)(?:\s+exception)?$"));
static DEBIAN_GNU: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^(a|l)?gpl-?(\d+(?:\.\d+)?)(\+)?$"));
static DEBIAN_GFDL: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^gfdl-(1\.[123])(\+)?$"));

/// A Debian short license name (`Expat`, `GPL-2+`, `BSD-3-clause`, `public-domain`, …).
fn debian_name(name: &str) -> Expr {
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "expat" => return Expr::term(Term::spdx("MIT")),
        "public-domain" | "public domain" => return Expr::term(Term::Other("public-domain".into())),
        "perl" => {
            return Expr::parse("Artistic-1.0-Perl OR GPL-1.0-or-later").unwrap_or_else(|| license_from_name(name));
        }
        _ => {}
    }
    let gnu = DEBIAN_GNU.captures(name).map(|c| {
        let family = match c.get(1).map(|m| m.as_str().to_ascii_lowercase()) {
            Some(p) if p == "a" => "AGPL",
            Some(_) => "LGPL",
            None => "GPL",
        };
        let v = c.get(2).map_or("", |m| m.as_str());
        let version = if v.contains('.') { v.to_string() } else { format!("{v}.0") };
        let suffix = if c.get(3).is_some() { "or-later" } else { "only" };
        format!("{family}-{version}-{suffix}")
    });
    let gfdl = DEBIAN_GFDL.captures(name).map(|c| {
        let suffix = if c.get(2).is_some() { "or-later" } else { "only" };
        format!("GFDL-{}-{suffix}", c.get(1).map_or("", |m| m.as_str()))
    });
    if let Some(id) = gnu.or(gfdl).and_then(|id| crate::knowledge::spdx_ids::lookup_ci(&id)) {
        return Expr::term(Term::spdx(id));
    }
    license_from_name(name)
}

/// An SPDX exception id for a DEP-5 `with X exception` (`OpenSSL` → `openssl-exception`…).
fn exception_id(name: &str) -> String {
    let name = name.trim();
    let candidates = [name.to_string(), format!("{name}-exception"), name.replace(' ', "-")];
    for c in &candidates {
        if let Some(e) = spdx::identifiers::EXCEPTIONS.iter().find(|e| e.name.eq_ignore_ascii_case(c)) {
            return e.name.to_string();
        }
    }
    format!("{}-exception", name.replace(' ', "-"))
}

fn dep5_term(s: &str) -> Expr {
    if let Some(c) = DEP5_WITH.captures(s.trim())
        && let (Some(base), Some(exc)) = (c.get(1), c.get(2))
        && let Expr::Term(Term::Spdx { id, or_later, .. }) = debian_name(base.as_str())
    {
        return Expr::term(Term::Spdx { id, or_later, exception: Some(exception_id(exc.as_str())) });
    }
    debian_name(s)
}

/// A DEP-5 `License:` short name: comma (lowest precedence) and `and` combine, `or` chooses.
fn dep5_expr(s: &str) -> Option<Expr> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains('(') {
        return Some(Expr::parse(s).unwrap_or_else(|| license_from_name(s)));
    }
    let parts = DEP5_COMMA.split(s).filter(|p| !p.trim().is_empty()).filter_map(|part| {
        Expr::or_all(DEP5_OR.split(part.trim()).filter_map(|alt| {
            Expr::and_all(DEP5_AND.split(alt.trim()).filter(|t| !t.trim().is_empty()).map(dep5_term))
        }))
    });
    Expr::and_all(parts)
}

pub(super) fn dep5(text: &str, require_format: bool) -> Parsed {
    let paras = paragraphs(text);
    if require_format {
        let machine_readable = paras.first().is_some_and(|p| {
            p.iter().any(|f| {
                (f.name == "format" || f.name == "format-specification")
                    && (f.value.contains("copyright-format") || f.value.contains("dep5"))
            })
        });
        if !machine_readable {
            return Ok(Vec::new());
        }
    }
    let mut out = Vec::new();
    for para in &paras {
        let (Some(files), Some(license)) =
            (para.iter().find(|f| f.name == "files"), para.iter().find(|f| f.name == "license"))
        else {
            continue;
        };
        let short = license.value.lines().next().unwrap_or("");
        let Some(expr) = dep5_expr(short) else {
            continue;
        };
        let mut subdirs: Vec<String> = Vec::new();
        for pattern in files.value.split_whitespace() {
            if let Some(d) = glob_subdir(pattern)
                && !subdirs.contains(&d)
            {
                subdirs.push(d);
            }
        }
        for d in subdirs {
            out.push(ManifestLicense {
                declared: Declared::Expr(expr.clone()),
                line: Some(license.line),
                subdir: Some(d),
                field: "License",
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::manifest::test_helpers::{DEP5, expr};
    use crate::profile::manifest::{ManifestKind, parse};

    #[test]
    fn debian_copyright_paragraphs() {
        let v = parse(ManifestKind::DebianCopyright, DEP5).unwrap();
        let got: Vec<(Option<&str>, String, Option<u32>)> = v
            .iter()
            .map(|m| {
                let Declared::Expr(e) = &m.declared else { panic!("{m:?}") };
                (m.subdir.as_deref(), e.to_string(), m.line)
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(""), "MIT".to_string(), Some(7)),
                (Some("src/vendor"), "Apache-2.0 OR GPL-2.0-or-later".to_string(), Some(11)),
                (Some("src/vendor/zlib"), "Apache-2.0 OR GPL-2.0-or-later".to_string(), Some(11)),
                (Some("debian"), "BSD-3-Clause AND GPL-3.0-or-later".to_string(), Some(16)),
            ]
        );
        assert!(v.iter().all(|m| m.field == "License"));
    }

    #[test]
    fn debian_copyright_needs_the_format_header() {
        let legacy = "This package was debianized by X.\n\nFiles: *\nLicense: GPL-2\n";
        assert_eq!(parse(ManifestKind::DebianCopyright, legacy), Ok(vec![]));
        // .reuse/dep5 does not need it.
        let reuse = "Files: assets/*\nCopyright: 2022 X\nLicense: CC-BY-4.0\n\nFiles: src/*.rs\nLicense: GPL-3.0-or-later WITH Classpath-exception-2.0\n";
        let v = parse(ManifestKind::ReuseDep5, reuse).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].subdir.as_deref(), &v[0].declared), (Some("assets"), &expr("CC-BY-4.0")));
        assert_eq!(
            (v[1].subdir.as_deref(), &v[1].declared),
            (Some("src"), &expr("GPL-3.0-or-later WITH Classpath-exception-2.0"))
        );
    }

    #[test]
    fn debian_short_names() {
        let cases = [
            ("GPL-2", "GPL-2.0-only"),
            ("GPL-2+", "GPL-2.0-or-later"),
            ("LGPL-2.1+", "LGPL-2.1-or-later"),
            ("LGPL-2", "LGPL-2.0-only"),
            ("LGPL-3", "LGPL-3.0-only"),
            ("AGPL-3+", "AGPL-3.0-or-later"),
            ("BSD-2-clause", "BSD-2-Clause"),
            ("Apache-2.0", "Apache-2.0"),
            ("MPL-2.0", "MPL-2.0"),
            ("public-domain", "LicenseRef-public-domain"),
            ("GPL-2+ and Expat", "GPL-2.0-or-later AND MIT"),
            ("Expat or GPL-3", "GPL-3.0-only OR MIT"),
        ];
        for (input, want) in cases {
            assert_eq!(dep5_expr(input).unwrap().to_string(), want, "{input}");
        }
        let with = dep5_expr("GPL-2+ with OpenSSL exception").unwrap();
        assert!(matches!(with, Expr::Term(Term::Spdx { ref id, exception: Some(_), .. }) if id == "GPL-2.0-or-later"));
    }
}

//! Package manifests read statically (never executed): the licenses they declare.
//!
//! Interface used by the profiler (see `parse`), with the helpers the parsers share; the
//! parsers live in one submodule per format family. Which kind of manifest a path is
//! ([`ManifestKind`], [`kind_of`]) is decided by the snapshot and re-exported here.

mod cargo;
mod dep5;
mod dockerfile;
mod maven;
mod package_json;
mod python;
mod reuse_toml;
mod ruby;
mod sbt;
mod toml_table;

use regex::Regex;

use crate::knowledge::expr::{Expr, Term, UNIDENTIFIED};
use crate::knowledge::names::license_from_name;
use crate::knowledge::{identify_text, normalize};

pub use crate::snapshot::manifest_kind::{ManifestKind, kind_of, scope_dir};

/// How a manifest states a license.
#[derive(Debug, Clone, PartialEq)]
pub enum Declared {
    /// A license expression (already interpreted: SPDX ids, names mapped to ids, …).
    Expr(Expr),
    /// The license text is in this file, relative to the manifest's directory
    /// (`license-file`, `license = {file = …}`, `SEE LICENSE IN <file>`).
    File(String),
    /// Cargo `license.workspace = true`: the workspace root's `[workspace.package] license`.
    Workspace,
}

/// One license statement of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestLicense {
    pub declared: Declared,
    /// 1-based line of the statement, when known.
    pub line: Option<u32>,
    /// For REUSE.toml, .reuse/dep5 and debian/copyright: the directory (relative to the
    /// scope root, `""` for all) the statement covers; `None` for ordinary manifests.
    pub subdir: Option<String>,
    /// Where it came from inside the manifest (`package.license`, `classifiers`, …).
    pub field: &'static str,
}

/// What a manifest declares; `Err` carries a message for malformed input.
pub type Parsed = Result<Vec<ManifestLicense>, String>;

/// What a manifest declares. Never panics; malformed input is an `Err` with the line when
/// known, a manifest without license information is `Ok(vec![])`.
pub fn parse(kind: ManifestKind, text: &str) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match kind {
        ManifestKind::Cargo => cargo::cargo(text),
        ManifestKind::PackageJson | ManifestKind::Bower | ManifestKind::Composer => package_json::package_json(text),
        ManifestKind::Pyproject => python::pyproject(text),
        ManifestKind::SetupCfg => python::setup_cfg(text),
        ManifestKind::SetupPy => python::setup_py(text),
        ManifestKind::Gemspec => ruby::gemspec(text),
        ManifestKind::Pom => maven::pom(text),
        ManifestKind::Sbt => sbt::sbt(text),
        ManifestKind::DebianCopyright => dep5::dep5(text, true),
        ManifestKind::ReuseDep5 => dep5::dep5(text, false),
        ManifestKind::Dockerfile => dockerfile::dockerfile(text),
        ManifestKind::ReuseToml => reuse_toml::reuse_toml(text),
    }
}

// ---------------------------------------------------------------------------------------
// Helpers shared by the parsers

fn entry(declared: Declared, line: Option<u32>, field: &'static str) -> ManifestLicense {
    ManifestLicense { declared, line, subdir: None, field }
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

fn regex(re: &str) -> Regex {
    Regex::new(re).expect("a valid built-in regex")
}

/// A license name or expression; a whole license text pasted into a `license` field is
/// identified as a text.
fn free_text(value: &str) -> Option<Expr> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.contains('\n') || v.len() > 200 {
        let id = identify_text(v, crate::knowledge::TextSource::Other);
        return Some(id.license.unwrap_or_else(|| {
            let hash = normalize::text_hash(v);
            Expr::term(Term::Other(format!("{UNIDENTIFIED}{}", &hash[..hash.len().min(12)])))
        }));
    }
    Some(license_from_name(v))
}

/// The directory a glob covers: the directory part before the first wildcard (`*` → `""`,
/// `src/foo/*` → `src/foo`); `None` for a pattern naming a single file.
fn glob_subdir(pattern: &str) -> Option<String> {
    let p = pattern.trim().trim_start_matches("./").trim_start_matches('/');
    let wild = p.find(['*', '?', '['])?;
    let before = &p[..wild];
    Some(before.rsplit_once('/').map_or("", |(d, _)| d).to_string())
}

/// What the format tests share: a manifest's statements read back as strings, or its one
/// statement.
#[cfg(test)]
mod test_helpers {
    use super::{Declared, ManifestKind, ManifestLicense, parse};
    use crate::knowledge::expr::Expr;

    pub(super) fn exprs(kind: ManifestKind, text: &str) -> Vec<String> {
        parse(kind, text)
            .unwrap()
            .into_iter()
            .map(|m| match m.declared {
                Declared::Expr(e) => e.to_string(),
                Declared::File(f) => format!("file:{f}"),
                Declared::Workspace => "workspace".to_string(),
            })
            .collect()
    }

    pub(super) fn one(kind: ManifestKind, text: &str) -> ManifestLicense {
        let mut v = parse(kind, text).unwrap();
        assert_eq!(v.len(), 1, "{v:?}");
        v.remove(0)
    }

    pub(super) fn expr(s: &str) -> Declared {
        Declared::Expr(Expr::parse(s).unwrap())
    }

    pub(super) const DEP5: &str = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: foo
Source: https://example.org/foo

Files: *
Copyright: 2020 Foo Authors
License: Expat

Files: src/vendor/* src/vendor/zlib/*.c
Copyright: 1995 Jean-loup Gailly
License: GPL-2+ or Apache-2.0
 The GPL text can be found in /usr/share/common-licenses/GPL-2.

Files: debian/*
Copyright: 2021 A Maintainer
License: GPL-3+, and BSD-3-clause

Files: README.md
Copyright: 2020 Foo Authors
License: public-domain

License: Expat
 Permission is hereby granted ...
";
}

#[cfg(test)]
mod tests {
    use super::test_helpers::DEP5;
    use super::*;

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let toml = "[package]\nname = \"a\"\nlicense = \"MIT\n";
        let e = parse(ManifestKind::Cargo, toml).unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        assert!(parse(ManifestKind::Pyproject, "[project\nname = 1").unwrap_err().starts_with("line 1"));
        assert!(parse(ManifestKind::ReuseToml, "a = 1\na = 2\n").is_err());
        let e = parse(ManifestKind::PackageJson, "{\n  \"license\": \"MIT\",\n}").unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        let e = parse(ManifestKind::Pom, "<project>\n<licenses>\n</license>\n</project>").unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        assert!(parse(ManifestKind::Pom, "<project><licenses>").is_err());
    }

    #[test]
    fn manifests_without_license_are_empty() {
        use ManifestKind::*;
        let cases = [
            (Cargo, "[package]\nname = \"a\"\nversion = \"0.1.0\"\n"),
            (PackageJson, "{\"name\": \"a\", \"dependencies\": {\"license\": \"1.0\"}}"),
            (PackageJson, "[]"),
            (Pyproject, "[project]\nname = \"a\"\n"),
            (SetupCfg, "[metadata]\nname = a\n"),
            (SetupPy, "from setuptools import setup\nsetup(name='a')\n"),
            (Gemspec, "Gem::Specification.new do |s|\n  s.name = 'a'\nend\n"),
            (Pom, "<project><artifactId>a</artifactId></project>"),
            (Sbt, "name := \"a\"\n"),
            (DebianCopyright, ""),
            (Dockerfile, "FROM scratch\n"),
            (ReuseToml, "version = 1\n"),
            (ReuseDep5, "Format: x\n"),
        ];
        for (kind, text) in cases {
            assert_eq!(parse(kind, text), Ok(vec![]), "{kind:?}");
        }
    }

    #[test]
    fn no_panic_on_truncated_or_odd_input() {
        let samples = [
            "[package]\nlicense = \"MIT\"\n[workspace.package]\nlicense-file = \"L\"\n",
            "{\"license\": [{\"type\": \"MIT\"}, \"é\"], \"licenses\": \"x\"}",
            "[project]\nlicense = {text = \"é\"}\nclassifiers = [\"License :: \"]\n",
            "[metadata]\nlicense = é\nclassifiers =\n\tLicense ::\n",
            "setup(license=\"é\", classifiers=['License :: OSI Approved :: é'])",
            "s.licenses = %w[é",
            "<project><licenses><license><name>é&#xZZ;&foo;</name>",
            "licenses := Seq(\"é\" -> url(",
            DEP5,
            "LABEL org.opencontainers.image.licenses=\"é \\",
            "[[annotations]]\npath = [\"é/*\", 1]\nSPDX-License-Identifier = [\"MIT\", 2]\n",
        ];
        let kinds = [
            ManifestKind::Cargo,
            ManifestKind::PackageJson,
            ManifestKind::Pyproject,
            ManifestKind::SetupCfg,
            ManifestKind::SetupPy,
            ManifestKind::Gemspec,
            ManifestKind::Pom,
            ManifestKind::Sbt,
            ManifestKind::DebianCopyright,
            ManifestKind::ReuseDep5,
            ManifestKind::Dockerfile,
            ManifestKind::ReuseToml,
        ];
        for sample in samples {
            for cut in (0..=sample.len()).filter(|&i| sample.is_char_boundary(i)) {
                for kind in kinds {
                    let _ = parse(kind, &sample[..cut]);
                }
            }
        }
    }
}

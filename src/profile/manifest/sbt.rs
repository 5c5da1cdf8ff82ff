//! sbt: the `licenses` settings of a build.sbt.

use std::sync::LazyLock;

use regex::Regex;

use super::{Declared, Parsed, entry, line_at, regex};
use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::names::license_from_name;

static SBT_LICENSES: LazyLock<Regex> = LazyLock::new(|| regex(r"\blicenses\s*(?:\bin\s+\w+\s*)?(?::=|\+\+=|\+=)"));
static SBT_ARROW: LazyLock<Regex> = LazyLock::new(|| regex(r#""([^"\n]+)"\s*->"#));
static SBT_TUPLE: LazyLock<Regex> = LazyLock::new(|| regex(r#"\(\s*"([^"\n]+)"\s*,"#));
static SBT_OBJECT: LazyLock<Regex> = LazyLock::new(|| regex(r"\bLicense\.(\w+)"));

/// The right-hand side of a setting: up to the end of its balanced parentheses, or of its
/// line when it has none (`licenses += License.MIT`).
fn balanced(text: &str) -> &str {
    let mut depth = 0i32;
    let mut in_string = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth <= 0 {
                    return &text[..i + 1];
                }
            }
            '\n' if depth == 0 && !in_string => {
                let so_far = text[..i].trim();
                if !so_far.is_empty() && !so_far.ends_with(['>', ',', '(', '=', '+']) {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// sbt's predefined `License.X` values.
fn sbt_object(name: &str) -> Expr {
    let id = match name {
        "Apache2" => "Apache-2.0",
        "MIT" => "MIT",
        "CC0" => "CC0-1.0",
        "GPL3_or_later" => "GPL-3.0-or-later",
        _ => return license_from_name(name),
    };
    Expr::term(Term::spdx(id))
}

pub(super) fn sbt(text: &str) -> Parsed {
    let mut exprs = Vec::new();
    let mut first_line = None;
    for m in SBT_LICENSES.find_iter(text) {
        let rhs = balanced(&text[m.end()..]);
        let mut found: Vec<(usize, Expr)> = Vec::new();
        for re in [&*SBT_ARROW, &*SBT_TUPLE] {
            for c in re.captures_iter(rhs) {
                if let Some(g) = c.get(1) {
                    found.push((g.start(), license_from_name(g.as_str())));
                }
            }
        }
        for c in SBT_OBJECT.captures_iter(rhs) {
            if let Some(g) = c.get(1) {
                found.push((g.start(), sbt_object(g.as_str())));
            }
        }
        if !found.is_empty() {
            first_line.get_or_insert(line_at(text, m.start()));
            found.sort_by_key(|(pos, _)| *pos);
            exprs.extend(found.into_iter().map(|(_, e)| e));
        }
    }
    Ok(Expr::or_all(exprs).map(|e| entry(Declared::Expr(e), first_line, "licenses")).into_iter().collect())
}

#[cfg(test)]
mod tests {
    use crate::profile::manifest::ManifestKind;
    use crate::profile::manifest::test_helpers::{expr, exprs, one};

    #[test]
    fn sbt_settings() {
        let text = r#"name := "x"
ThisBuild / licenses := Seq("MIT" -> url("https://opensource.org/licenses/MIT"))
"#;
        let m = one(ManifestKind::Sbt, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT"), Some(2), "licenses"));
        let tuple = "licenses += (\"Apache-2.0\", url(\"http://www.apache.org/licenses/LICENSE-2.0\"))\n";
        assert_eq!(exprs(ManifestKind::Sbt, tuple), ["Apache-2.0"]);
        let object = "licenses := List(License.Apache2)\nversion := \"1\"\n";
        assert_eq!(exprs(ManifestKind::Sbt, object), ["Apache-2.0"]);
        let multi = "licenses := Seq(\n  \"BSD-3-Clause\" -> url(\"x\"),\n  \"MIT\" -> url(\"y\")\n)\nlicenses += License.MIT\n";
        assert_eq!(exprs(ManifestKind::Sbt, multi), ["BSD-3-Clause OR MIT"]);
    }
}

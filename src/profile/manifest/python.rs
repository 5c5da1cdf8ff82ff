//! Python packaging: pyproject.toml (PEP 639, PEP 621, Poetry), setup.cfg and setup.py, with
//! their `License ::` trove classifiers.

use std::sync::LazyLock;

use regex::Regex;
use toml::de::DeValue;

use super::toml_table::{get, get_table, strings, toml_doc};
use super::{Declared, ManifestLicense, Parsed, entry, free_text, line_at, regex};
use crate::knowledge::expr::Expr;
use crate::knowledge::names::license_from_name;

/// The expression of `License ::` classifiers (alternatives: OR); `None` without any.
fn classifiers<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<Expr> {
    let exprs = items.into_iter().filter_map(|c| {
        let c = c.trim();
        let rest = c.strip_prefix("License")?.trim_start().strip_prefix("::")?;
        let last = rest.rsplit("::").next().unwrap_or("").trim();
        if last.is_empty() || last.eq_ignore_ascii_case("OSI Approved") || last.eq_ignore_ascii_case("DFSG approved") {
            return None;
        }
        Some(license_from_name(last))
    });
    Expr::or_all(exprs)
}

fn is_license_classifier(c: &str) -> bool {
    classifiers([c]).is_some()
}

pub(super) fn pyproject(text: &str) -> Parsed {
    let doc = toml_doc(text)?;
    let root = doc.get_ref();
    let mut out = Vec::new();
    if let Some(project) = get_table(root, "project") {
        match get(project, "license", text) {
            Some((DeValue::String(s), line)) if !s.trim().is_empty() => {
                // PEP 639: the expression is authoritative; classifiers are deprecated beside it.
                return Ok(vec![entry(Declared::Expr(license_from_name(s)), Some(line), "project.license")]);
            }
            Some((DeValue::Table(t), line)) => {
                if let Some((DeValue::String(s), _)) = get(t, "file", text)
                    && !s.trim().is_empty()
                {
                    out.push(entry(Declared::File(s.trim().to_string()), Some(line), "project.license"));
                } else if let Some((DeValue::String(s), _)) = get(t, "text", text)
                    && let Some(e) = free_text(s)
                {
                    out.push(entry(Declared::Expr(e), Some(line), "project.license"));
                }
            }
            _ => {}
        }
        if let Some((value, key_line)) = get(project, "classifiers", text) {
            let items = strings(value);
            if let Some(e) = classifiers(items.iter().copied()) {
                let line = items
                    .iter()
                    .find(|c| is_license_classifier(c))
                    .and_then(|c| text.find(*c))
                    .map_or(key_line, |pos| line_at(text, pos));
                out.push(entry(Declared::Expr(e), Some(line), "project.classifiers"));
            }
        }
    }
    if let Some(poetry) = get_table(root, "tool").and_then(|t| get_table(t, "poetry"))
        && let Some((DeValue::String(s), line)) = get(poetry, "license", text)
        && let Some(e) = free_text(s)
    {
        out.push(entry(Declared::Expr(e), Some(line), "tool.poetry.license"));
    }
    Ok(out)
}

/// `[section] key` → (value, line of the key); keys lower case with `-` as `_`.
fn ini(text: &str) -> Vec<(String, String, String, u32)> {
    let mut out: Vec<(String, String, String, u32)> = Vec::new();
    let mut section = String::new();
    let mut current: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            // A blank line may sit inside a multi-line value; it adds nothing.
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented && let Some(idx) = current {
            if !trimmed.starts_with(['#', ';']) {
                let value = &mut out[idx].2;
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        if trimmed.starts_with(['#', ';']) {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed[1..trimmed.len() - 1].trim().to_ascii_lowercase();
            current = None;
            continue;
        }
        match trimmed.find(['=', ':']) {
            Some(pos) => {
                let key = trimmed[..pos].trim().to_ascii_lowercase().replace('-', "_");
                let value = trimmed[pos + 1..].trim().to_string();
                out.push((section.clone(), key, value, line_no));
                current = Some(out.len() - 1);
            }
            None => current = None,
        }
    }
    out
}

pub(super) fn setup_cfg(text: &str) -> Parsed {
    let items = ini(text);
    let find = |key: &str| items.iter().find(|(s, k, _, _)| s == "metadata" && k == key);
    let mut out = Vec::new();
    if let Some((_, _, v, line)) = find("license_expression")
        && !v.trim().is_empty()
    {
        return Ok(vec![entry(Declared::Expr(license_from_name(v)), Some(*line), "metadata.license_expression")]);
    }
    if let Some((_, _, v, line)) = find("license") {
        let v = v.trim();
        if !v.starts_with("file:")
            && !v.starts_with("attr:")
            && let Some(e) = free_text(v)
        {
            out.push(entry(Declared::Expr(e), Some(*line), "metadata.license"));
        }
    }
    if let Some((_, _, v, key_line)) = find("classifiers")
        && let Some(e) = classifiers(v.lines())
    {
        let first = v.lines().find(|c| is_license_classifier(c)).unwrap_or("");
        let line = text
            .lines()
            .enumerate()
            .skip(*key_line as usize - 1)
            .find(|(_, l)| !first.is_empty() && l.contains(first))
            .map_or(*key_line, |(i, _)| i as u32 + 1);
        out.push(entry(Declared::Expr(e), Some(line), "metadata.classifiers"));
    }
    Ok(out)
}

static SETUP_PY_LICENSE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"(?:\b(license(?:_expression)?)\s*=\s*|['"](license(?:_expression)?)['"]\s*:\s*)[rRuU]?(?:"([^"\n]*)"|'([^'\n]*)')"#,
    )
});
static SETUP_PY_CLASSIFIER: LazyLock<Regex> = LazyLock::new(|| regex(r#"["'](License\s*::[^"'\n]*)["']"#));

pub(super) fn setup_py(text: &str) -> Parsed {
    let mut expression = None;
    let mut license = None;
    for c in SETUP_PY_LICENSE.captures_iter(text) {
        let key = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        let value = c.get(3).or_else(|| c.get(4)).map_or("", |m| m.as_str());
        let line = c.get(0).map(|m| line_at(text, m.start()));
        if value.trim().is_empty() {
            continue;
        }
        if key == "license_expression" && expression.is_none() {
            expression = Some(entry(Declared::Expr(license_from_name(value)), line, "license_expression"));
        } else if key == "license"
            && license.is_none()
            && let Some(e) = free_text(value)
        {
            license = Some(entry(Declared::Expr(e), line, "license"));
        }
    }
    if let Some(e) = expression {
        return Ok(vec![e]);
    }
    let mut out: Vec<ManifestLicense> = license.into_iter().collect();
    let found: Vec<(&str, usize)> = SETUP_PY_CLASSIFIER
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| (m.as_str(), m.start())))
        .filter(|(c, _)| is_license_classifier(c))
        .collect();
    if let Some(e) = classifiers(found.iter().map(|(c, _)| *c)) {
        out.push(entry(Declared::Expr(e), found.first().map(|(_, pos)| line_at(text, *pos)), "classifiers"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::profile::manifest::test_helpers::{expr, exprs, one};
    use crate::profile::manifest::{Declared, ManifestKind, parse};

    #[test]
    fn pyproject_pep639_wins_over_classifiers() {
        let text = r#"[build-system]
requires = ["hatchling"]

[project]
name = "x"
license = "Apache-2.0 OR MIT"
license-files = ["LICEN[CS]E*"]
classifiers = [
    "Programming Language :: Python :: 3",
    "License :: OSI Approved :: BSD License",
]
"#;
        let m = one(ManifestKind::Pyproject, text);
        assert_eq!((m.declared, m.line, m.field), (expr("Apache-2.0 OR MIT"), Some(6), "project.license"));
    }

    #[test]
    fn pyproject_classifiers_only_and_pep621_tables() {
        let text = r#"[project]
name = "x"
classifiers = [
    "Programming Language :: Python :: 3",
    "License :: OSI Approved :: MIT License",
    "License :: OSI Approved :: Apache Software License",
    "License :: OSI Approved",
]
"#;
        let m = one(ManifestKind::Pyproject, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT OR Apache-2.0"), Some(5), "project.classifiers"));

        let file = "[project]\nname = \"x\"\nlicense = {file = \"LICENSE\"}\n";
        let m = one(ManifestKind::Pyproject, file);
        assert_eq!((m.declared, m.line), (Declared::File("LICENSE".into()), Some(3)));
        let text_table = "[project]\nname = \"x\"\nlicense = {text = \"BSD 3-Clause License\"}\n";
        assert_eq!(one(ManifestKind::Pyproject, text_table).declared, expr("BSD-3-Clause"));
        let poetry = "[tool.poetry]\nname = \"x\"\nlicense = \"GPL-3.0-or-later\"\n";
        let m = one(ManifestKind::Pyproject, poetry);
        assert_eq!((m.declared, m.field), (expr("GPL-3.0-or-later"), "tool.poetry.license"));
    }

    #[test]
    fn setup_cfg() {
        let text = "[metadata]\nname = x\nlicense = MIT\nlicense_files = LICENSE\nclassifiers =\n    Programming Language :: Python\n    License :: OSI Approved :: MIT License\n\n[options]\npackages = find:\n";
        let v = parse(ManifestKind::SetupCfg, text).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((&v[0].declared, v[0].line, v[0].field), (&expr("MIT"), Some(3), "metadata.license"));
        assert_eq!((&v[1].declared, v[1].line, v[1].field), (&expr("MIT"), Some(7), "metadata.classifiers"));
        let files_only = "[metadata]\nname = x\nlicense_file = LICENSE\n";
        assert_eq!(parse(ManifestKind::SetupCfg, files_only), Ok(vec![]));
    }

    #[test]
    fn setup_py() {
        let text = r#"from setuptools import setup

setup(
    name="x",
    license='Apache License, Version 2.0',
    license_files=["LICENSE"],
    classifiers=[
        "Development Status :: 4 - Beta",
        "License :: OSI Approved :: Apache Software License",
    ],
)
"#;
        let v = parse(ManifestKind::SetupPy, text).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((&v[0].declared, v[0].line, v[0].field), (&expr("Apache-2.0"), Some(5), "license"));
        assert_eq!((&v[1].declared, v[1].line, v[1].field), (&expr("Apache-2.0"), Some(9), "classifiers"));
        let expr_kw =
            "setup(name='x', license_expression=\"MIT\", classifiers=['License :: OSI Approved :: BSD License'])";
        assert_eq!(exprs(ManifestKind::SetupPy, expr_kw), ["MIT"]);
        assert_eq!(parse(ManifestKind::SetupPy, "setup(name='x', license=LICENSE)\n"), Ok(vec![]));
    }
}

//! JSON package manifests: package.json, bower.json and composer.json (`license`, legacy
//! `licenses`, `SEE LICENSE IN <file>`).

use super::{Declared, Parsed, entry, line_at};
use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::names::license_from_name;

/// The line of a key of the top-level object.
fn json_top_key_line(text: &str, key: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                if depth == 1 && text.get(start..end) == Some(key) {
                    let after = text.get(end + 1..).unwrap_or("").trim_start();
                    if after.starts_with(':') {
                        return Some(line_at(text, start));
                    }
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A `license` value: a string, a legacy `{type, url}` object or an array of either (OR).
fn json_license(v: &serde_json::Value) -> Option<Declared> {
    match v {
        serde_json::Value::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            let upper = s.to_ascii_uppercase();
            if upper.starts_with("SEE LICENSE IN ") {
                let file = s["SEE LICENSE IN ".len()..].trim();
                return (!file.is_empty()).then(|| Declared::File(file.to_string()));
            }
            if upper == "UNLICENSED" {
                return Some(Declared::Expr(Expr::term(Term::Other("unlicensed".into()))));
            }
            Some(Declared::Expr(license_from_name(s)))
        }
        serde_json::Value::Object(o) => o.get("type").or_else(|| o.get("name")).and_then(json_license),
        serde_json::Value::Array(items) => {
            let exprs = items.iter().filter_map(json_license).filter_map(|d| match d {
                Declared::Expr(e) => Some(e),
                _ => None,
            });
            Expr::or_all(exprs).map(Declared::Expr)
        }
        _ => None,
    }
}

pub(super) fn package_json(text: &str) -> Parsed {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))?;
    let Some(obj) = value.as_object() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (key, field) in [("license", "license"), ("licenses", "licenses")] {
        if let Some(declared) = obj.get(key).and_then(json_license) {
            out.push(entry(declared, json_top_key_line(text, key), field));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::knowledge::expr::{Expr, Term};
    use crate::profile::manifest::test_helpers::{expr, exprs, one};
    use crate::profile::manifest::{Declared, ManifestKind};

    #[test]
    fn package_json_forms() {
        let text = "{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\",\n  \"license\": \"(MIT OR Apache-2.0)\"\n}\n";
        let m = one(ManifestKind::PackageJson, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT OR Apache-2.0"), Some(4), "license"));

        let see = "{\"name\": \"x\", \"license\": \"SEE LICENSE IN LICENSE.md\"}";
        assert_eq!(one(ManifestKind::PackageJson, see).declared, Declared::File("LICENSE.md".into()));
        let unl = "{\"license\": \"UNLICENSED\"}";
        assert_eq!(
            one(ManifestKind::PackageJson, unl).declared,
            Declared::Expr(Expr::term(Term::Other("unlicensed".into())))
        );
        let object = "{\"license\": {\"type\": \"ISC\", \"url\": \"https://opensource.org/licenses/ISC\"}}";
        assert_eq!(one(ManifestKind::PackageJson, object).declared, expr("ISC"));
        let array = "{\"license\": [\"MIT\", \"GPL-2.0\"]}";
        assert_eq!(one(ManifestKind::PackageJson, array).declared, expr("MIT OR GPL-2.0-only"));
        let legacy = "{\n \"name\": \"x\",\n \"config\": {\"licenses\": 1},\n \"licenses\": [\n  {\"type\": \"MIT\", \"url\": \"u\"},\n  {\"type\": \"Apache-2.0\", \"url\": \"v\"}\n ]\n}";
        let m = one(ManifestKind::PackageJson, legacy);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT OR Apache-2.0"), Some(4), "licenses"));
    }

    #[test]
    fn bower_and_composer() {
        assert_eq!(exprs(ManifestKind::Bower, "{\"name\": \"b\", \"license\": \"MIT\"}"), ["MIT"]);
        let composer = "{\n  \"name\": \"vendor/pkg\",\n  \"license\": [\"LGPL-2.1-only\", \"GPL-3.0-or-later\"]\n}";
        let m = one(ManifestKind::Composer, composer);
        assert_eq!((m.declared, m.line), (expr("LGPL-2.1-only OR GPL-3.0-or-later"), Some(3)));
    }
}

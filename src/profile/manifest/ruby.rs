//! Ruby gems: `spec.license` and `spec.licenses` of a *.gemspec.

use std::sync::LazyLock;

use regex::Regex;

use super::{Declared, Parsed, entry, line_at, regex};
use crate::knowledge::expr::Expr;
use crate::knowledge::names::license_from_name;

static GEMSPEC_LICENSE: LazyLock<Regex> = LazyLock::new(|| regex(r"\.(licenses?)\s*=\s*"));
static QUOTED: LazyLock<Regex> = LazyLock::new(|| regex(r#""([^"\n]*)"|'([^'\n]*)'"#));

/// The license strings of a gemspec right-hand side: `"MIT"`, `["MIT", 'X']`, `%w[MIT X]`.
fn ruby_strings(rhs: &str) -> Vec<String> {
    let rhs = rhs.trim_start();
    if let Some(rest) = rhs.strip_prefix("%w").or_else(|| rhs.strip_prefix("%W")) {
        let Some(open) = rest.chars().next() else {
            return Vec::new();
        };
        let close = match open {
            '[' => ']',
            '(' => ')',
            '{' => '}',
            '<' => '>',
            c => c,
        };
        let body = &rest[open.len_utf8()..];
        let body = body.find(close).map_or(body, |end| &body[..end]);
        return body.split_whitespace().map(str::to_string).collect();
    }
    let body = if rhs.starts_with('[') {
        rhs.find(']').map_or(rhs, |end| &rhs[..end])
    } else {
        // A single string literal on the statement's line.
        rhs.lines().next().unwrap_or("")
    };
    let mut out = Vec::new();
    for c in QUOTED.captures_iter(body) {
        if let Some(m) = c.get(1).or_else(|| c.get(2)) {
            out.push(m.as_str().to_string());
        }
        if !rhs.starts_with('[') {
            break;
        }
    }
    out
}

pub(super) fn gemspec(text: &str) -> Parsed {
    let mut out = Vec::new();
    for m in GEMSPEC_LICENSE.find_iter(text) {
        let names = ruby_strings(&text[m.end()..]);
        let field = if m.as_str().starts_with(".licenses") { "licenses" } else { "license" };
        if let Some(e) = Expr::or_all(names.iter().filter(|n| !n.trim().is_empty()).map(|n| license_from_name(n))) {
            out.push(entry(Declared::Expr(e), Some(line_at(text, m.start())), field));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::profile::manifest::ManifestKind;
    use crate::profile::manifest::test_helpers::{expr, exprs, one};

    #[test]
    fn gemspec() {
        let text = "Gem::Specification.new do |spec|\n  spec.name = \"x\"\n  spec.license = \"MIT\"\nend\n";
        let m = one(ManifestKind::Gemspec, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT"), Some(3), "license"));
        let many = "Gem::Specification.new do |s|\n  s.licenses = ['MIT', \"Apache-2.0\"]\nend\n";
        assert_eq!(one(ManifestKind::Gemspec, many).declared, expr("MIT OR Apache-2.0"));
        let words = "Gem::Specification.new do |s|\n  s.licenses = %w[MIT Ruby]\nend\n";
        assert_eq!(exprs(ManifestKind::Gemspec, words), ["MIT OR Ruby"]);
        let frozen = "s.license = 'BSD-2-Clause'.freeze\n";
        assert_eq!(exprs(ManifestKind::Gemspec, frozen), ["BSD-2-Clause"]);
    }
}

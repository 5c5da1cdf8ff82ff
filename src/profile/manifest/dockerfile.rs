//! Dockerfiles and Containerfiles: the `org.opencontainers.image.licenses` label.

use super::{Declared, Parsed, entry};
use crate::knowledge::names::license_from_name;

const OCI_LICENSES: &str = "org.opencontainers.image.licenses";

/// A word of a LABEL instruction: quoted (with backslash escapes) or bare.
fn docker_word(s: &str, stop_at_eq: bool) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            (Some(_), c) => out.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '\\') => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            (None, c) if c.is_whitespace() || (stop_at_eq && c == '=') => return (out, &s[i..]),
            (None, c) => out.push(c),
        }
    }
    (out, "")
}

/// `key=value` pairs of a LABEL instruction (or the legacy `LABEL key value`).
fn label_pairs(rest: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut s = rest.trim_start();
    while !s.is_empty() {
        let (key, after) = docker_word(s, true);
        if let Some(v) = after.strip_prefix('=') {
            let (value, after) = docker_word(v, false);
            pairs.push((key, value));
            s = after.trim_start();
        } else {
            // Legacy form: the rest of the line is the value.
            let value = after.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            pairs.push((key, value.to_string()));
            break;
        }
    }
    pairs
}

pub(super) fn dockerfile(text: &str) -> Parsed {
    let mut found = None;
    let mut logical = String::new();
    let mut start = 0u32;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            // Comments (and parser directives) are dropped, even inside a continuation.
            continue;
        }
        if logical.is_empty() {
            if trimmed.is_empty() {
                continue;
            }
            start = i as u32 + 1;
        }
        if let Some(body) = trimmed.strip_suffix('\\') {
            logical.push_str(body);
            logical.push(' ');
            continue;
        }
        logical.push_str(trimmed);
        let instruction = std::mem::take(&mut logical);
        let (word, rest) = instruction.split_once(char::is_whitespace).unwrap_or((&instruction, ""));
        if !word.eq_ignore_ascii_case("LABEL") {
            continue;
        }
        for (key, value) in label_pairs(rest) {
            if key == OCI_LICENSES && !value.trim().is_empty() && !value.contains('$') {
                // A later label overrides an earlier one.
                found = Some((value, start));
            }
        }
    }
    Ok(found
        .map(|(value, line)| entry(Declared::Expr(license_from_name(&value)), Some(line), OCI_LICENSES))
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::manifest::test_helpers::{expr, exprs, one};
    use crate::profile::manifest::{ManifestKind, parse};

    #[test]
    fn dockerfile_labels() {
        let text = "FROM debian:12\n# a comment\nLABEL org.opencontainers.image.title=\"x\" \\\n      org.opencontainers.image.licenses=\"Apache-2.0 OR MIT\" \\\n      org.opencontainers.image.version=1\nRUN true\n";
        let m = one(ManifestKind::Dockerfile, text);
        assert_eq!((m.declared, m.line, m.field), (expr("Apache-2.0 OR MIT"), Some(3), OCI_LICENSES));
        assert_eq!(exprs(ManifestKind::Dockerfile, "FROM x\nlabel org.opencontainers.image.licenses=MIT\n"), ["MIT"]);
        assert_eq!(
            exprs(ManifestKind::Dockerfile, "LABEL org.opencontainers.image.licenses BSD-3-Clause\n"),
            ["BSD-3-Clause"]
        );
        let later = "LABEL org.opencontainers.image.licenses=MIT\nFROM y\nLABEL \"org.opencontainers.image.licenses\"='GPL-3.0-only'\n";
        assert_eq!(exprs(ManifestKind::Dockerfile, later), ["GPL-3.0-only"]);
        assert_eq!(parse(ManifestKind::Dockerfile, "FROM x\nLABEL maintainer=\"me\"\n"), Ok(vec![]));
    }
}

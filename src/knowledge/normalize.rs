//! Text decoding and normalization: what makes two renderings of one license text equal.
//!
//! Markdown and HTML markup, case, quotes, dashes, bullets, line wrapping, hyphenated line
//! breaks, BOMs, CRLF and copyright lines are all removed, so a reflowed or re-rendered
//! license compares equal to its plain-text original. Words keep their original line
//! number, so clause-level evidence can point back into the file.

use sha2::{Digest, Sha256};

/// Bytes decoded to text, with what the decoding had to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text (empty for binary content).
    pub text: String,
    /// Not valid UTF-8: decoded as Windows-1252/Latin-1.
    pub lossy: bool,
    /// Binary content (NUL bytes): not a text.
    pub binary: bool,
}

/// Decodes file bytes: UTF-8 (BOM stripped), UTF-16 with a BOM, else Latin-1. Content with
/// NUL bytes in its first 8 KiB is binary.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]).or_else(|| bytes.strip_prefix(&[0xFE, 0xFF])) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
            .collect();
        return Decoded { text: String::from_utf16_lossy(&units), lossy: false, binary: false };
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Decoded { text: String::new(), lossy: false, binary: true };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded { text: s.to_string(), lossy: false, binary: false },
        Err(_) => Decoded { text: bytes.iter().map(|b| *b as char).collect(), lossy: true, binary: false },
    }
}

/// One normalized word with the 1-based line it came from and its original spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub norm: String,
    pub orig: String,
    pub line: u32,
}

/// A sentence (or label line, or paragraph fragment) of a license text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Normalized words joined by single spaces: the comparison key.
    pub norm: String,
    /// Original words joined by single spaces: what evidence shows.
    pub text: String,
    /// 1-based line of the first word.
    pub line: u32,
}

/// Line labels that stand alone as a sentence (parameter blocks such as BUSL's, version lines).
const LABELS: &[&str] = &[
    "licensor:",
    "licensed work:",
    "additional use grant:",
    "change date:",
    "change license:",
    "version:",
    "effective date:",
    "release date:",
    "last updated:",
    "last modified:",
];

/// Removes markup a rendering adds: a leading heading, quote, bullet or list number, a
/// horizontal rule, HTML tags and entities, markdown links (their text stays).
fn strip_markup(line: &str) -> String {
    let trimmed = line.trim_start();
    let bytes = trimmed.as_bytes();
    // A rule (`---`, `===`, `***`) is no text at all.
    let body = trimmed.trim_end();
    if body.len() >= 3
        && body.chars().all(|c| matches!(c, '-' | '=' | '_' | '*'))
        && body.chars().all(|c| c == body.chars().next().unwrap_or('-'))
    {
        return String::new();
    }
    let mut rest = trimmed;
    let hashes = bytes.iter().take_while(|b| **b == b'#').count();
    if (1..=6).contains(&hashes) && bytes.get(hashes).is_some_and(|b| b.is_ascii_whitespace()) {
        rest = &trimmed[hashes..];
    } else if let Some(r) = trimmed.strip_prefix('>') {
        rest = r;
    } else if let Some(c) = trimmed.chars().next().filter(|c| matches!(c, '-' | '*' | '+' | '\u{2022}' | '\u{25cf}')) {
        if trimmed[c.len_utf8()..].starts_with(char::is_whitespace) {
            rest = &trimmed[c.len_utf8()..];
        }
    } else {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if (1..=3).contains(&digits)
            && matches!(bytes.get(digits), Some(b'.' | b')'))
            && bytes.get(digits + 1).is_some_and(|b| b.is_ascii_whitespace())
        {
            rest = &trimmed[digits + 1..];
        }
    }
    if !rest.contains(['<', '[', '&']) {
        return rest.to_string();
    }
    let mut out = String::with_capacity(rest.len());
    let mut i = 0;
    while i < rest.len() {
        let tail = &rest[i..];
        let c = tail.chars().next().unwrap_or(' ');
        if c == '<' {
            if let Some(end) = tail[1..].find('>').filter(|e| *e <= 400) {
                out.push(' ');
                i += end + 2;
                continue;
            }
        } else if c == '[' || (c == '!' && tail[1..].starts_with('[')) {
            let open = if c == '!' { 1 } else { 0 };
            if let Some(close) = tail[open + 1..].find(']') {
                let after = &tail[open + 1 + close + 1..];
                if after.starts_with('(')
                    && let Some(paren) = after.find(')')
                {
                    out.push_str(&tail[open + 1..open + 1 + close]);
                    i += open + 1 + close + 1 + paren + 1;
                    continue;
                }
            }
        } else if c == '&'
            && let Some(entity) = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&#39;", "&#x27;"]
                .iter()
                .find(|e| tail.starts_with(*e))
        {
            out.push(' ');
            i += entity.len();
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn clean_line(line: &str) -> String {
    let s = strip_markup(line);
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\t' | '|' => ' ',
            '*' | '~' => ' ',
            c => c,
        })
        .collect()
}

fn is_copyright_line(norm_words: &[String]) -> bool {
    match norm_words.first().map(String::as_str) {
        Some("copyright" | "(c)" | "\u{a9}" | "copyright:") => true,
        Some("all") => norm_words.len() <= 4 && norm_words.get(1).map(String::as_str) == Some("rights"),
        _ => false,
    }
}

fn normalize_word(w: &str) -> String {
    let w = w.trim_matches(|c: char| c == '_' || c == '"' || c == '\'');
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        if c == '\u{a9}' {
            out.push_str("(c)");
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Lines of normalized words; copyright lines and markup are dropped; `None` marks a blank
/// line (a paragraph break) or a label line boundary.
fn lines(text: &str, max_words: usize) -> Vec<Option<Vec<Word>>> {
    let mut out: Vec<Option<Vec<Word>>> = Vec::new();
    let mut count = 0;
    for (i, raw) in text.lines().enumerate() {
        if count >= max_words {
            break;
        }
        let line = (i + 1) as u32;
        let cleaned = clean_line(raw);
        let words: Vec<Word> = cleaned
            .split_whitespace()
            .map(|w| Word { norm: normalize_word(w), orig: w.to_string(), line })
            .filter(|w| !w.norm.is_empty())
            .collect();
        if words.is_empty() {
            out.push(None);
            continue;
        }
        let norms: Vec<String> = words.iter().map(|w| w.norm.clone()).collect();
        if is_copyright_line(&norms) {
            continue;
        }
        count += words.len();
        let joined = norms.join(" ");
        if LABELS.iter().any(|l| joined.starts_with(l)) {
            out.push(None);
            out.push(Some(words));
            out.push(None);
        } else {
            out.push(Some(words));
        }
    }
    out
}

/// All normalized words, with hyphenated line breaks joined.
pub fn words(text: &str) -> Vec<Word> {
    words_limited(text, usize::MAX)
}

/// The first words (at least `max_words`, whole lines), as [`words`] gives them.
pub fn words_limited(text: &str, max_words: usize) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut join_next = false;
    for words in lines(text, max_words).into_iter().flatten() {
        for (i, w) in words.into_iter().enumerate() {
            if i == 0
                && join_next
                && let Some(prev) = out.last_mut()
            {
                prev.norm.pop();
                prev.norm.push_str(&w.norm);
                prev.orig.pop();
                prev.orig.push_str(&w.orig);
                continue;
            }
            out.push(w);
        }
        join_next = out.last().is_some_and(|w| {
            w.norm.len() > 2
                && w.norm.ends_with('-')
                && w.norm[..w.norm.len() - 1].ends_with(|c: char| c.is_alphabetic())
        });
    }
    out
}

/// The normalized text: words joined by single spaces.
pub fn normalized(text: &str) -> String {
    join_words(&words(text))
}

/// A fingerprint of a text's beginning: the hash of its first `n` normalized words.
pub fn fingerprint(text: &str, n: usize) -> u64 {
    let mut ws = words_limited(text, n);
    ws.truncate(n);
    hash64(&join_words(&ws))
}

fn join_words(ws: &[Word]) -> String {
    let mut s = String::with_capacity(ws.len() * 6);
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&w.norm);
    }
    s
}

/// Splits a text into sentences: at `.`, `;`, `!`, `?`, at paragraph breaks and around
/// label lines. Reflowing a paragraph does not change its sentences.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut current: Vec<Word> = Vec::new();
    let flush = |current: &mut Vec<Word>, out: &mut Vec<Sentence>| {
        if current.is_empty() {
            return;
        }
        let norm = current.iter().map(|w| w.norm.as_str()).collect::<Vec<_>>().join(" ");
        let text = current.iter().map(|w| w.orig.as_str()).collect::<Vec<_>>().join(" ");
        out.push(Sentence { norm, text, line: current[0].line });
        current.clear();
    };
    for line in lines(text, usize::MAX) {
        match line {
            None => flush(&mut current, &mut out),
            Some(words) => {
                for w in words {
                    let ends = w.norm.ends_with(['.', ';', '!', '?']) && !is_abbreviation(&w.norm);
                    current.push(w);
                    if ends {
                        flush(&mut current, &mut out);
                    }
                }
            }
        }
    }
    flush(&mut current, &mut out);
    out
}

fn is_abbreviation(w: &str) -> bool {
    matches!(
        w,
        "e.g." | "i.e." | "etc." | "inc." | "ltd." | "co." | "no." | "vs." | "u.s." | "v." | "corp." | "(c)." | "st."
    ) || (w.len() <= 3 && w.trim_end_matches('.').chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Hex SHA-256 of a string.
pub fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first 8 bytes of the SHA-256 of a string, as a number (for compiled-in tables).
pub fn hash64(s: &str) -> u64 {
    let digest = Sha256::digest(s.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}

/// A short, stable hash of the normalized text (16 hex digits).
pub fn text_hash(text: &str) -> String {
    sha256_hex(&normalized(text))[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_case_wrapping_and_copyright_do_not_matter() {
        let plain = "Copyright (c) 2020 Someone\n\nPermission is hereby granted, free of charge, to any person.\nTHE SOFTWARE IS PROVIDED \"AS IS\".";
        let md = "# License\r\n\r\nCopyright © 2024 Other\r\n\r\n**Permission** is hereby granted,\r\nfree of charge, to any\r\nperson.\r\n\r\nTHE SOFTWARE IS PROVIDED “AS IS”.\r\n";
        assert_eq!(normalized(plain), normalized(md).trim_start_matches("license "));
    }

    #[test]
    fn hyphenated_breaks_join() {
        assert_eq!(normalized("non-com-\nmercial use"), "non-commercial use");
    }

    #[test]
    fn sentences_survive_reflow_and_keep_lines() {
        let a = sentences("You may use it.\nYou may not sell it. Labels:\nLicensor: ACME\nChange Date: 2027-01-01\n");
        let b =
            sentences("You may use\nit. You may not\nsell it. Labels:\n\nLicensor:   ACME\nChange Date: 2027-01-01");
        let na: Vec<_> = a.iter().map(|s| &s.norm).collect();
        let nb: Vec<_> = b.iter().map(|s| &s.norm).collect();
        assert_eq!(na, nb);
        assert!(na.contains(&&"licensor: acme".to_string()));
        assert_eq!(a[1].line, 2);
    }

    #[test]
    fn decoding_handles_bom_latin1_utf16_and_binary() {
        assert_eq!(decode(b"\xEF\xBB\xBFMIT").text, "MIT");
        let l = decode(b"Licen\xe7a");
        assert!(l.lossy);
        assert_eq!(l.text, "Licen\u{e7}a");
        assert_eq!(decode(b"\xFF\xFEM\0I\0T\0").text, "MIT");
        assert!(decode(b"\x7fELF\0\0\0").binary);
    }
}

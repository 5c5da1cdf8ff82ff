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
pub const LABELS: &[&str] = &[
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

/// Bytes a markup delimiter search looks ahead: an HTML tag, a link text or a link target
/// longer than this is text, not markup.
const MARKUP_WINDOW: usize = 400;

/// A list marker at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// `-`, `*`, `+`, `•`, `●` followed by whitespace.
    Bullet(char),
    /// `1.` or `1)` (one to three digits) followed by whitespace.
    Number(u32),
}

/// The block-level markup a line starts with.
enum Lead<'a> {
    /// A horizontal rule (`---`, `===`, `***`, `___`): no text at all.
    Rule,
    /// A markdown heading; the text after the hashes.
    Heading(&'a str),
    /// A quote; the text after `>`.
    Quote(&'a str),
    /// A list marker, the text after it, and the line without it.
    List(Marker, &'a str, &'a str),
    /// No block markup.
    Plain(&'a str),
}

fn lead(line: &str) -> Lead<'_> {
    let trimmed = line.trim_start();
    let bytes = trimmed.as_bytes();
    let body = trimmed.trim_end();
    if body.len() >= 3
        && body.chars().all(|c| matches!(c, '-' | '=' | '_' | '*'))
        && body.chars().all(|c| c == body.chars().next().unwrap_or('-'))
    {
        return Lead::Rule;
    }
    let hashes = bytes.iter().take_while(|b| **b == b'#').count();
    if (1..=6).contains(&hashes) && bytes.get(hashes).is_some_and(|b| b.is_ascii_whitespace()) {
        return Lead::Heading(&trimmed[hashes..]);
    }
    if let Some(r) = trimmed.strip_prefix('>') {
        return Lead::Quote(r);
    }
    if let Some(c) = trimmed.chars().next().filter(|c| matches!(c, '-' | '*' | '+' | '\u{2022}' | '\u{25cf}')) {
        if trimmed[c.len_utf8()..].starts_with(char::is_whitespace) {
            return Lead::List(Marker::Bullet(c), &trimmed[c.len_utf8()..], trimmed);
        }
        return Lead::Plain(trimmed);
    }
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && bytes.get(digits + 1).is_some_and(|b| b.is_ascii_whitespace())
    {
        let n = trimmed[..digits].parse().unwrap_or(0);
        return Lead::List(Marker::Number(n), &trimmed[digits + 1..], trimmed);
    }
    Lead::Plain(trimmed)
}

/// Finds the next occurrence of one byte at or after a position that only grows, scanning
/// every byte at most once: markup stripping stays linear on unmatched delimiters.
struct NextByte {
    byte: u8,
    /// The search started here …
    from: usize,
    /// … and found the byte here (`usize::MAX`: not before the end).
    at: usize,
    searched: bool,
}

impl NextByte {
    fn new(byte: u8) -> Self {
        NextByte { byte, from: 0, at: 0, searched: false }
    }

    /// The next occurrence at or after `from`, if it lies within [`MARKUP_WINDOW`] bytes.
    fn find(&mut self, hay: &[u8], from: usize) -> Option<usize> {
        if !(self.searched && from >= self.from && from <= self.at) {
            let rest = hay.get(from..).unwrap_or_default();
            self.at = rest.iter().position(|b| *b == self.byte).map_or(usize::MAX, |p| from + p);
            self.from = from;
            self.searched = true;
        }
        (self.at != usize::MAX && self.at - from <= MARKUP_WINDOW).then_some(self.at)
    }
}

/// The address of an autolink's inside (`https://www.gnu.org/licenses/` → `gnu.org/licenses`),
/// `None` when it is a tag.
fn autolink_address(inner: &str) -> Option<&str> {
    fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
        s.get(..prefix.len()).filter(|p| p.eq_ignore_ascii_case(prefix)).map(|_| &s[prefix.len()..])
    }
    if inner.is_empty() || inner.contains(char::is_whitespace) {
        return None;
    }
    let (rest, linked) = match ["https://", "http://", "mailto:"].iter().find_map(|p| strip_ci(inner, p)) {
        Some(rest) => (rest, true),
        None => (inner, false),
    };
    let rest = match strip_ci(rest, "www.") {
        Some(rest) => rest,
        None if linked => rest,
        None => return None,
    };
    Some(rest.trim_end_matches('/'))
}

/// Removes inline markup: HTML tags and entities; an autolink keeps its address, a markdown
/// link its text and its target (`text (url)`), an image its alt text.
fn strip_inline(s: &str) -> String {
    if !s.contains(['<', '[', '&']) {
        return s.to_string();
    }
    let b = s.as_bytes();
    let (mut gt, mut close_bracket, mut close_paren) = (NextByte::new(b'>'), NextByte::new(b']'), NextByte::new(b')'));
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'<' {
            if let Some(end) = gt.find(b, i + 1) {
                // An autolink (`<https://…>`) is text: a changed address is a changed term. Its
                // spelling is not: scheme, `www.` and a trailing `/` are dropped, so the FSF's
                // http → https refresh of the GPL texts is no change.
                let inner = &s[i + 1..end];
                out.push(' ');
                if let Some(address) = autolink_address(inner) {
                    out.push_str(address);
                    out.push(' ');
                }
                i = end + 1;
                continue;
            }
        } else if c == b'[' || (c == b'!' && b.get(i + 1) == Some(&b'[')) {
            let image = c == b'!';
            let text_start = i + 1 + usize::from(image);
            if let Some(close) = close_bracket.find(b, text_start)
                && b.get(close + 1) == Some(&b'(')
                && let Some(paren) = close_paren.find(b, close + 2)
            {
                let text = &s[text_start..close];
                let target = s[close + 2..paren].trim();
                out.push_str(text);
                if !image && !target.is_empty() && target != text.trim() {
                    out.push_str(" (");
                    out.push_str(target);
                    out.push(')');
                }
                i = paren + 1;
                continue;
            }
        } else if c == b'&'
            && let Some(entity) = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&#39;", "&#x27;"]
                .iter()
                .find(|e| s[i..].starts_with(*e))
        {
            out.push(' ');
            i += entity.len();
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8().max(1);
    }
    out
}

fn clean_chars(s: &str) -> String {
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

/// Whether a line is a copyright notice: `Copyright (c)/©/<year>/<digits> …`,
/// `(c) <year>` or `(c) Copyright …`, `© …`, `All rights reserved.` alone,
/// `SPDX-FileCopyrightText:`, and the templates of the SPDX texts (`Copyright <year> <owner>`,
/// `Copyright [yyyy] …`, `Copyright ${year} …`). Prose that merely starts with the word
/// (Apache-2.0's wrapped "copyright notice that is included in …") is text.
pub(super) fn is_copyright_line(raw: &str) -> bool {
    let start =
        raw.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '#' | '>' | '*' | '-' | '_' | '/' | ';'));
    let lower: String = start.chars().take(48).flat_map(char::to_lowercase).collect();
    if lower.starts_with('\u{a9}') || lower.starts_with("&copy;") || lower.starts_with("spdx-filecopyrighttext") {
        return true;
    }
    if let Some(rest) = lower.strip_prefix("(c)") {
        let rest = rest.trim_start();
        return rest.starts_with(|c: char| c.is_ascii_digit()) || rest.starts_with("copyright");
    }
    if let Some(rest) = lower.strip_prefix("copyright") {
        if rest.starts_with(char::is_alphanumeric) && !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return false; // "copyrighted", "copyrights"
        }
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        return rest.starts_with("(c)")
            || rest.starts_with(['\u{a9}', '<', '[', '{'])
            || rest.starts_with("${")
            || rest.starts_with("&copy;")
            || rest.starts_with("@copyright")
            || rest.starts_with(|c: char| c.is_ascii_digit());
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.len() == 3
        && words[0] == "all"
        && words[1] == "rights"
        && words[2].trim_end_matches(['.', ',', ';', '!']) == "reserved"
        && start.chars().count() <= 48
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

/// The comparison key of a normalized word: a hyphen after a letter is dropped, so that
/// `non-exclusive`, `nonexclusive` and `non-` / `exclusive` across a line break compare equal.
fn key_word(norm: &str) -> std::borrow::Cow<'_, str> {
    if !norm.contains('-') {
        return norm.into();
    }
    let chars: Vec<char> = norm.chars().collect();
    let mut out = String::with_capacity(norm.len());
    for (i, c) in chars.iter().enumerate() {
        let drop = *c == '-'
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|n| *n != '-' && !n.is_whitespace());
        if !drop {
            out.push(*c);
        }
    }
    out.into()
}

/// One token of a text: a word, or a boundary no sentence spans.
enum Tok {
    /// A paragraph break, a horizontal rule, or the edge of a label block.
    Break,
    Word {
        word: Word,
        /// The first word of a line (after markup, list markers and copyright lines).
        line_start: bool,
        /// Inside a label block (label line and its indented continuation): no sentence
        /// ends at its periods.
        label: bool,
    },
}

/// What the previous lines tell about the next one.
struct BlockState {
    /// The previous line was blank, a rule or a heading, or ended with `:` (or there is
    /// none): a list marker here starts a list.
    block_start: bool,
    /// Markers stripped in the current block, with the indentation of the first one.
    list: Option<(usize, Vec<Marker>)>,
    /// The indentation of the label line whose block is open.
    label: Option<usize>,
}

impl BlockState {
    /// Whether a list marker at the start of this line is markup. Only at the start of a
    /// block, or continuing a list begun there (same bullet, the next number, or a nested
    /// list indented deeper): "… as set out in Section\n3. You may …" is wrapped text.
    fn marker_allowed(&self, m: Marker, indent: usize) -> bool {
        if self.block_start {
            return true;
        }
        let Some((list_indent, seen)) = &self.list else { return false };
        match m {
            Marker::Bullet(c) => seen.contains(&Marker::Bullet(c)) || indent > *list_indent,
            Marker::Number(n) => {
                let last = seen.iter().rev().find_map(|m| match m {
                    Marker::Number(k) => Some(*k),
                    Marker::Bullet(_) => None,
                });
                last.is_some_and(|k| n == k + 1 || (n == 1 && k == 1)) || (n == 1 && indent > *list_indent)
            }
        }
    }

    fn brk(&mut self, out: &mut Vec<Tok>) {
        self.block_start = true;
        self.list = None;
        self.label = None;
        out.push(Tok::Break);
    }
}

/// The tokens of a text: markup, copyright lines and list markers removed, hyphenated line
/// breaks joined, paragraph breaks and label blocks marked. Stops at a line boundary once
/// `max_words` words are out.
fn tokens(text: &str, max_words: usize) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut count = 0;
    let mut join_next = false;
    let mut state = BlockState { block_start: true, list: None, label: None };
    for (i, raw) in text.lines().enumerate() {
        if count >= max_words && !join_next {
            break;
        }
        let line = (i + 1) as u32;
        let indent = raw.len() - raw.trim_start().len();
        // A number marker after a bullet (" * 1. Redistributions …" in a comment block).
        let mut inner = None;
        let (body, marker, heading) = match lead(raw) {
            Lead::Rule => {
                state.brk(&mut out);
                join_next = false;
                continue;
            }
            Lead::Heading(r) => (r, None, true),
            Lead::Quote(r) => (r, None, false),
            Lead::List(m, r, whole) => {
                if state.marker_allowed(m, indent) {
                    // A numbered clause in a comment block (" * 1. Redistributions …"): its
                    // number is markup too where a number could start or continue a list ("
                    // * as set out in Section\n * 3. of the Agreement" keeps its 3).
                    let r = match (m, lead(r)) {
                        (Marker::Bullet(_), Lead::List(n @ Marker::Number(_), text, _))
                            if state.marker_allowed(n, indent) =>
                        {
                            inner = Some(n);
                            text
                        }
                        _ => r,
                    };
                    (r, Some(m), false)
                } else {
                    (whole, None, false)
                }
            }
            Lead::Plain(t) => (t, None, false),
        };
        let cleaned = clean_chars(&strip_inline(body));
        let words: Vec<Word> = cleaned
            .split_whitespace()
            .map(|w| Word { norm: normalize_word(w), orig: w.to_string(), line })
            .filter(|w| !w.norm.is_empty())
            .collect();
        if words.is_empty() {
            state.brk(&mut out);
            join_next = false;
            continue;
        }
        // Copyright lines are transparent: they change nothing around them either.
        if is_copyright_line(raw) || is_copyright_line(&cleaned) {
            continue;
        }
        let head: Vec<&str> = words.iter().take(3).map(|w| w.norm.as_str()).collect();
        let head = head.join(" ");
        let is_label = LABELS.iter().any(|l| head.starts_with(l));
        let label = if is_label {
            state.brk(&mut out);
            join_next = false;
            state.label = Some(indent);
            true
        } else if state.label.is_some_and(|l| indent > l) {
            true // an indented continuation of the label line
        } else {
            if state.label.is_some() {
                state.brk(&mut out);
                join_next = false;
            }
            false
        };
        // The list and the line kinds, for the next line.
        for m in marker.into_iter().chain(inner) {
            match &mut state.list {
                Some((_, seen)) => seen.push(m),
                None => state.list = Some((indent, vec![m])),
            }
        }
        state.block_start = heading || cleaned.trim_end().ends_with(':');
        for (k, w) in words.into_iter().enumerate() {
            if k == 0
                && join_next
                && let Some(Tok::Word { word: prev, .. }) = out.last_mut()
            {
                prev.norm.pop();
                prev.norm.push_str(&w.norm);
                prev.orig.pop();
                prev.orig.push_str(&w.orig);
                continue;
            }
            count += 1;
            out.push(Tok::Word { word: w, line_start: k == 0, label });
        }
        join_next = matches!(out.last(), Some(Tok::Word { word, .. }) if ends_hyphenated(&word.norm));
    }
    out
}

/// A word broken at the end of a line: a letter, then a hyphen.
fn ends_hyphenated(norm: &str) -> bool {
    norm.strip_suffix('-').is_some_and(|stem| stem.ends_with(char::is_alphabetic))
}

/// All normalized words, with hyphenated line breaks joined.
pub fn words(text: &str) -> Vec<Word> {
    words_limited(text, usize::MAX)
}

/// The first words (at least `max_words`, whole lines), as [`words`] gives them.
pub fn words_limited(text: &str, max_words: usize) -> Vec<Word> {
    tokens(text, max_words)
        .into_iter()
        .filter_map(|t| match t {
            Tok::Word { word, .. } => Some(word),
            Tok::Break => None,
        })
        .collect()
}

/// The normalized text: words joined by single spaces.
pub fn normalized(text: &str) -> String {
    join_words(&words(text))
}

/// The normalized text and the byte offsets in it where a line of the text begins (after
/// markup, list markers and copyright lines are removed).
pub fn normalized_with_line_starts(text: &str) -> (String, Vec<usize>) {
    let mut s = String::new();
    let mut starts = Vec::new();
    for t in tokens(text, usize::MAX) {
        let Tok::Word { word, line_start, .. } = t else { continue };
        if !s.is_empty() {
            s.push(' ');
        }
        if line_start {
            starts.push(s.len());
        }
        s.push_str(&word.norm);
    }
    (s, starts)
}

/// What identification, hashing and clause detection need of a text, from one pass over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextParts {
    /// The normalized text, as [`normalized_with_line_starts`] gives it.
    pub norm: String,
    /// Byte offsets in `norm` where a line of the text begins.
    pub line_starts: Vec<usize>,
    /// The sentences, as [`sentences`] gives them.
    pub sentences: Vec<Sentence>,
}

impl TextParts {
    /// The short, stable hash of the text ([`text_hash`]): over its sentences, which hold
    /// every word's comparison key in order.
    pub fn hash(&self) -> String {
        let keys: Vec<&str> = self.sentences.iter().map(|s| s.norm.as_str()).collect();
        sha256_hex(&keys.join(" "))[..16].to_string()
    }
}

/// Normalizes a text once for every use: [`TextParts`].
pub fn parts(text: &str) -> TextParts {
    let (mut norm, mut line_starts, mut out) = (String::new(), Vec::new(), Vec::new());
    let mut current: Vec<Word> = Vec::new();
    for t in tokens(text, usize::MAX) {
        match t {
            Tok::Break => flush_sentence(&mut current, &mut out),
            Tok::Word { word, label, line_start } => {
                if !norm.is_empty() {
                    norm.push(' ');
                }
                if line_start {
                    line_starts.push(norm.len());
                }
                norm.push_str(&word.norm);
                let ends = !label && word.norm.ends_with(['.', ';', '!', '?']) && !is_abbreviation(&word.norm);
                current.push(word);
                if ends {
                    flush_sentence(&mut current, &mut out);
                }
            }
        }
    }
    flush_sentence(&mut current, &mut out);
    TextParts { norm, line_starts, sentences: out }
}

fn flush_sentence(current: &mut Vec<Word>, out: &mut Vec<Sentence>) {
    if current.is_empty() {
        return;
    }
    let norm = current.iter().map(|w| key_word(&w.norm)).collect::<Vec<_>>().join(" ");
    let text = current.iter().map(|w| w.orig.as_str()).collect::<Vec<_>>().join(" ");
    out.push(Sentence { norm, text, line: current[0].line });
    current.clear();
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
/// label blocks (a label line and its indented continuation lines are one sentence).
/// Reflowing a paragraph does not change its sentences: they come from the same tokens as
/// [`text_hash`], and their `norm` is the comparison key (hyphens after letters dropped).
pub fn sentences(text: &str) -> Vec<Sentence> {
    parts(text).sentences
}

fn is_abbreviation(w: &str) -> bool {
    matches!(
        w,
        "e.g." | "i.e." | "etc." | "inc." | "ltd." | "co." | "no." | "vs." | "u.s." | "v." | "corp." | "(c)." | "st."
    ) || (w.len() <= 3 && w.trim_end_matches('.').chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Hex SHA-256 of a string.
pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Lowercase hex of bytes (a formatter call per byte costs more than the hash).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// FNV-1a, 32 bits: the cheap hash of word shingles (fingerprints, the bigram index that
/// `build.rs` compiles in).
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

/// The sorted, distinct hashes of a normalized text's word pairs (letters and digits only).
pub fn bigram_hashes(norm: &str) -> Vec<u32> {
    let mut out: Vec<u32> = pair_hashes(norm).into_iter().map(|(hash, _)| hash).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The hashes of a normalized text's word pairs (letters and digits only) in order, each with
/// the byte offset in `norm` of the pair's second word.
pub fn pair_hashes(norm: &str) -> Vec<(u32, usize)> {
    const STEP: u32 = 0x0100_0193;
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut offset = 0;
    for w in norm.split(' ') {
        let plain: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
        if !plain.is_empty() {
            words.push((plain, offset));
        }
        offset += w.len() + 1;
    }
    // FNV-1a of "first second", continued from the first word's state: as `fnv1a32` of the
    // joined pair, without building it.
    words
        .windows(2)
        .map(|p| {
            let first = fnv1a32(p[0].0.as_bytes());
            let spaced = (first ^ u32::from(b' ')).wrapping_mul(STEP);
            (p[1].0.bytes().fold(spaced, |h, b| (h ^ u32::from(b)).wrapping_mul(STEP)), p[1].1)
        })
        .collect()
}

/// The first 8 bytes of the SHA-256 of a string, as a number (for compiled-in tables).
pub fn hash64(s: &str) -> u64 {
    let digest = Sha256::digest(s.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}

/// A short, stable hash of the normalized text (16 hex digits), over the comparison keys of
/// its words (as [`sentences`] compares them).
pub fn text_hash(text: &str) -> String {
    parts(text).hash()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autolinks_are_text_and_tags_are_not() {
        let a = normalized("See <https://example.com/aup> and <b>this</b>.");
        let b = normalized("See <https://example.com/aup-v2> and <b>this</b>.");
        assert_ne!(a, b);
        assert!(a.contains("example.com/aup") && !a.contains('<') && !a.contains("<b>"));
        // Scheme, case, `www.` and a trailing slash are spelling.
        assert_eq!(normalized("see <http://www.gnu.org/licenses/>."), normalized("see <HTTPS://gnu.org/licenses>."));
        assert_eq!(autolink_address("mailto:legal@example.com"), Some("legal@example.com"));
        assert_eq!(autolink_address("year"), None);
        assert_eq!(autolink_address("copyright holders"), None);
    }

    #[test]
    fn one_pass_parts_agree_with_the_separate_functions() {
        for text in [
            "# License\r\n\r\nCopyright © 2024 Other\r\n\r\n**Permission** is hereby granted,\r\nfree of charge.\n",
            "Licensor: ACME\n  Change Date: 2030-01-01\n\nThe non-\nexclusive grant; e.g. this. Ends here!\n",
            "",
            "---\n\n1. Definitions.\n   (a) \"You\" means you.\n",
        ] {
            let parts = parts(text);
            assert_eq!((parts.norm.clone(), parts.line_starts.clone()), normalized_with_line_starts(text), "{text:?}");
            // The hash over every word's comparison key, computed word by word.
            let keys: Vec<_> = words(text).iter().map(|w| key_word(&w.norm).into_owned()).collect();
            assert_eq!(parts.hash(), sha256_hex(&keys.join(" "))[..16], "{text:?}");
        }
    }

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

    fn norms(text: &str) -> Vec<String> {
        sentences(text).into_iter().map(|s| s.norm).collect()
    }

    #[test]
    fn only_real_copyright_notices_are_dropped() {
        for notice in [
            "Copyright (c) 2024 Jane Doe",
            "Copyright (C) 2007 Free Software Foundation, Inc.",
            "Copyright \u{a9} 2024 Other",
            "Copyright 2019-2024 Acme",
            "Copyright(c) 2024 Acme",
            "(c) 2024 Acme",
            "(C) Copyright 1989 Sun Microsystems, Inc.",
            "\u{a9} Acme Corp",
            "All rights reserved.",
            "SPDX-FileCopyrightText: 2024 Jane Doe",
            "# SPDX-FileCopyrightText: 2024 Jane Doe",
            // The templates of the SPDX texts.
            "Copyright (c) <year> <copyright holders>",
            "Copyright <year> <owner>",
            "Copyright [yyyy] [name of copyright owner]",
            "Copyright ${year} ${licensor name}",
        ] {
            assert_eq!(normalized(&format!("{notice}\nSome text.")), "some text.", "{notice:?} is a notice");
        }
        for text in [
            "copyright notice that is included in or attached to the work",
            "COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM",
            "Copyright Holder, and derivatives of that collection",
            "copyrighted material",
            "(c) You must retain, in the Source form",
            "All rights granted under this License",
        ] {
            assert_eq!(normalized(text), normalized(&format!("x\n{text}")).trim_start_matches("x "), "{text:?}");
            assert!(!normalized(text).is_empty(), "{text:?} is text");
        }
    }

    #[test]
    fn apache_wrapped_copyright_lines_survive_reflow() {
        let a = "You must give any other recipients of the Work a copy of this License; and You must retain the\ncopyright notice that is included in the Work.";
        let b = "You must give any other recipients of the Work a copy of this License; and You must\nretain the copyright notice that is included in the Work.";
        assert_eq!(norms(a), norms(b));
        assert_eq!(text_hash(a), text_hash(b));
        assert!(normalized(a).contains("the copyright notice that is included"));
    }

    #[test]
    fn list_markers_are_stripped_only_where_a_block_begins() {
        let one =
            "The Licensor grants a perpetual, non-exclusive license as set out in Section 3. You may not sell it.";
        let wrapped =
            "The Licensor grants a perpetual, non-\nexclusive license as set out in Section\n3. You may not sell it.";
        assert_eq!(norms(one), norms(wrapped));
        assert_eq!(text_hash(one), text_hash(wrapped));
        // Lists: after a blank line, after a colon, consecutive items, nested items.
        let md = "Terms:\n- You may use it\n- You may share it\n  - even commercially\n\n1. First\n2. Second\n";
        let plain = "Terms: You may use it You may share it even commercially\n\nFirst Second\n";
        assert_eq!(normalized(md), normalized(plain));
        // A number that does not continue the list is text.
        assert!(normalized("1. Grant as in Section\n3. of the Agreement").contains("section 3."));
        // Numbered clauses in a comment block lose their numbers as plain ones do.
        let comment = " * are met:\n * 1. Redistributions of source code\n * 2. Redistributions in binary form\n";
        assert_eq!(
            normalized(comment),
            normalized("are met:\n1. Redistributions of source code\n2. Redistributions in binary form")
        );
        assert!(!normalized(comment).contains('1'), "{}", normalized(comment));
        // A number that continues a sentence in a comment block is text.
        assert!(normalized(" * Grant as set out in Section\n * 3. of the Agreement").contains("section 3."));
    }

    #[test]
    fn label_blocks_are_one_sentence() {
        let text = "Licensor:             HashiCorp, Inc.\nLicensed Work:        Vault Version 1.15.0 or later. The Licensed Work is (c) 2023\n                      HashiCorp, Inc.\nAdditional Use Grant: You may make production use. Not for\n                      competitors.\nChange Date:          2027-01-01\n\nTerms. The text.";
        assert_eq!(
            norms(text),
            [
                "licensor: hashicorp, inc.",
                "licensed work: vault version 1.15.0 or later. the licensed work is (c) 2023 hashicorp, inc.",
                "additional use grant: you may make production use. not for competitors.",
                "change date: 2027-01-01",
                "terms.",
                "the text.",
            ]
        );
    }

    #[test]
    fn links_keep_their_target_and_markup_is_linear() {
        assert_eq!(
            normalized("Subject to the [Acceptable Use Policy](https://example.com/aup).\n"),
            "subject to the acceptable use policy (https://example.com/aup)."
        );
        assert_eq!(
            normalized("See [https://x.org](https://x.org) and ![logo](logo.png)."),
            "see https://x.org and logo."
        );
        assert_eq!(normalized("a <b>bold</b> &amp; [unclosed text"), "a bold [unclosed text");
        // About 0.3 s each in a debug build (as long as 1 MiB of plain letters); quadratic
        // stripping took minutes. The bound leaves room for a loaded machine.
        for unmatched in ["[", "<", "![", "[](", "[x]("] {
            let line = unmatched.repeat((1 << 20) / unmatched.len());
            let t = std::time::Instant::now();
            let n = normalized(&line);
            assert!(t.elapsed().as_secs_f64() < 5.0, "{unmatched:?}: {:?}", t.elapsed());
            assert_eq!(n.len(), line.len(), "{unmatched:?}");
        }
    }

    #[test]
    fn line_starts_point_at_first_words() {
        let (norm, starts) =
            normalized_with_line_starts("Copyright (c) 2024 X\n# Title Here\nsome non-\nexclusive words\n\n- item\n");
        assert_eq!(norm, "title here some nonexclusive words item");
        let firsts: Vec<&str> = starts.iter().map(|s| norm[*s..].split(' ').next().unwrap()).collect();
        assert_eq!(firsts, ["title", "some", "item"]);
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

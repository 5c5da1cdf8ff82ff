//! The `diff` document as pretty JSON with its findings written by hand: serde's pretty
//! printer costs more than the comparison itself on a change of 40,000 scopes. The rest of
//! the document, and the rare parts of a finding, go through serde; a test holds the whole
//! output to `serde_json::to_writer_pretty`'s, byte for byte.

use std::io::{self, Write};

use serde::Serialize;

use super::DiffReport;
use crate::drift::{Evidence, Finding};

/// Bytes gathered before they are passed on.
const CHUNK: usize = 1 << 16;

/// Writes the `diff` document exactly as [`super::write_json`] would.
pub fn write_diff_json(r: &DiffReport, w: &mut dyn Write) -> io::Result<()> {
    let mut o = Out { buf: Vec::with_capacity(CHUNK + 4096) };
    o.buf.push(b'{');
    let mut first = true;
    o.key(1, "schema_version", &mut first);
    o.value(&r.schema_version, 1)?;
    o.key(1, "tool", &mut first);
    o.value(&r.tool, 1)?;
    o.key(1, "base", &mut first);
    o.value(&r.base, 1)?;
    o.key(1, "head", &mut first);
    o.value(&r.head, 1)?;
    o.key(1, "fail_on", &mut first);
    o.value(&r.fail_on, 1)?;
    o.key(1, "policy", &mut first);
    o.string(&r.policy);
    o.key(1, "warn_only", &mut first);
    o.value(&r.warn_only, 1)?;
    o.key(1, "findings", &mut first);
    if r.findings.is_empty() {
        o.buf.extend_from_slice(b"[]");
    }
    for (i, f) in r.findings.iter().enumerate() {
        o.buf.extend_from_slice(if i == 0 { b"[" } else { b"," });
        o.newline(2);
        o.finding(f)?;
        if o.buf.len() >= CHUNK {
            w.write_all(&o.buf)?;
            o.buf.clear();
        }
    }
    if !r.findings.is_empty() {
        o.newline(1);
        o.buf.push(b']');
    }
    o.key(1, "warnings", &mut first);
    o.value(&r.warnings, 1)?;
    o.key(1, "summary", &mut first);
    o.value(&r.summary, 1)?;
    o.key(1, "blocking", &mut first);
    o.value(&r.blocking, 1)?;
    o.buf.extend_from_slice(b"\n}\n");
    w.write_all(&o.buf)
}

/// How many leading bytes of `bytes`, in whole 8-byte words, need no escape (no control
/// character, quote or backslash), tested a word at a time.
fn clean_words(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below `n` (at most 128) sets its high bit in `(x - n·ONES) & !x`.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let mut n = 0;
    for word in bytes.chunks_exact(8) {
        let x = u64::from_le_bytes(word.try_into().unwrap_or_default());
        if below(x, 0x20) | below(x ^ (ONES * u64::from(b'"')), 1) | below(x ^ (ONES * u64::from(b'\\')), 1) != 0 {
            break;
        }
        n += 8;
    }
    n
}

struct Out {
    buf: Vec<u8>,
}

impl Out {
    /// A line break and the indentation of `level`.
    fn newline(&mut self, level: usize) {
        const SPACES: &[u8] = &[b' '; 32];
        self.buf.push(b'\n');
        let mut n = level * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            self.buf.extend_from_slice(&SPACES[..k]);
            n -= k;
        }
    }

    /// `"name": ` of an object's member at `level`, after a comma unless it is the first.
    /// Member names are plain ASCII: nothing to escape.
    fn key(&mut self, level: usize, name: &'static str, first: &mut bool) {
        debug_assert!(name.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\'));
        /// A line break, the indentation of a level and the opening quote, by level.
        const OPENINGS: [&[u8]; 6] =
            [b"\n\"", b"\n  \"", b"\n    \"", b"\n      \"", b"\n        \"", b"\n          \""];
        if !std::mem::take(first) {
            self.buf.push(b',');
        }
        match OPENINGS.get(level) {
            Some(opening) => self.buf.extend_from_slice(opening),
            None => {
                self.newline(level);
                self.buf.push(b'"');
            }
        }
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"\": ");
    }

    /// Any value through serde, indented to sit at `level` (strings never hold a raw line
    /// break, so every one in serde's output starts a line).
    fn value(&mut self, v: &impl Serialize, level: usize) -> io::Result<()> {
        let text = serde_json::to_vec_pretty(v).map_err(io::Error::other)?;
        for part in text.split(|&b| b == b'\n').enumerate() {
            if part.0 > 0 {
                self.newline(level);
            }
            self.buf.extend_from_slice(part.1);
        }
        Ok(())
    }

    /// A JSON string, escaped as serde_json escapes it.
    fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.buf.push(b'"');
        let bytes = s.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            i += clean_words(&bytes[i..]);
            // The word with something to escape (or the last few bytes), byte by byte.
            let stop = (i + 8).min(bytes.len());
            while i < stop {
                let b = bytes[i];
                i += 1;
                let short: &[u8] = match b {
                    b'"' => b"\\\"",
                    b'\\' => b"\\\\",
                    b'\n' => b"\\n",
                    b'\r' => b"\\r",
                    b'\t' => b"\\t",
                    0x08 => b"\\b",
                    0x0c => b"\\f",
                    0..=0x1f => b"",
                    _ => continue,
                };
                self.buf.extend_from_slice(&bytes[start..i - 1]);
                start = i;
                if short.is_empty() {
                    self.buf.extend_from_slice(b"\\u00");
                    self.buf.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
                } else {
                    self.buf.extend_from_slice(short);
                }
            }
        }
        self.buf.extend_from_slice(&bytes[start..]);
        self.buf.push(b'"');
    }

    /// A name of the interface (rule, severity, kind): plain ASCII, nothing to escape.
    fn name(&mut self, s: &'static str) {
        debug_assert!(s.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\'));
        self.buf.push(b'"');
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(b'"');
    }

    fn opt_string(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.buf.extend_from_slice(b"null"),
        }
    }

    fn number(&mut self, n: u32) {
        let mut digits = [0u8; 10];
        let (mut n, mut i) = (n, digits.len());
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&digits[i..]);
    }

    /// An array of strings at `level`.
    fn strings(&mut self, v: &[String], level: usize) {
        if v.is_empty() {
            self.buf.extend_from_slice(b"[]");
            return;
        }
        for (i, s) in v.iter().enumerate() {
            self.buf.extend_from_slice(if i == 0 { b"[" } else { b"," });
            self.newline(level + 1);
            self.string(s);
        }
        self.newline(level);
        self.buf.push(b']');
    }

    /// A finding, its braces at level 2 (members at 3), as its `Serialize` derive writes it.
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        const L: usize = 3;
        let mut first = true;
        self.buf.push(b'{');
        self.key(L, "id", &mut first);
        self.string(&f.id);
        self.key(L, "rule", &mut first);
        self.name(f.rule.name());
        self.key(L, "severity", &mut first);
        self.name(f.severity.as_str());
        if let Some(d) = f.direction {
            self.key(L, "direction", &mut first);
            self.name(d.name());
        }
        self.key(L, "scope", &mut first);
        self.buf.push(b'{');
        let mut scope_first = true;
        self.key(L + 1, "path", &mut scope_first);
        self.string(&f.scope.path);
        self.key(L + 1, "component", &mut scope_first);
        self.name(f.scope.component.as_str());
        self.newline(L);
        self.buf.push(b'}');
        self.key(L, "paths", &mut first);
        self.strings(&f.paths, L);
        self.key(L, "before", &mut first);
        self.opt_string(f.before.as_deref());
        self.key(L, "after", &mut first);
        self.opt_string(f.after.as_deref());
        if let Some(p) = &f.parameter {
            self.key(L, "parameter", &mut first);
            self.value(p, L)?;
        }
        self.key(L, "message", &mut first);
        self.string(&f.message);
        if let Some(why) = &f.why {
            self.key(L, "why", &mut first);
            self.string(why);
        }
        self.key(L, "evidence", &mut first);
        if f.evidence.is_empty() {
            self.buf.extend_from_slice(b"[]");
        }
        for (i, e) in f.evidence.iter().enumerate() {
            self.buf.extend_from_slice(if i == 0 { b"[" } else { b"," });
            self.newline(L + 1);
            self.evidence(e, L + 2);
        }
        if !f.evidence.is_empty() {
            self.newline(L);
            self.buf.push(b']');
        }
        if let Some(a) = &f.acknowledged {
            self.key(L, "acknowledged", &mut first);
            self.value(a, L)?;
        }
        self.newline(L - 1);
        self.buf.push(b'}');
        Ok(())
    }

    /// One piece of evidence, its members at `level`.
    fn evidence(&mut self, e: &Evidence, level: usize) {
        let mut first = true;
        self.buf.push(b'{');
        self.key(level, "path", &mut first);
        self.string(&e.path);
        self.key(level, "line", &mut first);
        match e.line {
            Some(n) => self.number(n),
            None => self.buf.extend_from_slice(b"null"),
        }
        self.key(level, "kind", &mut first);
        self.name(e.kind.name());
        self.key(level, "text", &mut first);
        self.string(&e.text);
        if let Some(before) = &e.before {
            self.key(level, "before", &mut first);
            self.string(before);
        }
        self.newline(level - 1);
        self.buf.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use git2::Oid;

    use super::write_diff_json;
    use crate::drift::{
        Acknowledged, Evidence, EvidenceKind, Finding, Parameter, ParameterName, Rule, ScopeJson, Severity,
    };
    use crate::engine::DiffOutcome;
    use crate::git::Revision;
    use crate::knowledge::ladder::Direction;
    use crate::report::{DiffReport, FailOn, write_json};
    use crate::snapshot::Component;

    fn finding(i: usize) -> Finding {
        let odd = i % 2 == 1;
        let evidence = (0..i % 3)
            .map(|k| Evidence {
                path: format!("p{k}/LICENSE \"q\"\\"),
                line: (k % 2 == 1).then_some(4_294_967_295 - k as u32 * 1_000_000_007 % 1000),
                kind: [EvidenceKind::Before, EvidenceKind::ClauseReworded, EvidenceKind::ClosestGuess][k],
                text: "tab\there\nnew\r\u{1}\u{8}\u{c}\u{1f}\u{7f} é → 😀 </script>".into(),
                before: (k == 1).then(|| "was \u{0}".into()),
            })
            .collect();
        Finding {
            id: format!("{i:012x}"),
            rule: Rule::ALL[i % Rule::ALL.len()],
            severity: [Severity::Error, Severity::Warning, Severity::Info][i % 3],
            direction: [None, Some(Direction::Tightened), Some(Direction::Unknown), Some(Direction::Changed)][i % 4],
            scope: ScopeJson { path: if odd { "a/b".into() } else { String::new() }, component: Component::Weights },
            paths: (0..i % 3).map(|k| format!("x{k}")).collect(),
            before: odd.then(|| "MIT".into()),
            after: (!odd).then(|| "GPL-3.0-only".into()),
            parameter: (i % 5 == 2).then(|| Parameter {
                name: ParameterName::UserCap,
                before: "700 million".into(),
                after: "1 \"billion\"".into(),
            }),
            message: format!("message {i}\u{2028}"),
            why: (i % 4 != 1).then(|| "why".into()),
            evidence,
            acknowledged: (i % 6 == 5).then(|| Acknowledged {
                reason: "ok\n".into(),
                by: odd.then(|| "me".into()),
                until: None,
                in_this_change: odd,
            }),
            legacy_ids: vec!["old".into()],
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them_wherever_the_byte_sits() {
        for c in (0u8..128).map(char::from).chain(['é', '→', '😀', '\u{2028}']) {
            for at in 0..20 {
                let s: String = (0..20).map(|i| if i == at { c } else { 'a' }).collect();
                let mut out = super::Out { buf: Vec::new() };
                out.string(&s);
                assert_eq!(String::from_utf8(out.buf).unwrap(), serde_json::to_string(&s).unwrap(), "{c:?} at {at}");
            }
        }
    }

    #[test]
    fn findings_written_by_hand_are_what_serde_writes() {
        let rev = |name: &str, commit: Option<Oid>| Revision { rev: name.into(), commit, tree: Oid::ZERO_SHA1 };
        for n in [0, 1, 2, 13] {
            let outcome = DiffOutcome {
                base: rev("v1 \"x\"", None),
                head: rev("HEAD", Some(Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap())),
                findings: (0..n).map(finding).collect(),
                warnings: if n > 1 { vec!["w\u{1b}[31m".into(), "v".into()] } else { Vec::new() },
            };
            let mut report = DiffReport::new(outcome, FailOn::Warning);
            report.warn_only = n == 2;
            let (mut ours, mut serde) = (Vec::new(), Vec::new());
            write_diff_json(&report, &mut ours).unwrap();
            write_json(&report, &mut serde).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(serde).unwrap(), "{n} findings");
        }
    }
}

//! Repository text on its way to a terminal or a pull-request comment: control characters,
//! escape sequences and bidirectional overrides are made visible, markdown is escaped.

/// For terminals: escapes (ESC …), C0/C1 controls and bidi overrides become `\u{..}`.
/// Newlines are kept only when `multiline`.
pub fn terminal(s: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' if multiline => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// For one line of markdown (table cells, summaries): no HTML, no mentions, no table
/// breaks, no code-span escapes.
pub fn markdown_inline(s: &str) -> String {
    let s = terminal(s, false);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // A zero-width space breaks a mention; an entity would not (GitHub decodes it first).
            '@' => out.push_str("@\u{200b}"),
            '`' => out.push('\''),
            '*' | '_' | '[' | ']' | '\\' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// For text inside a fenced code block: fences cannot be closed from inside.
pub fn markdown_code(s: &str) -> String {
    terminal(s, false).replace("~~~", "~\u{200b}~~").replace("```", "`\u{200b}``")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_markup() {
        assert_eq!(terminal("a\x1b[31mred", false), "a\\u{1b}[31mred");
        assert_eq!(terminal("x\u{202E}y", false), "x\\u{202e}y");
        assert_eq!(markdown_inline("<img src=x> @team | `x`"), "&lt;img src=x&gt; @\u{200b}team \\| 'x'");
        assert!(!markdown_code("~~~\nrm").contains("~~~"));
    }
}

//! `SPDX-License-Identifier:` headers of ordinary files: read from the start of the files
//! that changed only, never from the whole tree.

use crate::knowledge::{self, expr::Expr, normalize};

/// Bytes of a file's start that may hold its header.
pub const HEADER_BYTES: usize = 4096;
/// What a header line says.
const MARKER: &str = "SPDX-License-Identifier:";
/// Lines of a file's start that may hold its header.
const HEADER_LINES: usize = 30;

/// Whether a path may carry a text header (by extension).
pub fn may_have_header(path: &str) -> bool {
    !crate::snapshot::has_binary_extension(path.rsplit('/').next().unwrap_or(path))
}

/// The license a file's header declares, with the 1-based line, from the file's first bytes.
pub fn header_license(head: &[u8]) -> Option<(Expr, u32)> {
    // Most files carry no header: one byte search over the first lines rejects them before
    // any decoding (UTF-16 texts, which hide the marker behind zero bytes, take the slow way).
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let head = if utf16 {
        head
    } else {
        let cut = memchr::memchr_iter(b'\n', head).nth(HEADER_LINES - 1).unwrap_or(head.len());
        memchr::memmem::find(&head[..cut], MARKER.as_bytes())?;
        // A NUL anywhere in the start read makes a binary, whatever its first lines say.
        if memchr::memchr(0, head).is_some() {
            return None;
        }
        &head[..cut]
    };
    // Source files are UTF-8: read in place; anything else is decoded.
    let decoded;
    let text = match std::str::from_utf8(head) {
        Ok(text) if !utf16 && !text.contains('\0') => text.strip_prefix('\u{feff}').unwrap_or(text),
        _ => {
            decoded = normalize::decode(head);
            if decoded.binary {
                return None;
            }
            &decoded.text
        }
    };
    let text = knowledge::first_lines(text, HEADER_LINES);
    let at = memchr::memmem::find(text.as_bytes(), MARKER.as_bytes())?;
    let line = memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count();
    let exprs = knowledge::spdx_identifier_lines(text, HEADER_LINES);
    Some((Expr::and_all(exprs)?, line as u32 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_comment_styles() {
        let (e, line) =
            header_license(b"// Copyright ACME\n// SPDX-License-Identifier: MPL-2.0\nfn main() {}\n").unwrap();
        assert_eq!((e.to_string().as_str(), line), ("MPL-2.0", 2));
        assert_eq!(header_license(b"/* SPDX-License-Identifier: BUSL-1.1 */\n").unwrap().0.to_string(), "BUSL-1.1");
        assert_eq!(
            header_license(b"<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n").unwrap().0.to_string(),
            "CC-BY-4.0"
        );
        assert!(header_license(b"fn main() {}\n").is_none());
        // Only the first 30 lines count; CRLF and two identifiers (AND) are read.
        let late = format!("{}// SPDX-License-Identifier: MIT\n", "x\n".repeat(30));
        assert!(header_license(late.as_bytes()).is_none());
        let crlf = b"// SPDX-License-Identifier: MIT\r\n// SPDX-License-Identifier: Apache-2.0\r\n";
        let (e, line) = header_license(crlf).unwrap();
        assert_eq!((e.to_string().as_str(), line), ("Apache-2.0 AND MIT", 1));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("# SPDX-License-Identifier: MIT\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(header_license(&utf16).unwrap().0.to_string(), "MIT");
        // A UTF-8 BOM is skipped; NUL bytes make a binary, whatever it says.
        assert_eq!(header_license("\u{feff}// SPDX-License-Identifier: MIT\n".as_bytes()).unwrap().1, 1);
        assert!(header_license(b"// SPDX-License-Identifier: MIT\n\0\0\x01").is_none());
        let late_nul = format!("// SPDX-License-Identifier: MIT\n{}\0", "x\n".repeat(40));
        assert!(header_license(late_nul.as_bytes()).is_none());
        // Not UTF-8: decoded byte by byte.
        assert_eq!(header_license(b"// \xa9 ACME\n// SPDX-License-Identifier: MIT\n").unwrap().1, 2);
        assert!(may_have_header("src/lib.rs") && !may_have_header("model.safetensors"));
    }
}

//! `SPDX-License-Identifier:` headers of ordinary files: read from the start of the files
//! that changed only, never from the whole tree.

use crate::knowledge::{self, expr::Expr, normalize};

/// Bytes of a file's start that may hold its header.
pub const HEADER_BYTES: usize = 4096;
/// Lines of a file's start that may hold its header.
const HEADER_LINES: usize = 30;

/// Whether a path may carry a text header (by extension).
pub fn may_have_header(path: &str) -> bool {
    !crate::snapshot::has_binary_extension(path.rsplit('/').next().unwrap_or(path))
}

/// The license a file's header declares, with the 1-based line, from the file's first bytes.
pub fn header_license(head: &[u8]) -> Option<(Expr, u32)> {
    let decoded = normalize::decode(head);
    if decoded.binary {
        return None;
    }
    let (line, _) =
        decoded.text.lines().take(HEADER_LINES).enumerate().find(|(_, l)| l.contains("SPDX-License-Identifier:"))?;
    let exprs = knowledge::spdx_identifier_lines(&decoded.text, HEADER_LINES);
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
        assert!(may_have_header("src/lib.rs") && !may_have_header("model.safetensors"));
    }
}

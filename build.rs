//! Builds the exact-text index of the SPDX license list at compile time, so that
//! identifying a known text costs a hash and a binary search instead of normalizing five
//! megabytes of license texts at start-up. The normalization is the crate's own module,
//! compiled into this script too, so both sides agree by construction.

#[allow(dead_code)]
#[path = "src/knowledge/normalize.rs"]
mod normalize;

use std::fmt::Write as _;

/// Words of a text's beginning the index keys on (must match `spdx_ids::FINGERPRINT_WORDS`).
const FINGERPRINT_WORDS: usize = 40;
const APPENDIX_END: &str = "END OF TERMS AND CONDITIONS";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/knowledge/normalize.rs");
    let mut rows: Vec<(u64, u64, u64, &str)> = Vec::new();
    for (name, text) in spdx::text::LICENSE_TEXTS {
        let Some(id) = spdx::license_id(name) else { continue };
        if id.is_deprecated() {
            continue;
        }
        let normalized = normalize::normalized(text);
        if normalized.split(' ').count() < 20 {
            continue;
        }
        // Apache-2.0 and the GPLs often ship without their how-to-apply appendix.
        let cut = text
            .find(APPENDIX_END)
            .map(|end| normalize::hash64(&normalize::normalized(&text[..end + APPENDIX_END.len()])))
            .unwrap_or(0);
        rows.push((normalize::fingerprint(text, FINGERPRINT_WORDS), normalize::hash64(&normalized), cut, id.name));
    }
    rows.sort();
    let mut out = String::from(
        "/// (fingerprint of the first words, hash of the normalized text, hash without the appendix or 0, SPDX id), sorted.\n",
    );
    writeln!(out, "pub static EXACT_TEXTS: &[(u64, u64, u64, &str)] = &[").unwrap();
    for (fp, full, cut, id) in &rows {
        writeln!(out, "    ({fp:#x}, {full:#x}, {cut:#x}, {id:?}),").unwrap();
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("exact_index.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}

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
/// Leading lines (a title, a version line) a real file may leave out, and at most how many
/// words they may hold.
const TITLE_LINES: usize = 3;
const TITLE_WORDS: usize = 12;

/// Index rows of one variant of a text: the variant itself and the variants without its
/// first title lines, each as (fingerprint, hash, word count).
fn variants(text: &str) -> Vec<(u64, u64, u32)> {
    let (norm, line_starts) = normalize::normalized_with_line_starts(text);
    let mut out = Vec::new();
    let starts = std::iter::once(0).chain(line_starts.iter().copied().filter(|&s| s > 0));
    for start in starts.take(TITLE_LINES + 1) {
        let rest = &norm[start..];
        if norm[..start].split(' ').filter(|w| !w.is_empty()).count() > TITLE_WORDS {
            break;
        }
        let words: Vec<&str> = rest.split(' ').collect();
        if words.len() < 20 {
            break;
        }
        let fp = normalize::hash64(&words[..words.len().min(FINGERPRINT_WORDS)].join(" "));
        out.push((fp, normalize::hash64(rest), words.len() as u32));
    }
    out
}

/// Checks a built-in data table: it parses, its array of tables `array` is not empty, and
/// every entry has the keys `required` with values of the right kind. A broken table fails
/// the build, so no binary ever runs with an empty table that would let every gate pass.
fn check_table(file: &str, array: &str, required: &[(&str, &str)]) {
    println!("cargo::rerun-if-changed={file}");
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{file} does not parse:\n{e}"));
    let entries = table.get(array).and_then(toml::Value::as_array).unwrap_or_else(|| panic!("{file}: no [[{array}]]"));
    assert!(!entries.is_empty(), "{file}: [[{array}]] is empty");
    let mut ids = std::collections::BTreeSet::new();
    for (i, entry) in entries.iter().enumerate() {
        let entry = entry.as_table().unwrap_or_else(|| panic!("{file}: [[{array}]] #{} is not a table", i + 1));
        for (key, kind) in required {
            let value = entry.get(*key);
            let ok = match *kind {
                "string" => value.and_then(toml::Value::as_str).is_some_and(|s| !s.trim().is_empty()),
                "bool" => value.is_some_and(toml::Value::is_bool),
                "integer" => value.is_some_and(toml::Value::is_integer),
                _ => value
                    .and_then(toml::Value::as_array)
                    .is_some_and(|a| !a.is_empty() && a.iter().all(toml::Value::is_str)),
            };
            assert!(ok, "{file}: [[{array}]] #{} needs `{key}` ({kind}, not empty)", i + 1);
        }
        let id = entry.get("id").or_else(|| entry.get("name")).map(ToString::to_string).unwrap_or_default();
        assert!(ids.insert(id.clone()), "{file}: [[{array}]] {id} appears twice");
    }
}

/// The word-pair sets of the SPDX license and exception texts, for `knowledge::similarity`,
/// as an inverted index read in place by the binary (nothing to load or decompress at start):
/// `bigrams.bin` holds, little-endian, the number of sets S and of postings P, S u32 set
/// sizes, P u32 word-pair hashes in ascending order, and P u16 set numbers beside them; sets
/// are numbered as `bigram_ids.rs` lists them, licenses first, then exceptions.
fn write_bigram_index() {
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut sizes: Vec<u32> = Vec::new();
    let mut postings: Vec<(u32, u16)> = Vec::new();
    let mut ids = String::from(
        "/// SPDX ids of the license sets of `bigrams.bin`, in order.\npub static BIGRAM_IDS: &[&str] = &[\n",
    );
    let mut add = |text: &str, sizes: &mut Vec<u32>| -> bool {
        let hashes = normalize::bigram_hashes(&normalize::normalized(text));
        if hashes.is_empty() {
            return false;
        }
        let set = u16::try_from(sizes.len()).expect("fewer than 65,536 texts");
        sizes.push(hashes.len() as u32);
        postings.extend(hashes.into_iter().map(|h| (h, set)));
        true
    };
    for (name, text) in spdx::text::LICENSE_TEXTS {
        let Some(id) = spdx::license_id(name) else { continue };
        if !id.is_deprecated() && add(text, &mut sizes) {
            writeln!(ids, "    {:?},", id.name).unwrap();
        }
    }
    ids.push_str("];\n/// SPDX exception ids of the sets after the licenses', in order.\npub static EXCEPTION_IDS: &[&str] = &[\n");
    for (name, text) in spdx::text::EXCEPTION_TEXTS {
        if add(text, &mut sizes) {
            writeln!(ids, "    {name:?},").unwrap();
        }
    }
    // The standard headers ("Licensed under the Apache License, Version 2.0 …"), which only
    // the spdx crate's detection store holds: read here, at build time, so that the binary
    // needs neither that store nor its decompression.
    ids.push_str("];\n/// SPDX ids whose standard header is a set after the exceptions', in order.\npub static HEADER_IDS: &[&str] = &[\n");
    let store = spdx::detection::Store::load_inline().expect("the spdx crate's matcher store loads");
    let mut entries: Vec<(&String, &spdx::detection::LicenseEntry)> = store.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (name, entry) in entries {
        for header in &entry.headers {
            if add(&header.lines().join("\n"), &mut sizes) {
                writeln!(ids, "    {name:?},").unwrap();
            }
        }
    }
    ids.push_str("];\n");
    postings.sort_unstable();
    let mut bytes: Vec<u8> = Vec::new();
    bytes.extend((sizes.len() as u32).to_le_bytes());
    bytes.extend((postings.len() as u32).to_le_bytes());
    sizes.iter().for_each(|n| bytes.extend(n.to_le_bytes()));
    postings.iter().for_each(|(h, _)| bytes.extend(h.to_le_bytes()));
    postings.iter().for_each(|(_, set)| bytes.extend(set.to_le_bytes()));
    std::fs::write(out_dir.join("bigrams.bin"), bytes).expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("bigram_ids.rs"), ids).expect("OUT_DIR is writable");
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    check_table(
        "src/knowledge/ai-licenses.toml",
        "license",
        &[
            ("id", "string"),
            ("kind", "string"),
            ("name", "string"),
            ("rung", "string"),
            ("commercial", "bool"),
            ("osi", "bool"),
        ],
    );
    check_table("src/knowledge/clauses.toml", "category", &[("name", "string"), ("patterns", "strings")]);
    check_table(
        "src/knowledge/components.toml",
        "component",
        &[
            ("name", "string"),
            ("id", "string"),
            ("content", "string"),
            ("class", "integer"),
            ("required", "bool"),
            ("globs", "strings"),
        ],
    );
    println!("cargo::rerun-if-changed=src/knowledge/normalize.rs");
    // A position-independent executable spends ~2 ms of every run applying 42,000 relative
    // relocations (and copying the pages they touch) before `main`: most of a pre-push
    // hook's run when nothing relevant changed. Like Go's tools, the binary is linked at a
    // fixed address on Linux; the code inside stays position-independent.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    let mut rows: Vec<(u64, u64, u32, u32, &str)> = Vec::new();
    for (name, text) in spdx::text::LICENSE_TEXTS {
        let Some(id) = spdx::license_id(name) else { continue };
        if id.is_deprecated() {
            continue;
        }
        for (fp, hash, words) in variants(text) {
            rows.push((fp, hash, words, 0, id.name));
        }
        // Apache-2.0 and the GPLs often ship without their how-to-apply appendix, or with
        // another rendering of it.
        if let Some(end) = text.find(APPENDIX_END) {
            let (head, appendix) = text.split_at(end + APPENDIX_END.len());
            let appendix_words = normalize::normalized(appendix).split(' ').filter(|w| !w.is_empty()).count();
            for (fp, hash, words) in variants(head) {
                rows.push((fp, hash, words, appendix_words as u32, id.name));
            }
        }
    }
    write_bigram_index();
    rows.sort();
    rows.dedup();
    let mut out = String::from(
        "/// (fingerprint of the first words, hash of the normalized text, its word count, the words of the\n/// appendix left out or 0, SPDX id), sorted.\n",
    );
    writeln!(out, "pub static EXACT_TEXTS: &[(u64, u64, u32, u32, &str)] = &[").unwrap();
    for (fp, hash, words, appendix, id) in &rows {
        writeln!(out, "    ({fp:#x}, {hash:#x}, {words}, {appendix}, {id:?}),").unwrap();
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("exact_index.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}

//! Prints the fingerprint line of a published license text for `src/knowledge/fingerprints.txt`
//! (`corpus/fingerprints/build.py` runs it): `fingerprint ID NAMES FILE`, with NAMES the
//! comma-separated lower-case words that name the license or its publisher.

use license_drift::knowledge::{fingerprints, normalize};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [id, names, file] = args.as_slice() else {
        eprintln!("usage: fingerprint ID NAMES FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(file).unwrap_or_else(|e| {
        eprintln!("fingerprint: cannot read {file}: {e}");
        std::process::exit(2);
    });
    let text = normalize::decode(&bytes).text;
    let names: Vec<&str> = names.split(',').filter(|n| !n.is_empty()).collect();
    let hashes = fingerprints::shingles(&normalize::normalized(&text), &names);
    let hex: Vec<String> = hashes.iter().map(|h| format!("{h:08x}")).collect();
    println!("{id}\t{}\t{}", names.join(","), hex.join(" "));
}

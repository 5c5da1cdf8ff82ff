//! Prints `docs/license-ids.md`, the published table of knowledge-base license ids:
//! `cargo run --example license-ids > docs/license-ids.md`.

fn main() {
    print!("{}", license_drift::knowledge::ai::id_table_markdown());
}

//! The TOML reading Cargo.toml, pyproject.toml and REUSE.toml share: a document with spans,
//! keys looked up with their lines.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::line_at;

pub(super) type Table<'i> = DeTable<'i>;

pub(super) fn toml_doc(text: &str) -> Result<Spanned<Table<'_>>, String> {
    DeTable::parse(text).map_err(|e| match e.span() {
        Some(span) => format!("line {}: {}", line_at(text, span.start), e.message().trim()),
        None => e.message().trim().to_string(),
    })
}

/// A key of a table with the line of the key.
pub(super) fn get<'a, 'i>(table: &'a Table<'i>, key: &str, text: &str) -> Option<(&'a DeValue<'i>, u32)> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(k, v)| (v.get_ref(), line_at(text, k.span().start)))
}

pub(super) fn get_table<'a, 'i>(table: &'a Table<'i>, key: &str) -> Option<&'a Table<'i>> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key).and_then(|(_, v)| v.get_ref().as_table())
}

/// A string, or the strings of an array.
pub(super) fn strings<'a>(v: &'a DeValue<'_>) -> Vec<&'a str> {
    match v {
        DeValue::String(s) => vec![s.as_ref()],
        DeValue::Array(a) => a.iter().filter_map(|x| x.get_ref().as_str()).collect(),
        _ => Vec::new(),
    }
}

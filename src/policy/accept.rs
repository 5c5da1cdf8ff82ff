//! `license-drift accept`: writes `[[accept]]` entries into the policy file, keeping its
//! comments and formatting.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

/// One entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccept {
    pub id: String,
    pub reason: String,
    pub by: Option<String>,
    pub until: Option<String>,
}

/// Adds entries (ids already present are left alone) and removes `prune` ids; returns the
/// new text and the ids written.
pub fn edit(text: &str, add: &[NewAccept], prune: &[String]) -> Result<(String, Vec<String>), String> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let existing: Vec<String> = doc
        .get("accept")
        .and_then(Item::as_array_of_tables)
        .map(|a| a.iter().filter_map(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_ascii_lowercase)).collect())
        .unwrap_or_default();
    if !prune.is_empty()
        && let Some(arr) = doc.get_mut("accept").and_then(Item::as_array_of_tables_mut)
    {
        arr.retain(|t| {
            !t.get("id").and_then(|v| v.as_str()).is_some_and(|id| prune.contains(&id.to_ascii_lowercase()))
        });
    }
    let mut written = Vec::new();
    for a in add.iter().filter(|a| !existing.contains(&a.id)) {
        let mut t = Table::new();
        t.insert("id", value(a.id.clone()));
        t.insert("reason", value(a.reason.clone()));
        if let Some(by) = &a.by {
            t.insert("by", value(by.clone()));
        }
        if let Some(until) = &a.until {
            match until.parse::<toml_edit::Datetime>() {
                Ok(d) => t.insert("until", value(d)),
                Err(_) => t.insert("until", value(until.clone())),
            };
        }
        if doc.get("accept").is_none() {
            doc.insert("accept", Item::ArrayOfTables(ArrayOfTables::new()));
        }
        match doc.get_mut("accept").and_then(Item::as_array_of_tables_mut) {
            Some(arr) => arr.push(t),
            None => return Err("`accept` in the policy file is not an array of tables ([[accept]])".into()),
        }
        written.push(a.id.clone());
    }
    Ok((doc.to_string(), written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_comments_and_adds_entries() {
        let text = "# our policy\nfail-on = \"error\" # strict\n\n[[accept]]\n# old one\nid = \"aaaaaaaaaaaa\"\nreason = \"x\"\n";
        let add = NewAccept {
            id: "0123456789ab".into(),
            reason: "deliberate relicensing".into(),
            by: Some("legal".into()),
            until: Some("2027-01-31".into()),
        };
        let (out, written) = edit(text, std::slice::from_ref(&add), &[]).unwrap();
        assert_eq!(written, vec!["0123456789ab"]);
        assert!(out.starts_with("# our policy\nfail-on = \"error\" # strict\n"), "{out}");
        assert!(out.contains("# old one") && out.contains("until = 2027-01-31"), "{out}");
        let (again, written) = edit(&out, &[add], &["aaaaaaaaaaaa".into()]).unwrap();
        assert!(written.is_empty());
        assert!(!again.contains("aaaaaaaaaaaa") && again.contains("0123456789ab"), "{again}");
    }
}

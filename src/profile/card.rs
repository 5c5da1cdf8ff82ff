//! Model and data cards: the YAML front matter of `README.md` and other card files.

use serde::Deserialize;

/// A string or a list of strings (dataset cards allow lists).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// The keys of card metadata the engine reads. Others are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CardMeta {
    #[serde(default)]
    pub license: Option<OneOrMany>,
    #[serde(default)]
    pub license_name: Option<String>,
    #[serde(default)]
    pub license_link: Option<String>,
    #[serde(default)]
    pub base_model: Option<OneOrMany>,
    #[serde(default)]
    pub datasets: Option<OneOrMany>,
    #[serde(default)]
    pub dataset_info: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub task_categories: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub size_categories: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub configs: Option<serde::de::IgnoredAny>,
}

/// A card's front matter, read.
#[derive(Debug, Clone, PartialEq)]
pub enum FrontMatter {
    /// No front matter: not a card.
    Absent,
    /// Parsed metadata, and the 1-based line of the `license:` key if present.
    Parsed { meta: CardMeta, license_line: Option<u32>, base_model_line: Option<u32>, dataset: bool },
    /// Front matter that is not valid YAML (or has wrong types).
    Malformed { error: String, mentions_license: bool, license_line: Option<u32> },
}

/// Extracts and parses the YAML front matter between `---` lines at the top of a text.
pub fn front_matter(text: &str) -> FrontMatter {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return FrontMatter::Absent;
    }
    let mut yaml = String::new();
    let mut closed = false;
    let mut license_line = None;
    let mut base_model_line = None;
    for (i, line) in lines.enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            closed = true;
            break;
        }
        if license_line.is_none() && line.starts_with("license:") {
            license_line = Some(i as u32 + 2);
        }
        if base_model_line.is_none() && line.starts_with("base_model:") {
            base_model_line = Some(i as u32 + 2);
        }
        yaml.push_str(line);
        yaml.push('\n');
    }
    if !closed {
        return FrontMatter::Malformed {
            error: "the front matter has no closing '---' line".into(),
            mentions_license: license_line.is_some(),
            license_line,
        };
    }
    let options =
        serde_saphyr::options! { strict_booleans: true, duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins };
    if yaml.trim().is_empty() {
        return FrontMatter::Parsed {
            meta: CardMeta::default(),
            license_line: None,
            base_model_line: None,
            dataset: false,
        };
    }
    match serde_saphyr::from_str_with_options::<CardMeta>(&yaml, options) {
        Ok(meta) => {
            let dataset = meta.dataset_info.is_some()
                || meta.task_categories.is_some()
                || meta.size_categories.is_some()
                || meta.configs.is_some();
            FrontMatter::Parsed { meta, license_line, base_model_line, dataset }
        }
        Err(e) => {
            let error = e.to_string().lines().next().unwrap_or("invalid YAML").to_string();
            FrontMatter::Malformed { error, mentions_license: license_line.is_some(), license_line }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_license_keys() {
        let fm = front_matter("---\nlicense: other\nlicense_name: tongyi-qianwen\nlanguage: [en, no]\n---\n# Model\n");
        let FrontMatter::Parsed { meta, license_line, dataset, .. } = fm else { panic!("{fm:?}") };
        assert_eq!(meta.license, Some(OneOrMany::One("other".into())));
        assert_eq!(meta.license_name.as_deref(), Some("tongyi-qianwen"));
        assert_eq!(license_line, Some(2));
        assert!(!dataset);
    }

    #[test]
    fn malformed_and_absent() {
        assert_eq!(front_matter("# Just a readme\n"), FrontMatter::Absent);
        assert!(matches!(
            front_matter("---\nlicense: [mit\n---\n"),
            FrontMatter::Malformed { mentions_license: true, .. }
        ));
        assert!(matches!(front_matter("---\nlicense: mit\n"), FrontMatter::Malformed { .. }));
        let dup = front_matter("---\nlicense: mit\nlicense: apache-2.0\n---\n");
        assert!(
            matches!(dup, FrontMatter::Parsed { meta: CardMeta { license: Some(OneOrMany::One(ref l)), .. }, .. } if l == "apache-2.0")
        );
    }
}

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
    /// `gated: true | auto | manual` (a repository setting some cards restate).
    #[serde(default)]
    pub gated: Option<Scalar>,
    /// Text users must accept before access (often a whole license or policy).
    #[serde(default)]
    pub extra_gated_prompt: Option<String>,
    /// Gate form fields: label → type (checkbox labels often restate restrictions).
    #[serde(default)]
    pub extra_gated_fields: Option<serde_json::Value>,
    /// Blocks EU users from a gated repository.
    #[serde(default)]
    pub extra_gated_eu_disallowed: Option<Scalar>,
    /// Evaluation results in card metadata.
    #[serde(default, rename = "model-index")]
    pub model_index: Option<serde::de::IgnoredAny>,
}

/// A YAML scalar that may be a boolean or a string (`gated: true`, `gated: auto`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Text(String),
}

impl Scalar {
    /// Whether the value switches the feature on (`true`, `auto`, `manual`, `yes`).
    pub fn is_on(&self) -> bool {
        match self {
            Scalar::Bool(b) => *b,
            Scalar::Text(t) => !matches!(t.trim().to_ascii_lowercase().as_str(), "" | "false" | "no" | "off" | "0"),
        }
    }
}

impl CardMeta {
    /// Whether the card asks for access gating.
    pub fn is_gated(&self) -> bool {
        self.gated.as_ref().is_some_and(Scalar::is_on)
            || self.extra_gated_prompt.as_ref().is_some_and(|p| !p.trim().is_empty())
            || self.extra_gated_fields.as_ref().is_some_and(|f| f.as_object().is_some_and(|m| !m.is_empty()))
    }

    /// Labels of the gate form's fields, with their type (`checkbox`, `text`, …).
    pub fn gate_fields(&self) -> Vec<(String, String)> {
        let Some(serde_json::Value::Object(map)) = &self.extra_gated_fields else { return Vec::new() };
        map.iter()
            .map(|(label, v)| {
                let kind = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Object(o) => o.get("type").and_then(|t| t.as_str()).unwrap_or("").to_string(),
                    _ => String::new(),
                };
                (label.clone(), kind)
            })
            .collect()
    }
}

/// A card's front matter, read.
#[derive(Debug, Clone, PartialEq)]
pub enum FrontMatter {
    /// No front matter: not a card.
    Absent,
    /// Parsed metadata, the 1-based line of the `license:` key if present (the last one,
    /// as the last of duplicate keys wins), and top-level keys given more than once.
    Parsed {
        meta: Box<CardMeta>,
        license_line: Option<u32>,
        base_model_line: Option<u32>,
        dataset: bool,
        duplicate_keys: Vec<DuplicateKey>,
    },
    /// Front matter that is not valid YAML (or has wrong types, or is too large to read).
    Malformed { error: String, mentions_license: bool, license_line: Option<u32> },
}

/// A top-level key given more than once: the last value counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// 1-based lines of every occurrence.
    pub lines: Vec<u32>,
}

/// How much of a card is read for its front matter when the card is over the blob cap.
pub const FRONT_MATTER_BYTES: usize = 64 * 1024;

/// Extracts and parses the YAML front matter between `---` lines at the top of a text.
pub fn front_matter(text: &str) -> FrontMatter {
    front_matter_of(text, false)
}

/// [`front_matter`] of a text that may be only the beginning of the file (`truncated`): a
/// front matter that does not close within it is too large, and reported as such.
pub fn front_matter_of(text: &str, truncated: bool) -> FrontMatter {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return FrontMatter::Absent;
    }
    let mut yaml = String::new();
    let mut closed = false;
    let mut license_line = None;
    let mut base_model_line = None;
    let mut keys: Vec<(String, u32)> = Vec::new();
    for (i, line) in lines.enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            closed = true;
            break;
        }
        let n = i as u32 + 2;
        if let Some(key) = top_level_key(line) {
            match key {
                "license" => license_line = Some(n),
                "base_model" if base_model_line.is_none() => base_model_line = Some(n),
                _ => {}
            }
            keys.push((key.to_string(), n));
        }
        yaml.push_str(line);
        yaml.push('\n');
    }
    // A license key counts however it is indented (a stray tab is still the card's license);
    // prose that mentions a license does not.
    let mentions_license = yaml.lines().any(|l| {
        let l = l.trim_start_matches([' ', '\t', '-']).to_ascii_lowercase();
        l.split_once(':').is_some_and(|(key, _)| {
            key.starts_with("licen") && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    });
    if !closed && !truncated && keys.is_empty() {
        // A markdown rule (`---`) opening a README, with no key after it: no front matter.
        return FrontMatter::Absent;
    }
    if !closed {
        let error = if truncated {
            format!(
                "the front matter is larger than {} KiB (no closing '---' within it) and was not read",
                FRONT_MATTER_BYTES / 1024
            )
        } else {
            "the front matter has no closing '---' line".into()
        };
        return FrontMatter::Malformed { error, mentions_license: mentions_license || truncated, license_line };
    }
    let options =
        serde_saphyr::options! { strict_booleans: true, duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins };
    if yaml.trim().is_empty() {
        return FrontMatter::Parsed {
            meta: Box::default(),
            license_line: None,
            base_model_line: None,
            dataset: false,
            duplicate_keys: Vec::new(),
        };
    }
    match serde_saphyr::from_str_with_options::<CardMeta>(&yaml, options) {
        Ok(meta) => {
            let dataset = meta.dataset_info.is_some()
                || meta.task_categories.is_some()
                || meta.size_categories.is_some()
                || meta.configs.is_some();
            // Lines of each key, in one pass (a card of 80,000 keys must not compare each with
            // every other), in the order keys first appear.
            let mut by_key: std::collections::HashMap<&str, Vec<u32>> = std::collections::HashMap::new();
            let mut order: Vec<&str> = Vec::new();
            for (key, line) in &keys {
                by_key
                    .entry(key.as_str())
                    .or_insert_with(|| {
                        order.push(key.as_str());
                        Vec::new()
                    })
                    .push(*line);
            }
            let duplicate_keys: Vec<DuplicateKey> = order
                .into_iter()
                .filter_map(|k| {
                    let lines = by_key.remove(k)?;
                    (lines.len() > 1).then(|| DuplicateKey { key: k.to_string(), lines })
                })
                .collect();
            FrontMatter::Parsed { meta: Box::new(meta), license_line, base_model_line, dataset, duplicate_keys }
        }
        Err(e) => {
            let error = plain_yaml_error(e.to_string().lines().next().unwrap_or("invalid YAML"), 1);
            FrontMatter::Malformed { error, mentions_license, license_line }
        }
    }
}

/// A YAML parser message for people: lines counted in the file (the YAML starts
/// `first_line` lines into it) and a safety limit in words, not a Rust structure
/// (`budget breached: Nodes { nodes: 250001 }`).
pub fn plain_yaml_error(message: &str, first_line: u32) -> String {
    let mut out = message.trim_start_matches("error: ").to_string();
    if let Some(rest) = out.strip_prefix("line ")
        && let Some((n, tail)) = rest.split_once(' ')
        && let Ok(n) = n.parse::<u32>()
    {
        out = format!("line {} {tail}", n.saturating_add(first_line));
    }
    if let Some(at) = out.find("budget breached: ") {
        let breach = &out[at + "budget breached: ".len()..];
        // `Kind { field: N }` → `N field`.
        let words = breach
            .split_once('{')
            .and_then(|(_, inner)| inner.trim_end_matches('}').trim().split_once(':'))
            .map(|(field, n)| format!("{} {}", n.trim(), field.trim().replace('_', " ")))
            .unwrap_or_else(|| breach.to_string());
        out = format!(
            "{}the YAML exceeds a safety limit of the parser ({words}); it is too large or too deeply nested to read",
            &out[..at]
        );
    }
    out
}

/// The key of a top-level `key: value` line (plain or quoted key), if the line is one.
fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '?' | '&' | '*' | '!' | '|' | '>' | '%' | '@') {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim_end();
    let key = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')).unwrap_or(key);
    let key = key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')).unwrap_or(key);
    (!key.is_empty()).then_some(key)
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
        let FrontMatter::Parsed { meta, license_line, duplicate_keys, .. } = &dup else { panic!("{dup:?}") };
        assert_eq!(meta.license, Some(OneOrMany::One("apache-2.0".into())));
        assert_eq!(*license_line, Some(3), "the line cited is the one that counts (the last)");
        assert_eq!(duplicate_keys, &[DuplicateKey { key: "license".into(), lines: vec![2, 3] }]);
        let tabbed = front_matter("---\nlicence_note: x\ntags:\n\t- a\n---\n");
        assert!(matches!(tabbed, FrontMatter::Malformed { mentions_license: true, .. }), "{tabbed:?}");
    }

    #[test]
    fn yaml_errors_read_as_sentences() {
        assert_eq!(plain_yaml_error("error: line 3 column 2: tabs disallowed", 1), "line 4 column 2: tabs disallowed");
        let budget = plain_yaml_error("error: line 1 column 1: budget breached: Nodes { nodes: 250001 }", 1);
        assert!(budget.contains("safety limit of the parser (250001 nodes)") && !budget.contains('{'), "{budget}");
        let deep = format!("---\nlicense: mit\nx: {}{}\n---\n", "[".repeat(3000), "]".repeat(3000));
        let FrontMatter::Malformed { error, .. } = front_matter(&deep) else { panic!() };
        assert!(!error.contains(" { ") && !error.contains("}"), "{error}");
    }

    #[test]
    fn a_front_matter_beyond_the_prefix_is_too_large() {
        let big = format!("---\nlicense: mit\nnotes: |\n{}", "  x\n".repeat(100));
        let FrontMatter::Malformed { error, mentions_license, .. } = front_matter_of(&big, true) else { panic!() };
        assert!(error.contains("larger than 64 KiB") && mentions_license, "{error}");
        let FrontMatter::Malformed { error, .. } = front_matter_of(&big, false) else { panic!() };
        assert!(error.contains("no closing"), "{error}");
    }
}

//! Model Openness Framework components: their path signals (data in `components.toml`)
//! and the class a set of present components reaches.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

/// MOT's content type of a component: it decides which licenses count as open for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Content {
    Code,
    Data,
    Document,
}

/// One MOF component with its signals.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MofComponent {
    /// The exact MOT name, e.g. `Model parameters (Final)`.
    pub name: String,
    /// Kebab-case id used in findings.
    pub id: String,
    pub content: Content,
    /// Lowest class (3 = entry level) at which the component is required.
    pub class: u8,
    pub required: bool,
    /// `"error"` when removing it is an error.
    #[serde(default)]
    pub drift: Option<String>,
    pub globs: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Compiled on first use: most runs never need a component's globs.
    #[serde(skip)]
    matcher: OnceLock<Option<(GlobSet, GlobSet)>>,
}

impl MofComponent {
    /// Whether a path is a signal of this component.
    pub fn matches(&self, path: &str) -> bool {
        match self.compiled() {
            Some((inc, exc)) => inc.is_match(path) && !exc.is_match(path),
            None => false,
        }
    }

    fn compiled(&self) -> Option<&(GlobSet, GlobSet)> {
        self.matcher
            .get_or_init(|| match (glob_set(&self.globs), glob_set(&self.exclude)) {
                (Ok(i), Ok(e)) => Some((i, e)),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!("a glob of component {} is invalid: {e}", self.name);
                    None
                }
            })
            .as_ref()
    }

    /// Whether removing the component is an error (data, weights, training code).
    pub fn removal_is_error(&self) -> bool {
        self.drift.as_deref() == Some("error")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentFile {
    component: Vec<MofComponent>,
}

/// The data file, as compiled in.
pub const DATA: &str = include_str!("components.toml");

fn glob_set(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(
            Glob::new(g)
                .and_then(|_| globset::GlobBuilder::new(g).case_insensitive(true).literal_separator(true).build())?,
        );
    }
    b.build()
}

/// Every component, in data-file order.
pub fn all() -> &'static [MofComponent] {
    static ALL: OnceLock<Vec<MofComponent>> = OnceLock::new();
    ALL.get_or_init(|| {
        let file: ComponentFile = match toml::from_str(DATA) {
            Ok(f) => f,
            Err(e) => {
                tracing::error!("the built-in component signals do not parse: {e}");
                return Vec::new();
            }
        };
        file.component
    })
}

/// Finds a component by MOT name or id.
pub fn by_name(name: &str) -> Option<&'static MofComponent> {
    all().iter().find(|c| c.name.eq_ignore_ascii_case(name.trim()) || c.id == name)
}

/// An automaton over the longest literal piece of each glob (any case): a path can only
/// match a glob if it contains that piece, so paths without any are rejected in one pass
/// without compiling a glob. `None` when some glob has no such literal of three characters
/// or more.
fn literals() -> Option<&'static AhoCorasick> {
    static LITERALS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    LITERALS
        .get_or_init(|| {
            let mut pieces = Vec::new();
            for g in all().iter().flat_map(|c| c.globs.iter()) {
                // Classes and alternations have no literal every match contains.
                let longest = g.split(['*', '?', '/']).max_by_key(|p| p.len()).unwrap_or_default();
                if longest.len() < 3 || g.contains(['[', '{']) {
                    return None;
                }
                pieces.push(longest.to_ascii_lowercase());
            }
            pieces.sort();
            pieces.dedup();
            AhoCorasick::builder().ascii_case_insensitive(true).build(&pieces).ok()
        })
        .as_ref()
}

/// Whether a path is a signal of any component. Until some path needs them, no glob is
/// compiled: the literal pre-check rejects the rest. Then one combined glob set rejects most
/// paths at once and only candidates are tested per component.
pub fn any_matches(path: &str) -> bool {
    static ANY: OnceLock<Option<GlobSet>> = OnceLock::new();
    if let Some(lits) = literals()
        && !lits.is_match(path)
    {
        return false;
    }
    let prefilter =
        ANY.get_or_init(|| glob_set(&all().iter().flat_map(|c| c.globs.iter().cloned()).collect::<Vec<_>>()).ok());
    prefilter.as_ref().is_none_or(|g| g.is_match(path)) && all().iter().any(|c| c.matches(path))
}

/// A MOF class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum MofClass {
    #[serde(rename = "unclassified")]
    Unclassified,
    #[serde(rename = "III")]
    ClassIII,
    #[serde(rename = "II")]
    ClassII,
    #[serde(rename = "I")]
    ClassI,
}

impl MofClass {
    /// The label MOT shows.
    pub fn label(self) -> &'static str {
        match self {
            MofClass::Unclassified => "Unclassified",
            MofClass::ClassIII => "Class III - Open Model",
            MofClass::ClassII => "Class II - Open Tooling Model",
            MofClass::ClassI => "Class I - Open Science Model",
        }
    }
}

/// The best class whose required components all count (`counts` says whether a component
/// is there, and for MOT's class, openly licensed). A research paper stands in for the
/// technical report.
pub fn class_of(counts: &dyn Fn(&MofComponent) -> bool) -> MofClass {
    let paper = by_name("Research paper").is_some_and(counts);
    let met = |level: u8| {
        all()
            .iter()
            .filter(|c| c.required && c.class >= level)
            .all(|c| counts(c) || (c.id == "technical-report" && paper))
    };
    if !met(3) {
        MofClass::Unclassified
    } else if !met(2) {
        MofClass::ClassIII
    } else if !met(1) {
        MofClass::ClassII
    } else {
        MofClass::ClassI
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_components_with_valid_signals() {
        let all = all();
        assert_eq!(all.len(), 17);
        assert!(all.iter().all(|c| c.compiled().is_some()), "a glob does not compile");
        assert!(literals().is_some(), "every glob has a literal piece for the pre-check");
        let required = |lvl: u8| all.iter().filter(|c| c.required && c.class >= lvl).count();
        assert_eq!((required(3), required(2), required(1)), (6, 10, 14));
        let mut ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 17);
    }

    #[test]
    fn paths_map_to_components() {
        let of = |p: &str| all().iter().filter(|c| c.matches(p)).map(|c| c.id.as_str()).collect::<Vec<_>>();
        assert_eq!(of("model.safetensors"), vec!["model-parameters-final"]);
        assert_eq!(of("checkpoints/step-1000/model.safetensors"), vec!["model-parameters-intermediate"]);
        assert_eq!(of("data/wiki/part-0001.parquet"), vec!["datasets"]);
        assert_eq!(of("eval/mmlu/test.jsonl"), vec!["evaluation-data"]);
        assert_eq!(of("DATA_CARD.md"), vec!["data-card"]);
        assert_eq!(of("scripts/train.py"), vec!["training-code"]);
        assert_eq!(of("paper/main.tex"), vec!["research-paper"]);
        assert!(of("src/lib.rs").is_empty());
        assert!(of("README.md").is_empty());
    }

    #[test]
    fn classes_are_cumulative() {
        let only = |ids: &'static [&'static str]| move |c: &MofComponent| ids.contains(&c.id.as_str());
        let class3 = &[
            "model-architecture",
            "model-parameters-final",
            "evaluation-results",
            "model-card",
            "data-card",
            "research-paper",
        ];
        assert_eq!(class_of(&only(class3)), MofClass::ClassIII);
        assert_eq!(class_of(&only(&["model-card"])), MofClass::Unclassified);
        assert_eq!(class_of(&|_| true), MofClass::ClassI);
        assert_eq!(class_of(&|c| c.id != "model-parameters-intermediate"), MofClass::ClassII);
    }
}

//! Model Openness Framework components: their path signals (data in `components.toml`)
//! and the class a set of present components reaches.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use globset::{Candidate, Glob, GlobMatcher, GlobSet, GlobSetBuilder};
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
    /// The exclude globs, compiled on first use.
    #[serde(skip)]
    excluder: OnceLock<Option<GlobSet>>,
}

impl MofComponent {
    fn excluded(&self, path: &str) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let set = self.excluder.get_or_init(|| {
            glob_set(&self.exclude)
                .map_err(|e| tracing::error!("an exclude glob of component {} is invalid: {e}", self.name))
                .ok()
        });
        set.as_ref().is_some_and(|g| g.is_match(path))
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

/// The components, or why the compiled-in file does not load.
fn load() -> &'static Result<Vec<MofComponent>, String> {
    static ALL: OnceLock<Result<Vec<MofComponent>, String>> = OnceLock::new();
    ALL.get_or_init(|| {
        let file: ComponentFile = toml::from_str(DATA).map_err(|e| e.to_string())?;
        if file.component.is_empty() {
            return Err("it has no [[component]] entry".into());
        }
        if let Some(c) = file.component.iter().find(|c| c.globs.is_empty()) {
            return Err(format!("component {} has no glob", c.name));
        }
        Ok(file.component)
    })
}

/// Whether the table loads (checked at start: a broken table stops the run, exit 2).
pub fn check() -> Result<(), String> {
    load().as_ref().map(|_| ()).map_err(String::clone)
}

/// Every component, in data-file order (empty only if [`check`] failed).
pub fn all() -> &'static [MofComponent] {
    load().as_deref().unwrap_or_default()
}

/// Finds a component by MOT name or id.
pub fn by_name(name: &str) -> Option<&'static MofComponent> {
    all().iter().find(|c| c.name.eq_ignore_ascii_case(name.trim()) || c.id == name)
}

/// Every component glob behind an automaton over its longest literal piece (any case): a
/// path can only match a glob if it contains that piece, so most paths are rejected in one
/// pass, and a glob is compiled only when some path contains its piece (a diff compiles a
/// handful, not all of them).
struct GlobIndex {
    literals: AhoCorasick,
    /// For each literal, the globs that contain it.
    globs_of_literal: Vec<Vec<usize>>,
    globs: Vec<IndexedGlob>,
}

struct IndexedGlob {
    component: usize,
    text: &'static str,
    /// Every literal piece (lower case): a path lacking one cannot match.
    pieces: Vec<String>,
    matcher: OnceLock<Option<GlobMatcher>>,
}

fn index() -> Option<&'static GlobIndex> {
    static INDEX: OnceLock<Option<GlobIndex>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut pieces: Vec<String> = Vec::new();
            let mut globs_of_literal: Vec<Vec<usize>> = Vec::new();
            let mut globs = Vec::new();
            for (ci, c) in all().iter().enumerate() {
                for g in &c.globs {
                    // Classes and alternations have no literal every match contains.
                    let longest = g.split(['*', '?', '/']).max_by_key(|p| p.len()).unwrap_or_default();
                    if longest.len() < 3 || g.contains(['[', '{']) {
                        tracing::error!("component glob {g} has no literal piece of three characters");
                        return None;
                    }
                    let piece = longest.to_ascii_lowercase();
                    let li = pieces.iter().position(|p| *p == piece).unwrap_or_else(|| {
                        pieces.push(piece);
                        globs_of_literal.push(Vec::new());
                        pieces.len() - 1
                    });
                    globs_of_literal[li].push(globs.len());
                    let pieces =
                        g.split(['*', '?', '/']).filter(|p| !p.is_empty()).map(|p| p.to_ascii_lowercase()).collect();
                    globs.push(IndexedGlob { component: ci, text: g.as_str(), pieces, matcher: OnceLock::new() });
                }
            }
            // A contiguous NFA builds in microseconds; the default DFA takes milliseconds to
            // build for these ~100 case-insensitive pieces, more than a diff spends searching.
            let literals = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(&pieces)
                .map_err(|e| tracing::error!("the component literals do not build: {e}"))
                .ok()?;
            Some(GlobIndex { literals, globs_of_literal, globs })
        })
        .as_ref()
}

fn compile(glob: &str) -> Option<GlobMatcher> {
    globset::GlobBuilder::new(glob)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| tracing::error!("component glob {glob} is invalid: {e}"))
        .ok()
}

/// The set of components a path signals: bit `i` stands for `all()[i]` (there are 17).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signals(u32);

impl Signals {
    /// Whether the path signals no component.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The components, in data-file order.
    pub fn components(self) -> impl Iterator<Item = &'static MofComponent> {
        all().iter().enumerate().filter(move |(i, _)| self.0 & (1 << i) != 0).map(|(_, c)| c)
    }
}

/// Ids of the literals found in a text (overlapping).
fn literal_hits(text: &str) -> impl Iterator<Item = usize> + '_ {
    index().into_iter().flat_map(move |ix| ix.literals.find_overlapping_iter(text).map(|m| m.pattern().as_usize()))
}

/// The components (by index in [`all`]) whose globs match `path`, given the ids of the
/// literals it holds; a component may come more than once.
fn matches_from<'p>(literals: impl Iterator<Item = usize> + 'p, path: &'p str) -> impl Iterator<Item = usize> + 'p {
    let index = index();
    let hits = literals.filter_map(move |l| index.map(|ix| ix.globs_of_literal[l].iter())).flatten();
    // Made once per path, and only for a path some literal hits.
    let mut lower: Option<String> = None;
    let mut candidate: Option<Candidate<'_>> = None;
    hits.filter_map(move |&gi| {
        let glob = &index?.globs[gi];
        let lower = lower.get_or_insert_with(|| path.to_ascii_lowercase());
        if !glob.pieces.iter().all(|p| lower.contains(p.as_str())) {
            return None;
        }
        let matcher = glob.matcher.get_or_init(|| compile(glob.text));
        let candidate = candidate.get_or_insert_with(|| Candidate::new(path));
        (matcher.as_ref()?.is_match_candidate(candidate) && !all()[glob.component].excluded(path))
            .then_some(glob.component)
    })
}

fn signals_from(literals: impl Iterator<Item = usize>, path: &str) -> Signals {
    Signals(matches_from(literals, path).fold(0, |set, i| set | 1 << i))
}

/// The components a path signals.
pub fn signals(path: &str) -> Signals {
    signals_from(literal_hits(path), path)
}

/// Whether a path signals any component (stops at the first match).
pub fn any_matches(path: &str) -> bool {
    matches_from(literal_hits(path), path).next().is_some()
}

/// The component literals of a directory path, found once for all the files inside it:
/// a literal never spans a `/`, so a file's literals are its directory's and its name's.
#[derive(Debug, Clone, Default)]
pub struct DirLiterals(Vec<usize>);

impl DirLiterals {
    /// The literals of directory `dir`.
    pub fn of(dir: &str) -> DirLiterals {
        DirLiterals(literal_hits(dir).collect())
    }

    /// [`signals`] of `path`, the file `name` inside this directory.
    pub fn signals(&self, name: &str, path: &str) -> Signals {
        signals_from(self.0.iter().copied().chain(literal_hits(name)), path)
    }
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
        assert!(all.len() <= 32, "component sets are u32 bit masks");
        assert!(all.iter().flat_map(|c| &c.globs).all(|g| compile(g).is_some()), "a glob does not compile");
        assert!(all.iter().all(|c| glob_set(&c.exclude).is_ok()), "an exclude glob does not compile");
        assert!(index().is_some(), "every glob has a literal piece for the pre-check");
        let required = |lvl: u8| all.iter().filter(|c| c.required && c.class >= lvl).count();
        assert_eq!((required(3), required(2), required(1)), (6, 10, 14));
        let mut ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 17);
    }

    /// The prefiltered, lazily compiled matching against each component's globs compiled
    /// whole, the plain way.
    #[test]
    fn signals_agree_with_plain_glob_sets() {
        let plain: Vec<(GlobSet, GlobSet)> =
            all().iter().map(|c| (glob_set(&c.globs).unwrap(), glob_set(&c.exclude).unwrap())).collect();
        for path in SAMPLE_PATHS {
            let want: Vec<&str> = all()
                .iter()
                .zip(&plain)
                .filter(|(_, (inc, exc))| inc.is_match(path) && !exc.is_match(path))
                .map(|(c, _)| c.id.as_str())
                .collect();
            let got: Vec<&str> = signals(path).components().map(|c| c.id.as_str()).collect();
            assert_eq!(got, want, "{path}");
            assert_eq!(any_matches(path), !want.is_empty(), "{path}");
        }
    }

    const SAMPLE_PATHS: &[&str] = &[
        "data/train.jsonl",
        "Data/README.md",
        "src/Training/loop.py",
        "crates/train/src/lib.rs",
        "model-00001-of-00002.safetensors",
        "eval/results/mmlu.json",
        "docs/paper/main.tex",
        "checkpoints/step_100/config.json",
        "src/train.py",
        "README.md",
        "a/b/c.txt",
    ];

    #[test]
    fn directory_literals_agree_with_whole_paths() {
        for path in SAMPLE_PATHS {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            assert_eq!(DirLiterals::of(dir).signals(name, path), signals(path), "{path}");
        }
    }

    #[test]
    fn paths_map_to_components() {
        let of = |p: &str| signals(p).components().map(|c| c.id.as_str()).collect::<Vec<_>>();
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

//! What a revision declares: license declarations with their scope, evidence files,
//! submodules. Analyses are memoized by blob id, so unchanged files cost nothing twice.

pub mod card;
pub mod headers;
pub mod manifest;
pub mod mot;
pub mod openness;
pub mod restrictions;
mod scope_index;

use manifest::{Declared, ManifestKind, ManifestLicense};
use restrictions::{ClauseHit, RestrictionFact};
use scope_index::ByScope;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use git2::Oid;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::fasthash::FoldHash;
use crate::git::{Blob, Entry, EntryKind, Repo, Revision, resolve_link};
use crate::knowledge::expr::{Expr, Term, UNIDENTIFIED};
use crate::knowledge::ladder::Restriction;
use crate::knowledge::normalize::{self, Sentence};
use crate::knowledge::{self, Guess, IdKind, Identification, components};
use crate::snapshot::{self, Component, Role, ancestors};

/// The scope a declaration speaks for: a subtree and a component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Scope {
    /// Directory, `""` for the repository root.
    pub path: String,
    pub component: Component,
}

/// Where a declaration comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclKind {
    /// A license text file.
    LicenseFile,
    /// A model card's `license:`.
    ModelCard,
    /// A dataset or data card's `license:`.
    DataCard,
    /// A package manifest (Cargo.toml, package.json, …, debian/copyright, REUSE.toml).
    Manifest,
}

/// A license file's text, as far as drift needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextInfo {
    /// Hash of the normalized text (copyright lines excluded).
    pub hash: String,
    /// Sentences, for clause-level diffs.
    pub sentences: Vec<Sentence>,
    /// Sentences that express restrictions (for a standard license, only those its
    /// standard text does not have).
    pub clauses: Vec<ClauseHit>,
}

/// One license declaration of a revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub path: String,
    pub kind: DeclKind,
    pub scope: Scope,
    /// The identified license; an unidentified text is `LicenseRef-unidentified-<hash>`.
    pub license: Expr,
    pub confidence: f32,
    pub id_kind: IdKind,
    /// Closest guess for an unidentified text.
    pub closest: Option<Guess>,
    /// Why a text could not be read or identified (binary, too large, LFS pointer, …).
    pub note: Option<String>,
    /// 1-based line where the declaration sits (the card's `license:` key).
    pub line: Option<u32>,
    /// The text, for license files that were read.
    pub text: Option<Rc<TextInfo>>,
    /// A card's `license_link`, kept when the license itself is not a known one (`other`):
    /// then the link is what names the terms.
    pub link: Option<String>,
    /// A license file that bundles several licenses: each part with its lines.
    pub parts: Vec<knowledge::Part>,
}

impl Declaration {
    /// Whether the license could not be identified.
    pub fn is_unidentified(&self) -> bool {
        self.license.has_unidentified()
    }
}

/// What an evidence file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    Notice,
    Patents,
    ReuseText,
}

/// A file attached to a scope as evidence rather than declaration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceFile {
    pub path: String,
    pub kind: EvidenceKind,
    pub scope: String,
}

/// Card metadata beyond the license: lineage and data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardInfo {
    pub path: String,
    pub scope: String,
    /// `base_model` entries (a list means a merge).
    pub base_model: Vec<String>,
    /// 1-based line of the `base_model` key.
    pub base_model_line: Option<u32>,
    /// `datasets` entries.
    pub datasets: Vec<String>,
    /// Whether the card carries `model-index` (evaluation results).
    pub has_model_index: bool,
    /// Whether the card gates access (`gated`, `extra_gated_prompt`, `extra_gated_fields`).
    pub gated: bool,
    /// The gate form's field labels.
    pub gate_fields: Vec<String>,
    /// A dataset or data card (`DATA_CARD*`, `datasheet*`, or front matter with dataset
    /// keys), not a model card.
    pub dataset: bool,
}

/// What a revision declares (all of it, or the directories asked for).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub declarations: Vec<Declaration>,
    pub evidence: Vec<EvidenceFile>,
    /// Model and data cards with front matter.
    pub cards: Vec<CardInfo>,
    /// Usage restrictions, with their source.
    pub restrictions: Vec<RestrictionFact>,
    /// Model Openness Tool files.
    pub mot: Vec<mot::MotInfo>,
    /// Relevant paths the policy ignores (vendored dependencies by default).
    pub ignored: Vec<String>,
    /// Submodule paths (listed, never entered).
    pub submodules: Vec<String>,
    /// Things the reader should know (files not read, symlinks not followed).
    pub warnings: Vec<String>,
    /// Positions of declarations and of restrictions by scope directory, built on the first
    /// query (a profile is complete by then).
    declarations_by_scope: ByScope,
    restrictions_by_scope: ByScope,
}

impl Profile {
    /// The nearest scope declaring a license for `(dir, component)`: the scope itself, the
    /// directory's `all`, then each enclosing directory (the component, then `all`).
    pub fn declaring_scope(&self, dir: &str, component: Component) -> Option<Scope> {
        for d in ancestors(dir) {
            for c in [component, Component::All] {
                if !self.in_scope(d, c).is_empty() {
                    return Some(Scope { path: d.to_string(), component: c });
                }
                if component == Component::All {
                    break;
                }
            }
        }
        None
    }

    /// The license in force for `(dir, component)`, declared or inherited.
    pub fn license_of(&self, dir: &str, component: Component) -> Option<Expr> {
        let scope = self.declaring_scope(dir, component)?;
        Expr::and_all(self.in_scope(&scope.path, scope.component).into_iter().map(|d| d.license.clone()))
    }

    /// Own declarations of one scope.
    pub fn in_scope(&self, dir: &str, component: Component) -> Vec<&Declaration> {
        self.declared_in(dir).filter(|d| d.scope.component == component).collect()
    }

    /// Declarations whose scope is the directory `dir` (any component).
    pub fn declared_in<'a>(&'a self, dir: &str) -> impl Iterator<Item = &'a Declaration> + 'a {
        let all = &self.declarations;
        let found = self.declarations_by_scope.find(all.len(), |i| all[i].scope.path.as_str(), dir);
        found.iter().map(|&i| &all[i as usize])
    }

    /// Restrictions whose scope is the directory `dir` (any component).
    pub fn restricted_in<'a>(&'a self, dir: &str) -> impl Iterator<Item = &'a RestrictionFact> + 'a {
        let all = &self.restrictions;
        let found = self.restrictions_by_scope.find(all.len(), |i| all[i].scope.path.as_str(), dir);
        found.iter().map(|&i| &all[i as usize])
    }
}

/// How a file's content is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mode {
    Text,
    /// A use policy or notice: sentences and clauses, no identification.
    Policy,
    /// A Model Openness Tool file.
    Mot,
    Card,
    Manifest(ManifestKind),
}

/// The analysis of one file's content, shared by every path and revision with that blob.
#[derive(Debug, Clone)]
enum Analysis {
    Text {
        ident: Identification,
        info: Rc<TextInfo>,
    },
    Unreadable {
        note: String,
        key: String,
    },
    Card(card::FrontMatter),
    /// A use policy or notice.
    Policy(Rc<TextInfo>),
    /// A Model Openness Tool file (`None`: YAML, but not a MOF document).
    Mot(std::result::Result<Option<mot::MotInfo>, String>),
    /// A manifest's license statements, or why it could not be read (and whether it
    /// mentions a license at all).
    Manifest(std::result::Result<Vec<ManifestLicense>, (String, bool)>),
}

/// Analyses by blob id and reading mode.
type AnalysisMemo = HashMap<(Oid, Mode), Rc<Analysis>, FoldHash>;
/// Header licenses by blob id.
type HeaderMemo = HashMap<Oid, Option<(Expr, u32)>, FoldHash>;
/// Component signal paths below a directory, by tree id and directory path.
type ComponentMemo = HashMap<(Oid, String), Rc<SignalTree>>;

/// A path of a revision that signals MOF components, with those components.
#[derive(Debug, Clone)]
pub struct SignalPath {
    pub path: String,
    pub signals: components::Signals,
}

/// Component signal paths below one directory: its own files and its subdirectories'
/// (shared), so that every path is stored once however deep it sits.
#[derive(Debug, Default)]
struct SignalTree {
    files: Vec<SignalPath>,
    dirs: Vec<Rc<SignalTree>>,
}

impl SignalTree {
    fn collect_into(&self, out: &mut Vec<SignalPath>) {
        out.extend(self.files.iter().cloned());
        for d in &self.dirs {
            d.collect_into(out);
        }
    }
}

/// Builds profiles; memoizes analyses by blob id.
pub struct Profiler<'r> {
    repo: &'r Repo,
    allow_incomplete: bool,
    memo: Rc<RefCell<AnalysisMemo>>,
    header_memo: Rc<RefCell<HeaderMemo>>,
    /// Component signal paths below a directory, by (tree id, directory path): this
    /// profiler's ignore globs are part of the answer, so it is not shared.
    component_memo: RefCell<ComponentMemo>,
    ignore: Option<crate::policy::IgnoreSet>,
}

fn unidentified_expr(key: &str) -> Expr {
    Expr::term(Term::Other(format!("{UNIDENTIFIED}{}", &key[..key.len().min(12)])))
}

impl<'r> Profiler<'r> {
    /// A profiler over `repo`; with `allow_incomplete`, missing blobs become warnings.
    pub fn new(repo: &'r Repo, allow_incomplete: bool) -> Self {
        Profiler {
            repo,
            allow_incomplete,
            memo: Rc::default(),
            header_memo: Rc::default(),
            component_memo: RefCell::default(),
            ignore: None,
        }
    }

    /// A profiler over the same repository sharing this one's analyses (a walk over many
    /// revisions analyses each blob once), with its own ignore globs.
    pub fn sharing(&self, ignore: Option<crate::policy::IgnoreSet>) -> Profiler<'r> {
        Profiler {
            repo: self.repo,
            allow_incomplete: self.allow_incomplete,
            memo: self.memo.clone(),
            header_memo: self.header_memo.clone(),
            component_memo: RefCell::default(),
            ignore,
        }
    }

    /// Paths matching these globs are skipped (the policy's `ignore`, vendored code).
    pub fn with_ignore(mut self, ignore: Option<crate::policy::IgnoreSet>) -> Self {
        self.ignore = ignore;
        self
    }

    /// Whether the policy ignores a path.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.ignore.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// Paths of a revision that signal a MOF component, with their components (names only,
    /// each path matched once). Subtrees are memoized by id and path, so the second side of
    /// a diff walks and matches only what changed.
    pub fn component_paths(&self, rev: &Revision) -> Result<Vec<SignalPath>> {
        let mut out = Vec::new();
        self.component_paths_below(rev.tree, "")?.collect_into(&mut out);
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn component_paths_below(&self, tree: Oid, dir: &str) -> Result<Rc<SignalTree>> {
        if let Some(hit) = self.component_memo.borrow().get(&(tree, dir.to_string())) {
            return Ok(hit.clone());
        }
        let mut out = SignalTree::default();
        let mut path = String::with_capacity(dir.len() + 64);
        let literals = components::DirLiterals::of(dir);
        for (name, oid, kind) in self.repo.read_dir(tree)?.iter() {
            child_path(&mut path, dir, name);
            match kind {
                EntryKind::Tree => {
                    let below = self.component_paths_below(oid, &path)?;
                    if !below.files.is_empty() || !below.dirs.is_empty() {
                        out.dirs.push(below);
                    }
                }
                EntryKind::Submodule => {}
                _ => {
                    // The literal pre-check rejects most paths before the ignore globs run.
                    let signals = literals.signals(name, &path);
                    if !signals.is_empty() && !self.is_ignored(&path) {
                        out.files.push(SignalPath { path: path.clone(), signals });
                    }
                }
            }
        }
        let out = Rc::new(out);
        self.component_memo.borrow_mut().insert((tree, dir.to_string()), out.clone());
        Ok(out)
    }

    /// The repository.
    pub fn repo(&self) -> &'r Repo {
        self.repo
    }

    /// The `SPDX-License-Identifier` header of a blob (and its line), memoized by blob id.
    /// Missing and large blobs have none: headers are never worth a fetch.
    pub fn header_of(&self, oid: Oid) -> Result<Option<(Expr, u32)>> {
        if let Some(hit) = self.header_memo.borrow().get(&oid) {
            return Ok(hit.clone());
        }
        let found = self.repo.with_head(oid, headers::HEADER_BYTES, headers::header_license)?.flatten();
        self.header_memo.borrow_mut().insert(oid, found.clone());
        Ok(found)
    }

    /// The whole revision.
    pub fn profile_all(&self, rev: &Revision) -> Result<Profile> {
        let keep = |path: &str, kind: EntryKind| kind == EntryKind::Submodule || snapshot::classify(path).is_some();
        let entries = self.repo.walk_kinds(rev.tree, "", &keep)?;
        let entries: Vec<(Entry, Option<Role>)> = entries
            .into_iter()
            .map(|e| {
                let role = if e.kind == EntryKind::Submodule { None } else { snapshot::classify(&e.path) };
                (e, role)
            })
            .collect();
        self.profile_entries(rev, &entries)
    }

    /// Only the given directories (and their license folders).
    pub fn profile_dirs<'a>(&self, rev: &Revision, dirs: impl IntoIterator<Item = &'a str>) -> Result<Profile> {
        let mut entries = Vec::new();
        // Each entry is classified once, by its path in a reused buffer; only what is kept
        // becomes an `Entry`.
        let mut path = String::new();
        for dir in dirs {
            let Some(tree) = self.repo.subtree(rev.tree, dir)? else { continue };
            for (name, oid, kind) in self.repo.read_dir(tree)?.iter() {
                child_path(&mut path, dir, name);
                match kind {
                    EntryKind::Tree if snapshot::is_license_folder(name) || matches!(name, "debian" | ".reuse") => {
                        for e in self.repo.list_dir(rev.tree, &path)?.into_iter().filter(|c| c.kind != EntryKind::Tree)
                        {
                            keep_entry(&mut entries, &e.path, e.oid, e.kind);
                        }
                    }
                    EntryKind::Tree => {}
                    _ => keep_entry(&mut entries, &path, oid, kind),
                }
            }
        }
        entries.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        entries.dedup_by(|a, b| a.0.path == b.0.path);
        self.profile_entries(rev, &entries)
    }

    /// The profile of classified entries (a submodule has no role).
    fn profile_entries(&self, rev: &Revision, entries: &[(Entry, Option<Role>)]) -> Result<Profile> {
        let mut profile = Profile::default();
        profile.declarations.reserve(entries.len());
        for (entry, role) in entries {
            if self.is_ignored(&entry.path) {
                profile.ignored.push(entry.path.clone());
                continue;
            }
            if entry.kind == EntryKind::Submodule {
                profile.submodules.push(entry.path.clone());
                continue;
            }
            let Some(role) = *role else {
                continue;
            };
            let scope_dir = snapshot::scope_dir_as(&entry.path, role).to_string();
            match role {
                Role::Notice | Role::Patents | Role::ReuseText => {
                    let kind = match role {
                        Role::Notice => EvidenceKind::Notice,
                        Role::Patents => EvidenceKind::Patents,
                        _ => EvidenceKind::ReuseText,
                    };
                    profile.evidence.push(EvidenceFile { path: entry.path.clone(), kind, scope: scope_dir.clone() });
                    if role == Role::ReuseText {
                        self.reuse_text(rev, entry, &scope_dir, &mut profile)?;
                    }
                    // Notices and patent grants are documents of their scope: their clauses
                    // (a patent grant's termination) are restrictions there.
                    if matches!(role, Role::Notice | Role::Patents)
                        && let Some(analysis) = self.analyze_entry(rev, entry, Mode::Policy, &mut profile)?
                        && let Analysis::Policy(info) = &*analysis
                    {
                        let scope = Scope { path: scope_dir, component: Component::All };
                        profile.restrictions.extend(restrictions::from_hits(&info.clauses, &scope, &entry.path));
                    }
                }
                Role::MotFile => {
                    let Some(analysis) = self.analyze_entry(rev, entry, Mode::Mot, &mut profile)? else { continue };
                    match &*analysis {
                        Analysis::Mot(Ok(Some(info))) => {
                            let mut info = info.clone();
                            info.path = entry.path.clone();
                            profile.mot.push(info);
                        }
                        Analysis::Mot(Err(e)) => profile
                            .warnings
                            .push(format!("{}: not a readable Model Openness Tool file: {e}", entry.path)),
                        Analysis::Unreadable { note, .. } => {
                            profile.warnings.push(format!("{}: not read: {note}", entry.path))
                        }
                        _ => {}
                    }
                }
                Role::UsePolicy => {
                    let scope = Scope { path: scope_dir, component: Component::All };
                    profile.restrictions.push(RestrictionFact {
                        category: Restriction::UsePolicy,
                        scope: scope.clone(),
                        path: entry.path.clone(),
                        line: None,
                        clause: format!(
                            "{} is an acceptable-use policy that restricts what the model may be used for",
                            entry.path
                        ),
                        source: restrictions::FactSource::Clause,
                        key: "use-policy-file".into(),
                        sentence: String::new(),
                    });
                    if let Some(analysis) = self.analyze_entry(rev, entry, Mode::Policy, &mut profile)? {
                        match &*analysis {
                            Analysis::Policy(info) => {
                                profile.restrictions.extend(restrictions::from_hits(&info.clauses, &scope, &entry.path))
                            }
                            // Terms nobody can read are terms of unknown effect: the scope's
                            // license is not what it was.
                            Analysis::Unreadable { note, key } => {
                                let note = format!("the use policy cannot be read: {note}");
                                profile.declarations.push(Declaration::unidentified(
                                    entry,
                                    DeclKind::LicenseFile,
                                    scope.clone(),
                                    key,
                                    note,
                                    None,
                                ));
                            }
                            _ => {}
                        }
                    }
                }
                Role::LicenseFile(component) => {
                    let Some(analysis) = self.analyze_entry(rev, entry, Mode::Text, &mut profile)? else {
                        continue;
                    };
                    let scope = Scope { path: scope_dir, component };
                    profile.declarations.extend(license_declaration(entry, scope, &analysis));
                }
                Role::Manifest(kind) => {
                    let Some(analysis) = self.analyze_entry(rev, entry, Mode::Manifest(kind), &mut profile)? else {
                        continue;
                    };
                    let decls = self.manifest_declarations(rev, entry, kind, &analysis, &mut profile)?;
                    profile.declarations.extend(decls);
                }
                Role::Card(forced) => {
                    let Some(analysis) = self.analyze_entry(rev, entry, Mode::Card, &mut profile)? else {
                        continue;
                    };
                    if let Analysis::Card(card::FrontMatter::Parsed { meta, base_model_line, dataset, .. }) = &*analysis
                    {
                        let scope = Scope { path: scope_dir.clone(), component: Component::Weights };
                        profile.restrictions.extend(restrictions::from_card(meta, &scope, &entry.path));
                        profile.cards.push(CardInfo {
                            path: entry.path.clone(),
                            scope: scope_dir.clone(),
                            base_model: meta.base_model.as_ref().map(|b| b.to_vec()).unwrap_or_default(),
                            base_model_line: *base_model_line,
                            datasets: meta.datasets.as_ref().map(|d| d.to_vec()).unwrap_or_default(),
                            has_model_index: meta.model_index.is_some(),
                            gated: meta.is_gated(),
                            gate_fields: meta.gate_fields().into_iter().map(|(label, _)| label).collect(),
                            dataset: forced.map_or(*dataset, |c| c == Component::Data),
                        });
                    }
                    if let Some(d) = card_declaration(entry, &scope_dir, forced, &analysis, &mut profile.warnings) {
                        profile.declarations.push(d);
                    }
                }
            }
        }
        // What the knowledge base knows of a license is looked up once per license.
        // (Declarations of one license tend to follow each other: the last one is at hand.)
        let mut kb: HashMap<&Expr, Rc<[restrictions::KbRestriction]>, FoldHash> = HashMap::default();
        let mut last: Option<(&Expr, Rc<[restrictions::KbRestriction]>)> = None;
        for d in &profile.declarations {
            let known = match &last {
                Some((license, known)) if **license == d.license => known.clone(),
                _ => {
                    let known = kb
                        .entry(&d.license)
                        .or_insert_with(|| restrictions::kb_restrictions(&d.license).into())
                        .clone();
                    last = Some((&d.license, known.clone()));
                    known
                }
            };
            profile.restrictions.extend(restrictions::placed(&known, &d.scope, &d.path, d.line));
            if let Some(text) = &d.text {
                profile.restrictions.extend(restrictions::from_hits(&text.clauses, &d.scope, &d.path));
            }
        }
        Ok(profile)
    }

    /// A REUSE `LICENSES/<ID>.txt`: the text SPDX headers and REUSE.toml name by `<ID>`,
    /// judged against the standard text of `<ID>`. Identical: nothing. Sentences it adds
    /// that restrict use (every restricting sentence of a `LicenseRef-` text) are
    /// restrictions of the directory holding `LICENSES/` (the repository root), so adding
    /// one is `restriction-added`. A text that is not `<ID>` at all, or cannot be read,
    /// declares that scope's license, so the change is a license finding.
    fn reuse_text(&self, rev: &Revision, entry: &Entry, scope_dir: &str, profile: &mut Profile) -> Result<()> {
        let Some(analysis) = self.analyze_entry(rev, entry, Mode::Text, profile)? else { return Ok(()) };
        let scope = Scope { path: scope_dir.to_string(), component: Component::All };
        let stem = entry.name().strip_suffix(".txt").unwrap_or(entry.name());
        // An exception text (`LLVM-exception.txt`) is no license: the expressions that name it
        // are judged where they stand.
        if spdx::exception_id(stem).is_some() {
            return Ok(());
        }
        let custom = stem.starts_with("LicenseRef-");
        let named = if custom { None } else { Expr::parse(stem).filter(|e| !e.has_unidentified()) };
        match &*analysis {
            Analysis::Text { ident, info } => {
                // `-only` and `-or-later` share one text: GPL-3.0-or-later.txt is the GPL-3.0 text.
                let is_named = |l: &Expr| {
                    named
                        .as_ref()
                        .is_some_and(|n| n.terms().iter().all(|t| l.terms().iter().any(|x| x.family() == t.family())))
                };
                let same = ident.license.as_ref().is_some_and(is_named)
                    || ident.closest.as_ref().is_some_and(|g| {
                        g.score >= 0.8 && Expr::parse(&g.license).is_some_and(|guess| is_named(&guess))
                    });
                if custom || same {
                    let hits =
                        restrictions::license_text_hits(named.as_ref(), ident.confidence.min(0.99), &info.sentences);
                    profile.restrictions.extend(restrictions::from_hits(&hits, &scope, &entry.path));
                } else if let Some(mut d) = license_declaration(entry, scope, &analysis) {
                    let is = ident.license.as_ref().map_or_else(|| "unidentified".to_string(), ToString::to_string);
                    d.note = Some(format!("named for {stem}, but its text is {is}"));
                    profile.declarations.push(d);
                }
            }
            Analysis::Unreadable { .. } => profile.declarations.extend(license_declaration(entry, scope, &analysis)),
            _ => {}
        }
        Ok(())
    }

    /// The declarations of a manifest: expressions as they are, `license-file` references
    /// identified from the file they name, Cargo workspace inheritance resolved from the
    /// nearest workspace root above.
    fn manifest_declarations(
        &self,
        rev: &Revision,
        entry: &Entry,
        kind: ManifestKind,
        analysis: &Analysis,
        profile: &mut Profile,
    ) -> Result<Vec<Declaration>> {
        let package_dir = manifest::scope_dir(&entry.path, kind);
        let component = match kind {
            ManifestKind::DebianCopyright | ManifestKind::ReuseToml | ManifestKind::ReuseDep5 => Component::All,
            _ => Component::Code,
        };
        let parsed = match analysis {
            Analysis::Manifest(parsed) => parsed,
            Analysis::Unreadable { note, key } => {
                profile.warnings.push(format!("{}: cannot read its license: {note}", entry.path));
                let scope = Scope { path: package_dir.to_string(), component };
                let note = format!("the manifest cannot be read: {note}");
                return Ok(vec![Declaration::unidentified(entry, DeclKind::Manifest, scope, key, note, None)]);
            }
            _ => return Ok(Vec::new()),
        };
        let statements = match parsed {
            Ok(v) => v,
            Err((error, mentions_license)) => {
                profile.warnings.push(format!("{}: cannot read its license: {error}", entry.path));
                if !mentions_license {
                    return Ok(Vec::new());
                }
                let scope = Scope { path: package_dir.to_string(), component };
                let note = format!("the manifest cannot be read: {error}");
                let key = format!("malformed:{}", entry.oid);
                return Ok(vec![Declaration::unidentified(entry, DeclKind::Manifest, scope, &key, note, None)]);
            }
        };
        let mut out = Vec::new();
        for st in statements {
            let path = match st.subdir.as_deref() {
                Some(sub) if !sub.is_empty() => join_dir(package_dir, sub),
                _ => package_dir.to_string(),
            };
            let scope = Scope { path, component };
            let manifest_dir = entry.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let declared = match &st.declared {
                Declared::Workspace => self.workspace_license(rev, manifest_dir, profile)?,
                other => Some(other.clone()),
            };
            let mut decl = match declared {
                Some(Declared::Expr(license)) => Declaration {
                    path: entry.path.clone(),
                    kind: DeclKind::Manifest,
                    scope,
                    id_kind: if license.has_ai() { IdKind::Ai } else { IdKind::Spdx },
                    confidence: if license.has_unidentified() { 0.0 } else { 1.0 },
                    license,
                    closest: None,
                    note: None,
                    line: st.line,
                    text: None,
                    link: None,
                    parts: Vec::new(),
                },
                Some(Declared::File(rel)) => {
                    let target = resolve_link(&format!("{manifest_dir}/x"), &rel).unwrap_or_default();
                    let target = target.trim_start_matches('/').to_string();
                    match self.repo.entry_at(rev.tree, &target)? {
                        Some(file) if file.kind != EntryKind::Tree && file.kind != EntryKind::Submodule => {
                            let analysis = self.analyze_entry(rev, &file, Mode::Text, profile)?;
                            let Some(mut d) = analysis.and_then(|a| license_declaration(&file, scope, &a)) else {
                                continue;
                            };
                            d.path = entry.path.clone();
                            d.kind = DeclKind::Manifest;
                            d.line = st.line;
                            d.note = Some(format!("{} names the license file {target}", st.field));
                            d
                        }
                        _ => {
                            let note = format!("{} names {rel}, which is not in the tree", st.field);
                            let key = format!("missing-file:{target}");
                            Declaration::unidentified(entry, DeclKind::Manifest, scope, &key, note, st.line)
                        }
                    }
                }
                Some(Declared::Workspace) | None => {
                    let note = "license.workspace = true, but no workspace root above declares a license".to_string();
                    Declaration::unidentified(entry, DeclKind::Manifest, scope, "workspace:none", note, st.line)
                }
            };
            if decl.note.is_none() {
                decl.note = Some(st.field.to_string());
            }
            out.push(decl);
        }
        Ok(out)
    }

    /// `[workspace.package] license` of the nearest Cargo workspace root above `dir`.
    fn workspace_license(&self, rev: &Revision, dir: &str, profile: &mut Profile) -> Result<Option<Declared>> {
        for anc in ancestors(dir).skip(1) {
            let path = join_dir(anc, "Cargo.toml");
            let Some(entry) = self.repo.entry_at(rev.tree, &path)? else { continue };
            let Some(analysis) = self.analyze_entry(rev, &entry, Mode::Manifest(ManifestKind::Cargo), profile)? else {
                continue;
            };
            if let Analysis::Manifest(Ok(statements)) = &*analysis
                && let Some(st) = statements.iter().find(|s| s.field.starts_with("workspace.package"))
            {
                return Ok(Some(match &st.declared {
                    // Relative to the member's directory, as `license-file` values are.
                    Declared::File(rel) => {
                        let up = dir.split('/').filter(|p| !p.is_empty()).count()
                            - anc.split('/').filter(|p| !p.is_empty()).count();
                        Declared::File(format!("{}{rel}", "../".repeat(up)))
                    }
                    d => d.clone(),
                }));
            }
        }
        Ok(None)
    }

    /// Reads and analyses the blob behind an entry, following in-tree symlinks. What cannot
    /// be read is `Analysis::Unreadable` with a note saying why, never dropped.
    fn analyze_entry(
        &self,
        rev: &Revision,
        entry: &Entry,
        mode: Mode,
        profile: &mut Profile,
    ) -> Result<Option<Rc<Analysis>>> {
        let mut oid = entry.oid;
        if entry.kind == EntryKind::Symlink {
            let target = match &*self.repo.read_blob(entry.oid)? {
                Blob::Bytes(b) => String::from_utf8_lossy(b).trim().to_string(),
                _ => String::new(),
            };
            let resolved =
                resolve_link(&entry.path, &target).and_then(|p| self.repo.entry_at(rev.tree, &p).ok().flatten());
            match resolved {
                Some(t) if t.kind == EntryKind::File => oid = t.oid,
                _ => {
                    let note = format!(
                        "symlink out of the tree (to '{target}', which is outside the repository or not a file): not followed"
                    );
                    profile.warnings.push(format!("{}: {note}", entry.path));
                    return Ok(Some(Rc::new(Analysis::Unreadable {
                        note,
                        key: normalize::sha256_hex(&format!("symlink:{target}")),
                    })));
                }
            }
        }
        if let Some(hit) = self.memo.borrow().get(&(oid, mode)) {
            return Ok(Some(hit.clone()));
        }
        let blob = self.repo.read_blob(oid)?;
        let analysis = match &*blob {
            Blob::Bytes(bytes) => analyze_bytes(entry, oid, mode, bytes, false),
            // A card's front matter is at its start: read that much of a card of any size.
            Blob::TooLarge { size } if mode == Mode::Card => {
                match self.repo.read_prefix(oid, card::FRONT_MATTER_BYTES)? {
                    Some(head) => analyze_bytes(entry, oid, mode, &head, true),
                    None => Analysis::Unreadable {
                        note: format!("over the size cap: {size} bytes, and its beginning could not be read"),
                        key: oid.to_string(),
                    },
                }
            }
            Blob::TooLarge { size } => Analysis::Unreadable {
                note: format!("over the size cap: {size} bytes, not read (--max-blob-size)"),
                key: oid.to_string(),
            },
            Blob::Lfs(p) => Analysis::Unreadable {
                note: format!(
                    "a Git LFS pointer ({} bytes stored outside git): the text is not in the repository",
                    p.size
                ),
                key: p.oid.clone(),
            },
            Blob::Missing => {
                if !self.allow_incomplete {
                    return Err(Error::MissingBlob {
                        rev: rev.rev.clone(),
                        path: entry.path.clone(),
                        oid: oid.to_string(),
                    });
                }
                profile
                    .warnings
                    .push(format!("{} at {}: blob {oid} is missing; the report is incomplete", entry.path, rev.rev));
                Analysis::Unreadable {
                    note: "missing from this clone (--allow-incomplete)".into(),
                    key: oid.to_string(),
                }
            }
        };
        let analysis = Rc::new(analysis);
        self.memo.borrow_mut().insert((oid, mode), analysis.clone());
        Ok(Some(analysis))
    }
}

/// Adds a tree entry to `entries` when it is a submodule or a relevant file, with its role.
fn keep_entry(entries: &mut Vec<(Entry, Option<Role>)>, path: &str, oid: Oid, kind: EntryKind) {
    let role = match kind {
        EntryKind::Submodule => None,
        _ => match snapshot::classify(path) {
            Some(role) => Some(role),
            None => return,
        },
    };
    entries.push((Entry { path: path.to_string(), oid, kind }, role));
}

/// Analyses a blob's bytes in one reading mode; `prefix`: only the blob's beginning (of a
/// card over the cap).
fn analyze_bytes(entry: &Entry, oid: Oid, mode: Mode, bytes: &[u8], prefix: bool) -> Analysis {
    // A cut-off prefix ends at its last line break, so no character is cut in two.
    let bytes = if prefix { &bytes[..memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1)] } else { bytes };
    let decoded = normalize::decode(bytes);
    if decoded.binary {
        return Analysis::Unreadable { note: "binary content, not a text".into(), key: oid.to_string() };
    }
    let empty = decoded.text.trim().is_empty();
    match mode {
        Mode::Manifest(kind) => {
            let mentions = decoded.text.to_ascii_lowercase().contains("licen");
            Analysis::Manifest(manifest::parse(kind, &decoded.text).map_err(|e| (e, mentions)))
        }
        Mode::Card => Analysis::Card(card::front_matter_of(&decoded.text, prefix)),
        Mode::Mot => Analysis::Mot(mot::parse(&entry.path, &decoded.text)),
        Mode::Policy | Mode::Text if empty => {
            Analysis::Unreadable { note: "empty file: no text to identify".into(), key: oid.to_string() }
        }
        Mode::Policy => {
            let parts = normalize::parts(&decoded.text);
            let clauses = restrictions::clause_hits(&parts.sentences, &|_| false);
            let info = TextInfo { hash: parts.hash(), sentences: parts.sentences, clauses };
            Analysis::Policy(Rc::new(info))
        }
        Mode::Text => {
            // One normalization serves identification, the hash and the clauses.
            let parts = normalize::parts(&decoded.text);
            let ident = knowledge::identify_normalized(
                &decoded.text,
                &parts.norm,
                &parts.line_starts,
                knowledge::TextSource::LicenseFile,
            );
            let hash = parts.hash();
            let sentences = parts.sentences;
            let clauses = restrictions::license_text_hits(ident.license.as_ref(), ident.confidence, &sentences);
            Analysis::Text { ident, info: Rc::new(TextInfo { hash, sentences, clauses }) }
        }
    }
}

fn license_declaration(entry: &Entry, scope: Scope, analysis: &Analysis) -> Option<Declaration> {
    Some(match analysis {
        Analysis::Text { ident, info } => Declaration {
            path: entry.path.clone(),
            kind: DeclKind::LicenseFile,
            scope,
            id_kind: ident.kind(),
            license: ident.license.clone().unwrap_or_else(|| unidentified_expr(&info.hash)),
            confidence: ident.confidence,
            closest: ident.closest.clone(),
            note: None,
            line: None,
            text: Some(info.clone()),
            link: None,
            parts: ident.parts.clone(),
        },
        Analysis::Unreadable { note, key } => {
            Declaration::unidentified(entry, DeclKind::LicenseFile, scope, key, note.clone(), None)
        }
        Analysis::Card(_) | Analysis::Manifest(_) | Analysis::Policy(_) | Analysis::Mot(_) => return None,
    })
}

impl Declaration {
    /// A declaration whose license is not known: `key` identifies the content (a hash or
    /// blob id), `note` says why.
    fn unidentified(entry: &Entry, kind: DeclKind, scope: Scope, key: &str, note: String, line: Option<u32>) -> Self {
        Declaration {
            path: entry.path.clone(),
            kind,
            scope,
            license: unidentified_expr(&normalize::sha256_hex(key)),
            confidence: 0.0,
            id_kind: IdKind::Unidentified,
            closest: None,
            note: Some(note),
            line,
            text: None,
            link: None,
            parts: Vec::new(),
        }
    }
}

fn card_declaration(
    entry: &Entry,
    scope_dir: &str,
    forced: Option<Component>,
    analysis: &Analysis,
    warnings: &mut Vec<String>,
) -> Option<Declaration> {
    let component_of = |dataset: bool| {
        let c = forced.unwrap_or(if dataset { Component::Data } else { Component::Weights });
        (if c == Component::Data { DeclKind::DataCard } else { DeclKind::ModelCard }, c)
    };
    let fm = match analysis {
        Analysis::Card(fm) => fm,
        // A card nobody can read may declare anything: fail closed.
        Analysis::Unreadable { note, key } => {
            let (kind, component) = component_of(false);
            let scope = Scope { path: scope_dir.to_string(), component };
            return Some(Declaration::unidentified(entry, kind, scope, key, format!("card not read: {note}"), None));
        }
        _ => return None,
    };
    match fm {
        card::FrontMatter::Absent => None,
        card::FrontMatter::Parsed { meta, license_line, dataset, duplicate_keys, .. } => {
            for dup in duplicate_keys {
                let lines: Vec<String> = dup.lines.iter().map(u32::to_string).collect();
                warnings.push(format!(
                    "{}: the front matter gives `{}` {} times (lines {}); the last one counts, and the Hub may read it differently: keep one",
                    entry.path,
                    dup.key,
                    dup.lines.len(),
                    lines.join(", ")
                ));
            }
            let values = meta.license.as_ref()?.to_vec();
            let exprs = values
                .iter()
                .filter(|v| !v.trim().is_empty())
                .map(|v| knowledge::card_license(v, meta.license_name.as_deref()));
            let license = Expr::and_all(exprs)?;
            let (kind, component) = component_of(*dataset);
            let id_kind = if license.terms().iter().all(|t| matches!(t, Term::Other(_))) {
                IdKind::Unidentified
            } else {
                license_kind(&license)
            };
            Some(Declaration {
                path: entry.path.clone(),
                kind,
                scope: Scope { path: scope_dir.to_string(), component },
                confidence: if id_kind == IdKind::Unidentified { 0.0 } else { 1.0 },
                id_kind,
                closest: None,
                note: None,
                line: *license_line,
                text: None,
                link: meta
                    .license_link
                    .as_ref()
                    .filter(|_| license.terms().iter().any(|t| matches!(t, Term::Other(_))))
                    .map(|l| l.trim().to_string()),
                license,
                parts: Vec::new(),
            })
        }
        card::FrontMatter::Malformed { error, mentions_license, license_line } => {
            warnings.push(format!(
                "{}: front matter is not valid YAML ({error}); fix it so the Hub and this tool can read the card",
                entry.path
            ));
            if !mentions_license {
                return None;
            }
            let (kind, component) = component_of(false);
            let scope = Scope { path: scope_dir.to_string(), component };
            let note = format!("front matter is not valid YAML: {error}");
            Some(Declaration::unidentified(
                entry,
                kind,
                scope,
                &format!("malformed:{}", entry.oid),
                note,
                *license_line,
            ))
        }
    }
}

fn join_dir(dir: &str, rel: &str) -> String {
    if dir.is_empty() { rel.to_string() } else { format!("{dir}/{rel}") }
}

fn license_kind(e: &Expr) -> IdKind {
    if e.has_ai() { IdKind::Ai } else { IdKind::Spdx }
}

/// Writes `dir/name` (or `name` at the root) into a reused buffer.
fn child_path(buf: &mut String, dir: &str, name: &str) {
    buf.clear();
    if !dir.is_empty() {
        buf.push_str(dir);
        buf.push('/');
    }
    buf.push_str(name);
}

//! What a revision declares: license declarations with their scope, evidence files,
//! submodules. Analyses are memoized by blob id, so unchanged files cost nothing twice.
//!
//! The [`Profiler`] is built here; its work is spread by job: `profiler` walks a revision
//! and dispatches each file by role, `analysis` reads a file's content, `declarations` and
//! `manifest_declarations` turn analyses into declarations, `signal_paths` finds the paths
//! that signal openness components.

mod analysis;
pub mod card;
mod declarations;
pub mod headers;
pub mod manifest;
mod manifest_declarations;
pub mod mot;
pub mod openness;
mod profiler;
pub mod restrictions;
mod scope_index;
mod signal_paths;

use analysis::AnalysisMemo;
use restrictions::{ClauseHit, RestrictionFact};
use scope_index::ByScope;
use signal_paths::ComponentMemo;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use git2::Oid;
use serde::Serialize;

use crate::fasthash::FoldHash;
use crate::git::Repo;
use crate::knowledge::expr::Expr;
use crate::knowledge::normalize::Sentence;
use crate::knowledge::{self, Guess, IdKind};
use crate::snapshot::{Component, ancestors};

pub use signal_paths::SignalPath;

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

/// Header licenses by blob id.
type HeaderMemo = HashMap<Oid, Option<(Expr, u32)>, FoldHash>;

/// Builds profiles; memoizes analyses by blob id.
pub struct Profiler<'r> {
    repo: &'r Repo,
    allow_incomplete: bool,
    memo: Rc<RefCell<AnalysisMemo>>,
    header_memo: Rc<RefCell<HeaderMemo>>,
    /// Component signal paths below a directory, by (tree id, directory path): this
    /// profiler's ignore globs are part of the answer, so it is not shared.
    component_memo: RefCell<ComponentMemo>,
    ignore: Option<crate::snapshot::IgnoreSet>,
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

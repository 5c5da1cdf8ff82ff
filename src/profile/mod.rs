//! What a revision declares: license declarations with their scope, evidence files,
//! submodules. Analyses are memoized by blob id, so unchanged files cost nothing twice.

pub mod card;
pub mod headers;
pub mod manifest;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use git2::Oid;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::git::{Blob, Entry, EntryKind, Repo, Revision, resolve_link};
use crate::knowledge::expr::{Expr, Term, UNIDENTIFIED};
use crate::knowledge::normalize::{self, Sentence};
use crate::knowledge::{self, Guess, IdKind, Identification};
use crate::snapshot::{self, Component, Role};

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
}

/// A license file's text, as far as drift needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextInfo {
    /// Hash of the normalized text (copyright lines excluded).
    pub hash: String,
    /// Sentences, for clause-level diffs.
    pub sentences: Vec<Sentence>,
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
}

/// What a revision declares (all of it, or the directories asked for).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub declarations: Vec<Declaration>,
    pub evidence: Vec<EvidenceFile>,
    /// Model and data cards with front matter.
    pub cards: Vec<CardInfo>,
    /// Submodule paths (listed, never entered).
    pub submodules: Vec<String>,
    /// Things the reader should know (files not read, symlinks not followed).
    pub warnings: Vec<String>,
}

impl Profile {
    /// Own declarations of one scope.
    pub fn in_scope(&self, dir: &str, component: Component) -> Vec<&Declaration> {
        self.declarations.iter().filter(|d| d.scope.path == dir && d.scope.component == component).collect()
    }
}

/// The analysis of one file's content, shared by every path and revision with that blob.
#[derive(Debug, Clone)]
enum Analysis {
    Text { ident: Identification, info: Rc<TextInfo> },
    Unreadable { note: String, key: String },
    Card(card::FrontMatter),
}

/// Builds profiles; memoizes analyses by blob id.
pub struct Profiler<'r> {
    repo: &'r Repo,
    allow_incomplete: bool,
    memo: RefCell<HashMap<(Oid, bool), Rc<Analysis>>>,
    header_memo: RefCell<HashMap<Oid, Option<(Expr, u32)>>>,
}

fn unidentified_expr(key: &str) -> Expr {
    Expr::term(Term::Other(format!("{UNIDENTIFIED}{}", &key[..key.len().min(12)])))
}

impl<'r> Profiler<'r> {
    /// A profiler over `repo`; with `allow_incomplete`, missing blobs become warnings.
    pub fn new(repo: &'r Repo, allow_incomplete: bool) -> Self {
        Profiler { repo, allow_incomplete, memo: RefCell::default(), header_memo: RefCell::default() }
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
        let found = self.repo.read_head(oid, headers::HEADER_BYTES)?.and_then(|bytes| headers::header_license(&bytes));
        self.header_memo.borrow_mut().insert(oid, found.clone());
        Ok(found)
    }

    /// The whole revision.
    pub fn profile_all(&self, rev: &Revision) -> Result<Profile> {
        let keep = |path: &str, kind: EntryKind| kind == EntryKind::Submodule || snapshot::classify(path).is_some();
        let entries = self.repo.walk_kinds(rev.tree, "", &keep)?;
        self.profile_entries(rev, &entries)
    }

    /// Only the given directories (and their license folders).
    pub fn profile_dirs<'a>(&self, rev: &Revision, dirs: impl IntoIterator<Item = &'a str>) -> Result<Profile> {
        let mut entries = Vec::new();
        for dir in dirs {
            for e in self.repo.list_dir(rev.tree, dir)? {
                match e.kind {
                    EntryKind::Tree if snapshot::is_license_folder(e.name()) => {
                        entries.extend(
                            self.repo.list_dir(rev.tree, &e.path)?.into_iter().filter(|c| c.kind != EntryKind::Tree),
                        );
                    }
                    EntryKind::Tree => {}
                    _ => entries.push(e),
                }
            }
        }
        entries.retain(|e| e.kind == EntryKind::Submodule || snapshot::classify(&e.path).is_some());
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.dedup_by(|a, b| a.path == b.path);
        self.profile_entries(rev, &entries)
    }

    fn profile_entries(&self, rev: &Revision, entries: &[Entry]) -> Result<Profile> {
        let mut profile = Profile::default();
        for entry in entries {
            if entry.kind == EntryKind::Submodule {
                profile.submodules.push(entry.path.clone());
                continue;
            }
            let Some(role) = snapshot::classify(&entry.path) else {
                continue;
            };
            let scope_dir = snapshot::scope_dir(&entry.path).to_string();
            match role {
                Role::Notice | Role::Patents | Role::ReuseText => {
                    let kind = match role {
                        Role::Notice => EvidenceKind::Notice,
                        Role::Patents => EvidenceKind::Patents,
                        _ => EvidenceKind::ReuseText,
                    };
                    profile.evidence.push(EvidenceFile { path: entry.path.clone(), kind, scope: scope_dir });
                }
                Role::LicenseFile(component) => {
                    let Some(analysis) = self.analyze_entry(rev, entry, false, &mut profile)? else {
                        continue;
                    };
                    let scope = Scope { path: scope_dir, component };
                    profile.declarations.extend(license_declaration(entry, scope, &analysis));
                }
                Role::Card(forced) => {
                    let Some(analysis) = self.analyze_entry(rev, entry, true, &mut profile)? else {
                        continue;
                    };
                    if let Analysis::Card(card::FrontMatter::Parsed { meta, base_model_line, .. }) = &*analysis {
                        profile.cards.push(CardInfo {
                            path: entry.path.clone(),
                            scope: scope_dir.clone(),
                            base_model: meta.base_model.as_ref().map(|b| b.to_vec()).unwrap_or_default(),
                            base_model_line: *base_model_line,
                            datasets: meta.datasets.as_ref().map(|d| d.to_vec()).unwrap_or_default(),
                        });
                    }
                    if let Some(d) = card_declaration(entry, &scope_dir, forced, &analysis, &mut profile.warnings) {
                        profile.declarations.push(d);
                    }
                }
            }
        }
        Ok(profile)
    }

    /// Reads and analyses the blob behind an entry, following in-tree symlinks.
    fn analyze_entry(
        &self,
        rev: &Revision,
        entry: &Entry,
        as_card: bool,
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
                    let note =
                        format!("symlink to '{target}', which is outside the repository or not a file; not followed");
                    profile.warnings.push(format!("{}: {note}", entry.path));
                    if as_card {
                        return Ok(None);
                    }
                    return Ok(Some(Rc::new(Analysis::Unreadable {
                        note,
                        key: normalize::sha256_hex(&format!("symlink:{target}")),
                    })));
                }
            }
        }
        if let Some(hit) = self.memo.borrow().get(&(oid, as_card)) {
            return Ok(Some(hit.clone()));
        }
        let blob = self.repo.read_blob(oid)?;
        let analysis = match &*blob {
            Blob::Bytes(bytes) => {
                let decoded = normalize::decode(bytes);
                if decoded.binary {
                    Analysis::Unreadable { note: "binary content, not a license text".into(), key: oid.to_string() }
                } else if as_card {
                    Analysis::Card(card::front_matter(&decoded.text))
                } else {
                    let ident = knowledge::identify_text(&decoded.text);
                    let info = TextInfo {
                        hash: normalize::text_hash(&decoded.text),
                        sentences: normalize::sentences(&decoded.text),
                    };
                    Analysis::Text { ident, info: Rc::new(info) }
                }
            }
            Blob::TooLarge { size } => Analysis::Unreadable {
                note: format!("not read: {size} bytes is over the size cap"),
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
        if as_card && matches!(analysis, Analysis::Unreadable { .. }) {
            return Ok(None);
        }
        let analysis = Rc::new(analysis);
        self.memo.borrow_mut().insert((oid, as_card), analysis.clone());
        Ok(Some(analysis))
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
        },
        Analysis::Unreadable { note, key } => {
            Declaration::unidentified(entry, DeclKind::LicenseFile, scope, key, note.clone(), None)
        }
        Analysis::Card(_) => return None,
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
    let Analysis::Card(fm) = analysis else {
        return None;
    };
    let component_of = |dataset: bool| {
        let c = forced.unwrap_or(if dataset { Component::Data } else { Component::Weights });
        (if c == Component::Data { DeclKind::DataCard } else { DeclKind::ModelCard }, c)
    };
    match fm {
        card::FrontMatter::Absent => None,
        card::FrontMatter::Parsed { meta, license_line, dataset, .. } => {
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

fn license_kind(e: &Expr) -> IdKind {
    if e.has_ai() { IdKind::Ai } else { IdKind::Spdx }
}

//! Building profiles: walks a revision (all of it, or the directories asked for), classifies
//! its paths and turns each relevant file into declarations, evidence, cards and
//! restrictions. Analyses and headers are memoized by blob id and may be shared by the
//! profilers of one walk.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use git2::Oid;

use super::analysis::{Analysis, Mode};
use super::declarations::{card_declaration, license_declaration};
use super::{
    CardInfo, DeclKind, Declaration, EvidenceFile, EvidenceKind, Profile, Profiler, Scope, card, child_path, headers,
    restrictions,
};
use crate::error::Result;
use crate::fasthash::FoldHash;
use crate::git::{Entry, EntryKind, Repo, Revision};
use crate::knowledge::expr::Expr;
use crate::knowledge::ladder::Restriction;
use crate::snapshot::{self, Component, Role};
use restrictions::RestrictionFact;

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
    pub fn sharing(&self, ignore: Option<crate::snapshot::IgnoreSet>) -> Profiler<'r> {
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
    pub fn with_ignore(mut self, ignore: Option<crate::snapshot::IgnoreSet>) -> Self {
        self.ignore = ignore;
        self
    }

    /// Whether the policy ignores a path.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.ignore.as_ref().is_some_and(|g| g.is_match(path))
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

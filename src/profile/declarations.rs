//! Declarations from analyses: a license file's identified text, a card's `license:`, and
//! the unidentified declaration standing for terms nobody can read.

use super::analysis::Analysis;
use super::{DeclKind, Declaration, Scope, card};
use crate::git::Entry;
use crate::knowledge::expr::{Expr, Term, UNIDENTIFIED};
use crate::knowledge::normalize;
use crate::knowledge::{self, IdKind};
use crate::snapshot::Component;

fn unidentified_expr(key: &str) -> Expr {
    Expr::term(Term::Other(format!("{UNIDENTIFIED}{}", &key[..key.len().min(12)])))
}

pub(super) fn license_declaration(entry: &Entry, scope: Scope, analysis: &Analysis) -> Option<Declaration> {
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
    pub(super) fn unidentified(
        entry: &Entry,
        kind: DeclKind,
        scope: Scope,
        key: &str,
        note: String,
        line: Option<u32>,
    ) -> Self {
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

pub(super) fn card_declaration(
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

pub(super) fn join_dir(dir: &str, rel: &str) -> String {
    if dir.is_empty() { rel.to_string() } else { format!("{dir}/{rel}") }
}

fn license_kind(e: &Expr) -> IdKind {
    if e.has_ai() { IdKind::Ai } else { IdKind::Spdx }
}

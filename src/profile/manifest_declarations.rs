//! Declarations from package manifests: expressions as stated, `license-file` references
//! identified from the file they name, Cargo workspace inheritance resolved from the nearest
//! workspace root above.

use super::analysis::{Analysis, Mode};
use super::declarations::{join_dir, license_declaration};
use super::manifest::{self, Declared, ManifestKind};
use super::{DeclKind, Declaration, Profile, Profiler, Scope};
use crate::error::Result;
use crate::git::{Entry, EntryKind, Revision, resolve_link};
use crate::knowledge::IdKind;
use crate::snapshot::{Component, ancestors};

impl Profiler<'_> {
    /// The declarations of a manifest: expressions as they are, `license-file` references
    /// identified from the file they name, Cargo workspace inheritance resolved from the
    /// nearest workspace root above.
    pub(super) fn manifest_declarations(
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
}

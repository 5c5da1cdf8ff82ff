//! What a file's content says, read in one mode (license text, use policy, card, Model
//! Openness Tool file, manifest): one analysis per blob and mode, shared by every path and
//! revision with that blob. What cannot be read is an analysis too, with a note saying why.

use std::collections::HashMap;
use std::rc::Rc;

use git2::Oid;

use super::manifest::{self, ManifestKind, ManifestLicense};
use super::{Profile, Profiler, TextInfo, card, mot, restrictions};
use crate::error::{Error, Result};
use crate::fasthash::FoldHash;
use crate::git::{Blob, Entry, EntryKind, Revision, resolve_link};
use crate::knowledge::normalize;
use crate::knowledge::{self, Identification};

/// How a file's content is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Mode {
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
pub(super) enum Analysis {
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
pub(super) type AnalysisMemo = HashMap<(Oid, Mode), Rc<Analysis>, FoldHash>;

impl Profiler<'_> {
    /// Reads and analyses the blob behind an entry, following in-tree symlinks. What cannot
    /// be read is `Analysis::Unreadable` with a note saying why, never dropped.
    pub(super) fn analyze_entry(
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

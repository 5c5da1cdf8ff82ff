//! Which paths of a tree matter, found by path alone, and what they are.

mod ignore;
pub mod manifest_kind;

use serde::Serialize;

pub use ignore::IgnoreSet;
use manifest_kind::ManifestKind;

/// The component a declaration speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    All,
    Code,
    Weights,
    Data,
    Docs,
}

impl Component {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::All => "all",
            Component::Code => "code",
            Component::Weights => "weights",
            Component::Data => "data",
            Component::Docs => "docs",
        }
    }
}

/// What a relevant file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A license text covering its scope (or one component of it).
    LicenseFile(Component),
    /// A card whose YAML front matter may declare a license (`None`: decided by content).
    Card(Option<Component>),
    /// NOTICE / COPYRIGHT: evidence attached to a scope.
    Notice,
    /// PATENTS: a patent grant, evidence attached to a scope.
    Patents,
    /// `LICENSES/<id>.txt` of REUSE: texts that SPDX headers refer to.
    ReuseText,
    /// A package manifest (Cargo.toml, package.json, pyproject.toml, debian/copyright, …).
    Manifest(ManifestKind),
    /// An acceptable-use or prohibited-use policy (`USE_POLICY.md`, `ACCEPTABLE_USE_POLICY`).
    UsePolicy,
    /// A Model Openness Tool file (`mof.yml`): components and their licenses.
    MotFile,
}

/// Folders whose files are license texts of the folder's parent.
const LICENSE_FOLDERS: &[&str] = &["model_licenses", "model_license", "licenses", "licences", "license", "licence"];

/// Extensions of binary files (images, archives, weights, compiled code): no text, no header.
pub const BINARY_EXTENSIONS: &[&str] = &[
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "ico",
    "bmp",
    "tiff",
    "pdf",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "xz",
    "zst",
    "7z",
    "tar",
    "jar",
    "whl",
    "so",
    "dylib",
    "dll",
    "exe",
    "a",
    "o",
    "class",
    "pyc",
    "wasm",
    "bin",
    "safetensors",
    "gguf",
    "pt",
    "pth",
    "onnx",
    "h5",
    "ckpt",
    "npy",
    "npz",
    "parquet",
    "arrow",
    "pkl",
    "mp3",
    "mp4",
    "wav",
    "ogg",
    "flac",
    "webm",
    "mov",
    "avi",
    "ttf",
    "otf",
    "woff",
    "woff2",
    "lock",
];

/// Extensions of code, data and configuration files: never license texts.
const CODE_EXTENSIONS: &[&str] = &[
    "rs", "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "java", "kt", "c", "h", "cc", "cpp", "hpp", "cs", "rb",
    "php", "swift", "scala", "sh", "bash", "ps1", "pl", "lua", "r", "json", "yaml", "yml", "toml", "xml", "ini", "cfg",
    "conf", "csv", "tsv", "jsonl", "css", "scss", "svg", "sql", "proto", "snap", "tmpl", "j2", "erb", "vue", "svelte",
    "dart", "ex", "exs", "erl", "hs", "ml", "clj", "el", "vim", "mod", "sum", "bzl", "gradle", "cmake", "mk", "tf",
    "nix", "ipynb", "lic_test", "spec",
];

/// Whether an extension (any case) is in `list`, by a hash lookup: `classify` runs on every
/// changed path and every entry of the directories it looks at.
fn ext_in(ext: &str, which: ExtList) -> bool {
    use std::collections::HashSet;
    use std::sync::LazyLock;
    type Set = HashSet<&'static str, crate::fasthash::FoldHash>;
    static CODE: LazyLock<Set> = LazyLock::new(|| CODE_EXTENSIONS.iter().copied().collect());
    static BINARY: LazyLock<Set> = LazyLock::new(|| BINARY_EXTENSIONS.iter().copied().collect());
    let mut buf = [0u8; 16];
    let Some(lower) = buf.get_mut(..ext.len()) else { return false };
    lower.copy_from_slice(ext.as_bytes());
    lower.make_ascii_lowercase();
    let Ok(lower) = std::str::from_utf8(lower) else { return false };
    match which {
        ExtList::Binary => BINARY.contains(lower),
        ExtList::Either => CODE.contains(lower) || BINARY.contains(lower),
    }
}

#[derive(Clone, Copy)]
enum ExtList {
    Binary,
    Either,
}

/// Whether a file name's extension (any case) marks code, data, configuration or a binary:
/// never a license text.
pub fn has_code_or_binary_extension(name: &str) -> bool {
    extension(name).is_some_and(|ext| ext_in(ext, ExtList::Either))
}

/// Whether a file name's extension (any case) marks a binary file.
pub fn has_binary_extension(name: &str) -> bool {
    extension(name).is_some_and(|ext| ext_in(ext, ExtList::Binary))
}

fn extension(name: &str) -> Option<&str> {
    let (_, ext) = split_last(name, b'.')?;
    Some(ext)
}

/// `s` split at its last `sep` (an ASCII byte), as `rsplit_once`: a plain backwards scan,
/// cheaper than the general searcher on paths and names.
pub(crate) fn split_last(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = s.bytes().rposition(|b| b == sep)?;
    Some((&s[..i], &s[i + 1..]))
}

/// The part of `s` before its first `sep` (an ASCII byte), all of it without one.
fn before_first(s: &str, sep: u8) -> &str {
    s.bytes().position(|b| b == sep).map_or(s, |i| &s[..i])
}

/// The words of a lowercase file name: split at `-`, `_`, `.` and spaces.
fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(['-', '_', '.', ' ']).filter(|t| !t.is_empty())
}

/// Where `needle` (ASCII) first occurs in `hay`: a plain scan, cheaper than the general
/// substring searcher on file names a few dozen bytes long.
fn find_ascii(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

/// Names up to this long are handled on the stack.
const SHORT: usize = 96;

/// `f` of the ASCII lowercase form of `s`, made on the stack when `s` is short.
fn with_lowercase<T>(s: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut buf = [0u8; SHORT];
    match buf.get_mut(..s.len()) {
        Some(lower) => {
            lower.copy_from_slice(s.as_bytes());
            lower.make_ascii_lowercase();
            // Changing the case of ASCII letters keeps UTF-8 valid.
            f(std::str::from_utf8(lower).unwrap_or_default())
        }
        None => f(&s.to_ascii_lowercase()),
    }
}

/// `hay` without any occurrence of `needle` (ASCII), as `str::replace(needle, "")`, written
/// into `out` (at least as long as `hay`); the length written.
fn without_into(hay: &[u8], needle: &[u8], out: &mut [u8]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < hay.len() {
        if hay[i..].starts_with(needle) {
            i += needle.len();
        } else {
            out[n] = hay[i];
            n += 1;
            i += 1;
        }
    }
    n
}

/// The component a license file's name names, with the words license and licence removed
/// (`LICENSE-MODEL` → `-model`).
fn component_of_license_name(lower: &str) -> Component {
    if lower.len() > SHORT {
        return component_from_name(&lower.replace("license", "").replace("licence", ""));
    }
    let (mut once, mut twice) = ([0u8; SHORT], [0u8; SHORT]);
    let n = without_into(lower.as_bytes(), b"license", &mut once);
    let n = without_into(&once[..n], b"licence", &mut twice);
    // Whole ASCII words were removed: what is left is UTF-8 still.
    component_from_name(std::str::from_utf8(&twice[..n]).unwrap_or_default())
}

fn component_from_name(lower: &str) -> Component {
    let has = |list: &[&str]| words(lower).any(|t| list.contains(&t));
    if has(&["model", "models", "weight", "weights", "checkpoint", "checkpoints", "params", "parameters"]) {
        Component::Weights
    } else if has(&["code", "software", "source", "src"]) {
        Component::Code
    } else if has(&["data", "dataset", "datasets", "corpus"]) {
        Component::Data
    } else if has(&["doc", "docs", "documentation"]) {
        Component::Docs
    } else {
        Component::All
    }
}

/// Words that make a `license…` file name documentation about licenses, not a license.
const NOT_A_LICENSE_WORDS: &[&str] = &[
    "faq",
    "guide",
    "notes",
    "check",
    "checker",
    "header",
    "headers",
    "template",
    "templates",
    "usage",
    "info",
    "report",
    "summary",
    "tool",
    "tools",
    "audit",
    "scan",
    "list",
    "changelog",
    "history",
    "policy",
    "compliance",
];

fn is_license_name(lower: &str) -> bool {
    let stem_words = ["license", "licence", "copying", "unlicense"];
    if words(lower).any(|t| NOT_A_LICENSE_WORDS.contains(&t)) {
        return false;
    }
    if stem_words.iter().any(|w| lower.starts_with(w)) {
        return true;
    }
    // MODEL_LICENSE, LICENSE-MODEL, mit-license.txt, "Tongyi Qianwen LICENSE AGREEMENT".
    ["_license", "-license", " license", "_licence", "-licence", " licence"]
        .iter()
        .any(|w| find_ascii(lower, w).is_some())
}

/// Classifies a path (`/`-separated, relative to the repository root).
pub fn classify(path: &str) -> Option<Role> {
    if let Some(kind) = manifest_kind::kind_of(path) {
        return Some(Role::Manifest(kind));
    }
    // Most paths are code or binaries: rejected without allocating (YAML may be a MOT file).
    let (dir, name) = split_last(path, b'/').unwrap_or(("", path));
    if let Some(ext) = extension(name)
        && !ext.eq_ignore_ascii_case("yml")
        && !ext.eq_ignore_ascii_case("yaml")
        && ext_in(ext, ExtList::Either)
    {
        return None;
    }
    with_lowercase(name, |lower| classify_name(dir, lower))
}

/// [`classify`] of a file that is no manifest and has no code or binary extension, by its
/// directory and lowercase name.
fn classify_name(dir: &str, lower: &str) -> Option<Role> {
    // Dot-files (`.licenserc`) are tool configuration; `<file>.license` is a REUSE sidecar
    // describing one other file.
    if lower.starts_with('.') || (lower.ends_with(".license") && lower.matches('.').count() >= 2) {
        return None;
    }
    let stem = before_first(lower, b'.');
    if matches!(extension(lower), Some("yml" | "yaml"))
        && matches!(stem, "mof" | "model_openness" | "model-openness" | "openness" | "mot")
    {
        return Some(Role::MotFile);
    }
    if let Some(ext) = extension(lower)
        && ext_in(ext, ExtList::Either)
    {
        return None;
    }
    let parent = split_last(dir, b'/').map_or(dir, |(_, last)| last);
    if !dir.is_empty() && parent == "LICENSES" {
        return Some(Role::ReuseText);
    }
    if !dir.is_empty() && is_license_folder(parent) {
        let c = component_from_name(&parent.to_ascii_lowercase());
        return Some(Role::LicenseFile(if c == Component::All { component_from_name(lower) } else { c }));
    }
    if stem.starts_with("use_policy")
        || stem.starts_with("use-policy")
        || stem.starts_with("usepolicy")
        || ["acceptable_use", "acceptable-use", "prohibited_use", "prohibited-use"]
            .iter()
            .any(|w| find_ascii(stem, w).is_some())
        || stem.starts_with("aup")
    {
        return Some(Role::UsePolicy);
    }
    if matches!(stem, "notice" | "notices" | "copyright" | "copyrights") || names_third_party(stem) {
        return Some(Role::Notice);
    }
    if matches!(stem, "patents" | "patent") || stem.starts_with("patents-") || stem.starts_with("patents_") {
        return Some(Role::Patents);
    }
    if lower.ends_with(".md") {
        if stem == "readme" || matches!(stem, "model_card" | "modelcard" | "model-card") {
            return Some(Role::Card(None));
        }
        if ["data_card", "datacard", "data-card", "datasheet", "dataset_card"].iter().any(|p| stem.starts_with(p)) {
            return Some(Role::Card(Some(Component::Data)));
        }
    }
    if is_license_name(lower) {
        return Some(Role::LicenseFile(component_of_license_name(lower)));
    }
    None
}

/// Whether a lower-case file name speaks of third-party code (`THIRD_PARTY_NOTICES`,
/// `LICENSE-3rdparty`, `LICENSES-THIRD-PARTY`): a listing of others' licenses, not the scope's.
pub fn names_third_party(lower: &str) -> bool {
    ["3rdparty", "3rd-party", "3rd_party", "third-party", "third_party", "thirdparty"]
        .iter()
        .any(|p| find_ascii(lower, p).is_some())
}

/// The directory whose scope a relevant file speaks for: its own directory, the parent of
/// a license folder (`model_licenses/`, `licenses/`), or the package directory of a
/// manifest (the parent of `debian/` for `debian/copyright`).
pub fn scope_dir(path: &str) -> &str {
    match manifest_kind::kind_of(path) {
        Some(kind) => manifest_kind::scope_dir(path, kind),
        None => file_scope_dir(path),
    }
}

/// [`scope_dir`] of a path [`classify`] gave `role`.
pub fn scope_dir_as(path: &str, role: Role) -> &str {
    match role {
        Role::Manifest(kind) => manifest_kind::scope_dir(path, kind),
        _ => file_scope_dir(path),
    }
}

/// The scope of a file that is no manifest: its directory, or the parent of a license folder.
fn file_scope_dir(path: &str) -> &str {
    let dir = split_last(path, b'/').map_or("", |(d, _)| d);
    let (parent_dir, last) = split_last(dir, b'/').unwrap_or(("", dir));
    if !dir.is_empty() && is_license_folder(last) {
        return parent_dir;
    }
    dir
}

/// Directories from `dir` up to the root (`dir` first, `""` last).
pub fn ancestors(dir: &str) -> impl Iterator<Item = &str> + Clone {
    std::iter::successors(Some(dir), |d| (!d.is_empty()).then(|| split_last(d, b'/').map_or("", |(p, _)| p)))
}

/// Whether a directory name is a license folder (its files belong to the parent's scope).
pub fn is_license_folder(name: &str) -> bool {
    LICENSE_FOLDERS.iter().any(|f| name.eq_ignore_ascii_case(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_names_and_false_friends() {
        use Component::*;
        for (path, want) in [
            ("LICENSE", Some(Role::LicenseFile(All))),
            ("LICENCE.md", Some(Role::LicenseFile(All))),
            ("COPYING", Some(Role::LicenseFile(All))),
            ("COPYING.LESSER", Some(Role::LicenseFile(All))),
            ("LICENSE-MIT", Some(Role::LicenseFile(All))),
            ("LICENSE.apache2", Some(Role::LicenseFile(All))),
            ("LICENSE-MODEL", Some(Role::LicenseFile(Weights))),
            ("MODEL_LICENSE", Some(Role::LicenseFile(Weights))),
            ("LICENSE-CODE", Some(Role::LicenseFile(Code))),
            ("LICENSE_DATA.txt", Some(Role::LicenseFile(Data))),
            ("model_licenses/LICENSE-llama.txt", Some(Role::LicenseFile(Weights))),
            ("Tongyi Qianwen LICENSE AGREEMENT", Some(Role::LicenseFile(All))),
            ("sub/dir/LICENSE.txt", Some(Role::LicenseFile(All))),
            ("UNLICENSE", Some(Role::LicenseFile(All))),
            ("NOTICE", Some(Role::Notice)),
            ("NOTICE.md", Some(Role::Notice)),
            ("PATENTS", Some(Role::Patents)),
            ("README.md", Some(Role::Card(None))),
            ("models/x/README.md", Some(Role::Card(None))),
            ("DATA_CARD.md", Some(Role::Card(Some(Data)))),
            ("LICENSES/MIT.txt", Some(Role::ReuseText)),
            ("src/license.rs", None),
            ("config/license.yaml", None),
            ("licenses.json", None),
            ("src/check_license.py", None),
            ("README.txt", None),
            ("docs/licensing.md", None),
            ("docs/license-faq.md", None),
            (".licenserc", None),
            ("assets/logo.png.license", None),
            ("THIRD_PARTY_LICENSES.txt", Some(Role::Notice)),
            ("LICENSE-3rdparty", Some(Role::Notice)),
            ("LICENSES-THIRD-PARTY.txt", Some(Role::Notice)),
            ("LICENSE-3rdparty.csv", None),
            ("USE_POLICY.md", Some(Role::UsePolicy)),
            ("LLAMA_ACCEPTABLE_USE_POLICY.txt", Some(Role::UsePolicy)),
            ("mof.yml", Some(Role::MotFile)),
            ("LICENSE-UNICODE", Some(Role::LicenseFile(All))),
            ("LICENSE-MODEL-CODE", Some(Role::LicenseFile(Weights))),
            ("Cargo.toml", Some(Role::Manifest(ManifestKind::Cargo))),
            ("debian/copyright", Some(Role::Manifest(ManifestKind::DebianCopyright))),
        ] {
            assert_eq!(classify(path), want, "{path}");
        }
    }

    #[test]
    fn scopes() {
        assert_eq!(scope_dir("LICENSE"), "");
        assert_eq!(scope_dir("models/a/LICENSE"), "models/a");
        assert_eq!(scope_dir("model_licenses/LICENSE.txt"), "");
        assert_eq!(scope_dir("m/licenses/X"), "m");
        assert_eq!(scope_dir("pkg/debian/copyright"), "pkg");
        assert_eq!(scope_dir("crates/x/Cargo.toml"), "crates/x");
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
    }
}

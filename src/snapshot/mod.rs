//! Which paths of a tree matter, found by path alone, and what they are.

use serde::Serialize;

use crate::profile::manifest::{self, ManifestKind};

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
    static CODE: LazyLock<HashSet<&str>> = LazyLock::new(|| CODE_EXTENSIONS.iter().copied().collect());
    static BINARY: LazyLock<HashSet<&str>> = LazyLock::new(|| BINARY_EXTENSIONS.iter().copied().collect());
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
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext)
}

fn component_from_name(lower: &str) -> Component {
    let tokens: Vec<&str> = lower.split(['-', '_', '.', ' ']).filter(|t| !t.is_empty()).collect();
    let has = |words: &[&str]| tokens.iter().any(|t| words.contains(t));
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
    let tokens: Vec<&str> = lower.split(['-', '_', '.', ' ']).filter(|t| !t.is_empty()).collect();
    if tokens.iter().any(|t| NOT_A_LICENSE_WORDS.contains(t)) {
        return false;
    }
    if stem_words.iter().any(|w| lower.starts_with(w)) {
        return true;
    }
    // MODEL_LICENSE, LICENSE-MODEL, mit-license.txt, "Tongyi Qianwen LICENSE AGREEMENT".
    ["_license", "-license", " license", "_licence", "-licence", " licence"].iter().any(|w| lower.contains(w))
}

/// Classifies a path (`/`-separated, relative to the repository root).
pub fn classify(path: &str) -> Option<Role> {
    if let Some(kind) = manifest::kind_of(path) {
        return Some(Role::Manifest(kind));
    }
    // Most paths are code or binaries: rejected without allocating (YAML may be a MOT file).
    let name = path.rsplit('/').next().unwrap_or(path);
    if let Some(ext) = extension(name)
        && !ext.eq_ignore_ascii_case("yml")
        && !ext.eq_ignore_ascii_case("yaml")
        && ext_in(ext, ExtList::Either)
    {
        return None;
    }
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let lower = name.to_ascii_lowercase();
    // Dot-files (`.licenserc`) are tool configuration; `<file>.license` is a REUSE sidecar
    // describing one other file.
    if lower.starts_with('.') || (lower.ends_with(".license") && lower.matches('.').count() >= 2) {
        return None;
    }
    let stem = lower.split('.').next().unwrap_or(&lower);
    if matches!(extension(&lower), Some("yml" | "yaml"))
        && matches!(stem, "mof" | "model_openness" | "model-openness" | "openness" | "mot")
    {
        return Some(Role::MotFile);
    }
    if let Some(ext) = extension(&lower)
        && ext_in(ext, ExtList::Either)
    {
        return None;
    }
    let parent = dir.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    if !dir.is_empty() && parent == "licenses" && dir.rsplit('/').next() == Some("LICENSES") {
        return Some(Role::ReuseText);
    }
    if !dir.is_empty() && LICENSE_FOLDERS.contains(&parent.as_str()) {
        let c = component_from_name(&parent);
        return Some(Role::LicenseFile(if c == Component::All { component_from_name(&lower) } else { c }));
    }
    let stem = lower.split('.').next().unwrap_or(&lower);
    if stem.starts_with("use_policy")
        || stem.starts_with("use-policy")
        || stem.starts_with("usepolicy")
        || stem.contains("acceptable_use")
        || stem.contains("acceptable-use")
        || stem.contains("prohibited_use")
        || stem.contains("prohibited-use")
        || stem.starts_with("aup")
    {
        return Some(Role::UsePolicy);
    }
    if matches!(stem, "notice" | "notices" | "copyright" | "copyrights")
        || ["third_party", "third-party", "thirdparty"].iter().any(|p| stem.starts_with(p))
    {
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
    if is_license_name(&lower) {
        return Some(Role::LicenseFile(component_from_name(&lower.replace("license", "").replace("licence", ""))));
    }
    None
}

/// The directory whose scope a relevant file speaks for: its own directory, the parent of
/// a license folder (`model_licenses/`, `licenses/`), or the package directory of a
/// manifest (the parent of `debian/` for `debian/copyright`).
pub fn scope_dir(path: &str) -> &str {
    if let Some(kind) = manifest::kind_of(path) {
        return manifest::scope_dir(path, kind);
    }
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let (parent_dir, last) = dir.rsplit_once('/').unwrap_or(("", dir));
    if !dir.is_empty() && LICENSE_FOLDERS.contains(&last.to_ascii_lowercase().as_str()) {
        return parent_dir;
    }
    dir
}

/// Directories from `dir` up to the root (`dir` first, `""` last).
pub fn ancestors(dir: &str) -> Vec<&str> {
    let mut out = vec![dir];
    let mut d = dir;
    while !d.is_empty() {
        d = d.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        out.push(d);
    }
    out
}

/// Whether a directory name is a license folder (its files belong to the parent's scope).
pub fn is_license_folder(name: &str) -> bool {
    LICENSE_FOLDERS.contains(&name.to_ascii_lowercase().as_str())
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
        assert_eq!(ancestors("a/b"), vec!["a/b", "a", ""]);
    }
}

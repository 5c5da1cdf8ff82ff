//! Which package manifest a path is, by its name alone: the kinds of manifest the profiler
//! reads, and the directory each one speaks for. A leaf of the snapshot: classifying a
//! path needs no parser.

use super::split_last;

/// The manifest formats understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ManifestKind {
    Cargo,
    PackageJson,
    Bower,
    Composer,
    Pyproject,
    SetupCfg,
    SetupPy,
    Gemspec,
    Pom,
    Sbt,
    DebianCopyright,
    Dockerfile,
    ReuseToml,
    ReuseDep5,
}

impl ManifestKind {
    /// Every kind.
    pub const ALL: [ManifestKind; 14] = [
        ManifestKind::Cargo,
        ManifestKind::PackageJson,
        ManifestKind::Bower,
        ManifestKind::Composer,
        ManifestKind::Pyproject,
        ManifestKind::SetupCfg,
        ManifestKind::SetupPy,
        ManifestKind::Gemspec,
        ManifestKind::Pom,
        ManifestKind::Sbt,
        ManifestKind::DebianCopyright,
        ManifestKind::Dockerfile,
        ManifestKind::ReuseToml,
        ManifestKind::ReuseDep5,
    ];
}

/// The manifest kind of a path, by its file name (and parent directory).
pub fn kind_of(path: &str) -> Option<ManifestKind> {
    let path = path.trim_end_matches('/');
    let (dir, name) = split_last(path, b'/').unwrap_or(("", path));
    let parent = split_last(dir, b'/').map_or(dir, |(_, last)| last);
    // Called for every changed path: no allocation.
    let starts_ci = |prefix: &str| name.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    let ends_ci = |suffix: &str| {
        name.len() > suffix.len()
            && name.get(name.len() - suffix.len()..).is_some_and(|s| s.eq_ignore_ascii_case(suffix))
    };
    Some(match name {
        "Cargo.toml" => ManifestKind::Cargo,
        "package.json" if !path.split('/').any(|c| c == "node_modules") => ManifestKind::PackageJson,
        "bower.json" => ManifestKind::Bower,
        "composer.json" => ManifestKind::Composer,
        "pyproject.toml" => ManifestKind::Pyproject,
        "setup.cfg" => ManifestKind::SetupCfg,
        "setup.py" => ManifestKind::SetupPy,
        "pom.xml" => ManifestKind::Pom,
        "build.sbt" => ManifestKind::Sbt,
        "REUSE.toml" => ManifestKind::ReuseToml,
        "copyright" if parent == "debian" => ManifestKind::DebianCopyright,
        "dep5" if parent == ".reuse" => ManifestKind::ReuseDep5,
        _ if name.len() > ".gemspec".len() && name.ends_with(".gemspec") => ManifestKind::Gemspec,
        _ if name.eq_ignore_ascii_case("dockerfile")
            || name.eq_ignore_ascii_case("containerfile")
            || starts_ci("dockerfile.")
            || starts_ci("containerfile.")
            || ends_ci(".dockerfile") =>
        {
            ManifestKind::Dockerfile
        }
        _ => return None,
    })
}

/// The directory of the package a manifest speaks for: the manifest's own directory, or for
/// `debian/copyright` and `.reuse/dep5` the directory holding `debian/` / `.reuse/`.
pub fn scope_dir(path: &str, kind: ManifestKind) -> &str {
    let dir = split_last(path, b'/').map_or("", |(d, _)| d);
    match kind {
        ManifestKind::DebianCopyright | ManifestKind::ReuseDep5 => split_last(dir, b'/').map_or("", |(d, _)| d),
        _ => dir,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_path() {
        use ManifestKind::*;
        let cases = [
            ("Cargo.toml", Some(Cargo)),
            ("crates/a/Cargo.toml", Some(Cargo)),
            ("web/package.json", Some(PackageJson)),
            ("web/node_modules/x/package.json", None),
            ("bower.json", Some(Bower)),
            ("composer.json", Some(Composer)),
            ("py/pyproject.toml", Some(Pyproject)),
            ("setup.cfg", Some(SetupCfg)),
            ("setup.py", Some(SetupPy)),
            ("ruby/foo.gemspec", Some(Gemspec)),
            (".gemspec", None),
            ("java/pom.xml", Some(Pom)),
            ("build.sbt", Some(Sbt)),
            ("debian/copyright", Some(DebianCopyright)),
            ("pkg/debian/copyright", Some(DebianCopyright)),
            ("copyright", None),
            ("docs/copyright", None),
            ("Dockerfile", Some(Dockerfile)),
            ("docker/Dockerfile.gpu", Some(Dockerfile)),
            ("docker/app.Dockerfile", Some(Dockerfile)),
            ("Containerfile", Some(Dockerfile)),
            ("REUSE.toml", Some(ReuseToml)),
            (".reuse/dep5", Some(ReuseDep5)),
            ("dep5", None),
            ("README.md", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(kind_of(path), want, "{path}");
        }
    }

    #[test]
    fn scope_dirs() {
        assert_eq!(scope_dir("Cargo.toml", ManifestKind::Cargo), "");
        assert_eq!(scope_dir("crates/a/Cargo.toml", ManifestKind::Cargo), "crates/a");
        assert_eq!(scope_dir("debian/copyright", ManifestKind::DebianCopyright), "");
        assert_eq!(scope_dir("pkg/debian/copyright", ManifestKind::DebianCopyright), "pkg");
        assert_eq!(scope_dir(".reuse/dep5", ManifestKind::ReuseDep5), "");
        assert_eq!(scope_dir("sub/.reuse/dep5", ManifestKind::ReuseDep5), "sub");
    }
}

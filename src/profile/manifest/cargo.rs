//! Cargo.toml: `package.license`, `package.license-file` and workspace inheritance.

use toml::de::DeValue;

use super::toml_table::{get, get_table, toml_doc};
use super::{Declared, Parsed, entry};
use crate::knowledge::names::license_from_name;

pub(super) fn cargo(text: &str) -> Parsed {
    let doc = toml_doc(text)?;
    let root = doc.get_ref();
    let mut concrete = Vec::new();
    let mut inherited = Vec::new();
    if let Some(package) = get_table(root, "package") {
        for (key, field) in [("license", "package.license"), ("license-file", "package.license-file")] {
            let Some((value, line)) = get(package, key, text) else {
                continue;
            };
            match value {
                DeValue::String(s) if !s.trim().is_empty() => {
                    let declared = if key == "license" {
                        Declared::Expr(license_from_name(s))
                    } else {
                        Declared::File(s.trim().to_string())
                    };
                    concrete.push(entry(declared, Some(line), field));
                }
                DeValue::Table(t) if matches!(get(t, "workspace", text), Some((DeValue::Boolean(true), _))) => {
                    inherited.push(entry(Declared::Workspace, Some(line), field));
                }
                _ => {}
            }
        }
    }
    let mut workspace = Vec::new();
    if let Some(ws) = get_table(root, "workspace").and_then(|w| get_table(w, "package")) {
        if let Some((DeValue::String(s), line)) = get(ws, "license", text)
            && !s.trim().is_empty()
        {
            workspace.push(entry(Declared::Expr(license_from_name(s)), Some(line), "workspace.package.license"));
        }
        if let Some((DeValue::String(s), line)) = get(ws, "license-file", text)
            && !s.trim().is_empty()
        {
            workspace.push(entry(Declared::File(s.trim().to_string()), Some(line), "workspace.package.license-file"));
        }
    }
    let mut out = concrete;
    if out.is_empty() && !workspace.is_empty() {
        // The root's own declaration; a root package inheriting from it is resolved here.
        out = workspace;
    } else {
        out.extend(inherited);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::profile::manifest::test_helpers::{expr, exprs, one};
    use crate::profile::manifest::{Declared, ManifestKind};

    #[test]
    fn cargo_package_license_and_file() {
        let text = "[package]\nname = \"a\"\nversion = \"0.1.0\"\nlicense = \"MIT OR Apache-2.0\"\n\n[dependencies]\n";
        let m = one(ManifestKind::Cargo, text);
        assert_eq!(m.declared, expr("MIT OR Apache-2.0"));
        assert_eq!(m.line, Some(4));
        assert_eq!(m.field, "package.license");
        assert_eq!(m.subdir, None);
        assert_eq!(
            exprs(ManifestKind::Cargo, "[package]\nname = \"a\"\nlicense = \"MIT/Apache-2.0\"\n"),
            ["Apache-2.0 OR MIT"]
        );
        let m = one(ManifestKind::Cargo, "[package]\nname = \"a\"\nlicense-file = \"LICENSE.txt\"\n");
        assert_eq!(m.declared, Declared::File("LICENSE.txt".into()));
        assert_eq!((m.line, m.field), (Some(3), "package.license-file"));
    }

    #[test]
    fn cargo_workspace_inheritance() {
        let member = "[package]\nname = \"m\"\nversion.workspace = true\nlicense.workspace = true\n";
        let m = one(ManifestKind::Cargo, member);
        assert_eq!((m.declared, m.line, m.field), (Declared::Workspace, Some(4), "package.license"));
        let inline = "[package]\nname = \"m\"\nlicense = { workspace = true }\n";
        assert_eq!(one(ManifestKind::Cargo, inline).declared, Declared::Workspace);

        let root = "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"1.0.0\"\nlicense = \"Apache-2.0\"\n";
        let m = one(ManifestKind::Cargo, root);
        assert_eq!((m.declared, m.line, m.field), (expr("Apache-2.0"), Some(6), "workspace.package.license"));

        // A root package inheriting from its own workspace: the workspace value.
        let both = format!("{root}\n[package]\nname = \"r\"\nlicense.workspace = true\n");
        assert_eq!(exprs(ManifestKind::Cargo, &both), ["Apache-2.0"]);
        // A root package with its own license: only it.
        let own = format!("{root}\n[package]\nname = \"r\"\nlicense = \"MIT\"\n");
        let m = one(ManifestKind::Cargo, &own);
        assert_eq!((m.declared, m.field), (expr("MIT"), "package.license"));
    }
}

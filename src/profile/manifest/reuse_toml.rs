//! REUSE.toml: the `SPDX-License-Identifier` of each `[[annotations]]` entry, for the
//! directories its `path` globs cover.

use toml::de::DeValue;

use super::toml_table::{get, strings, toml_doc};
use super::{Declared, ManifestLicense, Parsed, glob_subdir};
use crate::knowledge::expr::Expr;
use crate::knowledge::names::license_from_name;

pub(super) fn reuse_toml(text: &str) -> Parsed {
    let doc = toml_doc(text)?;
    let root = doc.get_ref();
    let mut out = Vec::new();
    let Some((DeValue::Array(annotations), _)) = get(root, "annotations", text) else {
        return Ok(out);
    };
    for annotation in annotations.iter() {
        let Some(a) = annotation.get_ref().as_table() else {
            continue;
        };
        let Some((ids, line)) = get(a, "SPDX-License-Identifier", text) else {
            continue;
        };
        let Some(expr) =
            Expr::and_all(strings(ids).into_iter().filter(|s| !s.trim().is_empty()).map(license_from_name))
        else {
            continue;
        };
        let mut subdirs: Vec<String> = Vec::new();
        if let Some((paths, _)) = get(a, "path", text) {
            for p in strings(paths) {
                if let Some(d) = glob_subdir(p)
                    && !subdirs.contains(&d)
                {
                    subdirs.push(d);
                }
            }
        }
        for d in subdirs {
            out.push(ManifestLicense {
                declared: Declared::Expr(expr.clone()),
                line: Some(line),
                subdir: Some(d),
                field: "annotations.SPDX-License-Identifier",
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::profile::manifest::test_helpers::expr;
    use crate::profile::manifest::{Declared, ManifestKind, parse};

    #[test]
    fn reuse_toml_annotations() {
        let text = r#"version = 1
SPDX-PackageName = "x"

[[annotations]]
path = "**"
precedence = "aggregate"
SPDX-FileCopyrightText = "2024 X"
SPDX-License-Identifier = "MIT"

[[annotations]]
path = ["docs/**", "images/*.png", "logo.svg"]
SPDX-License-Identifier = "CC-BY-4.0"
"#;
        let v = parse(ManifestKind::ReuseToml, text).unwrap();
        let got: Vec<(Option<&str>, &Declared, Option<u32>)> =
            v.iter().map(|m| (m.subdir.as_deref(), &m.declared, m.line)).collect();
        assert_eq!(
            got,
            [
                (Some(""), &expr("MIT"), Some(8)),
                (Some("docs"), &expr("CC-BY-4.0"), Some(12)),
                (Some("images"), &expr("CC-BY-4.0"), Some(12)),
            ]
        );
    }
}

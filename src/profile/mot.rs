//! Model Openness Tool files (`mof.yml`): the components a release declares and the
//! licenses MOT resolves for them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
struct MotFile {
    framework: Framework,
    release: Release,
}

#[derive(Debug, Deserialize)]
struct Framework {
    name: String,
}

#[derive(Debug, Default, Deserialize)]
struct GlobalLicenses {
    #[serde(default)]
    distribution: Option<NamedLicense>,
    #[serde(default)]
    code: Option<NamedLicense>,
    #[serde(default)]
    data: Option<NamedLicense>,
    #[serde(default)]
    document: Option<NamedLicense>,
}

#[derive(Debug, Default, Deserialize)]
struct NamedLicense {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Release {
    #[serde(default)]
    license: GlobalLicenses,
    #[serde(default)]
    components: Vec<MotComponentRaw>,
}

#[derive(Debug, Deserialize)]
struct MotComponentRaw {
    name: String,
    #[serde(default)]
    license: Option<String>,
}

/// A component a MOT file lists, with the license MOT would resolve for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MotComponent {
    pub name: String,
    /// The component's license, else the content type's global license, else the
    /// distribution license; `None` is MOT's "unlicensed".
    pub license: Option<String>,
}

/// What a MOT file declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MotInfo {
    pub path: String,
    pub components: Vec<MotComponent>,
}

/// Whether a text has the shape of a Model Openness Tool file: it names the framework, or
/// has both top-level keys. Only such files are worth a warning when they do not parse.
fn has_mot_shape(text: &str) -> bool {
    let top = |key: &str| text.lines().any(|l| l.starts_with(key));
    text.to_ascii_lowercase().contains("model openness framework") || (top("framework:") && top("release:"))
}

/// Parses a MOT file; `Ok(None)` when the file is not a MOF document (another YAML file that
/// happens to be called `openness.yaml` is ignored, without a warning).
pub fn parse(path: &str, text: &str) -> Result<Option<MotInfo>, String> {
    if !has_mot_shape(text) {
        return Ok(None);
    }
    let options =
        serde_saphyr::options! { strict_booleans: true, duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins };
    let file: MotFile = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| e.to_string().lines().next().unwrap_or("invalid YAML").to_string())?;
    if file.framework.name.trim() != "Model Openness Framework" {
        return Ok(None);
    }
    let name_of = |l: &Option<NamedLicense>| l.as_ref().and_then(|l| l.name.clone()).filter(|n| !n.trim().is_empty());
    let g = &file.release.license;
    let components = file
        .release
        .components
        .into_iter()
        .map(|c| {
            let content = crate::knowledge::components::by_name(&c.name).map(|k| k.content);
            let global = match content {
                Some(crate::knowledge::components::Content::Code) => name_of(&g.code),
                Some(crate::knowledge::components::Content::Data) => name_of(&g.data),
                Some(crate::knowledge::components::Content::Document) => name_of(&g.document),
                None => None,
            };
            let license = c
                .license
                .filter(|l| !l.trim().is_empty())
                .or(global)
                .or_else(|| name_of(&g.distribution))
                .filter(|l| !l.eq_ignore_ascii_case("unlicensed"));
            MotComponent { name: c.name, license }
        })
        .collect();
    Ok(Some(MotInfo { path: path.to_string(), components }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_licenses_like_mot() {
        let yaml = "framework:\n  name: Model Openness Framework\n  version: '1.0'\n  date: '2024-12-15'\nrelease:\n  name: x\n  producer: y\n  license:\n    distribution: { name: Apache-2.0, path: LICENSE }\n    data: { name: CDLA-Permissive-2.0, path: data/LICENSE }\n  components:\n    - name: Datasets\n      description: corpus\n    - name: Model parameters (Final)\n      license: llama3.1\n    - name: Training code\n      license: unlicensed\n";
        let info = parse("mof.yml", yaml).unwrap().unwrap();
        let lic: Vec<Option<&str>> = info.components.iter().map(|c| c.license.as_deref()).collect();
        assert_eq!(lic, vec![Some("CDLA-Permissive-2.0"), Some("llama3.1"), None]);
        assert!(parse("x.yml", "framework:\n  name: Other\nrelease:\n  name: x\n").unwrap().is_none());
        assert!(parse("x.yml", "framework: [\nrelease:\n").is_err());
        // Files that merely share the name are ignored, even when they are not valid YAML.
        assert!(parse("openness.yaml", "name: ci\non: push\njobs: {}\n").unwrap().is_none());
        assert!(parse("openness.yaml", "score: [\n").unwrap().is_none());
    }
}

//! Package manifests read statically (never executed): the licenses they declare.
//!
//! Interface used by the profiler (see `parse`); the parsers themselves live below.

use crate::knowledge::expr::Expr;

pub use crate::snapshot::manifest_kind::{ManifestKind, kind_of, scope_dir};

/// How a manifest states a license.
#[derive(Debug, Clone, PartialEq)]
pub enum Declared {
    /// A license expression (already interpreted: SPDX ids, names mapped to ids, …).
    Expr(Expr),
    /// The license text is in this file, relative to the manifest's directory
    /// (`license-file`, `license = {file = …}`, `SEE LICENSE IN <file>`).
    File(String),
    /// Cargo `license.workspace = true`: the workspace root's `[workspace.package] license`.
    Workspace,
}

/// One license statement of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestLicense {
    pub declared: Declared,
    /// 1-based line of the statement, when known.
    pub line: Option<u32>,
    /// For REUSE.toml, .reuse/dep5 and debian/copyright: the directory (relative to the
    /// scope root, `""` for all) the statement covers; `None` for ordinary manifests.
    pub subdir: Option<String>,
    /// Where it came from inside the manifest (`package.license`, `classifiers`, …).
    pub field: &'static str,
}

/// What a manifest declares; `Err` carries a message for malformed input.
pub type Parsed = Result<Vec<ManifestLicense>, String>;

use std::sync::LazyLock;

use regex::Regex;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::knowledge::expr::{Term, UNIDENTIFIED};
use crate::knowledge::names::license_from_name;
use crate::knowledge::{identify_text, normalize};

/// What a manifest declares. Never panics; malformed input is an `Err` with the line when
/// known, a manifest without license information is `Ok(vec![])`.
pub fn parse(kind: ManifestKind, text: &str) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match kind {
        ManifestKind::Cargo => cargo(text),
        ManifestKind::PackageJson | ManifestKind::Bower | ManifestKind::Composer => package_json(text),
        ManifestKind::Pyproject => pyproject(text),
        ManifestKind::SetupCfg => setup_cfg(text),
        ManifestKind::SetupPy => setup_py(text),
        ManifestKind::Gemspec => gemspec(text),
        ManifestKind::Pom => pom(text),
        ManifestKind::Sbt => sbt(text),
        ManifestKind::DebianCopyright => dep5(text, true),
        ManifestKind::ReuseDep5 => dep5(text, false),
        ManifestKind::Dockerfile => dockerfile(text),
        ManifestKind::ReuseToml => reuse_toml(text),
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

fn entry(declared: Declared, line: Option<u32>, field: &'static str) -> ManifestLicense {
    ManifestLicense { declared, line, subdir: None, field }
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

fn regex(re: &str) -> Regex {
    Regex::new(re).expect("a valid built-in regex")
}

/// A license name or expression; a whole license text pasted into a `license` field is
/// identified as a text.
fn free_text(value: &str) -> Option<Expr> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.contains('\n') || v.len() > 200 {
        let id = identify_text(v, crate::knowledge::TextSource::Other);
        return Some(id.license.unwrap_or_else(|| {
            let hash = normalize::text_hash(v);
            Expr::term(Term::Other(format!("{UNIDENTIFIED}{}", &hash[..hash.len().min(12)])))
        }));
    }
    Some(license_from_name(v))
}

/// The expression of `License ::` classifiers (alternatives: OR); `None` without any.
fn classifiers<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<Expr> {
    let exprs = items.into_iter().filter_map(|c| {
        let c = c.trim();
        let rest = c.strip_prefix("License")?.trim_start().strip_prefix("::")?;
        let last = rest.rsplit("::").next().unwrap_or("").trim();
        if last.is_empty() || last.eq_ignore_ascii_case("OSI Approved") || last.eq_ignore_ascii_case("DFSG approved") {
            return None;
        }
        Some(license_from_name(last))
    });
    Expr::or_all(exprs)
}

fn is_license_classifier(c: &str) -> bool {
    classifiers([c]).is_some()
}

/// The directory a glob covers: the directory part before the first wildcard (`*` → `""`,
/// `src/foo/*` → `src/foo`); `None` for a pattern naming a single file.
fn glob_subdir(pattern: &str) -> Option<String> {
    let p = pattern.trim().trim_start_matches("./").trim_start_matches('/');
    let wild = p.find(['*', '?', '['])?;
    let before = &p[..wild];
    Some(before.rsplit_once('/').map_or("", |(d, _)| d).to_string())
}

// ---------------------------------------------------------------------------------------
// TOML: Cargo.toml, pyproject.toml, REUSE.toml

type Table<'i> = DeTable<'i>;

fn toml_doc(text: &str) -> Result<Spanned<Table<'_>>, String> {
    DeTable::parse(text).map_err(|e| match e.span() {
        Some(span) => format!("line {}: {}", line_at(text, span.start), e.message().trim()),
        None => e.message().trim().to_string(),
    })
}

/// A key of a table with the line of the key.
fn get<'a, 'i>(table: &'a Table<'i>, key: &str, text: &str) -> Option<(&'a DeValue<'i>, u32)> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(k, v)| (v.get_ref(), line_at(text, k.span().start)))
}

fn get_table<'a, 'i>(table: &'a Table<'i>, key: &str) -> Option<&'a Table<'i>> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key).and_then(|(_, v)| v.get_ref().as_table())
}

/// A string, or the strings of an array.
fn strings<'a>(v: &'a DeValue<'_>) -> Vec<&'a str> {
    match v {
        DeValue::String(s) => vec![s.as_ref()],
        DeValue::Array(a) => a.iter().filter_map(|x| x.get_ref().as_str()).collect(),
        _ => Vec::new(),
    }
}

fn cargo(text: &str) -> Parsed {
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

fn pyproject(text: &str) -> Parsed {
    let doc = toml_doc(text)?;
    let root = doc.get_ref();
    let mut out = Vec::new();
    if let Some(project) = get_table(root, "project") {
        match get(project, "license", text) {
            Some((DeValue::String(s), line)) if !s.trim().is_empty() => {
                // PEP 639: the expression is authoritative; classifiers are deprecated beside it.
                return Ok(vec![entry(Declared::Expr(license_from_name(s)), Some(line), "project.license")]);
            }
            Some((DeValue::Table(t), line)) => {
                if let Some((DeValue::String(s), _)) = get(t, "file", text)
                    && !s.trim().is_empty()
                {
                    out.push(entry(Declared::File(s.trim().to_string()), Some(line), "project.license"));
                } else if let Some((DeValue::String(s), _)) = get(t, "text", text)
                    && let Some(e) = free_text(s)
                {
                    out.push(entry(Declared::Expr(e), Some(line), "project.license"));
                }
            }
            _ => {}
        }
        if let Some((value, key_line)) = get(project, "classifiers", text) {
            let items = strings(value);
            if let Some(e) = classifiers(items.iter().copied()) {
                let line = items
                    .iter()
                    .find(|c| is_license_classifier(c))
                    .and_then(|c| text.find(*c))
                    .map_or(key_line, |pos| line_at(text, pos));
                out.push(entry(Declared::Expr(e), Some(line), "project.classifiers"));
            }
        }
    }
    if let Some(poetry) = get_table(root, "tool").and_then(|t| get_table(t, "poetry"))
        && let Some((DeValue::String(s), line)) = get(poetry, "license", text)
        && let Some(e) = free_text(s)
    {
        out.push(entry(Declared::Expr(e), Some(line), "tool.poetry.license"));
    }
    Ok(out)
}

fn reuse_toml(text: &str) -> Parsed {
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

// ---------------------------------------------------------------------------------------
// JSON: package.json, bower.json, composer.json

/// The line of a key of the top-level object.
fn json_top_key_line(text: &str, key: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                if depth == 1 && text.get(start..end) == Some(key) {
                    let after = text.get(end + 1..).unwrap_or("").trim_start();
                    if after.starts_with(':') {
                        return Some(line_at(text, start));
                    }
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A `license` value: a string, a legacy `{type, url}` object or an array of either (OR).
fn json_license(v: &serde_json::Value) -> Option<Declared> {
    match v {
        serde_json::Value::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            let upper = s.to_ascii_uppercase();
            if upper.starts_with("SEE LICENSE IN ") {
                let file = s["SEE LICENSE IN ".len()..].trim();
                return (!file.is_empty()).then(|| Declared::File(file.to_string()));
            }
            if upper == "UNLICENSED" {
                return Some(Declared::Expr(Expr::term(Term::Other("unlicensed".into()))));
            }
            Some(Declared::Expr(license_from_name(s)))
        }
        serde_json::Value::Object(o) => o.get("type").or_else(|| o.get("name")).and_then(json_license),
        serde_json::Value::Array(items) => {
            let exprs = items.iter().filter_map(json_license).filter_map(|d| match d {
                Declared::Expr(e) => Some(e),
                _ => None,
            });
            Expr::or_all(exprs).map(Declared::Expr)
        }
        _ => None,
    }
}

fn package_json(text: &str) -> Parsed {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))?;
    let Some(obj) = value.as_object() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (key, field) in [("license", "license"), ("licenses", "licenses")] {
        if let Some(declared) = obj.get(key).and_then(json_license) {
            out.push(entry(declared, json_top_key_line(text, key), field));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Python: setup.cfg, setup.py

/// `[section] key` → (value, line of the key); keys lower case with `-` as `_`.
fn ini(text: &str) -> Vec<(String, String, String, u32)> {
    let mut out: Vec<(String, String, String, u32)> = Vec::new();
    let mut section = String::new();
    let mut current: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            // A blank line may sit inside a multi-line value; it adds nothing.
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented && let Some(idx) = current {
            if !trimmed.starts_with(['#', ';']) {
                let value = &mut out[idx].2;
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        if trimmed.starts_with(['#', ';']) {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed[1..trimmed.len() - 1].trim().to_ascii_lowercase();
            current = None;
            continue;
        }
        match trimmed.find(['=', ':']) {
            Some(pos) => {
                let key = trimmed[..pos].trim().to_ascii_lowercase().replace('-', "_");
                let value = trimmed[pos + 1..].trim().to_string();
                out.push((section.clone(), key, value, line_no));
                current = Some(out.len() - 1);
            }
            None => current = None,
        }
    }
    out
}

fn setup_cfg(text: &str) -> Parsed {
    let items = ini(text);
    let find = |key: &str| items.iter().find(|(s, k, _, _)| s == "metadata" && k == key);
    let mut out = Vec::new();
    if let Some((_, _, v, line)) = find("license_expression")
        && !v.trim().is_empty()
    {
        return Ok(vec![entry(Declared::Expr(license_from_name(v)), Some(*line), "metadata.license_expression")]);
    }
    if let Some((_, _, v, line)) = find("license") {
        let v = v.trim();
        if !v.starts_with("file:")
            && !v.starts_with("attr:")
            && let Some(e) = free_text(v)
        {
            out.push(entry(Declared::Expr(e), Some(*line), "metadata.license"));
        }
    }
    if let Some((_, _, v, key_line)) = find("classifiers")
        && let Some(e) = classifiers(v.lines())
    {
        let first = v.lines().find(|c| is_license_classifier(c)).unwrap_or("");
        let line = text
            .lines()
            .enumerate()
            .skip(*key_line as usize - 1)
            .find(|(_, l)| !first.is_empty() && l.contains(first))
            .map_or(*key_line, |(i, _)| i as u32 + 1);
        out.push(entry(Declared::Expr(e), Some(line), "metadata.classifiers"));
    }
    Ok(out)
}

static SETUP_PY_LICENSE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"(?:\b(license(?:_expression)?)\s*=\s*|['"](license(?:_expression)?)['"]\s*:\s*)[rRuU]?(?:"([^"\n]*)"|'([^'\n]*)')"#,
    )
});
static SETUP_PY_CLASSIFIER: LazyLock<Regex> = LazyLock::new(|| regex(r#"["'](License\s*::[^"'\n]*)["']"#));

fn setup_py(text: &str) -> Parsed {
    let mut expression = None;
    let mut license = None;
    for c in SETUP_PY_LICENSE.captures_iter(text) {
        let key = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        let value = c.get(3).or_else(|| c.get(4)).map_or("", |m| m.as_str());
        let line = c.get(0).map(|m| line_at(text, m.start()));
        if value.trim().is_empty() {
            continue;
        }
        if key == "license_expression" && expression.is_none() {
            expression = Some(entry(Declared::Expr(license_from_name(value)), line, "license_expression"));
        } else if key == "license"
            && license.is_none()
            && let Some(e) = free_text(value)
        {
            license = Some(entry(Declared::Expr(e), line, "license"));
        }
    }
    if let Some(e) = expression {
        return Ok(vec![e]);
    }
    let mut out: Vec<ManifestLicense> = license.into_iter().collect();
    let found: Vec<(&str, usize)> = SETUP_PY_CLASSIFIER
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| (m.as_str(), m.start())))
        .filter(|(c, _)| is_license_classifier(c))
        .collect();
    if let Some(e) = classifiers(found.iter().map(|(c, _)| *c)) {
        out.push(entry(Declared::Expr(e), found.first().map(|(_, pos)| line_at(text, *pos)), "classifiers"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Ruby: *.gemspec

static GEMSPEC_LICENSE: LazyLock<Regex> = LazyLock::new(|| regex(r"\.(licenses?)\s*=\s*"));
static QUOTED: LazyLock<Regex> = LazyLock::new(|| regex(r#""([^"\n]*)"|'([^'\n]*)'"#));

/// The license strings of a gemspec right-hand side: `"MIT"`, `["MIT", 'X']`, `%w[MIT X]`.
fn ruby_strings(rhs: &str) -> Vec<String> {
    let rhs = rhs.trim_start();
    if let Some(rest) = rhs.strip_prefix("%w").or_else(|| rhs.strip_prefix("%W")) {
        let Some(open) = rest.chars().next() else {
            return Vec::new();
        };
        let close = match open {
            '[' => ']',
            '(' => ')',
            '{' => '}',
            '<' => '>',
            c => c,
        };
        let body = &rest[open.len_utf8()..];
        let body = body.find(close).map_or(body, |end| &body[..end]);
        return body.split_whitespace().map(str::to_string).collect();
    }
    let body = if rhs.starts_with('[') {
        rhs.find(']').map_or(rhs, |end| &rhs[..end])
    } else {
        // A single string literal on the statement's line.
        rhs.lines().next().unwrap_or("")
    };
    let mut out = Vec::new();
    for c in QUOTED.captures_iter(body) {
        if let Some(m) = c.get(1).or_else(|| c.get(2)) {
            out.push(m.as_str().to_string());
        }
        if !rhs.starts_with('[') {
            break;
        }
    }
    out
}

fn gemspec(text: &str) -> Parsed {
    let mut out = Vec::new();
    for m in GEMSPEC_LICENSE.find_iter(text) {
        let names = ruby_strings(&text[m.end()..]);
        let field = if m.as_str().starts_with(".licenses") { "licenses" } else { "license" };
        if let Some(e) = Expr::or_all(names.iter().filter(|n| !n.trim().is_empty()).map(|n| license_from_name(n))) {
            out.push(entry(Declared::Expr(e), Some(line_at(text, m.start())), field));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Maven: pom.xml

static URL_ID: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)(?:opensource\.org/licenses?|spdx\.org/licenses)/([A-Za-z0-9.+\-]+?)(?:\.html|\.php|/)?$")
});

/// A license URL that names an SPDX id (opensource.org, spdx.org, apache.org).
fn license_url(url: &str) -> Option<Expr> {
    let url = url.trim();
    if url.to_ascii_lowercase().contains("apache.org/licenses/license-2.0") {
        return Some(Expr::term(Term::spdx("Apache-2.0")));
    }
    let id = URL_ID.captures(url)?.get(1)?.as_str();
    crate::knowledge::spdx_ids::lookup_ci(id).map(|id| Expr::term(Term::spdx(id)))
}

/// A license of a pom, as read.
#[derive(Default)]
struct PomLicense {
    name: String,
    url: String,
    line: u32,
}

const POM_LICENSE: [&str; 3] = ["project", "licenses", "license"];

fn is_pom_license(path: &[String]) -> bool {
    path.len() == 3 && path.iter().zip(POM_LICENSE).all(|(a, b)| a == b)
}

/// Appends text to the `<name>` or `<url>` of the license being read.
fn pom_text(s: &str, path: &[String], current: &mut Option<PomLicense>) {
    if path.len() != 4 || !is_pom_license(&path[..3]) {
        return;
    }
    if let Some(lic) = current.as_mut() {
        match path[3].as_str() {
            "name" => lic.name.push_str(s),
            "url" => lic.url.push_str(s),
            _ => {}
        }
    }
}

fn pom(text: &str) -> Parsed {
    use quick_xml::events::Event;

    let mut reader = quick_xml::Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<PomLicense> = None;
    let mut found: Vec<PomLicense> = Vec::new();
    let mut licenses_line = None;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                return Err(format!("line {}: {e}", line_at(text, reader.error_position() as usize)));
            }
        };
        let here = line_at(text, reader.buffer_position() as usize);
        match event {
            Event::Start(e) => {
                path.push(e.local_name().as_ref().to_string());
                if is_pom_license(&path) {
                    current = Some(PomLicense { line: here, ..PomLicense::default() });
                } else if path.len() == 2 && path[0] == "project" && path[1] == "licenses" {
                    licenses_line = Some(here);
                }
            }
            Event::End(_) => {
                if is_pom_license(&path)
                    && let Some(lic) = current.take()
                {
                    found.push(lic);
                }
                path.pop();
            }
            Event::Text(t) => pom_text(&t.xml10_content(), &path, &mut current),
            Event::CData(t) => pom_text(&t.into_inner(), &path, &mut current),
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    }
                };
                if let Some(c) = c {
                    pom_text(c.encode_utf8(&mut [0; 4]), &path, &mut current);
                }
            }
            Event::Eof => {
                if let Some(open) = path.last() {
                    return Err(format!("line {}: unclosed element <{open}>", line_at(text, text.len())));
                }
                break;
            }
            _ => {}
        }
    }
    let mut first_line = None;
    let exprs: Vec<Expr> = found
        .iter()
        .filter_map(|l| {
            let e = if l.name.trim().is_empty() { license_url(&l.url) } else { Some(license_from_name(&l.name)) };
            if e.is_some() && first_line.is_none() {
                first_line = Some(l.line);
            }
            e
        })
        .collect();
    Ok(Expr::or_all(exprs)
        .map(|e| entry(Declared::Expr(e), first_line.or(licenses_line), "project.licenses"))
        .into_iter()
        .collect())
}

// ---------------------------------------------------------------------------------------
// sbt: build.sbt

static SBT_LICENSES: LazyLock<Regex> = LazyLock::new(|| regex(r"\blicenses\s*(?:\bin\s+\w+\s*)?(?::=|\+\+=|\+=)"));
static SBT_ARROW: LazyLock<Regex> = LazyLock::new(|| regex(r#""([^"\n]+)"\s*->"#));
static SBT_TUPLE: LazyLock<Regex> = LazyLock::new(|| regex(r#"\(\s*"([^"\n]+)"\s*,"#));
static SBT_OBJECT: LazyLock<Regex> = LazyLock::new(|| regex(r"\bLicense\.(\w+)"));

/// The right-hand side of a setting: up to the end of its balanced parentheses, or of its
/// line when it has none (`licenses += License.MIT`).
fn balanced(text: &str) -> &str {
    let mut depth = 0i32;
    let mut in_string = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth <= 0 {
                    return &text[..i + 1];
                }
            }
            '\n' if depth == 0 && !in_string => {
                let so_far = text[..i].trim();
                if !so_far.is_empty() && !so_far.ends_with(['>', ',', '(', '=', '+']) {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// sbt's predefined `License.X` values.
fn sbt_object(name: &str) -> Expr {
    let id = match name {
        "Apache2" => "Apache-2.0",
        "MIT" => "MIT",
        "CC0" => "CC0-1.0",
        "GPL3_or_later" => "GPL-3.0-or-later",
        _ => return license_from_name(name),
    };
    Expr::term(Term::spdx(id))
}

fn sbt(text: &str) -> Parsed {
    let mut exprs = Vec::new();
    let mut first_line = None;
    for m in SBT_LICENSES.find_iter(text) {
        let rhs = balanced(&text[m.end()..]);
        let mut found: Vec<(usize, Expr)> = Vec::new();
        for re in [&*SBT_ARROW, &*SBT_TUPLE] {
            for c in re.captures_iter(rhs) {
                if let Some(g) = c.get(1) {
                    found.push((g.start(), license_from_name(g.as_str())));
                }
            }
        }
        for c in SBT_OBJECT.captures_iter(rhs) {
            if let Some(g) = c.get(1) {
                found.push((g.start(), sbt_object(g.as_str())));
            }
        }
        if !found.is_empty() {
            first_line.get_or_insert(line_at(text, m.start()));
            found.sort_by_key(|(pos, _)| *pos);
            exprs.extend(found.into_iter().map(|(_, e)| e));
        }
    }
    Ok(Expr::or_all(exprs).map(|e| entry(Declared::Expr(e), first_line, "licenses")).into_iter().collect())
}

// ---------------------------------------------------------------------------------------
// DEP-5: debian/copyright, .reuse/dep5

struct Field {
    name: String,
    value: String,
    line: u32,
}

/// Paragraphs of a Debian control-style file.
fn paragraphs(text: &str) -> Vec<Vec<Field>> {
    let mut out: Vec<Vec<Field>> = Vec::new();
    let mut para: Vec<Field> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !para.is_empty() {
                out.push(std::mem::take(&mut para));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(f) = para.last_mut() {
                f.value.push('\n');
                f.value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            para.push(Field {
                name: name.trim().to_ascii_lowercase(),
                value: value.trim().to_string(),
                line: i as u32 + 1,
            });
        }
    }
    if !para.is_empty() {
        out.push(para);
    }
    out
}

static DEP5_COMMA: LazyLock<Regex> = LazyLock::new(|| regex(r",\s*(?i:and\s+)?"));
static DEP5_OR: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\s+or\s+"));
static DEP5_AND: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\s+and\s+"));
static DEP5_WITH: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^(.+?)\s+with\s+(.+?)(?:\s+exception)?$"));
static DEBIAN_GNU: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^(a|l)?gpl-?(\d+(?:\.\d+)?)(\+)?$"));
static DEBIAN_GFDL: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^gfdl-(1\.[123])(\+)?$"));

/// A Debian short license name (`Expat`, `GPL-2+`, `BSD-3-clause`, `public-domain`, …).
fn debian_name(name: &str) -> Expr {
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "expat" => return Expr::term(Term::spdx("MIT")),
        "public-domain" | "public domain" => return Expr::term(Term::Other("public-domain".into())),
        "perl" => {
            return Expr::parse("Artistic-1.0-Perl OR GPL-1.0-or-later").unwrap_or_else(|| license_from_name(name));
        }
        _ => {}
    }
    let gnu = DEBIAN_GNU.captures(name).map(|c| {
        let family = match c.get(1).map(|m| m.as_str().to_ascii_lowercase()) {
            Some(p) if p == "a" => "AGPL",
            Some(_) => "LGPL",
            None => "GPL",
        };
        let v = c.get(2).map_or("", |m| m.as_str());
        let version = if v.contains('.') { v.to_string() } else { format!("{v}.0") };
        let suffix = if c.get(3).is_some() { "or-later" } else { "only" };
        format!("{family}-{version}-{suffix}")
    });
    let gfdl = DEBIAN_GFDL.captures(name).map(|c| {
        let suffix = if c.get(2).is_some() { "or-later" } else { "only" };
        format!("GFDL-{}-{suffix}", c.get(1).map_or("", |m| m.as_str()))
    });
    if let Some(id) = gnu.or(gfdl).and_then(|id| crate::knowledge::spdx_ids::lookup_ci(&id)) {
        return Expr::term(Term::spdx(id));
    }
    license_from_name(name)
}

/// An SPDX exception id for a DEP-5 `with X exception` (`OpenSSL` → `openssl-exception`…).
fn exception_id(name: &str) -> String {
    let name = name.trim();
    let candidates = [name.to_string(), format!("{name}-exception"), name.replace(' ', "-")];
    for c in &candidates {
        if let Some(e) = spdx::identifiers::EXCEPTIONS.iter().find(|e| e.name.eq_ignore_ascii_case(c)) {
            return e.name.to_string();
        }
    }
    format!("{}-exception", name.replace(' ', "-"))
}

fn dep5_term(s: &str) -> Expr {
    if let Some(c) = DEP5_WITH.captures(s.trim())
        && let (Some(base), Some(exc)) = (c.get(1), c.get(2))
        && let Expr::Term(Term::Spdx { id, or_later, .. }) = debian_name(base.as_str())
    {
        return Expr::term(Term::Spdx { id, or_later, exception: Some(exception_id(exc.as_str())) });
    }
    debian_name(s)
}

/// A DEP-5 `License:` short name: comma (lowest precedence) and `and` combine, `or` chooses.
fn dep5_expr(s: &str) -> Option<Expr> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains('(') {
        return Some(Expr::parse(s).unwrap_or_else(|| license_from_name(s)));
    }
    let parts = DEP5_COMMA.split(s).filter(|p| !p.trim().is_empty()).filter_map(|part| {
        Expr::or_all(DEP5_OR.split(part.trim()).filter_map(|alt| {
            Expr::and_all(DEP5_AND.split(alt.trim()).filter(|t| !t.trim().is_empty()).map(dep5_term))
        }))
    });
    Expr::and_all(parts)
}

fn dep5(text: &str, require_format: bool) -> Parsed {
    let paras = paragraphs(text);
    if require_format {
        let machine_readable = paras.first().is_some_and(|p| {
            p.iter().any(|f| {
                (f.name == "format" || f.name == "format-specification")
                    && (f.value.contains("copyright-format") || f.value.contains("dep5"))
            })
        });
        if !machine_readable {
            return Ok(Vec::new());
        }
    }
    let mut out = Vec::new();
    for para in &paras {
        let (Some(files), Some(license)) =
            (para.iter().find(|f| f.name == "files"), para.iter().find(|f| f.name == "license"))
        else {
            continue;
        };
        let short = license.value.lines().next().unwrap_or("");
        let Some(expr) = dep5_expr(short) else {
            continue;
        };
        let mut subdirs: Vec<String> = Vec::new();
        for pattern in files.value.split_whitespace() {
            if let Some(d) = glob_subdir(pattern)
                && !subdirs.contains(&d)
            {
                subdirs.push(d);
            }
        }
        for d in subdirs {
            out.push(ManifestLicense {
                declared: Declared::Expr(expr.clone()),
                line: Some(license.line),
                subdir: Some(d),
                field: "License",
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Dockerfile / Containerfile

const OCI_LICENSES: &str = "org.opencontainers.image.licenses";

/// A word of a LABEL instruction: quoted (with backslash escapes) or bare.
fn docker_word(s: &str, stop_at_eq: bool) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            (Some(_), c) => out.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '\\') => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            (None, c) if c.is_whitespace() || (stop_at_eq && c == '=') => return (out, &s[i..]),
            (None, c) => out.push(c),
        }
    }
    (out, "")
}

/// `key=value` pairs of a LABEL instruction (or the legacy `LABEL key value`).
fn label_pairs(rest: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut s = rest.trim_start();
    while !s.is_empty() {
        let (key, after) = docker_word(s, true);
        if let Some(v) = after.strip_prefix('=') {
            let (value, after) = docker_word(v, false);
            pairs.push((key, value));
            s = after.trim_start();
        } else {
            // Legacy form: the rest of the line is the value.
            let value = after.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            pairs.push((key, value.to_string()));
            break;
        }
    }
    pairs
}

fn dockerfile(text: &str) -> Parsed {
    let mut found = None;
    let mut logical = String::new();
    let mut start = 0u32;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            // Comments (and parser directives) are dropped, even inside a continuation.
            continue;
        }
        if logical.is_empty() {
            if trimmed.is_empty() {
                continue;
            }
            start = i as u32 + 1;
        }
        if let Some(body) = trimmed.strip_suffix('\\') {
            logical.push_str(body);
            logical.push(' ');
            continue;
        }
        logical.push_str(trimmed);
        let instruction = std::mem::take(&mut logical);
        let (word, rest) = instruction.split_once(char::is_whitespace).unwrap_or((&instruction, ""));
        if !word.eq_ignore_ascii_case("LABEL") {
            continue;
        }
        for (key, value) in label_pairs(rest) {
            if key == OCI_LICENSES && !value.trim().is_empty() && !value.contains('$') {
                // A later label overrides an earlier one.
                found = Some((value, start));
            }
        }
    }
    Ok(found
        .map(|(value, line)| entry(Declared::Expr(license_from_name(&value)), Some(line), OCI_LICENSES))
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exprs(kind: ManifestKind, text: &str) -> Vec<String> {
        parse(kind, text)
            .unwrap()
            .into_iter()
            .map(|m| match m.declared {
                Declared::Expr(e) => e.to_string(),
                Declared::File(f) => format!("file:{f}"),
                Declared::Workspace => "workspace".to_string(),
            })
            .collect()
    }

    fn one(kind: ManifestKind, text: &str) -> ManifestLicense {
        let mut v = parse(kind, text).unwrap();
        assert_eq!(v.len(), 1, "{v:?}");
        v.remove(0)
    }

    fn expr(s: &str) -> Declared {
        Declared::Expr(Expr::parse(s).unwrap())
    }

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

    #[test]
    fn package_json_forms() {
        let text = "{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\",\n  \"license\": \"(MIT OR Apache-2.0)\"\n}\n";
        let m = one(ManifestKind::PackageJson, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT OR Apache-2.0"), Some(4), "license"));

        let see = "{\"name\": \"x\", \"license\": \"SEE LICENSE IN LICENSE.md\"}";
        assert_eq!(one(ManifestKind::PackageJson, see).declared, Declared::File("LICENSE.md".into()));
        let unl = "{\"license\": \"UNLICENSED\"}";
        assert_eq!(
            one(ManifestKind::PackageJson, unl).declared,
            Declared::Expr(Expr::term(Term::Other("unlicensed".into())))
        );
        let object = "{\"license\": {\"type\": \"ISC\", \"url\": \"https://opensource.org/licenses/ISC\"}}";
        assert_eq!(one(ManifestKind::PackageJson, object).declared, expr("ISC"));
        let array = "{\"license\": [\"MIT\", \"GPL-2.0\"]}";
        assert_eq!(one(ManifestKind::PackageJson, array).declared, expr("MIT OR GPL-2.0-only"));
        let legacy = "{\n \"name\": \"x\",\n \"config\": {\"licenses\": 1},\n \"licenses\": [\n  {\"type\": \"MIT\", \"url\": \"u\"},\n  {\"type\": \"Apache-2.0\", \"url\": \"v\"}\n ]\n}";
        let m = one(ManifestKind::PackageJson, legacy);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT OR Apache-2.0"), Some(4), "licenses"));
    }

    #[test]
    fn bower_and_composer() {
        assert_eq!(exprs(ManifestKind::Bower, "{\"name\": \"b\", \"license\": \"MIT\"}"), ["MIT"]);
        let composer = "{\n  \"name\": \"vendor/pkg\",\n  \"license\": [\"LGPL-2.1-only\", \"GPL-3.0-or-later\"]\n}";
        let m = one(ManifestKind::Composer, composer);
        assert_eq!((m.declared, m.line), (expr("LGPL-2.1-only OR GPL-3.0-or-later"), Some(3)));
    }

    #[test]
    fn pyproject_pep639_wins_over_classifiers() {
        let text = r#"[build-system]
requires = ["hatchling"]

[project]
name = "x"
license = "Apache-2.0 OR MIT"
license-files = ["LICEN[CS]E*"]
classifiers = [
    "Programming Language :: Python :: 3",
    "License :: OSI Approved :: BSD License",
]
"#;
        let m = one(ManifestKind::Pyproject, text);
        assert_eq!((m.declared, m.line, m.field), (expr("Apache-2.0 OR MIT"), Some(6), "project.license"));
    }

    #[test]
    fn pyproject_classifiers_only_and_pep621_tables() {
        let text = r#"[project]
name = "x"
classifiers = [
    "Programming Language :: Python :: 3",
    "License :: OSI Approved :: MIT License",
    "License :: OSI Approved :: Apache Software License",
    "License :: OSI Approved",
]
"#;
        let m = one(ManifestKind::Pyproject, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT OR Apache-2.0"), Some(5), "project.classifiers"));

        let file = "[project]\nname = \"x\"\nlicense = {file = \"LICENSE\"}\n";
        let m = one(ManifestKind::Pyproject, file);
        assert_eq!((m.declared, m.line), (Declared::File("LICENSE".into()), Some(3)));
        let text_table = "[project]\nname = \"x\"\nlicense = {text = \"BSD 3-Clause License\"}\n";
        assert_eq!(one(ManifestKind::Pyproject, text_table).declared, expr("BSD-3-Clause"));
        let poetry = "[tool.poetry]\nname = \"x\"\nlicense = \"GPL-3.0-or-later\"\n";
        let m = one(ManifestKind::Pyproject, poetry);
        assert_eq!((m.declared, m.field), (expr("GPL-3.0-or-later"), "tool.poetry.license"));
    }

    #[test]
    fn setup_cfg() {
        let text = "[metadata]\nname = x\nlicense = MIT\nlicense_files = LICENSE\nclassifiers =\n    Programming Language :: Python\n    License :: OSI Approved :: MIT License\n\n[options]\npackages = find:\n";
        let v = parse(ManifestKind::SetupCfg, text).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((&v[0].declared, v[0].line, v[0].field), (&expr("MIT"), Some(3), "metadata.license"));
        assert_eq!((&v[1].declared, v[1].line, v[1].field), (&expr("MIT"), Some(7), "metadata.classifiers"));
        let files_only = "[metadata]\nname = x\nlicense_file = LICENSE\n";
        assert_eq!(parse(ManifestKind::SetupCfg, files_only), Ok(vec![]));
    }

    #[test]
    fn setup_py() {
        let text = r#"from setuptools import setup

setup(
    name="x",
    license='Apache License, Version 2.0',
    license_files=["LICENSE"],
    classifiers=[
        "Development Status :: 4 - Beta",
        "License :: OSI Approved :: Apache Software License",
    ],
)
"#;
        let v = parse(ManifestKind::SetupPy, text).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((&v[0].declared, v[0].line, v[0].field), (&expr("Apache-2.0"), Some(5), "license"));
        assert_eq!((&v[1].declared, v[1].line, v[1].field), (&expr("Apache-2.0"), Some(9), "classifiers"));
        let expr_kw =
            "setup(name='x', license_expression=\"MIT\", classifiers=['License :: OSI Approved :: BSD License'])";
        assert_eq!(exprs(ManifestKind::SetupPy, expr_kw), ["MIT"]);
        assert_eq!(parse(ManifestKind::SetupPy, "setup(name='x', license=LICENSE)\n"), Ok(vec![]));
    }

    #[test]
    fn gemspec() {
        let text = "Gem::Specification.new do |spec|\n  spec.name = \"x\"\n  spec.license = \"MIT\"\nend\n";
        let m = one(ManifestKind::Gemspec, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT"), Some(3), "license"));
        let many = "Gem::Specification.new do |s|\n  s.licenses = ['MIT', \"Apache-2.0\"]\nend\n";
        assert_eq!(one(ManifestKind::Gemspec, many).declared, expr("MIT OR Apache-2.0"));
        let words = "Gem::Specification.new do |s|\n  s.licenses = %w[MIT Ruby]\nend\n";
        assert_eq!(exprs(ManifestKind::Gemspec, words), ["MIT OR Ruby"]);
        let frozen = "s.license = 'BSD-2-Clause'.freeze\n";
        assert_eq!(exprs(ManifestKind::Gemspec, frozen), ["BSD-2-Clause"]);
    }

    #[test]
    fn pom_project_licenses_only() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <artifactId>x</artifactId>
  <licenses>
    <license>
      <name>The Apache Software License, Version 2.0</name>
      <url>http://www.apache.org/licenses/LICENSE-2.0.txt</url>
    </license>
    <license>
      <name>Eclipse Public License - v 1.0</name>
    </license>
  </licenses>
  <dependencies>
    <dependency>
      <licenses><license><name>GPL</name></license></licenses>
    </dependency>
  </dependencies>
  <build><plugins><plugin><configuration>
    <licenses><license><name>AGPL-3.0</name></license></licenses>
  </configuration></plugin></plugins></build>
</project>
"#;
        let m = one(ManifestKind::Pom, text);
        assert_eq!((m.declared, m.line, m.field), (expr("Apache-2.0 OR EPL-1.0"), Some(6), "project.licenses"));
        let url_only =
            "<project><licenses><license><url>https://opensource.org/licenses/MIT</url></license></licenses></project>";
        assert_eq!(exprs(ManifestKind::Pom, url_only), ["MIT"]);
        let escaped = "<project><licenses><license><name>GNU GPL v2 &amp; later</name></license></licenses></project>";
        assert_eq!(exprs(ManifestKind::Pom, escaped), ["LicenseRef-gnu-gpl-v2---later"]);
    }

    #[test]
    fn sbt_settings() {
        let text = r#"name := "x"
ThisBuild / licenses := Seq("MIT" -> url("https://opensource.org/licenses/MIT"))
"#;
        let m = one(ManifestKind::Sbt, text);
        assert_eq!((m.declared, m.line, m.field), (expr("MIT"), Some(2), "licenses"));
        let tuple = "licenses += (\"Apache-2.0\", url(\"http://www.apache.org/licenses/LICENSE-2.0\"))\n";
        assert_eq!(exprs(ManifestKind::Sbt, tuple), ["Apache-2.0"]);
        let object = "licenses := List(License.Apache2)\nversion := \"1\"\n";
        assert_eq!(exprs(ManifestKind::Sbt, object), ["Apache-2.0"]);
        let multi = "licenses := Seq(\n  \"BSD-3-Clause\" -> url(\"x\"),\n  \"MIT\" -> url(\"y\")\n)\nlicenses += License.MIT\n";
        assert_eq!(exprs(ManifestKind::Sbt, multi), ["BSD-3-Clause OR MIT"]);
    }

    const DEP5: &str = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: foo
Source: https://example.org/foo

Files: *
Copyright: 2020 Foo Authors
License: Expat

Files: src/vendor/* src/vendor/zlib/*.c
Copyright: 1995 Jean-loup Gailly
License: GPL-2+ or Apache-2.0
 The GPL text can be found in /usr/share/common-licenses/GPL-2.

Files: debian/*
Copyright: 2021 A Maintainer
License: GPL-3+, and BSD-3-clause

Files: README.md
Copyright: 2020 Foo Authors
License: public-domain

License: Expat
 Permission is hereby granted ...
";

    #[test]
    fn debian_copyright_paragraphs() {
        let v = parse(ManifestKind::DebianCopyright, DEP5).unwrap();
        let got: Vec<(Option<&str>, String, Option<u32>)> = v
            .iter()
            .map(|m| {
                let Declared::Expr(e) = &m.declared else { panic!("{m:?}") };
                (m.subdir.as_deref(), e.to_string(), m.line)
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(""), "MIT".to_string(), Some(7)),
                (Some("src/vendor"), "Apache-2.0 OR GPL-2.0-or-later".to_string(), Some(11)),
                (Some("src/vendor/zlib"), "Apache-2.0 OR GPL-2.0-or-later".to_string(), Some(11)),
                (Some("debian"), "BSD-3-Clause AND GPL-3.0-or-later".to_string(), Some(16)),
            ]
        );
        assert!(v.iter().all(|m| m.field == "License"));
    }

    #[test]
    fn debian_copyright_needs_the_format_header() {
        let legacy = "This package was debianized by X.\n\nFiles: *\nLicense: GPL-2\n";
        assert_eq!(parse(ManifestKind::DebianCopyright, legacy), Ok(vec![]));
        // .reuse/dep5 does not need it.
        let reuse = "Files: assets/*\nCopyright: 2022 X\nLicense: CC-BY-4.0\n\nFiles: src/*.rs\nLicense: GPL-3.0-or-later WITH Classpath-exception-2.0\n";
        let v = parse(ManifestKind::ReuseDep5, reuse).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].subdir.as_deref(), &v[0].declared), (Some("assets"), &expr("CC-BY-4.0")));
        assert_eq!(
            (v[1].subdir.as_deref(), &v[1].declared),
            (Some("src"), &expr("GPL-3.0-or-later WITH Classpath-exception-2.0"))
        );
    }

    #[test]
    fn debian_short_names() {
        let cases = [
            ("GPL-2", "GPL-2.0-only"),
            ("GPL-2+", "GPL-2.0-or-later"),
            ("LGPL-2.1+", "LGPL-2.1-or-later"),
            ("LGPL-2", "LGPL-2.0-only"),
            ("LGPL-3", "LGPL-3.0-only"),
            ("AGPL-3+", "AGPL-3.0-or-later"),
            ("BSD-2-clause", "BSD-2-Clause"),
            ("Apache-2.0", "Apache-2.0"),
            ("MPL-2.0", "MPL-2.0"),
            ("public-domain", "LicenseRef-public-domain"),
            ("GPL-2+ and Expat", "GPL-2.0-or-later AND MIT"),
            ("Expat or GPL-3", "GPL-3.0-only OR MIT"),
        ];
        for (input, want) in cases {
            assert_eq!(dep5_expr(input).unwrap().to_string(), want, "{input}");
        }
        let with = dep5_expr("GPL-2+ with OpenSSL exception").unwrap();
        assert!(matches!(with, Expr::Term(Term::Spdx { ref id, exception: Some(_), .. }) if id == "GPL-2.0-or-later"));
    }

    #[test]
    fn dockerfile_labels() {
        let text = "FROM debian:12\n# a comment\nLABEL org.opencontainers.image.title=\"x\" \\\n      org.opencontainers.image.licenses=\"Apache-2.0 OR MIT\" \\\n      org.opencontainers.image.version=1\nRUN true\n";
        let m = one(ManifestKind::Dockerfile, text);
        assert_eq!((m.declared, m.line, m.field), (expr("Apache-2.0 OR MIT"), Some(3), OCI_LICENSES));
        assert_eq!(exprs(ManifestKind::Dockerfile, "FROM x\nlabel org.opencontainers.image.licenses=MIT\n"), ["MIT"]);
        assert_eq!(
            exprs(ManifestKind::Dockerfile, "LABEL org.opencontainers.image.licenses BSD-3-Clause\n"),
            ["BSD-3-Clause"]
        );
        let later = "LABEL org.opencontainers.image.licenses=MIT\nFROM y\nLABEL \"org.opencontainers.image.licenses\"='GPL-3.0-only'\n";
        assert_eq!(exprs(ManifestKind::Dockerfile, later), ["GPL-3.0-only"]);
        assert_eq!(parse(ManifestKind::Dockerfile, "FROM x\nLABEL maintainer=\"me\"\n"), Ok(vec![]));
    }

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

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let toml = "[package]\nname = \"a\"\nlicense = \"MIT\n";
        let e = parse(ManifestKind::Cargo, toml).unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        assert!(parse(ManifestKind::Pyproject, "[project\nname = 1").unwrap_err().starts_with("line 1"));
        assert!(parse(ManifestKind::ReuseToml, "a = 1\na = 2\n").is_err());
        let e = parse(ManifestKind::PackageJson, "{\n  \"license\": \"MIT\",\n}").unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        let e = parse(ManifestKind::Pom, "<project>\n<licenses>\n</license>\n</project>").unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        assert!(parse(ManifestKind::Pom, "<project><licenses>").is_err());
    }

    #[test]
    fn manifests_without_license_are_empty() {
        use ManifestKind::*;
        let cases = [
            (Cargo, "[package]\nname = \"a\"\nversion = \"0.1.0\"\n"),
            (PackageJson, "{\"name\": \"a\", \"dependencies\": {\"license\": \"1.0\"}}"),
            (PackageJson, "[]"),
            (Pyproject, "[project]\nname = \"a\"\n"),
            (SetupCfg, "[metadata]\nname = a\n"),
            (SetupPy, "from setuptools import setup\nsetup(name='a')\n"),
            (Gemspec, "Gem::Specification.new do |s|\n  s.name = 'a'\nend\n"),
            (Pom, "<project><artifactId>a</artifactId></project>"),
            (Sbt, "name := \"a\"\n"),
            (DebianCopyright, ""),
            (Dockerfile, "FROM scratch\n"),
            (ReuseToml, "version = 1\n"),
            (ReuseDep5, "Format: x\n"),
        ];
        for (kind, text) in cases {
            assert_eq!(parse(kind, text), Ok(vec![]), "{kind:?}");
        }
    }

    #[test]
    fn no_panic_on_truncated_or_odd_input() {
        let samples = [
            "[package]\nlicense = \"MIT\"\n[workspace.package]\nlicense-file = \"L\"\n",
            "{\"license\": [{\"type\": \"MIT\"}, \"é\"], \"licenses\": \"x\"}",
            "[project]\nlicense = {text = \"é\"}\nclassifiers = [\"License :: \"]\n",
            "[metadata]\nlicense = é\nclassifiers =\n\tLicense ::\n",
            "setup(license=\"é\", classifiers=['License :: OSI Approved :: é'])",
            "s.licenses = %w[é",
            "<project><licenses><license><name>é&#xZZ;&foo;</name>",
            "licenses := Seq(\"é\" -> url(",
            DEP5,
            "LABEL org.opencontainers.image.licenses=\"é \\",
            "[[annotations]]\npath = [\"é/*\", 1]\nSPDX-License-Identifier = [\"MIT\", 2]\n",
        ];
        let kinds = [
            ManifestKind::Cargo,
            ManifestKind::PackageJson,
            ManifestKind::Pyproject,
            ManifestKind::SetupCfg,
            ManifestKind::SetupPy,
            ManifestKind::Gemspec,
            ManifestKind::Pom,
            ManifestKind::Sbt,
            ManifestKind::DebianCopyright,
            ManifestKind::ReuseDep5,
            ManifestKind::Dockerfile,
            ManifestKind::ReuseToml,
        ];
        for sample in samples {
            for cut in (0..=sample.len()).filter(|&i| sample.is_char_boundary(i)) {
                for kind in kinds {
                    let _ = parse(kind, &sample[..cut]);
                }
            }
        }
    }
}

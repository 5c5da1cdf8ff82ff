//! Maven: the `<project><licenses>` of a pom.xml (names, or URLs that name an SPDX id).

use std::sync::LazyLock;

use regex::Regex;

use super::{Declared, Parsed, entry, line_at, regex};
use crate::knowledge::expr::{Expr, Term};
use crate::knowledge::names::license_from_name;

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

pub(super) fn pom(text: &str) -> Parsed {
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

#[cfg(test)]
mod tests {
    use crate::profile::manifest::ManifestKind;
    use crate::profile::manifest::test_helpers::{expr, exprs, one};

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
}

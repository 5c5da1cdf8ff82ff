//! Third-party listings in CSV (Datadog's `LICENSE-3rdparty.csv` and the like): a header row
//! with a `License` column, one row per component. The file's answer is the `AND` of the
//! components' licenses, each row a part with its line.

use super::expr::Expr;
use super::identify::{Identification, Part};

/// Confidence of a listing whose every row names a license the expression parser knows.
const CONFIDENCE: f32 = 0.9;
/// Confidence of a listing with rows whose license is unknown or empty.
const PARTIAL_CONFIDENCE: f32 = 0.7;
/// Rows read; a listing longer than this is answered from its first rows, below certainty.
const MAX_ROWS: usize = 5_000;

/// The fields of one CSV line: commas separate, double quotes enclose a field that holds
/// commas, `""` inside quotes is a quote. (Fields spanning lines are not listings' habit.)
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().expect("one field").push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().expect("one field").push(c),
        }
    }
    out
}

/// The licenses a CSV listing names, if `text` is one: its first line is a header of at
/// least two fields, one of them `License` (any case), and its rows have the header's width.
pub fn identify_listing(text: &str) -> Option<Identification> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next()?;
    let header = fields(header);
    if header.len() < 2 {
        return None;
    }
    let column = header.iter().position(|h| matches!(h.trim().to_ascii_lowercase().as_str(), "license" | "licence"))?;
    let mut parts: Vec<Part> = Vec::new();
    let mut complete = true;
    for (n, (index, line)) in lines.enumerate() {
        if n >= MAX_ROWS {
            complete = false;
            break;
        }
        let row = fields(line);
        if row.len() != header.len() {
            return None; // not the listing's shape: prose with commas
        }
        let value = row[column].trim();
        match Expr::parse(value).filter(|e| !e.has_unidentified()) {
            Some(license) => {
                let at = index as u32 + 1;
                parts.push(Part { license, lines: (at, at) });
            }
            None => complete = false,
        }
    }
    let license = Expr::and_all(parts.iter().map(|p| p.license.clone()))?;
    Some(Identification {
        license: Some(license),
        confidence: if complete { CONFIDENCE } else { PARTIAL_CONFIDENCE },
        closest: None,
        method: "third-party-listing",
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_is_the_and_of_its_rows_with_their_lines() {
        let csv = "Component,Origin,License,Copyright\n\
                   import,io.opentracing,Apache-2.0,Copyright 2016 The Authors\n\
                   appsec,https://x.invalid,Apache-2.0 OR BSD-3-Clause,\"Copyright (c) 2021, Datadog\"\n\
                   golang,https://go.invalid,BSD-3-Clause,Copyright (c) 2009 The Go Authors";
        let ident = identify_listing(csv).unwrap();
        assert_eq!(ident.license.unwrap().to_string(), "Apache-2.0 AND BSD-3-Clause AND (Apache-2.0 OR BSD-3-Clause)");
        assert_eq!(ident.confidence, CONFIDENCE);
        assert_eq!(ident.parts.iter().map(|p| p.lines.0).collect::<Vec<_>>(), vec![2, 3, 4]);
    }

    #[test]
    fn unknown_rows_lower_the_confidence_and_prose_is_no_listing() {
        let csv = "name,license\nfoo,MIT\nbar,Some Custom Terms\n";
        let ident = identify_listing(csv).unwrap();
        assert_eq!(ident.license.unwrap().to_string(), "MIT");
        assert_eq!(ident.confidence, PARTIAL_CONFIDENCE);
        assert!(identify_listing("License, as in MIT\nThis text, with commas, is prose.\n").is_none());
        assert!(identify_listing("MIT License\n\nPermission is hereby granted").is_none());
    }
}

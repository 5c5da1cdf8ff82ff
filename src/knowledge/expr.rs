//! License expressions: SPDX ids, knowledge-base (AI license) ids and other references,
//! combined with AND / OR. Canonical form (flattened, sorted, deduplicated) so that equal
//! licensing prints, compares and hashes equally.

use std::fmt;

use super::ai::{self, KbKind, KbLicense};
use super::spdx_ids;

/// One license in an expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    /// An SPDX-listed license (canonical id), optionally `+` and `WITH` an exception.
    Spdx { id: String, or_later: bool, exception: Option<String> },
    /// A knowledge-base license (Hugging Face style id, e.g. `llama3.1`).
    Ai(String),
    /// Anything else: `other`, `unknown`, a free-text name, an unidentified text
    /// (`unidentified-<hash>`). Printed as `LicenseRef-<value>`.
    Other(String),
}

/// A license expression in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expr {
    Term(Term),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// Spells a knowledge-base id as a `LicenseRef-` idstring (`+` becomes `plus`).
pub fn license_ref(id: &str) -> String {
    let mut s = String::from("LicenseRef-");
    for c in id.chars() {
        match c {
            '+' => s.push_str("plus"),
            c if c.is_ascii_alphanumeric() || c == '.' || c == '-' => s.push(c),
            _ => s.push('-'),
        }
    }
    s
}

/// Deprecated SPDX ids that name a license with an exception, and the `WITH` expression
/// that replaces each.
const WITH_EXCEPTION: &[(&str, &str, &str)] = &[
    ("GPL-2.0-with-classpath-exception", "GPL-2.0-only", "Classpath-exception-2.0"),
    ("GPL-2.0-with-GCC-exception", "GPL-2.0-only", "GCC-exception-2.0"),
    ("GPL-2.0-with-autoconf-exception", "GPL-2.0-only", "Autoconf-exception-2.0"),
    ("GPL-2.0-with-bison-exception", "GPL-2.0-only", "Bison-exception-2.2"),
    ("GPL-2.0-with-font-exception", "GPL-2.0-only", "Font-exception-2.0"),
    ("GPL-3.0-with-GCC-exception", "GPL-3.0-only", "GCC-exception-3.1"),
    ("GPL-3.0-with-autoconf-exception", "GPL-3.0-only", "Autoconf-exception-3.0"),
];

/// The term for a license id the matcher named: a deprecated "license with exception" id is
/// written as the license `WITH` its exception, as SPDX expressions say it today.
pub fn matched_term(id: &str) -> Term {
    match WITH_EXCEPTION.iter().find(|(old, _, _)| *old == id) {
        Some((_, license, exception)) => {
            Term::Spdx { id: (*license).to_string(), or_later: false, exception: Some((*exception).to_string()) }
        }
        None => Term::spdx(id),
    }
}

impl KbLicense {
    /// The expression term for this license.
    pub fn term(&self) -> Term {
        match self.kind {
            KbKind::Ai => Term::Ai(self.id.clone()),
            KbKind::Spdx => Term::spdx(&self.id),
        }
    }
}

/// The prefix of unidentified texts inside expressions.
pub const UNIDENTIFIED: &str = "unidentified-";
/// The prefix of a known license's text with terms added or changed (`modified-MIT`).
pub const MODIFIED: &str = "modified-";

impl Term {
    /// An SPDX term from a canonical id.
    pub fn spdx(id: &str) -> Term {
        Term::Spdx { id: id.to_string(), or_later: false, exception: None }
    }

    /// A known license's text with terms added or changed: `LicenseRef-modified-<id>`.
    pub fn modified(id: &str) -> Term {
        Term::Other(format!("{MODIFIED}{id}"))
    }

    /// Whether the term is a known license modified ([`Term::modified`]).
    pub fn is_modified(&self) -> bool {
        matches!(self, Term::Other(v) if v.starts_with(MODIFIED))
    }

    /// Whether the term stands for a text the tool could not identify.
    pub fn is_unidentified(&self) -> bool {
        matches!(self, Term::Other(v) if v.starts_with(UNIDENTIFIED))
    }

    /// A key under which `-only`, `-or-later`, `+` and deprecated bare GNU ids are equal:
    /// these variants share one text, so a text cannot tell them apart. So are a font
    /// license's `-RFN` / `-no-RFN` spellings: the same terms, with or without reserved names.
    pub fn family(&self) -> String {
        match self {
            Term::Spdx { id, .. } => {
                let id = id.trim_end_matches("-only").trim_end_matches("-or-later").trim_end_matches('+');
                id.trim_end_matches("-no-RFN").trim_end_matches("-RFN").to_ascii_lowercase()
            }
            Term::Ai(id) => id.clone(),
            Term::Other(v) => format!("ref:{}", v.to_ascii_lowercase()),
        }
    }

    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, compound: bool) -> fmt::Result {
        match self {
            Term::Spdx { id, or_later, exception } => {
                write!(f, "{id}{}", if *or_later { "+" } else { "" })?;
                if let Some(e) = exception {
                    write!(f, " WITH {e}")?;
                }
                Ok(())
            }
            Term::Ai(id) if !compound => f.write_str(id),
            Term::Ai(id) | Term::Other(id) => {
                if id.starts_with("LicenseRef-") {
                    f.write_str(id)
                } else {
                    f.write_str(&license_ref(id))
                }
            }
        }
    }
}

impl Expr {
    /// The same expression with every term replaced by `f`'s (re-sorted, duplicates merged).
    pub fn map_terms(&self, f: &impl Fn(&Term) -> Term) -> Expr {
        match self {
            Expr::Term(t) => Expr::Term(f(t)),
            Expr::And(v) => Self::and_all(v.iter().map(|e| e.map_terms(f))).unwrap_or_else(|| self.clone()),
            Expr::Or(v) => Self::or_all(v.iter().map(|e| e.map_terms(f))).unwrap_or_else(|| self.clone()),
        }
    }

    /// A single-term expression.
    pub fn term(t: Term) -> Expr {
        Expr::Term(t)
    }

    /// Combines expressions with AND in canonical form; `None` when empty.
    pub fn and_all(items: impl IntoIterator<Item = Expr>) -> Option<Expr> {
        Self::combine(items, true)
    }

    /// Combines expressions with OR in canonical form; `None` when empty.
    pub fn or_all(items: impl IntoIterator<Item = Expr>) -> Option<Expr> {
        Self::combine(items, false)
    }

    fn combine(items: impl IntoIterator<Item = Expr>, and: bool) -> Option<Expr> {
        let mut flat = Vec::new();
        for e in items {
            match e {
                Expr::And(v) if and => flat.extend(v),
                Expr::Or(v) if !and => flat.extend(v),
                other => flat.push(other),
            }
        }
        flat.sort();
        flat.dedup();
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(if and { Expr::And(flat) } else { Expr::Or(flat) }),
        }
    }

    /// Every term, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        match self {
            Expr::Term(t) => vec![t],
            Expr::And(v) | Expr::Or(v) => v.iter().flat_map(|e| e.terms()).collect(),
        }
    }

    /// Whether any term is an unidentified text.
    pub fn has_unidentified(&self) -> bool {
        self.any_term(&|t| t.is_unidentified())
    }

    /// Whether a term passes `f`, without collecting the terms.
    fn any_term(&self, f: &dyn Fn(&Term) -> bool) -> bool {
        match self {
            Expr::Term(t) => f(t),
            Expr::And(v) | Expr::Or(v) => v.iter().any(|e| e.any_term(f)),
        }
    }

    /// The expression without unidentified texts, if anything is left.
    pub fn identified_part(&self) -> Option<Expr> {
        match self {
            Expr::Term(t) if t.is_unidentified() => None,
            Expr::Term(_) => Some(self.clone()),
            Expr::And(v) => Expr::and_all(v.iter().filter_map(Expr::identified_part)),
            Expr::Or(v) => Expr::or_all(v.iter().filter_map(Expr::identified_part)),
        }
    }

    /// Whether any term is a knowledge-base (AI) license.
    pub fn has_ai(&self) -> bool {
        self.any_term(&|t| matches!(t, Term::Ai(_)))
    }

    /// Parses an SPDX expression leniently (lower case, `/` for OR, imprecise names);
    /// `LicenseRef-<kb id>` becomes a knowledge-base term. A bare knowledge-base id or
    /// alias is accepted too.
    pub fn parse(s: &str) -> Option<Expr> {
        let s = s.trim();
        // No license expression is that long: a longer value is not one (and parsing a
        // megabyte of parentheses from a hostile card would take seconds).
        if s.is_empty() || s.len() > MAX_EXPRESSION {
            return None;
        }
        // The common case, one exact SPDX id, needs neither the knowledge base nor a parser.
        if let Some(id) = spdx::license_id(s).filter(|id| id.name == s) {
            let (id, or_later) = spdx_ids::canonical(id, false);
            return Some(Expr::Term(Term::Spdx { id: id.to_string(), or_later, exception: None }));
        }
        if let Some(kb) = ai::lookup(s) {
            return Some(Expr::Term(kb.term()));
        }
        let parsed = spdx::Expression::parse_mode(&prepare(s), spdx::ParseMode::LAX).ok()?;
        let mut stack: Vec<Expr> = Vec::new();
        for node in parsed.iter() {
            match node {
                spdx::expression::ExprNode::Req(req) => stack.push(Expr::Term(term_of_req(&req.req))),
                spdx::expression::ExprNode::Op(op) => {
                    let b = stack.pop()?;
                    let a = stack.pop()?;
                    let e = match op {
                        spdx::expression::Operator::And => Expr::and_all([a, b]),
                        spdx::expression::Operator::Or => Expr::or_all([a, b]),
                    }?;
                    stack.push(e);
                }
            }
        }
        if stack.len() == 1 { stack.pop() } else { None }
    }

    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, compound: bool, nested: bool) -> fmt::Result {
        match self {
            Expr::Term(t) => t.fmt_in(f, compound),
            Expr::And(v) | Expr::Or(v) => {
                let op = if matches!(self, Expr::And(_)) { " AND " } else { " OR " };
                if nested {
                    f.write_str("(")?;
                }
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(op)?;
                    }
                    e.fmt_in(f, true, true)?;
                }
                if nested {
                    f.write_str(")")?;
                }
                Ok(())
            }
        }
    }
}

/// The longest text [`Expr::parse`] reads as an expression, in bytes.
pub const MAX_EXPRESSION: usize = 4096;

/// Spells operators in upper case and ids in their SPDX case, so lower-case values such
/// as `apache-2.0 or mit` parse; `/` between ids is OR (`MIT/Apache-2.0`), except in URLs.
fn prepare(s: &str) -> String {
    let mut spaced = s.replace('(', " ( ").replace(')', " ) ");
    if !spaced.contains("://") {
        spaced = spaced.replace('/', " OR ");
    }
    spaced
        .split_whitespace()
        .map(|tok| match tok.to_ascii_lowercase().as_str() {
            "and" => "AND".to_string(),
            "or" => "OR".to_string(),
            "with" => "WITH".to_string(),
            _ => {
                let (core, plus) = tok.strip_suffix('+').map_or((tok, ""), |c| (c, "+"));
                spdx_ids::lookup_ci(core).map(|id| format!("{id}{plus}")).unwrap_or_else(|| tok.to_string())
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn term_of_req(req: &spdx::LicenseReq) -> Term {
    let exception = req.addition.as_ref().map(|a| a.to_string());
    match &req.license {
        spdx::LicenseItem::Spdx { id, or_later } => {
            let (id, or_later) = spdx_ids::canonical(*id, *or_later);
            Term::Spdx { id: id.to_string(), or_later, exception }
        }
        spdx::LicenseItem::Other(r) => {
            let name = r.lic_ref.replace("plus", "+");
            match ai::lookup(&name).or_else(|| ai::lookup(&r.lic_ref)) {
                Some(kb) => kb.term(),
                None => Term::Other(r.lic_ref.clone()),
            }
        }
    }
}

impl Expr {
    /// The expression as SPDX writes it: knowledge-base ids as `LicenseRef-<id>` also when
    /// alone (`LicenseRef-llama3.1`), so that every term is a valid SPDX idstring.
    pub fn to_spdx(&self) -> String {
        struct Spdx<'a>(&'a Expr);
        impl fmt::Display for Spdx<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt_in(f, true, false)
            }
        }
        Spdx(self).to_string()
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, !matches!(self, Expr::Term(_)), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_sorts_and_dedups() {
        let a = Expr::parse("MIT OR Apache-2.0").unwrap();
        let b = Expr::parse("apache-2.0 or mit or MIT").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "Apache-2.0 OR MIT");
        let c = Expr::parse("(MIT OR Apache-2.0) AND BSD-3-Clause").unwrap();
        assert_eq!(c.to_string(), "BSD-3-Clause AND (Apache-2.0 OR MIT)");
    }

    #[test]
    fn slash_is_or() {
        assert_eq!(Expr::parse("mit/apache-2.0").unwrap().to_string(), "Apache-2.0 OR MIT");
        assert_eq!(Expr::parse("MIT / Apache-2.0"), Expr::parse("Apache-2.0 OR MIT"));
        assert_eq!(
            Expr::parse("(mit/apache-2.0) and bsd-3-clause").unwrap().to_string(),
            "BSD-3-Clause AND (Apache-2.0 OR MIT)"
        );
    }

    #[test]
    fn deprecated_gnu_ids_become_only() {
        assert_eq!(Expr::parse("GPL-3.0").unwrap().to_string(), "GPL-3.0-only");
        assert_eq!(Expr::parse("GPL-2.0+").unwrap().to_string(), "GPL-2.0-or-later");
    }

    #[test]
    fn knowledge_base_ids_print_plain_alone_and_as_refs_in_compounds() {
        let alone = Expr::parse("llama3.1").unwrap();
        assert_eq!(alone.to_string(), "llama3.1");
        let both = Expr::and_all([alone, Expr::parse("MIT").unwrap()]).unwrap();
        assert_eq!(both.to_string(), "MIT AND LicenseRef-llama3.1");
        assert_eq!(Expr::parse(&both.to_string()), Some(both));
        assert_eq!(license_ref("openrail++"), "LicenseRef-openrailplusplus");
        assert_eq!(Expr::parse("llama3.1").unwrap().to_spdx(), "LicenseRef-llama3.1");
        assert_eq!(Expr::parse("MIT OR Apache-2.0").unwrap().to_spdx(), "Apache-2.0 OR MIT");
    }
}

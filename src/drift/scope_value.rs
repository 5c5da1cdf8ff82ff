//! A scope's licensing value: the license its own declarations give it, or the one it
//! inherits from the nearest enclosing scope, and the key two values compare by.

use std::borrow::Cow;

use crate::knowledge::expr::Expr;
use crate::profile::{Declaration, Profile, Scope};
use crate::snapshot::Component;

/// A scope's value: its license and where it comes from.
#[derive(Clone)]
pub(super) struct Value<'a> {
    /// A single declaration's license is borrowed.
    pub license: Cow<'a, Expr>,
    pub(super) decls: Vec<&'a Declaration>,
    /// The directory it is inherited from, when not declared in the scope itself.
    pub(super) inherited_from: Option<Scope>,
    /// `license_link`s of cards whose license is not a known one.
    pub(super) links: Vec<String>,
}

impl Value<'_> {
    /// Equal for equal licensing (`-only`/`-or-later` alike; links of `other` count).
    pub(super) fn key(&self) -> String {
        format!("{}|{}", family_key(&self.license), self.links.join(" "))
    }

    /// The value as before/after show it.
    pub(super) fn label(&self) -> String {
        if self.links.is_empty() {
            self.license.to_string()
        } else {
            format!("{} (license_link: {})", self.license, self.links.join(", "))
        }
    }
}

fn own<'a>(p: &'a Profile, dir: &str, component: Component) -> Option<Value<'a>> {
    own_in(&p.in_scope(dir, component), component)
}

/// The value of one component, from the declarations of its directory.
pub(super) fn own_in<'a>(decls: &[&'a Declaration], component: Component) -> Option<Value<'a>> {
    let decls: Vec<&Declaration> = decls.iter().copied().filter(|d| d.scope.component == component).collect();
    // One declaration that is no AND is its own value, as `and_all` would return it.
    let license = match decls.as_slice() {
        [d] if !matches!(d.license, Expr::And(_)) => Cow::Borrowed(&d.license),
        _ => Cow::Owned(Expr::and_all(decls.iter().map(|d| d.license.clone()))?),
    };
    let mut links: Vec<String> = decls.iter().filter_map(|d| d.link.clone()).collect();
    links.sort();
    links.dedup();
    Some(Value { license, decls, inherited_from: None, links })
}

impl<'a> Value<'a> {
    /// The same value with unidentified texts left out.
    pub(super) fn identified(&self) -> Option<Value<'a>> {
        Some(Value {
            license: Cow::Owned(self.license.identified_part()?),
            decls: self.decls.iter().copied().filter(|d| !d.is_unidentified()).collect(),
            inherited_from: self.inherited_from.clone(),
            links: self.links.clone(),
        })
    }
}

/// The value a scope has: its own declarations, else the nearest enclosing scope's (the same
/// component first, then `all`).
pub(super) fn effective<'a>(p: &'a Profile, dir: &str, component: Component) -> Option<Value<'a>> {
    let scope = p.declaring_scope(dir, component)?;
    let mut v = own(p, &scope.path, scope.component)?;
    v.inherited_from = Some(scope);
    Some(v)
}

/// Compares licenses with `-only`/`-or-later` variants equal (one text serves both).
pub(super) fn family_key(e: &Expr) -> String {
    match e {
        Expr::Term(t) => t.family(),
        Expr::And(v) | Expr::Or(v) => {
            let mut parts: Vec<String> = v.iter().map(family_key).collect();
            parts.sort();
            parts.dedup();
            let op = if matches!(e, Expr::And(_)) { " and " } else { " or " };
            format!("({})", parts.join(op))
        }
    }
}

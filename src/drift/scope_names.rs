//! How messages name a scope: `pkg/a/`, `code of pkg/a/`, `the repository`.

use crate::profile::Scope;
use crate::snapshot::Component;

pub(super) fn describe_scope(scope: &Scope) -> String {
    Described(scope).to_string()
}

/// A scope as messages name it (`pkg/a/`, `code of pkg/a/`, `the repository`), written in
/// place into the message.
pub(super) struct Described<'a>(pub &'a Scope);

impl std::fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.component != Component::All {
            write!(f, "{} of ", self.0.component.as_str())?;
        }
        if self.0.path.is_empty() { f.write_str("the repository") } else { write!(f, "{}/", self.0.path) }
    }
}

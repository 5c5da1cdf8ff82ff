//! The openness ladder and restriction categories: how open a license is, what it
//! restricts, and therefore whether a change tightens or relaxes the terms.

use std::collections::BTreeSet;

use serde::Serialize;

use super::ai;
use super::expr::{Expr, Term};
pub use super::vocab::{Restriction, Rung};

/// Generic Hugging Face ids that name a family rather than one license.
fn generic_rung(name: &str) -> Option<Rung> {
    Some(match name.to_ascii_lowercase().as_str() {
        "bsd" => Rung::Permissive,
        "gpl" => Rung::StrongCopyleft,
        "lgpl" | "gfdl" => Rung::WeakCopyleft,
        "cc" => Rung::OpenData,
        _ => return None,
    })
}

/// The rung of one license.
pub fn rung_of_term(t: &Term) -> Rung {
    match t {
        Term::Ai(id) => ai::lookup(id).map(|k| k.rung).unwrap_or(Rung::Proprietary),
        Term::Other(name) => generic_rung(name).unwrap_or(Rung::Proprietary),
        Term::Spdx { id, .. } => {
            if let Some(k) = ai::lookup_spdx(id) {
                return k.rung;
            }
            spdx_rung(id)
        }
    }
}

fn spdx_rung(id: &str) -> Rung {
    let upper = id.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "CC0-1.0" | "UNLICENSE" | "0BSD" | "PDDL-1.0" | "CC-PDDC" | "WTFPL" | "MIT-0" | "BLESSING"
    ) {
        return Rung::PublicDomain;
    }
    if upper.starts_with("CC-") || upper.starts_with("CDLA-") || upper.starts_with("ODC-") || upper.starts_with("ODBL")
    {
        if upper.contains("-NC") {
            return Rung::NonCommercial;
        }
        if upper.contains("-ND") {
            return Rung::UseRestricted;
        }
        if upper.contains("-SA") || upper.contains("SHARING") || upper.starts_with("ODBL") {
            return Rung::WeakCopyleft;
        }
        return Rung::OpenData;
    }
    if upper.starts_with("AGPL")
        || upper.starts_with("OSL-")
        || upper.starts_with("RPL-")
        || upper.starts_with("CPAL")
        || upper.starts_with("EUPL")
    {
        return Rung::NetworkCopyleft;
    }
    if upper.starts_with("GPL") {
        return Rung::StrongCopyleft;
    }
    let Some(lic) = spdx::license_id(id) else {
        return Rung::Proprietary;
    };
    if lic.is_copyleft() { Rung::WeakCopyleft } else { Rung::Permissive }
}

/// The restrictions one license carries.
pub fn restrictions_of_term(t: &Term) -> BTreeSet<Restriction> {
    let kb = match t {
        Term::Ai(id) => ai::lookup(id),
        Term::Spdx { id, .. } => ai::lookup_spdx(id),
        Term::Other(_) => None,
    };
    if let Some(k) = kb {
        return k.restrictions.iter().copied().collect();
    }
    let mut set = BTreeSet::new();
    if let Term::Spdx { id, .. } = t {
        let upper = id.to_ascii_uppercase();
        if upper.starts_with("CC-") {
            if upper.contains("-NC") {
                set.insert(Restriction::NonCommercial);
            }
            if upper.contains("-ND") {
                set.insert(Restriction::NoDerivatives);
            }
        }
    }
    set
}

/// The rung of an expression: OR takes its most open branch, AND its least open.
pub fn rung(e: &Expr) -> Rung {
    match e {
        Expr::Term(t) => rung_of_term(t),
        Expr::And(v) => v.iter().map(rung).max().unwrap_or(Rung::Proprietary),
        Expr::Or(v) => v.iter().map(rung).min().unwrap_or(Rung::Proprietary),
    }
}

/// Restrictions of an expression: the union over AND, the intersection over OR (one may
/// choose the branch without them).
pub fn restrictions(e: &Expr) -> BTreeSet<Restriction> {
    match e {
        Expr::Term(t) => restrictions_of_term(t),
        Expr::And(v) => v.iter().flat_map(restrictions).collect(),
        Expr::Or(v) => {
            let mut sets = v.iter().map(restrictions);
            let first = sets.next().unwrap_or_default();
            sets.fold(first, |acc, s| acc.intersection(&s).copied().collect())
        }
    }
}

/// How a change of license moves a user's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// More restrictive than before.
    Tightened,
    /// Less restrictive than before.
    Relaxed,
    /// Different, neither clearly tighter nor looser.
    Changed,
    /// The new side cannot be identified or read: nobody knows (a gate fails closed).
    Unknown,
}

impl Direction {
    /// The public name.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Tightened => "tightened",
            Direction::Relaxed => "relaxed",
            Direction::Changed => "changed",
            Direction::Unknown => "unknown",
        }
    }
}

/// The direction of a change: an added OR alternative relaxes and a removed one tightens
/// (one may still choose, or no longer choose, the other branch); otherwise restriction
/// sets first (strict superset tightens, strict subset relaxes); when the sets are equal or
/// neither contains the other, the ladder decides; the same rung is just "changed". A new
/// unidentified text on the new side is "unknown"; one gone from the old side, "changed";
/// the same unidentified text on both sides (an unchanged LICENSE-examples beside the
/// license that changed) leaves the identified parts to decide.
pub fn direction(before: &Expr, after: &Expr) -> Direction {
    fn unknown(e: &Expr) -> BTreeSet<&Term> {
        e.terms().into_iter().filter(|t| t.is_unidentified()).collect()
    }
    let (ub, ua) = (unknown(before), unknown(after));
    if !ua.is_subset(&ub) {
        return Direction::Unknown;
    }
    if !ub.is_subset(&ua) {
        return Direction::Changed;
    }
    if !ua.is_empty() {
        return match (before.identified_part(), after.identified_part()) {
            (Some(b), Some(a)) => direction(&b, &a),
            _ => Direction::Changed,
        };
    }
    let (ab, aa) = (alternatives(before), alternatives(after));
    if ab != aa {
        if aa.is_superset(&ab) {
            return Direction::Relaxed;
        }
        if aa.is_subset(&ab) {
            return Direction::Tightened;
        }
    }
    // Defensive termination on litigation is common to permissive licenses too (Apache-2.0,
    // OpenMDW): it does not make a license tighter.
    let relevant = |e: &Expr| -> BTreeSet<Restriction> {
        restrictions(e).into_iter().filter(|r| *r != Restriction::PatentTermination).collect()
    };
    let (rb, ra) = (relevant(before), relevant(after));
    if rb != ra {
        if ra.is_superset(&rb) {
            return Direction::Tightened;
        }
        if ra.is_subset(&rb) {
            return Direction::Relaxed;
        }
        // Neither contains the other: a tie of the restriction sets, broken by the ladder.
    }
    match rung(after).cmp(&rung(before)) {
        std::cmp::Ordering::Greater => Direction::Tightened,
        std::cmp::Ordering::Less => Direction::Relaxed,
        std::cmp::Ordering::Equal => Direction::Changed,
    }
}

/// The branches of a top-level OR (the expression itself otherwise).
fn alternatives(e: &Expr) -> BTreeSet<&Expr> {
    match e {
        Expr::Or(v) => v.iter().collect(),
        other => BTreeSet::from([other]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> Expr {
        Expr::parse(s).unwrap()
    }

    #[test]
    fn directions_follow_restrictions_then_ladder() {
        assert_eq!(direction(&e("MIT"), &e("CC-BY-NC-4.0")), Direction::Tightened);
        assert_eq!(direction(&e("CC-BY-NC-4.0"), &e("MIT")), Direction::Relaxed);
        assert_eq!(direction(&e("MIT"), &e("GPL-3.0-only")), Direction::Tightened);
        assert_eq!(direction(&e("GPL-3.0-only"), &e("MIT")), Direction::Relaxed);
        assert_eq!(direction(&e("MIT"), &e("Apache-2.0")), Direction::Changed);
        assert_eq!(direction(&e("MPL-2.0"), &e("BUSL-1.1")), Direction::Tightened);
    }

    #[test]
    fn added_or_alternatives_relax_and_removed_ones_tighten() {
        assert_eq!(direction(&e("MIT"), &e("MIT OR Apache-2.0")), Direction::Relaxed);
        assert_eq!(direction(&e("MIT OR Apache-2.0"), &e("MIT")), Direction::Tightened);
        assert_eq!(direction(&e("GPL-3.0-only"), &e("GPL-3.0-only OR MIT")), Direction::Relaxed);
        assert_eq!(direction(&e("Apache-2.0 OR MIT"), &e("Apache-2.0 OR BSD-3-Clause OR MIT")), Direction::Relaxed);
        assert_eq!(direction(&e("Apache-2.0 OR MIT"), &e("Apache-2.0 OR BSD-3-Clause")), Direction::Changed);
        assert_eq!(direction(&e("MIT OR Apache-2.0"), &e("MIT OR Apache-2.0")), Direction::Changed);
    }

    #[test]
    fn or_takes_the_open_branch() {
        assert_eq!(rung(&e("MIT OR GPL-3.0-only")), Rung::Permissive);
        assert_eq!(rung(&e("MIT AND GPL-3.0-only")), Rung::StrongCopyleft);
        assert!(restrictions(&e("MIT OR CC-BY-NC-4.0")).is_empty());
    }
}

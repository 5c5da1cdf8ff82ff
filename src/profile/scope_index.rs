//! Items of a profile (declarations, restrictions) by scope directory, built on the first
//! lookup, when the profile is complete: a change touching 40,000 package folders looks each
//! one up instead of scanning every declaration per folder. The index is the items' positions
//! sorted by directory, so building it allocates once; lookups in path order (the order
//! scopes are compared in) resume where the previous one ended.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Positions of one kind of item, by scope directory.
#[derive(Debug, Default)]
pub(super) struct ByScope(OnceLock<Sorted>);

#[derive(Debug)]
struct Sorted {
    /// How many items there were when it was built.
    len: usize,
    /// Item positions, by scope directory, then position.
    order: Vec<u32>,
    /// Where the last lookup ended: the next directory in path order starts there.
    hint: AtomicUsize,
}

impl Clone for ByScope {
    /// A copy of a profile indexes itself again when it is first asked.
    fn clone(&self) -> Self {
        ByScope::default()
    }
}

impl ByScope {
    /// The positions, in order, of the `len` items whose directory (`dir_of`) is `dir`.
    pub(super) fn find<'a>(&self, len: usize, dir_of: impl Fn(usize) -> &'a str, dir: &str) -> &[u32] {
        let sorted = self.0.get_or_init(|| {
            let mut order: Vec<u32> = (0..len as u32).collect();
            // Stable: the items of one directory keep their order.
            order.sort_by(|&a, &b| dir_of(a as usize).cmp(dir_of(b as usize)));
            Sorted { len, order, hint: AtomicUsize::new(0) }
        });
        debug_assert_eq!(sorted.len, len, "a profile changed after it was first queried");
        let order = &sorted.order;
        let before = |i: usize| dir_of(order[i] as usize) < dir;
        let hint = sorted.hint.load(Ordering::Relaxed).min(order.len());
        let start = if (hint == 0 || before(hint - 1)) && (hint == order.len() || !before(hint)) {
            hint
        } else if hint < order.len() && before(hint) {
            // Steps that double from the previous lookup's end.
            let (mut lo, mut step) = (hint + 1, 1);
            while lo + step - 1 < order.len() && before(lo + step - 1) {
                lo += step;
                step *= 2;
            }
            let hi = (lo + step - 1).min(order.len());
            lo + order[lo..hi].partition_point(|&i| dir_of(i as usize) < dir)
        } else {
            order[..hint].partition_point(|&i| dir_of(i as usize) < dir)
        };
        let end = start + order[start..].iter().take_while(|&&i| dir_of(i as usize) == dir).count();
        sorted.hint.store(end, Ordering::Relaxed);
        &order[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::ByScope;

    #[test]
    fn lookups_in_any_order_find_every_item_of_a_directory_in_order() {
        let dirs = ["b", "", "a/b", "b", "a", "c", "a/b", "", "b"];
        let index = ByScope::default();
        let dir_of = |i: usize| dirs[i];
        for dir in ["a", "", "b", "a/b", "c", "zz", "", "b", "a", "0", "c", "a/b"] {
            let want: Vec<u32> = (0..dirs.len() as u32).filter(|&i| dirs[i as usize] == dir).collect();
            assert_eq!(index.find(dirs.len(), dir_of, dir), want, "{dir:?}");
        }
        assert!(ByScope::default().find(0, dir_of, "a").is_empty());
    }
}

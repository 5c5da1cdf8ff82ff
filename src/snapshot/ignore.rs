//! The policy's `ignore` globs, with a cheap first test: a path can only match a glob that
//! holds a run of plain characters (`vendor` in `**/vendor/**`) if the path holds that run,
//! so most paths are passed without running the glob matcher. Kept with the snapshot, below
//! the profiler that applies them and the policy that compiles them.

use globset::GlobSet;
use memchr::memmem::Finder;

/// Compiled `ignore` globs.
#[derive(Debug, Clone)]
pub struct IgnoreSet {
    set: GlobSet,
    /// One run of plain characters per glob, without duplicates; `None` when a glob has
    /// none (or is too involved to tell), so that every path goes to the matcher.
    required: Option<Vec<Finder<'static>>>,
}

impl IgnoreSet {
    /// The globs `patterns` compiled into `set`.
    pub fn new(set: GlobSet, patterns: &[String]) -> IgnoreSet {
        let required: Option<Vec<String>> = patterns.iter().map(|p| plain_run(p)).collect();
        let required = required.map(|mut runs| {
            runs.sort();
            runs.dedup();
            runs.iter().map(|r| Finder::new(r.as_bytes()).into_owned()).collect()
        });
        IgnoreSet { set, required }
    }

    /// Whether a path matches one of the globs.
    pub fn is_match(&self, path: &str) -> bool {
        if let Some(required) = &self.required
            && !required.iter().any(|f| contains(path.as_bytes(), f))
        {
            return false;
        }
        self.set.is_match(path)
    }
}

/// Whether `hay` holds the needle of `finder`: short paths are scanned plainly, which costs
/// less than preparing the vectorized search.
fn contains(hay: &[u8], finder: &Finder<'_>) -> bool {
    let needle = finder.needle();
    if hay.len() <= 64 {
        let Some(&first) = needle.first() else { return true };
        return (0..hay.len()).any(|i| hay[i] == first && hay[i..].starts_with(needle));
    }
    finder.find(hay).is_some()
}

/// The longest run of characters every path a glob matches contains, if the glob has one:
/// runs end at wildcards and at separators (`**/` may match nothing, separators may be
/// written otherwise on Windows). Globs with character classes, alternatives or escapes
/// have none, so they are always matched.
fn plain_run(glob: &str) -> Option<String> {
    if glob.contains(['[', ']', '{', '}', '\\']) {
        return None;
    }
    glob.split(['*', '?', '/']).max_by_key(|run| run.len()).filter(|run| !run.is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::{IgnoreSet, plain_run};

    fn set(patterns: &[&str]) -> IgnoreSet {
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            b.add(globset::Glob::new(p).unwrap());
        }
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        IgnoreSet::new(b.build().unwrap(), &patterns)
    }

    #[test]
    fn plain_runs_of_globs() {
        assert_eq!(plain_run("**/node_modules/**").as_deref(), Some("node_modules"));
        assert_eq!(plain_run("third_party/*.txt").as_deref(), Some("third_party"));
        assert_eq!(plain_run("*"), None);
        assert_eq!(plain_run("**/*"), None);
        assert_eq!(plain_run("a/{b,c}/**"), None);
        assert_eq!(plain_run("[ab]x"), None);
    }

    #[test]
    fn the_first_test_never_changes_an_answer() {
        let (long_in, long_out) =
            (format!("{}vendor/LICENSE", "deep/".repeat(20)), format!("{}LICENSE", "deep/".repeat(20)));
        let paths = [
            long_in.as_str(),
            long_out.as_str(),
            "vendor/x/LICENSE",
            "a/vendor/LICENSE",
            "a/vendored/LICENSE",
            "vendor",
            "node_modules",
            "x/node_modules/y/package.json",
            "LICENSE",
            "third_party/a.txt",
            "third_party/a/b.txt",
            "docs/x.md",
            "",
        ];
        for patterns in [
            &["node_modules/**", "**/node_modules/**", "vendor/**", "**/vendor/**"][..],
            &["third_party/*.txt"],
            &["*.md", "vendor/**"],
            &["**/{vendor,node_modules}/**"],
            &["**"],
        ] {
            let ours = set(patterns);
            let mut b = globset::GlobSetBuilder::new();
            for p in patterns {
                b.add(globset::Glob::new(p).unwrap());
            }
            let theirs = b.build().unwrap();
            for p in paths {
                assert_eq!(ours.is_match(p), theirs.is_match(p), "{p:?} against {patterns:?}");
            }
        }
    }
}

//! Release tags: which tags look like releases and their version order (semver-like, with
//! an optional `v`; not by date, not by ancestry, since release lines branch).

use std::cmp::Ordering;

/// A parsed release version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Major, minor, patch (missing parts are 0).
    pub numbers: [u64; 3],
    /// Pre-release identifiers (`rc.1` → `["rc", "1"]`); empty for a release.
    pub pre: Vec<String>,
}

impl Version {
    /// Parses `v1.2.3`, `1.2`, `v2.0.0-rc.1`, `1.0.0+build` (build metadata ignored).
    pub fn parse(tag: &str) -> Option<Version> {
        let t = tag.strip_prefix('v').or_else(|| tag.strip_prefix('V')).unwrap_or(tag);
        let t = t.split('+').next()?;
        let (core, pre) = match t.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (t, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 || parts.len() < 2 {
            return None;
        }
        let mut numbers = [0u64; 3];
        for (i, p) in parts.iter().enumerate() {
            if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            numbers[i] = p.parse().ok()?;
        }
        let pre = match pre {
            Some(p)
                if !p.is_empty()
                    && p.split('.')
                        .all(|i| !i.is_empty() && i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')) =>
            {
                p.split('.').map(String::from).collect()
            }
            Some(_) => return None,
            None => Vec::new(),
        };
        Some(Version { numbers, pre })
    }

    /// Whether it is a pre-release.
    pub fn is_pre(&self) -> bool {
        !self.pre.is_empty()
    }
}

fn cmp_identifier(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                for (a, b) in self.pre.iter().zip(&other.pre) {
                    let o = cmp_identifier(a, b);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                self.pre.len().cmp(&other.pre.len())
            }
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The version inside a tag name: the tag itself (`v1.2.0`), or the first version-like
/// part after a prefix (`release-1.2`, `model-v2.0.0`).
pub fn version_in(tag: &str) -> Option<Version> {
    Version::parse(tag).or_else(|| {
        let bytes = tag.as_bytes();
        (0..bytes.len()).filter(|&i| bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit())).find_map(
            |i| {
                let start = if i > 0 && matches!(bytes[i - 1], b'v' | b'V') { i - 1 } else { i };
                Version::parse(&tag[start..])
            },
        )
    })
}

/// Tags a pattern selected, in version order where they carry a version, by name otherwise
/// (versioned tags first).
pub fn order_selected(tags: impl IntoIterator<Item = String>, pre_releases: bool) -> Vec<String> {
    let (mut with, mut without): (Vec<(Version, String)>, Vec<String>) = (Vec::new(), Vec::new());
    for t in tags {
        match version_in(&t) {
            Some(v) if pre_releases || !v.is_pre() => with.push((v, t)),
            Some(_) => {}
            None => without.push(t),
        }
    }
    with.sort();
    without.sort();
    with.into_iter().map(|(_, t)| t).chain(without).collect()
}

/// Release tags in version order (ties broken by name), optionally without pre-releases.
pub fn order(tags: impl IntoIterator<Item = String>, pre_releases: bool) -> Vec<String> {
    let mut v: Vec<(Version, String)> = tags
        .into_iter()
        .filter_map(|t| Version::parse(&t).map(|v| (v, t)))
        .filter(|(v, _)| pre_releases || !v.is_pre())
        .collect();
    v.sort();
    v.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_numerically_with_pre_releases_first() {
        let tags = [
            "v1.10.0",
            "v1.9.0",
            "v1.2",
            "v2.0.0-rc.10",
            "v2.0.0-rc.2",
            "v2.0.0",
            "v2.0.0-alpha",
            "nightly",
            "v1.9.0-beta",
        ];
        let got = order(tags.iter().map(|s| s.to_string()), true);
        assert_eq!(
            got,
            vec!["v1.2", "v1.9.0-beta", "v1.9.0", "v1.10.0", "v2.0.0-alpha", "v2.0.0-rc.2", "v2.0.0-rc.10", "v2.0.0"]
        );
        let releases = order(tags.iter().map(|s| s.to_string()), false);
        assert_eq!(releases, vec!["v1.2", "v1.9.0", "v1.10.0", "v2.0.0"]);
        assert!(
            Version::parse("1.2.3.4").is_none()
                && Version::parse("v1").is_none()
                && Version::parse("release-1").is_none()
        );
    }
}

//! How close a text is to each SPDX license text, from word-pair sets compiled in by
//! `build.rs` and read in place: no store to load, a few milliseconds for the whole list. It
//! decides whether the text matcher ([`super::matcher`], over the same index) can find anything
//! at all, and names the closest license when it cannot.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/bigram_ids.rs"));
}

/// The inverted index `build.rs` writes: set count S, posting count P, S set sizes, P hashes
/// ascending, P set numbers (little-endian u32, u32, u32 × S, u32 × P, u16 × P).
static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bigrams.bin"));

/// How a text compares with one license or exception text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Closeness {
    pub id: &'static str,
    /// Dice coefficient of the two word-pair sets, 0..1.
    pub dice: f32,
    /// Share of the license's word pairs found in the text, 0..1 (high when the license
    /// sits whole inside a longer text).
    pub contained: f32,
    /// The license's distinct word pairs.
    pub pairs: usize,
}

fn read_u32(at: usize) -> u32 {
    u32::from_le_bytes([DATA[at], DATA[at + 1], DATA[at + 2], DATA[at + 3]])
}

fn read_u16(at: usize) -> u16 {
    u16::from_le_bytes([DATA[at], DATA[at + 1]])
}

/// The index's layout: (sets, postings, offset of the sizes, of the hashes, of the set numbers).
fn layout() -> (usize, usize, usize, usize, usize) {
    let (sets, postings) = (read_u32(0) as usize, read_u32(4) as usize);
    let sizes = 8;
    let hashes = sizes + 4 * sets;
    (sets, postings, sizes, hashes, hashes + 4 * postings)
}

/// The first posting at or after `hash` (binary search over the hashes).
fn lower_bound(hash: u32, hashes: usize, postings: usize) -> usize {
    let (mut lo, mut hi) = (0usize, postings);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if read_u32(hashes + 4 * mid) < hash {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The sets of the index: licenses, exceptions and standard headers, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    License,
    Exception,
    Header,
}

/// What kind of text set number `set` is.
pub fn set_kind(set: usize) -> SetKind {
    let licenses = generated::BIGRAM_IDS.len();
    if set < licenses {
        SetKind::License
    } else if set < licenses + generated::EXCEPTION_IDS.len() {
        SetKind::Exception
    } else {
        SetKind::Header
    }
}

/// The postings of `hash`: a range of posting numbers, each naming one set that holds it.
pub fn postings_of(hash: u32) -> std::ops::Range<usize> {
    let (_, postings, _, hashes, _) = layout();
    let start = lower_bound(hash, hashes, postings);
    let mut end = start;
    while end < postings && read_u32(hashes + 4 * end) == hash {
        end += 1;
    }
    start..end
}

/// The distinct word pairs of set number `set`.
pub fn set_pairs(set: usize) -> usize {
    let (.., sizes, _, _) = layout();
    read_u32(sizes + 4 * set) as usize
}

/// Whether one of `postings` (a range [`postings_of`] gave) names set number `set`.
pub fn names_set(postings: std::ops::Range<usize>, set: usize) -> bool {
    let (.., numbers) = layout();
    // The postings of one hash are in ascending set order (`build.rs` sorts them by hash, then set).
    let (mut lo, mut hi) = (postings.start, postings.end);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match usize::from(read_u16(numbers + 2 * mid)).cmp(&set) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Closeness of a text (its sorted, distinct word-pair hashes) to each set of the index, in
/// order: the licenses of [`generated::BIGRAM_IDS`], then the exceptions of
/// [`generated::EXCEPTION_IDS`], then the headers of [`generated::HEADER_IDS`].
pub fn closeness(text: &[u32]) -> Vec<Closeness> {
    let (sets, postings, sizes, hashes, numbers) = layout();
    let mut common = vec![0u32; sets];
    for &h in text {
        let mut i = lower_bound(h, hashes, postings);
        while i < postings && read_u32(hashes + 4 * i) == h {
            common[read_u16(numbers + 2 * i) as usize] += 1;
            i += 1;
        }
    }
    generated::BIGRAM_IDS
        .iter()
        .chain(generated::EXCEPTION_IDS)
        .chain(generated::HEADER_IDS)
        .zip(common)
        .enumerate()
        .map(|(set, (id, common))| {
            let n = read_u32(sizes + 4 * set) as usize;
            let common = common as usize;
            Closeness {
                id,
                dice: (2 * common) as f32 / (n + text.len()).max(1) as f32,
                contained: common as f32 / n.max(1) as f32,
                pairs: n,
            }
        })
        .collect()
}

/// What the index says of a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Survey {
    /// The license closest by Dice coefficient.
    pub closest: Closeness,
    /// The highest share of any license's word pairs the text holds.
    pub contained: f32,
    /// The highest share of any exception's word pairs the text holds.
    pub exception_contained: f32,
    /// The exception whose word pairs the text holds most of.
    pub exception: Option<&'static str>,
    /// Dice coefficient of the text and that exception (low when the text holds more).
    pub exception_dice: f32,
    /// The highest share of any standard license header's word pairs the text holds.
    pub header_contained: f32,
    /// The license whose standard header is closest by Dice coefficient, and that coefficient.
    pub header: Option<(&'static str, f32)>,
}

/// Surveys a normalized text against every license and exception text.
pub fn survey(norm: &str) -> Option<Survey> {
    let text = super::normalize::bigram_hashes(norm);
    let licenses = generated::BIGRAM_IDS.len();
    let mut out: Option<Survey> = None;
    for (i, c) in closeness(&text).into_iter().enumerate() {
        let s = out.get_or_insert(Survey {
            closest: c,
            contained: 0.0,
            exception_contained: 0.0,
            exception: None,
            exception_dice: 0.0,
            header_contained: 0.0,
            header: None,
        });
        if i >= licenses + generated::EXCEPTION_IDS.len() {
            s.header_contained = s.header_contained.max(c.contained);
            if s.header.is_none_or(|(_, dice)| c.dice > dice) {
                s.header = Some((c.id, c.dice));
            }
            continue;
        }
        if i >= licenses {
            if c.contained > s.exception_contained {
                s.exception_contained = c.contained;
                s.exception = Some(c.id);
                s.exception_dice = c.dice;
            }
            continue;
        }
        s.contained = s.contained.max(c.contained);
        if c.dice > s.closest.dice {
            s.closest = c;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::normalize;

    #[test]
    fn the_index_is_whole_and_a_license_is_closest_to_itself() {
        let (sets, postings, _, hashes, numbers) = layout();
        assert_eq!(
            sets,
            generated::BIGRAM_IDS.len() + generated::EXCEPTION_IDS.len() + generated::HEADER_IDS.len(),
            "ids and sets disagree"
        );
        assert_eq!(numbers + 2 * postings, DATA.len());
        assert!((1..postings).all(|i| read_u32(hashes + 4 * (i - 1)) <= read_u32(hashes + 4 * i)));
        // Within one hash, set numbers ascend (names_set searches them).
        assert!((1..postings).all(|i| {
            read_u32(hashes + 4 * (i - 1)) < read_u32(hashes + 4 * i)
                || read_u16(numbers + 2 * (i - 1)) < read_u16(numbers + 2 * i)
        }));
        for id in ["MIT", "Apache-2.0", "GPL-3.0-only", "BSD-3-Clause", "MPL-2.0"] {
            let text = spdx::license_id(id).unwrap().text();
            let s = survey(&normalize::normalized(text)).unwrap();
            assert!(s.closest.dice > 0.95, "{id}: {s:?}");
            assert!(s.contained > 0.95, "{id}");
            assert!(s.exception_contained < 0.6, "{id}: {s:?}");
        }
    }

    #[test]
    fn a_license_inside_prose_is_contained_though_not_close() {
        let mit = spdx::license_id("MIT").unwrap().text();
        let prose: String = (0..800).map(|i| format!("note{i} ")).collect();
        let s = survey(&normalize::normalized(&format!("{prose}\n\n{mit}"))).unwrap();
        assert!(s.closest.dice < 0.5, "{s:?}");
        assert!(s.contained > 0.9);
        assert!(survey(&normalize::normalized(&prose)).unwrap().contained < 0.3);
        let classpath = spdx::text::EXCEPTION_TEXTS.iter().find(|(id, _)| *id == "Classpath-exception-2.0").unwrap().1;
        let gpl = spdx::license_id("GPL-2.0-only").unwrap().text();
        let with = survey(&normalize::normalized(&format!("{gpl}\n\n{classpath}"))).unwrap();
        assert!(with.exception_contained > 0.9, "{with:?}");
        assert_eq!(with.exception, Some("Classpath-exception-2.0"));
    }
}

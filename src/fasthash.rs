//! Hashing for the engine's memo tables (object ids, paths, licenses): 16 bytes at a time
//! folded by a multiplication keyed per table with random words. It spreads keys about as
//! well as SipHash at a fraction of the cost (a diff of 40,000 folders makes hundreds of
//! thousands of lookups), and without the key a repository cannot choose names or ids that
//! collide.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// Builds [`FoldHasher`]s with this table's random key.
#[derive(Debug, Clone, Copy)]
pub struct FoldHash {
    keys: [u64; 2],
}

impl Default for FoldHash {
    fn default() -> Self {
        let random = RandomState::new();
        FoldHash { keys: [random.hash_one(1u8), random.hash_one(2u8)] }
    }
}

impl BuildHasher for FoldHash {
    type Hasher = FoldHasher;

    fn build_hasher(&self) -> FoldHasher {
        FoldHasher { keys: self.keys, state: 0 }
    }
}

/// Folds 16 bytes at a time into its state with a multiplication keyed by the table.
#[derive(Debug)]
pub struct FoldHasher {
    keys: [u64; 2],
    state: u64,
}

impl FoldHasher {
    /// Folds two words (of `len` bytes of input) into the state.
    #[inline]
    fn fold(&mut self, lo: u64, hi: u64, len: u64) {
        let a = lo ^ self.keys[0] ^ self.state;
        let b = hi ^ self.keys[1] ^ len;
        let product = u128::from(a) * u128::from(b);
        self.state = (product as u64) ^ ((product >> 64) as u64);
    }
}

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Little-endian words; a short one is read byte by byte.
        let word = |b: &[u8]| b.iter().rev().fold(0u64, |w, &x| (w << 8) | u64::from(x));
        let full = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
        let mut chunks = bytes.chunks_exact(16);
        for chunk in &mut chunks {
            self.fold(full(&chunk[..8]), full(&chunk[8..]), 16);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let (lo, hi) = rest.split_at(rest.len().min(8));
            self.fold(word(lo), word(hi), rest.len() as u64);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.fold(u64::from(n), 0, 1);
    }

    fn write_u32(&mut self, n: u32) {
        self.fold(u64::from(n), 0, 4);
    }

    fn write_u64(&mut self, n: u64) {
        self.fold(n, 0, 8);
    }

    fn write_usize(&mut self, n: usize) {
        self.fold(n as u64, 0, 8);
    }

    fn finish(&self) -> u64 {
        // A product's low bits depend on its factors' low bits only: mix every bit of the
        // state into every bit of the hash (MurmurHash3's finalizer), for the table's low
        // bits (the bucket) and high bits (the tag) alike.
        let mut h = self.state;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    use super::FoldHash;

    #[test]
    fn ids_spread_over_the_low_and_high_bits() {
        let hash = FoldHash::default();
        // Ids that differ in one byte only, as a crafted repository might try.
        let ids: Vec<git2::Oid> = (0..4096u32)
            .map(|i| {
                let mut raw = [7u8; 20];
                raw[19] = i as u8;
                raw[18] = (i >> 8) as u8;
                git2::Oid::from_bytes(&raw).unwrap()
            })
            .collect();
        let low: HashSet<u64> = ids.iter().map(|id| hash.hash_one(id) & 0xfff).collect();
        let high: HashSet<u64> = ids.iter().map(|id| hash.hash_one(id) >> 57).collect();
        assert!(low.len() > 2400, "{} of 4096 buckets", low.len());
        assert_eq!(high.len(), 128);
        assert_ne!(FoldHash::default().hash_one(ids[0]), hash.hash_one(ids[0]), "keys differ per table");
        // Paths that differ in a few characters.
        let paths: Vec<String> = (0..4096).map(|i| format!("packages/p{i}")).collect();
        let low: HashSet<u64> = paths.iter().map(|p| hash.hash_one(p) & 0xfff).collect();
        assert!(low.len() > 2400, "{} of 4096 buckets", low.len());
    }
}

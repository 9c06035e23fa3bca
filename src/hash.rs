//! One keyed hash for every table of names: the registry's, the lookalike index's and the
//! audit's claim table. Its key is chosen at random for each table (foldhash's seeds), so a
//! file whose names were chosen to collide in one run's tables collides in no other's, and
//! the work on a table stays linear in its names, whoever chose them.

use std::hash::{BuildHasher, Hasher};

/// A keyed 64-bit hash of strings and bytes, with a new key each time one is made; also a
/// [`BuildHasher`] for the standard maps. Clones hash alike (they share the key), so threads
/// working for one table hash with clones of its hasher.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyedHash(foldhash::fast::RandomState);

impl KeyedHash {
    /// A hash with a new random key.
    pub(crate) fn new() -> KeyedHash {
        KeyedHash::default()
    }

    /// The hash of some bytes.
    #[inline]
    pub(crate) fn bytes(&self, bytes: &[u8]) -> u64 {
        let mut hasher = self.0.build_hasher();
        hasher.write(bytes);
        hasher.finish()
    }

    /// The hash of a string: of its bytes.
    #[inline]
    pub(crate) fn str(&self, s: &str) -> u64 {
        self.bytes(s.as_bytes())
    }
}

impl BuildHasher for KeyedHash {
    type Hasher = <foldhash::fast::RandomState as BuildHasher>::Hasher;

    #[inline]
    fn build_hasher(&self) -> Self::Hasher {
        self.0.build_hasher()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_key_and_new_hashes_do_not() {
        let a = KeyedHash::new();
        let b = a.clone();
        let names = [
            "jdoe",
            "j-doe",
            "",
            "a-very-long-name-of-forty-two-characters",
        ];
        for name in names {
            assert_eq!(a.str(name), b.str(name));
            assert_eq!(a.str(name), a.bytes(name.as_bytes()));
        }
        // A new key: some of the names hash otherwise (all alike would be a 2^-256 chance).
        let c = KeyedHash::new();
        assert!(names.iter().any(|n| a.str(n) != c.str(n)));
    }
}

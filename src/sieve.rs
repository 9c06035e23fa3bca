//! A filter that rules out most keys a set does not hold before the set is asked.

/// Bits of the filter per key it holds, at least: about one absent key in sixteen gets past.
const BITS_PER_KEY: usize = 16;

/// One bit per slot, set for every key held: a key whose bit is clear is not held. The bit is
/// chosen by a cheap hash of the key's length and first and last eight bytes, a few
/// instructions where hashing the key for a table and probing it costs tens, and most keys an
/// audit looks up (every row's name, against an org's members) are absent.
///
/// The owner adds each new key with [`Sieve::insert`], which grows the filter when it is full
/// (from the keys the owner holds, asked only then).
#[derive(Debug, Clone, Default)]
pub(crate) struct Sieve {
    bits: Vec<u64>,
    /// 64 less log2 of the number of bits: a hash shifted right by this is a key's bit.
    shift: u32,
    /// Keys set since the filter was sized.
    len: usize,
}

impl Sieve {
    /// Whether the key may be held; `false` means it is not.
    pub(crate) fn may_hold(&self, key: &[u8]) -> bool {
        let bit = hash(key) >> self.shift;
        let Some(&word) = self.bits.get((bit / 64) as usize) else {
            return false;
        };
        word >> (bit % 64) & 1 == 1
    }

    /// Sets a new key's bit. When the filter would hold more keys than its size allows, it is
    /// sized anew for twice as many and set again from `held`, the keys already held.
    pub(crate) fn insert<'k, I: Iterator<Item = &'k [u8]>>(
        &mut self,
        key: &[u8],
        held: impl FnOnce() -> I,
    ) {
        if (self.len + 1) * BITS_PER_KEY > self.bits.len() * 64 {
            self.size_for((self.len + 1).saturating_mul(2));
            for key in held() {
                self.set(key);
            }
        }
        self.set(key);
    }

    fn size_for(&mut self, count: usize) {
        // From 1,024 bits to 2^32.
        let bits = (count.saturating_mul(BITS_PER_KEY).max(1024))
            .checked_next_power_of_two()
            .map_or(32, |b| b.trailing_zeros().min(32));
        self.bits = vec![0; 1 << (bits - 6)];
        self.shift = 64 - bits;
        self.len = 0;
    }

    fn set(&mut self, key: &[u8]) {
        let bit = hash(key) >> self.shift;
        if let Some(word) = self.bits.get_mut((bit / 64) as usize) {
            *word |= 1 << (bit % 64);
        }
        self.len += 1;
    }
}

/// The length and the first and last eight bytes (all of a short key), mixed by a multiply
/// whose top bits choose the key's bit.
fn hash(key: &[u8]) -> u64 {
    let (first, last) = match (key.first_chunk::<8>(), key.last_chunk::<8>()) {
        (Some(first), Some(last)) => (u64::from_le_bytes(*first), u64::from_le_bytes(*last)),
        _ => (key.iter().fold(0, |h, &b| h << 8 | u64::from(b)), 0),
    };
    let h = (first ^ last.rotate_left(29) ^ key.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^ (h >> 32).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_rules_out_no_key_it_holds_and_most_it_does_not() {
        let mut sieve = Sieve::default();
        assert!(!sieve.may_hold(b"anything"));
        let held: Vec<String> = (0..5000).map(|i| format!("user{i}")).collect();
        for (n, key) in held.iter().enumerate() {
            sieve.insert(key.as_bytes(), || held.iter().take(n).map(|k| k.as_bytes()));
            // Every key so far, through the filter's growth.
            assert!(sieve.may_hold(key.as_bytes()));
        }
        assert!(held.iter().all(|k| sieve.may_hold(k.as_bytes())));
        let absent = (0..20_000)
            .map(|i| format!("other-{i}"))
            .filter(|k| sieve.may_hold(k.as_bytes()))
            .count();
        // About one in sixteen or fewer gets past; well under one in five.
        assert!(absent < 4000, "{absent} of 20,000 absent keys got past");
        assert!(!Sieve::default().may_hold(b""));
    }
}

//! The claim table: rows by a keyed hash of their canonical key (or skeleton), several rows
//! to a hash, each lookup checking the rows it finds.

/// Rows by a 64-bit keyed hash of their name ([`KeyedHash`](crate::hash::KeyedHash): crafted names collide no more
/// than others), several rows to a hash allowed (lookups check each
/// row they find, so only the right one answers): open addressing with linear probing over
/// eight-byte slots, the hash's top 32 bits and the row. A slot's place is the top bits of
/// the hash, so the table can grow from the slots alone, and a lookup of a new name, the
/// common case, reads one cache line of a table far larger than the cache (hashbrown's
/// layout reads two: the control bytes and the bucket). A million names take 16 MB.
///
/// A free slot is all zeros (rows are stored plus one), so a new table is zeroed memory
/// written once a page (see [`RowIndex::grow_to`]), not a table filled slot by slot before
/// the first row can claim a name.
#[derive(Debug, Default)]
pub(super) struct RowIndex {
    /// A power of two of slots, half of them free at most (and always one): `tag << 32 |
    /// row + 1`, 0 free.
    pub(super) slots: Vec<u64>,
    /// 32 less log2 of the number of slots: a tag shifted right by this is its home slot.
    pub(super) shift: u32,
    pub(super) len: usize,
}

impl RowIndex {
    /// The most slots: the top 32 bits of a hash place a slot.
    const MAX_BITS: u32 = 32;

    pub(super) fn tag(hash: u64) -> u64 {
        hash >> 32
    }

    /// Where a tag's probe starts.
    pub(super) fn home(&self, tag: u64) -> usize {
        (tag >> self.shift) as usize
    }

    /// A row with `hash` for which `is` holds (rows of other hashes whose top 32 bits are
    /// the same are offered to `is` too).
    pub(super) fn find(&self, hash: u64, mut is: impl FnMut(u32) -> bool) -> Option<u32> {
        let mask = self.slots.len().wrapping_sub(1);
        let tag = Self::tag(hash);
        let mut i = self.home(tag);
        // Ends: a slot is always free.
        loop {
            let slot = *self.slots.get(i)?;
            if slot == 0 {
                return None;
            }
            let row = (slot as u32).wrapping_sub(1);
            if slot >> 32 == tag && is(row) {
                return Some(row);
            }
            i = (i + 1) & mask;
        }
    }

    /// Reads the slot where a lookup of `hash` starts, so that the lookup itself finds it in
    /// the cache: lookups of a batch of rows, touched first, wait for memory all at once
    /// instead of one after the other.
    pub(super) fn touch(&self, hash: u64) -> u64 {
        self.slots
            .get(self.home(Self::tag(hash)))
            .copied()
            .unwrap_or(0)
    }

    /// Adds `row` under `hash` (a row below `u32::MAX`: the rows are counted in `u32`s and
    /// the last number is never a row's).
    pub(super) fn insert(&mut self, hash: u64, row: u32) {
        let Some(stored) = row.checked_add(1) else {
            return;
        };
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow_to(self.len + 1);
            // Past 2^31 rows the table cannot grow: it fills up but for one free slot.
            if self.len + 1 >= self.slots.len() {
                return;
            }
        }
        self.place(Self::tag(hash) << 32 | u64::from(stored));
        self.len += 1;
    }

    /// Puts a slot's value in the first free slot from its home (there is one).
    pub(super) fn place(&mut self, value: u64) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(value >> 32);
        while let Some(slot) = self.slots.get_mut(i) {
            if *slot == 0 {
                *slot = value;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Slots read to find every row, each from its home: about 1.5 a row in a table half
    /// full of hashes spread evenly, and a number that grows with the square of the rows when
    /// many hashes start alike.
    #[cfg(test)]
    pub(super) fn probes(&self) -> usize {
        let mask = self.slots.len().wrapping_sub(1);
        let mut probes = 0;
        for (i, &slot) in self.slots.iter().enumerate() {
            if slot != 0 {
                probes += (i.wrapping_sub(self.home(slot >> 32)) & mask) + 1;
            }
        }
        probes
    }

    /// Room for `more` rows without growing.
    pub(super) fn reserve(&mut self, more: usize) {
        self.grow_to(self.len + more);
    }

    pub(super) fn grow_to(&mut self, rows: usize) {
        let size = (rows.saturating_mul(2).checked_next_power_of_two())
            .unwrap_or(usize::MAX / 2 + 1)
            .max(1024);
        let bits = size.trailing_zeros().min(Self::MAX_BITS);
        if 1 << bits <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![0; 1 << bits]);
        self.shift = Self::MAX_BITS - bits;
        // Each page written once now: a lookup that reads a page the system has not handed
        // out yet maps the shared zero page, and the write after it then faults again and
        // makes every core flush that page from its TLB (an interrupt to each core).
        let slots = std::hint::black_box(&mut self.slots[..]);
        for slot in slots.iter_mut().step_by(512) {
            *slot = 0;
        }
        // In any order: the rows of one hash are rows of different names (the claims hold
        // a name once, the skeletons a skeleton once), so which comes first changes no lookup.
        for value in old {
            if value != 0 {
                self.place(value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::KeyedHash;

    #[test]
    fn a_row_index_finds_every_row_as_it_grows() {
        // Hashes whose top 32 bits, which place a slot and are all a slot keeps of a hash,
        // are the same for pairs of rows: the lookup must tell them apart by asking.
        let hash = |row: u32| (u64::from(row / 2) << 40) ^ u64::from(row) ^ 0x5555;
        for reserved in [0, 10_000] {
            let mut index = RowIndex::default();
            index.reserve(reserved);
            for row in 0..10_000 {
                index.insert(hash(row), row);
            }
            assert!(index.slots.len() >= 2 * 10_000);
            for row in 0..10_000 {
                assert_eq!(index.find(hash(row), |r| r == row), Some(row));
                // The pair's other row shares the slot's tag but is not this hash's row.
                assert_eq!(
                    index.find(hash(row), |r| r == row ^ 1 && r / 2 == row / 2),
                    Some(row ^ 1)
                );
            }
            assert_eq!(index.find(u64::MAX, |_| true), None);
            assert_eq!(index.find(hash(20_001), |r| r == 20_001), None);
        }
        let empty = RowIndex::default();
        assert_eq!(empty.find(7, |_| true), None);
        assert_eq!(empty.touch(7), 0);
    }

    /// The claim table's hash before it had a key: names can be chosen to collide in it.
    fn unkeyed(s: &[u8]) -> u64 {
        let mut h: u64 = 0x9E37_79B9_7F4A_7C15 ^ s.len() as u64;
        let mut chunks = s.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517C_C1B7_2722_0A95);
        }
        let mut word = [0u8; 8];
        let rest = chunks.remainder();
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517C_C1B7_2722_0A95);
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h
    }

    #[test]
    fn names_chosen_to_collide_spread_out_in_the_claim_table() {
        // Names whose unkeyed hashes start with the same 12 bits: in a table of 1,024 slots,
        // all of them have the same home slot, and each claim walks past every earlier one.
        let rows = 500;
        let mut names = Vec::with_capacity(rows);
        let mut name = String::new();
        for n in 0u64.. {
            name.clear();
            name.push_str("user-");
            name.push_str(itoa::Buffer::new().format(n));
            if unkeyed(name.as_bytes()) >> 52 == 0xABC {
                names.push(name.clone());
                if names.len() == rows {
                    break;
                }
            }
        }
        let mut crafted = RowIndex::default();
        let hash = KeyedHash::new();
        let mut index = RowIndex::default();
        for (row, name) in (0u32..).zip(&names) {
            crafted.insert(unkeyed(name.as_bytes()), row);
            index.insert(hash.str(name), row);
        }
        assert_eq!(index.slots.len(), 1024);
        assert!(crafted.probes() >= rows * rows / 2, "{}", crafted.probes());
        // With the keyed hash, as with any names: linear.
        assert!(index.probes() <= 4 * rows, "{}", index.probes());
        for (row, name) in (0u32..).zip(&names) {
            assert_eq!(index.find(hash.str(name), |r| r == row), Some(row));
        }
    }
}

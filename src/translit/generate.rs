//! Writes `table.rs` and `table.bin` from the reference transliteration (`reference.rs`).
//! Tests only: `USERNORM_REGENERATE=1 cargo test -p usernorm --lib translit` rewrites the files,
//! and without the variable the test fails when they are stale.

use std::collections::HashMap;
use std::fmt::Write;

use super::full::{BLOCK, GREEK_LETTERS, GREEK_RANGES, HANGUL_FIRST, HANGUL_LAST};
use super::reference;
use crate::chars::is_han;
use crate::generated::{NORMALIZATION_UNICODE, STD_UNICODE, version_const};

/// The generated files: the Rust source and the binary data it includes.
pub(crate) struct Generated {
    pub(crate) source: String,
    pub(crate) data: Vec<u8>,
}

/// The distinct readings of a set of characters, in pages of 256 indexes filled with the most
/// used readings first (index 0 is none), and in each page ordered by length, then by use, then
/// alphabetically. A reading's place in its run of equal length gives its offset, and the high
/// byte of an index, its page, is mostly 0 or 1: stored as a byte plane of its own, it gzips
/// to a fraction of what indexes ordered by length alone give.
struct Dictionary {
    readings: Vec<String>,
    index: HashMap<String, u16>,
}

impl Dictionary {
    fn new<'a>(readings: impl Iterator<Item = &'a String>) -> Dictionary {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for r in readings.filter(|r| !r.is_empty()) {
            *count.entry(r.as_str()).or_default() += 1;
        }
        let mut list: Vec<(&str, usize)> = count.into_iter().collect();
        list.sort_by(|a, b| (b.1, a.0).cmp(&(a.1, b.0)));
        // Index `i + 1` for the `i`th most used: pages of 256 indexes, the first one short.
        let page = |i: usize| (i + 1) / 256;
        let mut paged: Vec<(usize, &str, usize)> = list
            .iter()
            .enumerate()
            .map(|(i, &(r, n))| (page(i), r, n))
            .collect();
        paged.sort_by(|a, b| (a.0, a.1.len(), b.2, a.1).cmp(&(b.0, b.1.len(), a.2, b.1)));
        let readings: Vec<String> = paged.into_iter().map(|(_, r, _)| r.to_owned()).collect();
        assert!(readings.len() < usize::from(u16::MAX), "too many readings");
        let index = readings
            .iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), u16::try_from(i + 1).expect("fits")))
            .collect();
        Dictionary { readings, index }
    }

    fn get(&self, reading: &str) -> u16 {
        if reading.is_empty() {
            0
        } else {
            self.index[reading]
        }
    }

    /// `NAME_TEXT` (the readings, concatenated) and `NAME_GROUPS` (first index, length and
    /// offset of each length that occurs).
    fn write(&self, name: &str, what: &str, out: &mut String) {
        let text: String = self.readings.concat();
        let _ = writeln!(
            out,
            "/// The readings of {what},\n\
             /// concatenated: in pages of 256 indexes, the most used readings first, and in\n\
             /// each page the shortest first, then the most used first.\n\
             pub(super) static {name}_TEXT: &str = concat!("
        );
        for chunk in text.as_bytes().chunks(90) {
            let chunk = std::str::from_utf8(chunk).expect("ASCII");
            let _ = writeln!(out, "    {chunk:?},");
        }
        out.push_str(");\n\n");
        let _ = writeln!(
            out,
            "/// Per run of readings of one length: the index of its first reading (from 0), the\n\
             /// length and the offset of its readings in [`{name}_TEXT`].\n\
             pub(super) static {name}_GROUPS: &[(u16, u16, u32)] = &["
        );
        let mut offset = 0;
        let mut last_len = 0;
        for (i, r) in self.readings.iter().enumerate() {
            if r.len() != last_len {
                let _ = writeln!(out, "    ({i}, {}, {offset}),", r.len());
                last_len = r.len();
            }
            offset += r.len();
        }
        out.push_str("];\n\n");
    }
}

/// Appends a section to the data and returns its range, as Rust source.
fn section(data: &mut Vec<u8>, bytes: &[u8]) -> String {
    let start = data.len();
    data.extend_from_slice(bytes);
    format!("{start}..{}", data.len())
}

/// Appends indexes as two sections, low bytes then high bytes (they compress better apart).
fn planes(data: &mut Vec<u8>, indexes: &[u16]) -> (String, String) {
    let low: Vec<u8> = indexes.iter().map(|&i| i.to_le_bytes()[0]).collect();
    let high: Vec<u8> = indexes.iter().map(|&i| i.to_le_bytes()[1]).collect();
    (section(data, &low), section(data, &high))
}

pub(crate) fn generate() -> Generated {
    // What normalize writes for every character outside ASCII.
    let ascii: Vec<String> = (0..=u32::from(char::MAX))
        .map(|u| {
            char::from_u32(u)
                .filter(|c| !c.is_ascii())
                .map(reference::ascii)
                .unwrap_or_default()
        })
        .collect();
    for (u, s) in ascii.iter().enumerate() {
        assert!(
            s.len() <= super::Folded::CAPACITY && s.is_ascii(),
            "U+{u:04X} reads {s:?}"
        );
    }
    let hangul = |u: usize| (HANGUL_FIRST as usize..=HANGUL_LAST as usize).contains(&u);
    let han = |u: usize| {
        u32::try_from(u)
            .ok()
            .and_then(char::from_u32)
            .is_some_and(is_han)
    };

    // Hangul syllables: the readings of their initial, vowel and final, concatenated. The
    // initial `ㅇ` (index 11) is silent, which gives the vowels and finals alone.
    let syllable =
        |l: usize, v: usize, t: usize| &ascii[HANGUL_FIRST as usize + (l * 21 + v) * 28 + t];
    let vowels: Vec<String> = (0..21).map(|v| syllable(11, v, 0).clone()).collect();
    assert!(vowels.iter().all(|v| !v.is_empty()), "silent initial");
    let finals: Vec<String> = (0..28)
        .map(|t| {
            let s = syllable(11, 0, t);
            s.strip_prefix(vowels[0].as_str())
                .expect("vowel first")
                .to_owned()
        })
        .collect();
    let initials: Vec<String> = (0..19)
        .map(|l| {
            let s = syllable(l, 0, 0);
            s.strip_suffix(vowels[0].as_str())
                .expect("vowel last")
                .to_owned()
        })
        .collect();
    for (l, initial) in initials.iter().enumerate() {
        for (v, vowel) in vowels.iter().enumerate() {
            for (t, last) in finals.iter().enumerate() {
                let want = format!("{initial}{vowel}{last}");
                assert_eq!(*syllable(l, v, t), want, "Hangul {l} {v} {t}");
            }
        }
    }

    // Han ideographs: one index a code point, over the ranges up to the last one with a reading.
    let mut han_ranges: Vec<(u32, u32)> = Vec::new();
    for (u, s) in ascii.iter().enumerate() {
        if han(u) && !s.is_empty() {
            let u = u32::try_from(u).expect("scalar");
            match han_ranges.last_mut() {
                Some((_, last))
                    if (*last + 1..u).all(|g| char::from_u32(g).is_some_and(is_han)) =>
                {
                    *last = u
                }
                _ => han_ranges.push((u, u)),
            }
        }
    }
    let han_dict = Dictionary::new(
        ascii
            .iter()
            .enumerate()
            .filter(|(u, _)| han(*u))
            .map(|(_, s)| s),
    );
    let han_indexes: Vec<u16> = han_ranges
        .iter()
        .flat_map(|&(lo, hi)| (lo..=hi).map(|u| han_dict.get(&ascii[u as usize])))
        .collect();

    // Everything else: blocks of code points, identical blocks stored once.
    let other = |u: usize| !han(u) && !hangul(u);
    let other_dict = Dictionary::new(
        ascii
            .iter()
            .enumerate()
            .filter(|(u, _)| other(*u))
            .map(|(_, s)| s),
    );
    let end = ascii
        .iter()
        .enumerate()
        .rposition(|(u, s)| other(u) && !s.is_empty())
        .expect("readings")
        + 1;
    let mut blocks: Vec<Vec<u16>> = vec![vec![0; BLOCK]];
    let mut block_of: HashMap<Vec<u16>, u16> = HashMap::from([(vec![0; BLOCK], 0)]);
    let mut block_indexes: Vec<u16> = Vec::new();
    for first in (0x80..end).step_by(BLOCK) {
        let block: Vec<u16> = (first..first + BLOCK)
            .map(|u| match ascii.get(u) {
                Some(s) if other(u) => other_dict.get(s),
                _ => 0,
            })
            .collect();
        let next = u16::try_from(blocks.len()).expect("fits");
        let id = *block_of.entry(block.clone()).or_insert_with(|| {
            blocks.push(block);
            next
        });
        block_indexes.push(id);
    }

    // Greek letters, for the passport transliteration that reads them in context.
    let mut greek = Vec::new();
    for &(lo, hi) in &GREEK_RANGES {
        for c in lo..=hi {
            greek.push(match reference::greek(c) {
                None => 0u8,
                Some((base, upper, diaeresis)) => {
                    let i = GREEK_LETTERS
                        .chars()
                        .position(|g| g == base)
                        .expect("letter");
                    u8::try_from(i + 1).expect("fits")
                        | if upper { 0x40 } else { 0 }
                        | if diaeresis { 0x80 } else { 0 }
                }
            });
        }
    }

    let mut data = Vec::new();
    let block_bytes: Vec<u8> = block_indexes.iter().flat_map(|b| b.to_le_bytes()).collect();
    let blocks_range = section(&mut data, &block_bytes);
    let flat: Vec<u16> = blocks.concat();
    let (other_low, other_high) = planes(&mut data, &flat);
    let (han_low, han_high) = planes(&mut data, &han_indexes);
    let greek_range = section(&mut data, &greek);

    let mut out = String::from(
        "//! Generated by `USERNORM_REGENERATE=1 cargo test -p usernorm --lib translit`; do not edit.\n\
         //! What `normalize` writes for each character outside ASCII, computed from Unicode\n\
         //! compatibility folding and the `deunicode` table (`reference.rs`), with `table.bin`.\n\
         //! A test checks it against that computation for every Unicode scalar value.\n\n\
         use std::ops::Range;\n\n",
    );
    out.push_str(&unicode_versions());
    out.push('\n');
    let _ = writeln!(
        out,
        "/// The index arrays, in the sections below.\n\
         pub(super) static DATA: &[u8] = include_bytes!(\"table.bin\");\n\n\
         /// Per block of {BLOCK} code points from U+0080: its block in [`OTHER_LOW`] and\n\
         /// [`OTHER_HIGH`], two bytes little-endian; blocks past the end have no readings.\n\
         pub(super) const BLOCKS: Range<usize> = {blocks_range};\n\n\
         /// Low bytes of the reading indexes ([`OTHER_TEXT`], 0 for none), block after block.\n\
         pub(super) const OTHER_LOW: Range<usize> = {other_low};\n\n\
         /// High bytes of the same indexes.\n\
         pub(super) const OTHER_HIGH: Range<usize> = {other_high};\n\n\
         /// Low bytes of the reading indexes ([`HAN_TEXT`]) of the ideographs of [`HAN_RANGES`].\n\
         pub(super) const HAN_LOW: Range<usize> = {han_low};\n\n\
         /// High bytes of the same indexes.\n\
         pub(super) const HAN_HIGH: Range<usize> = {han_high};\n\n\
         /// Per code point of `GREEK_RANGES`: 0, or the base letter's place in `GREEK_LETTERS`\n\
         /// (from 1), with 0x40 for a capital and 0x80 for a diaeresis.\n\
         pub(super) const GREEK: Range<usize> = {greek_range};\n"
    );
    out.push_str("/// The ranges of Han ideographs with readings, in [`HAN_LOW`] and [`HAN_HIGH`] in turn.\n");
    out.push_str("pub(super) static HAN_RANGES: &[(u32, u32)] = &[\n");
    for (lo, hi) in &han_ranges {
        let _ = writeln!(out, "    (0x{lo:04X}, 0x{hi:04X}),");
    }
    out.push_str("];\n\n");
    other_dict.write(
        "OTHER",
        "the characters other than Han ideographs and Hangul syllables",
        &mut out,
    );
    han_dict.write("HAN", "Han ideographs", &mut out);
    for (name, what, list) in [
        ("HANGUL_INITIALS", "initial consonants", &initials),
        ("HANGUL_VOWELS", "vowels", &vowels),
        (
            "HANGUL_FINALS",
            "final consonants (the first is none)",
            &finals,
        ),
    ] {
        let _ = writeln!(
            out,
            "/// The readings of Hangul {what}, in the order of Unicode's syllable composition.\n\
             pub(super) static {name}: [&str; {}] = [",
            list.len()
        );
        for chunk in list.chunks(10) {
            let items: Vec<String> = chunk.iter().map(|s| format!("{s:?}")).collect();
            let _ = writeln!(out, "    {},", items.join(", "));
        }
        out.push_str("];\n\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    Generated { source: out, data }
}

/// The lines recording the Unicode versions of the data a table of the transliteration is
/// generated from: Rust's character properties and `unicode-normalization`'s decompositions.
pub(crate) fn unicode_versions() -> String {
    let mut out = version_const(
        "UNICODE_VERSION",
        "Rust's character properties",
        STD_UNICODE,
    );
    out.push_str(&version_const(
        "NORMALIZATION_UNICODE_VERSION",
        "`unicode-normalization`'s decompositions",
        NORMALIZATION_UNICODE,
    ));
    out
}

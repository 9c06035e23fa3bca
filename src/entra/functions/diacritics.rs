//! `NormalizeDiacritics` with Microsoft's own table (`diacritics.md` beside this file).
//!
//! The table differs from a general transliteration: `ø` becomes `oe`, `ß` becomes `ss`, while
//! `đ`, `œ` and `þ` are not listed and stay as they are. Input is matched character by
//! character with its combining marks, in composed (NFC) form, so `é` written as `e` + U+0301
//! is found too. Where a letter carries more marks than the table lists, the longest listed
//! prefix is replaced and the remaining marks are kept.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const TABLE: &str = include_str!("diacritics.md");

/// The longest key of the table, in characters, bounds the work per letter.
const MAX_KEY_CHARS: usize = 4;

fn table() -> &'static HashMap<String, &'static str> {
    static MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in TABLE.lines().filter(|l| l.starts_with('|')) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            for pair in cells.get(1..).unwrap_or(&[]).chunks(2) {
                let (Some(from), Some(to)) = (pair.first(), pair.get(1)) else {
                    continue;
                };
                for key in from.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                    map.insert(key.nfc().collect::<String>(), *to);
                }
            }
        }
        map
    })
}

/// Replaces the characters of Microsoft's table; everything else is kept.
pub(crate) fn normalize(s: &str) -> String {
    let map = table();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let mut cluster_end = i + 1;
        while chars
            .get(cluster_end)
            .is_some_and(|&m| is_combining_mark(m))
            && cluster_end - i < MAX_KEY_CHARS + 4
        {
            cluster_end += 1;
        }
        let mut matched = None;
        for end in (i + 1..=cluster_end).rev() {
            let key: String = chars
                .get(i..end)
                .unwrap_or(&[])
                .iter()
                .copied()
                .nfc()
                .collect();
            if let Some(to) = map.get(&key) {
                matched = Some((end, *to));
                break;
            }
        }
        match matched {
            Some((end, to)) => {
                out.push_str(to);
                i = end;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsofts_table() {
        assert_eq!(normalize("Zoë"), "Zoe");
        assert_eq!(normalize("Ærøskøbing"), "AEroeskoebing");
        assert_eq!(normalize("Đorđe"), "Đorđe");
        assert_eq!(normalize("Straße"), "Strasse");
        assert_eq!(normalize("Łukasz"), "Lukasz");
        assert_eq!(normalize("e\u{301}"), "e");
        assert_eq!(normalize("ā\u{301}x"), "ax");
        assert_eq!(normalize("œ œ\u{304}"), "œ oe");
        assert_eq!(normalize("İı"), "Ii");
    }

    #[test]
    fn every_row_is_read() {
        assert!(table().len() > 250, "{}", table().len());
        assert_eq!(table().get("ß").copied(), Some("ss"));
    }
}

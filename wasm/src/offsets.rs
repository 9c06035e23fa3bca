//! Byte offsets (the core's spans) to UTF-16 offsets (JavaScript's string indices).

/// Converts byte offsets into one string to UTF-16 code-unit offsets, so that
/// `name.slice(start, end)` in JavaScript is the text the core's byte span covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Utf16Offsets<'a> {
    text: &'a str,
    ascii: bool,
}

impl<'a> Utf16Offsets<'a> {
    /// Offsets into `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Utf16Offsets {
            text,
            ascii: text.is_ascii(),
        }
    }

    /// The UTF-16 offset of byte offset `byte`: the UTF-16 length of `text[..byte]`. An offset
    /// inside a character counts that character as before it (the core never gives one); an
    /// offset past the end gives the string's UTF-16 length.
    pub(crate) fn at(&self, byte: usize) -> usize {
        if self.ascii {
            return byte.min(self.text.len());
        }
        let end = byte.min(self.text.len());
        utf16_len(&self.text.as_bytes()[..end])
    }
}

/// The UTF-16 length of UTF-8 `bytes`: one unit per character, two for a character outside the
/// Basic Multilingual Plane (a 4-byte sequence). Counting bytes is several times faster than
/// decoding characters; a sequence cut at the end counts as a whole character.
pub(crate) fn utf16_len(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes
        .iter()
        .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::Utf16Offsets;

    /// `text.encode_utf16()` sliced at the converted offsets is the UTF-8 slice, re-encoded.
    fn slice16(text: &str, start: usize, end: usize) -> String {
        let o = Utf16Offsets::new(text);
        let units: Vec<u16> = text.encode_utf16().collect();
        String::from_utf16(&units[o.at(start)..o.at(end)]).expect("whole characters")
    }

    #[test]
    fn ascii_offsets_are_byte_offsets() {
        let o = Utf16Offsets::new("jean--luc_");
        assert_eq!((o.at(0), o.at(4), o.at(6), o.at(10)), (0, 4, 6, 10));
        assert_eq!(o.at(99), 10);
    }

    #[test]
    fn two_and_three_byte_characters_are_one_unit() {
        // é is 2 bytes, ß 2, € 3; each is 1 UTF-16 unit.
        let text = "é_ß€x";
        let o = Utf16Offsets::new(text);
        assert_eq!(o.at(2), 1);
        assert_eq!(o.at(3), 2);
        assert_eq!(o.at(5), 3);
        assert_eq!(o.at(8), 4);
        assert_eq!(o.at(9), 5);
        assert_eq!(slice16(text, 5, 8), "€");
    }

    #[test]
    fn astral_plane_characters_are_two_units() {
        // 🎉 is 4 UTF-8 bytes and a surrogate pair in UTF-16.
        let text = "a🎉b👍🏽c";
        let o = Utf16Offsets::new(text);
        assert_eq!(o.at(1), 1);
        assert_eq!(o.at(5), 3);
        assert_eq!(o.at(6), 4);
        assert_eq!(slice16(text, 1, 5), "🎉");
        assert_eq!(slice16(text, 6, 14), "👍🏽");
        assert_eq!(o.at(text.len()), text.encode_utf16().count());
    }

    #[test]
    fn offsets_inside_a_character_never_split_it() {
        let text = "a🎉b";
        let o = Utf16Offsets::new(text);
        for byte in 2..5 {
            assert_eq!(o.at(byte), 3, "byte {byte}");
        }
        assert_eq!(o.at(usize::MAX), 4);
    }

    #[test]
    fn every_core_span_converts_to_the_same_text() {
        let policy = usernorm::Policy::huggingface();
        for name in [
            "José_🎉--x-",
            "𝔘𝔰𝔢𝔯 name",
            "-\u{200B}-",
            "ab\u{1F600}\u{1F600}cd",
        ] {
            for v in policy.validate(name).violations {
                let want = &name[v.span.clone()];
                assert_eq!(slice16(name, v.span.start, v.span.end), want, "{name}");
            }
        }
    }
}

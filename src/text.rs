//! Building messages and names from pieces.

/// The pieces one after another, as `[..].concat()` joins them. std's `join`, which `concat`
/// is, copies with a loop specialized for every separator length: most of a kilobyte of the
/// browser build, for messages of a few pieces.
pub(crate) fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// The preset names as messages list them: [`PRESETS`](crate::PRESETS) joined by `, ` (a test
/// checks it).
pub(crate) const PRESET_LIST: &str = "huggingface, github, github-emu";

/// `n` in decimal digits, as `n.to_string()` writes it, without the formatting machinery or
/// `itoa`'s table of digit pairs (the browser build writes a number into a message or a
/// numbered name now and then, never in a loop that counts).
pub(crate) fn decimal(n: usize) -> String {
    let mut out = String::new();
    push_decimal(&mut out, n);
    out
}

/// [`decimal`], written at the end of `out`: a message with numbers in it is built with one
/// allocation.
pub(crate) fn push_decimal(out: &mut String, n: usize) {
    let mut unit = 1;
    while n / unit >= 10 {
        unit *= 10;
    }
    let mut rest = n;
    loop {
        out.push(char::from(b'0' + (rest / unit) as u8));
        rest %= unit;
        if unit == 1 {
            return;
        }
        unit /= 10;
    }
}

/// `text` split around its first `byte`, an ASCII byte: what `split_once(char)` gives. A byte
/// search, where std's searches for a `char` pattern bring their own code (most of a
/// kilobyte of the browser build), and names are short.
pub(crate) fn split_once(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text` split around its last `byte`, an ASCII byte: what `rsplit_once(char)` gives.
pub(crate) fn rsplit_once(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().rposition(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn concat_joins_the_pieces() {
        assert_eq!(super::concat(&[]), "");
        assert_eq!(
            super::concat(&["a", "", "bc", "é"]),
            ["a", "", "bc", "é"].concat()
        );
        assert_eq!(super::PRESET_LIST, crate::PRESETS.join(", "));
    }

    #[test]
    fn decimal_is_to_string() {
        for n in [
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            1024,
            4_294_967_295,
            usize::MAX / 10,
            usize::MAX,
        ] {
            assert_eq!(super::decimal(n), n.to_string());
        }
    }

    #[test]
    fn splits_as_std_does() {
        for text in [
            "",
            "@",
            "a@b@c",
            "é@ü+x",
            "no-at",
            "@@",
            "ann_lee_x.com",
            "王@",
        ] {
            for (c, b) in [('@', b'@'), ('+', b'+'), ('_', b'_')] {
                assert_eq!(super::split_once(text, b), text.split_once(c), "{text}");
                assert_eq!(super::rsplit_once(text, b), text.rsplit_once(c), "{text}");
            }
        }
    }
}

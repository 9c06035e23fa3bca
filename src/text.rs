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
}

//! Tests' check of the generated files committed in `src/`: each is what its generator writes
//! now, and `USERNORM_REGENERATE=1` writes it anew.
//!
//! The tables are generated from Unicode data: Rust's `char` methods (whose data is the running
//! toolchain's, [`STD_UNICODE`]) and `unicode-normalization` (whose data Cargo.lock fixes,
//! [`NORMALIZATION_UNICODE`]). Each generated file records the versions it was made from
//! (`UNICODE_VERSION`, and `NORMALIZATION_UNICODE_VERSION` where both were used); the tests
//! that regenerate a table, or compare it with that data for every code point, ask
//! [`same_data`] first.

/// A Unicode version: major, minor, update.
pub(crate) type UnicodeVersion = (u8, u8, u8);

/// The Unicode version of the running standard library's character data
/// (`char::is_alphanumeric`, `char::to_lowercase`, ...): the toolchain's.
pub(crate) const STD_UNICODE: UnicodeVersion = char::UNICODE_VERSION;

/// The Unicode version of `unicode-normalization`'s data: the version Cargo.lock holds.
pub(crate) const NORMALIZATION_UNICODE: UnicodeVersion = unicode_normalization::UNICODE_VERSION;

/// Whether a table can be compared with the data it was generated from, as it is at hand now:
/// whether every source (`(name, recorded, running)`) is of the Unicode version the table
/// records. Then the comparison must run, and fail when the table is stale.
///
/// When a source is of another version (a toolchain of a newer Unicode runs the tests), a
/// table compared with it would differ for reasons that are no fault of the table (new
/// characters, changed properties), and a failure would say nothing about usernorm. The
/// caller then checks what does not depend on the running data (the table's internal
/// consistency), and this prints which comparison was left out and why (shown with
/// `cargo test -- --nocapture`). With `USERNORM_REGENERATE` set the answer is yes:
/// regenerating records the running versions.
pub(crate) fn same_data(table: &str, sources: &[(&str, UnicodeVersion, UnicodeVersion)]) -> bool {
    let regenerate = std::env::var_os("USERNORM_REGENERATE").is_some();
    let differing = differing_sources(regenerate, sources);
    if differing.is_empty() {
        return true;
    }
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "note: {table} was generated from Unicode data of another version than the one at \
             hand ({}); it is checked for internal consistency only. Regenerate it with \
             USERNORM_REGENERATE=1 to compare it with the data at hand.",
            differing.join("; ")
        );
    }
    false
}

/// The sources whose running version differs from the recorded one, described; none when
/// regenerating.
fn differing_sources(
    regenerate: bool,
    sources: &[(&str, UnicodeVersion, UnicodeVersion)],
) -> Vec<String> {
    if regenerate {
        return Vec::new();
    }
    sources
        .iter()
        .filter(|(_, recorded, running)| recorded != running)
        .map(|(name, recorded, running)| {
            format!(
                "{name}: recorded {}, running {}",
                version(*recorded),
                version(*running)
            )
        })
        .collect()
}

/// A version as Unicode writes it: `17.0.0`.
pub(crate) fn version((major, minor, update): UnicodeVersion) -> String {
    format!("{major}.{minor}.{update}")
}

/// The line a generator writes into its table to record the Unicode version of a source.
#[cfg(any(feature = "translit", feature = "entra"))]
pub(crate) fn version_const(name: &str, what: &str, v: UnicodeVersion) -> String {
    format!(
        "/// Generated from {what} of Unicode {}.\n\
         /// The tests compare the table with that data only when it is of this version.\n\
         #[cfg(test)]\n\
         pub(crate) const {name}: (u8, u8, u8) = ({}, {}, {});\n",
        version(v),
        v.0,
        v.1,
        v.2
    )
}

/// Writes `want` to `path` (relative to the crate's root) when `USERNORM_REGENERATE` is set,
/// then asserts that the file holds exactly `want`.
#[cfg(any(feature = "translit", feature = "entra"))]
pub(crate) fn check_up_to_date(path: &str, want: &[u8]) {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("USERNORM_REGENERATE").is_some() {
        std::fs::write(&full, want).expect("write the generated file");
    }
    let have = std::fs::read(&full).expect("read the generated file");
    assert!(
        have == want,
        "{path} is stale: regenerate it (see its header)"
    );
}

#[cfg(test)]
mod tests {
    use super::differing_sources;

    /// A comparison runs when every source is of the recorded version (or when regenerating),
    /// and is left out, naming the sources that differ, otherwise.
    #[test]
    fn compares_only_data_of_the_recorded_version() {
        let same = [
            ("std", (17, 0, 0), (17, 0, 0)),
            ("norm", (18, 0, 0), (18, 0, 0)),
        ];
        assert!(differing_sources(false, &same).is_empty());
        let newer = [
            ("std", (17, 0, 0), (18, 0, 0)),
            ("norm", (18, 0, 0), (18, 0, 0)),
        ];
        assert_eq!(
            differing_sources(false, &newer),
            ["std: recorded 17.0.0, running 18.0.0"]
        );
        assert!(differing_sources(true, &newer).is_empty());
    }
}

//! Tests' check of the generated files committed in `src/`: each is what its generator writes
//! now, and `USERNORM_REGENERATE=1` writes it anew.

/// Writes `want` to `path` (relative to the crate's root) when `USERNORM_REGENERATE` is set,
/// then asserts that the file holds exactly `want`.
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

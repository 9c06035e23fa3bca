//! Command-line tests as data: each `cmd/*.toml` runs `usernorm` with its arguments and
//! standard input and compares the exit status, standard output and standard error.
//! Regenerate expectations after a deliberate change with `TRYCMD=overwrite cargo test -p usernorm-cli`,
//! then read the diff.

#[test]
fn cli() {
    trycmd::TestCases::new()
        .register_bin(
            "usernorm",
            std::path::Path::new(env!("CARGO_BIN_EXE_usernorm")),
        )
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}

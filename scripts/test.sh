#!/usr/bin/env bash
# Runs every test of usernorm, installing what a fresh machine lacks. This is the README's test
# command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi

step "format"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "tests (core, CLI, doctests)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"

step "core without default features (the small browser build)"
cargo clippy -p usernorm --no-default-features --locked -- -D warnings
cargo test -p usernorm --no-default-features --lib --locked 2>&1 | tee -a "$log"

step "core and wasm crate for wasm32-unknown-unknown"
cargo build -p usernorm-wasm --target wasm32-unknown-unknown --locked

step "README main command"
status=0
bash scripts/example.sh >/dev/null 2>&1 || status=$?
if [ "$status" -ne 1 ]; then
    echo "scripts/example.sh exited $status; expected 1 (the examples hold failing names)" >&2
    exit 1
fi

# One closing line over every Rust test run above.
awk '/^test result:/ { p += $4; f += $6 } END { printf "\nrust tests: %d passed, %d failed\n", p, f }' "$log"

#!/usr/bin/env bash
# Runs every test of usernorm, installing what a fresh machine lacks. This is the README's test
# command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

passed=0
failed=0
# Adds a suite's "N passed, M failed" line (the last one in the file given) to the totals.
tally() {
    local line
    line="$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)"
    passed=$((passed + $(echo "$line" | awk '{print $1}')))
    failed=$((failed + $(echo "$line" | awk '{print $3}')))
}

log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

step "toolchain"
bash scripts/check-toolchain.sh
# rust-toolchain.toml names the components and the wasm target, and rustup installs what is
# missing when the toolchain is first used; a failure to do so stops the run here, loudly.
cargo fmt --version
cargo clippy --version
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi

step "format"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p usernorm --no-default-features --locked -- -D warnings
cargo clippy -p usernorm-wasm --features full --all-targets --locked -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "ecosystem: shells and man for the completion tests; cargo install into a scratch root"
# cli/tests/completions.rs parses each completion script with its shell and renders the manual
# pages with man (it passes over a shell that is missing, with a note).
missing=()
for pkg in zsh fish elvish man-db; do
    command -v "${pkg%-db}" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    echo "installing ${missing[*]} (apt)"
    { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq "${missing[@]}" >/dev/null; } || echo "note: could not install ${missing[*]}"
fi
bash scripts/install-test.sh | tee "$log/install"
tally "$log/install"

step "tests (core, CLI, SCIM client, doctests)"
cargo test --workspace --locked 2>&1 | tee "$log/rust"
step "core without default features (the small browser build)"
# What the features change (normalizing without the transliteration table, policies without the
# Unicode tables, members without JSON) is tested again here. The audit's own tests are not: its
# code is the same without the features, and they ran above (the heaviest of the core's tests).
cargo test -p usernorm --no-default-features --lib --locked -- --skip audit:: 2>&1 | tee -a "$log/rust"
awk '/^test result:/ { p += $4; f += $6 } END { printf "rust: %d passed, %d failed\n", p, f }' \
    "$log/rust" > "$log/rust-total"
cat "$log/rust-total"
tally "$log/rust-total"

step "browser package: build, Node tests, parity, Chromium end-to-end (wasm/test.sh)"
bash wasm/test.sh 2>&1 | tee "$log/wasm"
awk '/^# pass / { p = $3 } /^# fail / { f = $3 } END { printf "wasm: %d passed, %d failed\n", p, f }' \
    "$log/wasm" > "$log/wasm-total"
cat "$log/wasm-total"
tally "$log/wasm-total"

step "SCIM against two real servers (scim2-server and SCIMMY on 127.0.0.1)"
cargo build -p usernorm-cli --locked
python3 scripts/scim-live-test.py "${CARGO_TARGET_DIR:-target}/debug/usernorm" | tee "$log/scim"
tally "$log/scim"

step "README main command"
status=0
EXAMPLE_PROFILE=dev bash scripts/example.sh >/dev/null 2>&1 || status=$?
if [ "$status" -ne 1 ]; then
    echo "scripts/example.sh exited $status; expected 1 (the examples hold failing names)" >&2
    exit 1
fi

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

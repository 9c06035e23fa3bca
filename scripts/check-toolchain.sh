#!/usr/bin/env bash
# Checks that the tests run on the toolchain the project pins (rust-toolchain.toml) and that
# Cargo.toml's rust-version says the same: the version usernorm is built and tested with is
# the one it declares. (Cargo refuses an older compiler than rust-version by itself; this
# catches a run on another toolchain, through RUSTUP_TOOLCHAIN or `cargo +version`, and a pin
# moved without rust-version.)
set -euo pipefail
cd "$(dirname "$0")/.."
pinned="$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)"
declared="$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml)"
active="$(rustc --version | awk '{ print $2 }')"
if [ -z "$pinned" ] || [ "$pinned" != "$declared" ]; then
    echo "check-toolchain: rust-toolchain.toml pins '$pinned' but Cargo.toml's rust-version is '$declared'" >&2
    exit 1
fi
if [ "$active" != "$pinned" ]; then
    echo "check-toolchain: the active rustc is $active; rust-toolchain.toml pins $pinned" >&2
    exit 1
fi
echo "toolchain: rustc $active, as pinned and declared"

#!/usr/bin/env bash
# RUSTC_WRAPPER of wasm/build.sh: confines RUSTC_BOOTSTRAP=1 to the compilations that need it.
#
# Cargo needs RUSTC_BOOTSTRAP=1 in its own environment to accept `-Zbuild-std`, and passes that
# environment on to every rustc it runs and every build script. What needs it:
# - every compilation for wasm32-unknown-unknown: the target's rustflags hold
#   `-Zunstable-options -Cpanic=immediate-abort`;
# - the standard library's own units, build scripts included, which cargo marks with
#   `-Z force-unstable-if-unmarked` (they use unstable features).
# Every other compilation (the host's build scripts and proc macros of usernorm's
# dependencies) runs without it. With it, proc-macro2's build script would find a "nightly"
# compiler and switch to its nightly-only code paths; its probe compiles through this wrapper
# too (it honours RUSTC_WRAPPER), for the host, so it sees the stable compiler it runs on.
#
# Cargo calls this as `rustc-wrapper.sh RUSTC ARGS...`.
set -euo pipefail
rustc="$1"
shift
previous=""
for arg in "$@"; do
    case "$previous $arg" in
    "--target wasm32-unknown-unknown" | *" --target=wasm32-unknown-unknown" | \
        "-Z force-unstable-if-unmarked" | *" -Zforce-unstable-if-unmarked")
        exec "$rustc" "$@"
        ;;
    esac
    previous="$arg"
done
exec env -u RUSTC_BOOTSTRAP "$rustc" "$@"

#!/usr/bin/env bash
# `cargo install --path cli`, as the README documents it, into a scratch root (never
# $CARGO_HOME/bin): with default features and with `--no-default-features` (no SCIM client), each
# installed binary run (`--version`, a `check`). Offline, from the registry cache the other steps
# filled, and into the workspace's target directory, so only what changed is compiled. The dev
# profile (`--debug`) keeps it to a relink of what the tests built; the release profile installs
# the same way. Then once more as a new user would, with a fresh CARGO_HOME (nothing cached: the
# crates come from the registry) and a target directory of its own. Prints
# `install: N passed, M failed` for scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

for variant in default no-default-features; do
    dest="$root/$variant"
    flags=()
    [ "$variant" = default ] || flags=(--no-default-features)
    if ! cargo install --path cli --root "$dest" --locked --offline --debug --quiet "${flags[@]}"; then
        fail "$variant: cargo install"
        continue
    fi
    bin="$dest/bin/usernorm"
    version="$("$bin" --version 2>&1 || true)"
    if [ "$version" = "usernorm $(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)" ]; then
        ok "$variant: $version"
    else
        fail "$variant: --version printed '$version'"
    fi
    status=0
    out="$("$bin" check jdoe jean--luc 2>&1)" || status=$?
    if [ "$status" -eq 1 ] && grep -q 'fix: jean-luc' <<<"$out"; then
        ok "$variant: check (exit 1, fix: jean-luc)"
    else
        fail "$variant: check exited $status: $out"
    fi
    # The SCIM client is the default feature: without it, --existing-scim is refused.
    status=0
    out="$("$bin" check jdoe --existing-scim http://127.0.0.1:9/scim 2>&1)" || status=$?
    if [ "$variant" = default ]; then
        [ "$status" -eq 2 ] && ! grep -q 'no SCIM support' <<<"$out" \
            && ok "$variant: --existing-scim reaches the SCIM client" \
            || fail "$variant: --existing-scim exited $status: $out"
    else
        [ "$status" -eq 2 ] && grep -q 'no SCIM support' <<<"$out" \
            && ok "$variant: --existing-scim refused without the SCIM client" \
            || fail "$variant: --existing-scim exited $status: $out"
    fi
done
# A new user's machine: an empty CARGO_HOME, so the crates are fetched (with the versions of
# Cargo.lock) and everything is compiled; the dev profile keeps that to a minute or two.
fresh="$root/fresh"
mkdir -p "$fresh/home"
if CARGO_HOME="$fresh/home" CARGO_TARGET_DIR="$fresh/target" \
    cargo install --path cli --root "$fresh" --locked --debug --quiet; then
    out="$("$fresh/bin/usernorm" check jean--luc 2>&1 || true)"
    grep -q 'fix: jean-luc' <<<"$out" && ok "fresh CARGO_HOME: installed, and it checks" \
        || fail "fresh CARGO_HOME: check printed: $out"
    [ -d "$fresh/home/registry" ] && ok "fresh CARGO_HOME: the crates came from the registry" \
        || fail "fresh CARGO_HOME: nothing was fetched into it"
else
    fail "fresh CARGO_HOME: cargo install"
fi

# Nothing went to $CARGO_HOME/bin: the root holds both installs.
[ -x "$root/default/bin/usernorm" ] && [ -x "$root/no-default-features/bin/usernorm" ] \
    && ok "both installs are in the scratch root" || fail "an install is missing from $root"

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

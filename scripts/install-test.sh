#!/usr/bin/env bash
# `cargo install --path cli`, as the README documents it, into a scratch root (never
# $CARGO_HOME/bin): with default features and with `--no-default-features` (no SCIM client), each
# installed binary run (`--version`, a `check`). Offline, from the registry cache the other steps
# filled, and into the workspace's target directory, so only what changed is compiled. The dev
# profile (`--debug`) keeps it to a relink of what the tests built; the release profile installs
# the same way. Prints `install: N passed, M failed` for scripts/test.sh.
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
# Nothing went to $CARGO_HOME/bin: the root holds both installs.
[ -x "$root/default/bin/usernorm" ] && [ -x "$root/no-default-features/bin/usernorm" ] \
    && ok "both installs are in the scratch root" || fail "an install is missing from $root"

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

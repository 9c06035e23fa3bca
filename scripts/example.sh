#!/usr/bin/env bash
# The README's main command: check the usernames that Entra's recommended mapping gives for the
# example directory. It exits 1 because some of them would fail to provision: that is the point.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release --locked -p usernorm-cli -- check - < examples/mapped-usernames.txt

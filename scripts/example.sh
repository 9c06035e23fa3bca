#!/usr/bin/env bash
# The README's main command: audit the example Entra export (a Graph export with mailNickname)
# against the org as it is after the last provisioning cycle (members with their externalId and
# active), with the provisioning schema downloaded from Entra (Hugging Face's recommended mapping,
# Delete among the target object actions). It predicts the plan (creates, updates, renames,
# disables, skips) and exits 1 because some people would fail to provision: that is the point.
# The report, the HTML page, the Markdown summary, the summary JSON and the fixed export land in
# target/example-audit/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/example-audit
# EXAMPLE_PROFILE=dev reuses the test build (scripts/test.sh does).
exec cargo run --quiet --profile "${EXAMPLE_PROFILE:-release}" --locked -p usernorm-cli -- audit examples/entra-users.csv \
  --existing examples/existing-members.csv \
  --entra-schema examples/entra-schema.json \
  --out target/example-audit/report.csv \
  --html target/example-audit/report.html \
  --fixed-out target/example-audit/entra-users-fixed.csv \
  --summary-json target/example-audit/summary.json \
  --summary-md target/example-audit/summary.md

#!/usr/bin/env bash
# Whole-program comparisons of usernorm, in one run:
#
#   1. `usernorm check --failing` over a million candidate names against `grep -vP` with one
#      PCRE encoding the same huggingface rules (both print only the failing names), with
#      `wc -l` as the floor;
#   2. `usernorm normalize` over a million display names against python-slugify.
#
# It builds the release binary, generates the data when missing (bench/gen_data.py), checks
# that grep and usernorm agree on which names fail, and writes hyperfine's results to
# bench/out/ (JSON and Markdown) plus peak memory from /usr/bin/time -v.
#
# Needs: cargo, hyperfine, GNU grep with -P, python3 with python-slugify, /usr/bin/time.
# Environment: RUNS (default 10), SLUGIFY_RUNS (default 3), WARMUP (default 2).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
data="$here/data"
out="$here/out"
runs="${RUNS:-10}"
slugify_runs="${SLUGIFY_RUNS:-3}"
warmup="${WARMUP:-2}"
mkdir -p "$out"

echo "== building the release binary"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p usernorm-cli
target_dir="${CARGO_TARGET_DIR:-$root/target}"
usernorm="$target_dir/release/usernorm"

if [[ ! -s "$data/names.txt" || ! -s "$data/display_names.txt" ]]; then
    echo "== generating data"
    python3 "$here/gen_data.py" "$data" | tee "$out/gen_data.txt"
fi

# The huggingface policy as one PCRE (a line matches when the name is valid); `grep -v`
# prints the lines that do not match: the failing names. The C locale is grep's fastest mode
# and gives the same answer here: every non-ASCII byte is outside [A-Za-z0-9-] either way.
pcre="$(python3 "$here/gen_data.py" --print-regex)"
names="$data/names.txt"
display="$data/display_names.txt"

echo "== machine"
{
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
    echo "kernel: $(uname -sr)"
    echo "$(grep --version | head -1); $(hyperfine --version); $(python3 --version)"
    echo "python-slugify $(python3 -c 'import slugify; print(slugify.__version__)')"
    echo "usernorm $("$usernorm" --version | cut -d' ' -f2) at $(git -C "$root" rev-parse --short HEAD)"
} | tee "$out/machine.txt"

echo "== do grep and usernorm agree on which names fail?"
grep_failing="$(LC_ALL=C grep -vcP "$pcre" "$names" || true)"
# usernorm exits 1 when a name fails, which pipefail would take for an error: `|| true`.
like_failing="$("$usernorm" check --failing --allow-duplicates <"$names" 2>/dev/null | wc -l || true)"
default_failing="$("$usernorm" check --failing <"$names" 2>/dev/null | wc -l || true)"
# Same names, in the same order?
LC_ALL=C grep -vP "$pcre" "$names" >"$out/grep-failing.txt" || true
"$usernorm" check --failing --allow-duplicates <"$names" 2>/dev/null | cut -f1 >"$out/usernorm-failing.txt" || true
if cmp -s "$out/grep-failing.txt" "$out/usernorm-failing.txt"; then same="yes"; else same="NO"; fi
{
    echo "lines: $(wc -l <"$names")"
    echo "failing per grep -vcP: $grep_failing"
    echo "failing per usernorm check --failing --allow-duplicates: $like_failing (same names, same order: $same)"
    echo "failing per usernorm check --failing (duplicates too): $default_failing"
    echo "invalid share: $(python3 -c "print(f'{100 * $grep_failing / $(wc -l <"$names"):.2f}%')")"
} | tee "$out/agreement.txt"
"$usernorm" check --failing <"$names" 2>&1 >/dev/null | tee -a "$out/agreement.txt" || true

# `--output=pipe`: GNU grep notices a /dev/null standard output and stops at the first match,
# so every command writes into a pipe that hyperfine drains. usernorm and grep exit 1 when
# something fails, hence `-i`.
echo "== check: wc -l vs grep -vP vs usernorm check --failing"
hyperfine --output=pipe -i --warmup "$warmup" --runs "$runs" \
    --export-json "$out/check.json" --export-markdown "$out/check.md" \
    -n 'wc -l' "wc -l $names" \
    -n 'grep -vP' "env LC_ALL=C grep -vP '$pcre' $names" \
    -n 'usernorm check --failing --allow-duplicates' \
    "$usernorm check --failing --allow-duplicates < $names 2>/dev/null" \
    -n 'usernorm check --failing' "$usernorm check --failing < $names 2>/dev/null"

echo "== normalize: usernorm normalize vs python-slugify"
hyperfine --output=pipe -i --warmup 1 --runs "$runs" \
    --export-json "$out/normalize-usernorm.json" --export-markdown "$out/normalize-usernorm.md" \
    -n 'usernorm normalize' "$usernorm normalize < $display 2>/dev/null"
hyperfine --output=pipe -i --warmup 0 --runs "$slugify_runs" \
    --export-json "$out/normalize-slugify.json" --export-markdown "$out/normalize-slugify.md" \
    -n 'python-slugify' "python3 $here/slugify_names.py < $display"

echo "== peak memory (/usr/bin/time -v)"
{
    for spec in \
        "grep -vP|env LC_ALL=C grep -vP '$pcre' $names" \
        "usernorm check --failing --allow-duplicates|$usernorm check --failing --allow-duplicates < $names" \
        "usernorm check --failing|$usernorm check --failing < $names" \
        "usernorm normalize|$usernorm normalize < $display" \
        "python-slugify|python3 $here/slugify_names.py < $display"; do
        name="${spec%%|*}"
        cmd="${spec#*|}"
        # `|| true`: usernorm exits 1 when a name fails.
        kb="$(/usr/bin/time -v sh -c "$cmd 2>/dev/null | cat >/dev/null" 2>&1 | awk '/Maximum resident/ {print $NF}' || true)"
        echo "$name: $kb KiB"
    done
} | tee "$out/memory.txt"

echo "== medians and ratios"
python3 - "$out" <<'PY' | tee "$out/summary.txt"
import json, sys
from pathlib import Path

out = Path(sys.argv[1])
def medians(name):
    results = json.loads((out / name).read_text())["results"]
    return {r["command"]: r["median"] for r in results}

check = medians("check.json")
usernorm = medians("normalize-usernorm.json")["usernorm normalize"]
slugify = medians("normalize-slugify.json")["python-slugify"]
grep = check["grep -vP"]
for command, median in check.items():
    print(f"{command}: median {median * 1000:.1f} ms ({median / grep:.2f}x grep's time)")
like = check["usernorm check --failing --allow-duplicates"]
print(f"target check <= grep (like for like): {'met' if like <= grep else 'NOT met'} "
      f"({grep / like:.2f}x grep's speed)")
print(f"usernorm normalize: median {usernorm * 1000:.1f} ms")
print(f"python-slugify: median {slugify * 1000:.1f} ms")
print(f"target normalize >= 20x slugify: {'met' if slugify / usernorm >= 20 else 'NOT met'} "
      f"({slugify / usernorm:.1f}x)")
PY

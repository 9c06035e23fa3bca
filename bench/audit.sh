#!/usr/bin/env bash
# Whole-program benchmark of `usernorm audit` on a generated one-million-row Entra export,
# against `xsv count` (the CSV-parsing floor) and a Python csv-module script doing the same
# mapping and checks. Medians of RUNS runs; peak memory from /usr/bin/time -v.
#
#   bench/audit.sh [ROWS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RUNS=${2:-5}
DATA=${DATA:-/tmp/entra-$ROWS.csv}
EXISTING=examples/existing-members.txt
: "${CARGO_TARGET_DIR:=target}"
cargo build --release -q -p usernorm-cli
USERNORM="$CARGO_TARGET_DIR/release/usernorm"
[ -s "$DATA" ] || python3 bench/gen_entra_export.py "$ROWS" > "$DATA"
echo "input: $DATA, $(wc -c < "$DATA") bytes, $ROWS rows"

# median wall seconds, median user+sys seconds, max peak KB over RUNS runs of the command
measure() {
  local name=$1; shift
  local walls=() cpus=() peak=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o /tmp/bench-time.txt "$@" > /dev/null 2>/dev/null || true
    walls+=("$(awk -F': ' '/Elapsed/ {split($2,t,":"); print (length(t)==3? t[1]*3600+t[2]*60+t[3] : t[1]*60+t[2])}' /tmp/bench-time.txt)")
    cpus+=("$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' /tmp/bench-time.txt)")
    kb=$(awk -F': ' '/Maximum resident/ {print $2}' /tmp/bench-time.txt)
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local wall cpu
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-28s wall %7.2f s   cpu %7.2f s   peak %6d MB\n' "$name" "$wall" "$cpu" $((peak / 1024))
  echo "${name// /_} $wall $cpu $peak" >> /tmp/bench-audit.txt
}

rm -f /tmp/bench-audit.txt
if command -v xsv > /dev/null; then measure "xsv count" xsv count "$DATA"; fi
if command -v qsv > /dev/null; then measure "qsv count" qsv count "$DATA"; fi
measure "usernorm audit" "$USERNORM" audit "$DATA" --existing "$EXISTING" -o /dev/null
measure "usernorm audit (1 thread)" env USERNORM_AUDIT_THREADS=1 "$USERNORM" audit "$DATA" --existing "$EXISTING" -o /dev/null
RUNS=$(( RUNS < 3 ? RUNS : 3 )) measure "python csv (bench/audit_py.py)" python3 bench/audit_py.py "$DATA" "$EXISTING"
awk '{w[$1]=$2; c[$1]=$3} END {
  f = ("xsv_count" in w) ? "xsv_count" : "qsv_count"; a = "usernorm_audit"; p = "python_csv_(bench/audit_py.py)";
  printf "ratios: audit/%s wall %.1fx cpu %.1fx; python/audit wall %.1fx cpu %.1fx\n",
    f, w[a]/w[f], c[a]/c[f], w[p]/w[a], c[p]/c[a] }' /tmp/bench-audit.txt

# The ratio to the CSV-parsing floor again, the two commands run in turn (xsv, audit, xsv,
# ...): each pair shares the machine's state of the moment, so the median of the pairs'
# ratios moves less with the neighbours' load on a shared machine than the ratio of medians
# taken a minute apart.
FLOOR=$(command -v xsv || command -v qsv || true)
if [ -n "$FLOOR" ]; then
  ratios=()
  for _ in $(seq "${PAIRS:-$RUNS}"); do
    /usr/bin/time -f %e -o /tmp/bench-floor.txt "$FLOOR" count "$DATA" > /dev/null 2>&1
    /usr/bin/time -f %e -o /tmp/bench-audit-pair.txt "$USERNORM" audit "$DATA" --existing "$EXISTING" -o /dev/null > /dev/null 2>&1 || true
    # The last line: `time` puts a line about the exit status first (the audit exits 1 when
    # some row would not provision).
    f=$(tail -n 1 /tmp/bench-floor.txt)
    a=$(tail -n 1 /tmp/bench-audit-pair.txt)
    ratios+=("$(awk -v f="$f" -v a="$a" 'BEGIN {printf "%.3f %.2f %.2f\n", a/f, f, a}')")
  done
  printf '%s\n' "${ratios[@]}" | sort -g | awk -v name="$(basename "$FLOOR") count" '{r[NR]=$1; f[NR]=$2; a[NR]=$3} END {
    m = int((NR+1)/2); printf "in turn, %d pairs: audit/%s median %.2fx (from %.2fx to %.2fx)\n", NR, name, r[m], r[1], r[NR] }'
fi

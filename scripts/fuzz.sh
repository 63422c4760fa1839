#!/usr/bin/env bash
# `make fuzz SECONDS=N`: builds the Datasets fuzz targets with libFuzzer and AddressSanitizer, makes seed
# corpora from the real data files, runs every target for N seconds (default 60) and prints the executions
# of each. Exits non-zero on any finding; libFuzzer saves the input as .build/fuzz/findings/<target>-crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
package=Packages/Datasets/Fuzz
work=.build/fuzz
data=${HBNODE_DATA_DIR:-}
for candidate in "$data" Datasets; do
  if [ -n "$candidate" ] && [ -d "$candidate" ]; then data=$candidate; break; fi
done

swift build --package-path "$package" -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "Cannot export local symbol" || true
binary="$package/.build/debug/DatasetsFuzz"
[ -x "$binary" ] || { echo "fuzz: build failed" >&2; exit 1; }

rm -rf "$work/seeds" "$work/corpus"
mkdir -p "$work/findings"
python3 scripts/fuzz-seeds.py "$work/seeds" "$data"
targets=$( ("$binary" 2>&1 || true) | sed -n 's/.*targets: //p' | tr -d ',')

# Each input goes through a scratch file (the loaders take paths); in memory it runs about ten times faster
# than on a disk-backed temporary folder.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
total=0 failed=0
printf '%-20s %12s %10s\n' target executions exec/s
for target in $targets; do
  mkdir -p "$work/corpus/$target" "$work/seeds/$target"
  log="$work/$target.log"
  # Leak checking is off: Foundation's file reading keeps caches that LeakSanitizer reports at exit.
  if ! ASAN_OPTIONS=detect_leaks=0 "$binary" "$target" -max_total_time="$seconds" -print_final_stats=1 -detect_leaks=0 -max_len=16384 \
       -artifact_prefix="$work/findings/$target-" "$work/corpus/$target" "$work/seeds/$target" >"$log" 2>&1; then
    failed=$((failed + 1))
    echo "fuzz: $target FOUND A CRASH; see $log and $work/findings/" >&2
    grep -m5 -E "Fatal error|ERROR: AddressSanitizer|SUMMARY" "$log" >&2 || true
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  printf '%-20s %12s %10s\n' "$target" "${runs:-0}" "${rate:-0}"
  total=$((total + ${runs:-0}))
done
echo "fuzz: $total executions over $(echo $targets | wc -w) targets, $seconds s each, $failed with findings"
[ "$failed" -eq 0 ]

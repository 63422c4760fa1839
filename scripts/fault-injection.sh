#!/usr/bin/env bash
# `make fault-injection`: interrupts a quick run at its N-th write, rename or fsync of a file in its output
# folder (strace's fault injection), for every such call (or an even sample of MAX_KILLS of them), resumes
# each interrupted run with --resume, and checks that
#   - right after the fault every complete-file output parses (config.json, checkpoints, PNG signatures),
#   - the resumed run exits 0, leaves no temporary files, and its epoch logs (CSV and JSONL) and report
#     equal an uninterrupted run's, apart from wall-clock columns.
# FAULT=kill (default) sends SIGKILL at the call. FAULT=enospc makes the call fail with "No space left on
# device" (writes and fsyncs only) and also checks that the run exits non-zero with one line naming a
# file of its folder and the errno text, and that no report or message calls it a model stopping early.
# Prints: faults injected, resumes identical. Exits non-zero if any check fails.
#   EXPERIMENT=pv (section 5 experiment)  MAX_KILLS=0 (0 = every call)  BINARY=path  WORK=folder
set -euo pipefail
cd "$(dirname "$0")/.."
experiment=${EXPERIMENT:-pv}
max_kills=${MAX_KILLS:-0}
fault=${FAULT:-kill}
case "$fault" in kill) calls="write rename renameat renameat2 fsync";; enospc) calls="write fsync";;
  *) echo "fault-injection: FAULT must be kill or enospc, not $fault" >&2; exit 2;; esac
work=${WORK:-.build/fault-injection}
command -v strace >/dev/null || { echo "fault-injection: strace is not installed (apt-get install strace)" >&2; exit 1; }
if [ -z "${BINARY:-}" ]; then
  swift build -c release --product reproduce-section-5 >/dev/null
  BINARY=$(swift build -c release --show-bin-path)/reproduce-section-5
fi
rm -rf "$work"; mkdir -p "$work"
# --jobs 1: every unit runs in the one process whose calls are counted and killed (children would escape).
run() { "$BINARY" --profile quick --experiment "$experiment" --jobs 1 --output "$1" "${@:2}"; }
folder() { echo "$1/section-5/$experiment"; }

# What must agree between two finished runs: logs (unit folders included) without their wall-clock
# columns, and the reports without their timing column; written as one normalised text per run.
normalise() { python3 scripts/normalise-run.py "$(folder "$1")"; }

# Checks a killed run's folder: whole-file outputs are either absent or complete.
check_killed() {
  python3 - "$(folder "$1")" <<'PY'
import json, os, sys
d = sys.argv[1]
bad = []
if os.path.isdir(d):
    for root, _, files in os.walk(d):
      for name in files:
        path = os.path.join(root, name)
        if ".tmp-" in name:
            continue  # a temporary file of the killed write; the next run removes it
        if name.endswith(".json"):
            try: json.load(open(path))
            except Exception as e: bad.append(f"{name}: {e}")
        if name.endswith(".png") and open(path, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
            bad.append(f"{name}: not a PNG")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

echo "fault-injection: uninterrupted reference run of --experiment $experiment"
strace -f -qq -y -o "$work/trace" -e trace="${calls// /,}" "$BINARY" --profile quick --experiment "$experiment" --jobs 1 --output "$work/reference" >"$work/reference.log" 2>&1
normalise "$work/reference" >"$work/reference.txt"
# The fault points: calls of the main thread (strace counts `when=N` per thread) on a file of the output
# folder, numbered among all that thread's calls of the same kind.
mapfile -t points < <(python3 - "$work/trace" "$(cd "$work/reference" && pwd)/" "$calls" <<'PY'
import re, sys
trace, folder, calls = sys.argv[1], sys.argv[2], sys.argv[3].split()
main, counts = None, {}
for line in open(trace, errors="replace"):
    m = re.match(r"(\d+) +(\w+)\((.*)", line)
    if not m or m.group(2) not in calls: continue
    tid, call, rest = m.groups()
    main = main or tid
    if tid != main: continue
    counts[call] = counts.get(call, 0) + 1
    if folder in rest.split(", \"")[0] or (call.startswith("rename") and folder in rest):
        print(f"{call}:{counts[call]}")
PY
)
total=${#points[@]}
step=1
if [ "$max_kills" -gt 0 ] && [ "$total" -gt "$max_kills" ]; then step=$(( (total + max_kills - 1) / max_kills )); fi
echo "fault-injection: $total write/rename/fsync calls on the output folder in the reference run; $fault at every ${step}th"

kills=0 identical=0 failures=0 skipped=0
for ((k = 0; k < total; k += step)); do
  point=${points[$k]}; call=${point%%:*}; n=${point##*:}
  out="$work/kill-$call-$n"
  set +e
  if [ "$fault" = kill ]; then action="signal=KILL"; else action="error=ENOSPC"; fi
  # In a subshell whose stderr is dropped, so the shell's "Killed" notice does not clutter the output.
  status=$( (strace -f -qq -o /dev/null -e trace="$call" -e inject="$call":$action:when="$n" \
    "$BINARY" --profile quick --experiment "$experiment" --jobs 1 --output "$out" >"$out.log" 2>&1; echo $?) 2>/dev/null)
  set -e
  # The run finished: it made fewer calls, or (ENOSPC) the call's failure is tolerated by design, as for
  # the directory fsync after a rename, which some file systems refuse.
  if [ "$status" -eq 0 ]; then skipped=$((skipped + 1)); echo "$call:$n" >>"$work/finished"; rm -rf "$out" "$out.log"; continue; fi
  kills=$((kills + 1))
  if ! problems=$(check_killed "$out"); then
    failures=$((failures + 1)); echo "fault-injection: $fault at $call #$n left damaged files: $problems" >&2; continue
  fi
  if [ "$fault" = enospc ]; then
    message=$(grep -E "No space left on device \(errno 28\)" "$out.log" || true)
    if [ "$(printf '%s\n' "$message" | grep -c .)" -ne 1 ] || ! grep -qF "$(cd "$out" && pwd)" <<<"$message" \
       || grep -qs "stopped" "$(folder "$out")/REPORT.md" || grep -q "stopped" "$out.log"; then
      failures=$((failures + 1)); echo "fault-injection: ENOSPC at $call #$n (exit $status) was not one clear error line:" >&2
      tail -3 "$out.log" >&2; continue
    fi
  fi
  if ! run "$out" --resume >"$out.resume.log" 2>&1; then
    failures=$((failures + 1)); echo "fault-injection: resume after $fault at $call #$n failed:" >&2; tail -3 "$out.resume.log" >&2; continue
  fi
  if find "$out/section-5" -name '*.tmp-*' | grep -q .; then
    failures=$((failures + 1)); echo "fault-injection: temporary files left after resuming from $fault at $call #$n" >&2; continue
  fi
  normalise "$out" >"$out.txt"
  if cmp -s "$out.txt" "$work/reference.txt"; then
    identical=$((identical + 1)); rm -rf "$out" "$out.log" "$out.resume.log" "$out.txt"
  else
    failures=$((failures + 1)); echo "fault-injection: resume after $fault at $call #$n differs from the uninterrupted run:" >&2
    diff "$work/reference.txt" "$out.txt" | head -5 >&2 || true
  fi
done
noun=$([ "$fault" = kill ] && echo "kills" || echo "ENOSPC failures")
echo "fault-injection: $kills $noun injected (--experiment $experiment, $total calls on the output folder, every ${step}th), $identical resumes identical, $failures failures, $skipped runs finished before the call"
[ "$failures" -eq 0 ]

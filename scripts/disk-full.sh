#!/usr/bin/env bash
# `make disk-full`: a quick run must treat a full disk as an I/O failure: a non-zero exit and one line with
# the path and "No space left on device", never a model "stopping early" or a report.
#   1. With root and a working `mount -t tmpfs`: --output on a 300 kB tmpfs is refused before training by
#      the free-space check.
#   2. Everywhere: ENOSPC injected with strace at write and fsync calls on the output folder
#      (fault-injection.sh with FAULT=enospc), each followed by --resume on a disk with room again, which
#      must equal an uninterrupted run.
#   EXPERIMENT=pv  MAX_KILLS=0 (0 = every call)  BINARY=path
set -euo pipefail
cd "$(dirname "$0")/.."
experiment=${EXPERIMENT:-pv}
work=.build/disk-full
rm -rf "$work"; mkdir -p "$work"
if [ -z "${BINARY:-}" ]; then
  swift build -c release --product reproduce-section-5 >/dev/null
  BINARY=$(swift build -c release --show-bin-path)/reproduce-section-5
fi
export BINARY

mounted=""
if [ "$(id -u)" = 0 ] && mkdir -p "$work/tmpfs" && mount -t tmpfs -o size=300k tmpfs "$work/tmpfs" 2>/dev/null; then
  mounted="$work/tmpfs"
  trap 'umount "$mounted" 2>/dev/null || true' EXIT
  set +e
  "$BINARY" --profile quick --experiment "$experiment" --output "$mounted/results" >"$work/tmpfs.log" 2>&1
  status=$?
  set -e
  if [ "$status" -ne 0 ] && grep -q "not enough free space" "$work/tmpfs.log" && [ ! -e "$mounted/results/section-5/$experiment/config.json" ]; then
    echo "disk-full: 300 kB tmpfs refused before the run started (exit $status): $(grep -m1 'not enough free space' "$work/tmpfs.log")"
  else
    echo "disk-full: 300 kB tmpfs was NOT refused cleanly (exit $status):" >&2; tail -3 "$work/tmpfs.log" >&2; exit 1
  fi
  umount "$mounted"; trap - EXIT
else
  echo "disk-full: no tmpfs (needs root and mount); the ENOSPC injection below covers a full disk"
fi
FAULT=enospc WORK="$work/enospc" bash scripts/fault-injection.sh

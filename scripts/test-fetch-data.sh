#!/usr/bin/env bash
# Exercises scripts/fetch-data.sh against a mirror in a scratch destination (never touches Datasets/):
# install from the mirror, idempotent rerun, repair of a corrupted file, resume of a partial download
# (file:// URLs support byte ranges), and the offline report (unreachable URLs, exit status 1).
#   bash scripts/test-fetch-data.sh MIRROR-DIR        (or DATA_MIRROR=dir; a complete copy laid out like Datasets/,
#                                                      e.g. the Datasets/ folder of a checkout after `make data`)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${1:-${DATA_MIRROR:-}}" ]]; then echo "usage: bash scripts/test-fetch-data.sh MIRROR-DIR (or DATA_MIRROR=dir)" >&2; exit 2; fi
MIRROR="$(cd "${1:-$DATA_MIRROR}" && pwd)"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
FETCH=(bash "$ROOT/scripts/fetch-data.sh")
fail() { echo "test-fetch-data: FAIL: $*" >&2; exit 1; }

echo "1. install from the mirror"
HBNODE_DATASETS_DEST="$SCRATCH/a" "${FETCH[@]}" "$MIRROR" >/dev/null || fail "mirror install"
[[ -z "$(find "$SCRATCH/a" -name '*.part')" ]] || fail ".part files left behind"

echo "2. rerun is idempotent"
out="$(HBNODE_DATASETS_DEST="$SCRATCH/a" "${FETCH[@]}" "$MIRROR")"
grep -q "0 file(s) installed" <<<"$out" || fail "rerun installed files: $out"

echo "3. a corrupted file is replaced"
chmod u+w "$SCRATCH/a/silverbox/sb.csv"; echo garbage > "$SCRATCH/a/silverbox/sb.csv"
out="$(HBNODE_DATASETS_DEST="$SCRATCH/a" "${FETCH[@]}" "$MIRROR")"
grep -q "1 file(s) installed" <<<"$out" || fail "corrupted file not repaired: $out"

echo "4. a partial download is resumed from its .part"
mkdir -p "$SCRATCH/b/mnist"
head -c 3000 "$MIRROR/mnist/t10k-labels-idx1-ubyte.gz" > "$SCRATCH/b/mnist/t10k-labels-idx1-ubyte.gz.part"
sed "s#http://yann.lecun.com/exdb/mnist/#file://$MIRROR/mnist/#" "$ROOT/Datasets/sources.tsv" \
    | sed -E 's#\t(https?://)[^\t]*#\t\1127.0.0.1:9/unreachable#' > "$SCRATCH/sources.tsv"
status=0
HBNODE_SOURCES="$SCRATCH/sources.tsv" HBNODE_DATASETS_DEST="$SCRATCH/b" "${FETCH[@]}" >/dev/null 2>"$SCRATCH/err" || status=$?
[[ -f "$SCRATCH/b/mnist/t10k-labels-idx1-ubyte.gz" ]] || fail "resumed file not installed"
cmp -s "$SCRATCH/b/mnist/t10k-labels-idx1-ubyte.gz" "$MIRROR/mnist/t10k-labels-idx1-ubyte.gz" || fail "resumed file differs"

echo "5. offline without a mirror: lists what is missing and exits 1"
(( status == 1 )) || fail "expected exit status 1 offline, got $status"
grep -q "MISSING" "$SCRATCH/err" || fail "no MISSING report"
grep -q "silverbox/sb.csv" "$SCRATCH/err" || fail "missing list does not name silverbox/sb.csv"
[[ ! -e "$SCRATCH/b/silverbox/sb.csv" ]] || fail "an unverified file appeared under its final name"
cmp -s "$SCRATCH/b/point_cloud/reference-pointcloud-2d.csv" "$ROOT/Datasets/point_cloud/reference-pointcloud-2d.csv" \
    || fail "the point-cloud set shipped with the repository was not installed offline"
echo "test-fetch-data: all checks passed"

#!/usr/bin/env bash
# `make mpi-check`: data-parallel training over Open MPI (needs `make deps-mpi`): about two minutes after a
# release build with the MPI trait into its own scratch path:
#   1. the default build links no MPI and refuses --data-parallel with a typed error naming the fix;
#   2. a release build with `--traits MPI` (scratch path $MPI_BUILD, default .build-mpi, so the default
#      build is never touched): `mpirun -np 2 mpi-check` trains a few MNIST-shaped steps (HBNODE, 14×14 images,
#      batch 8, dopri5 at 1e-5 with the backsolve adjoint) with the full norm and with the seminorm, each
#      against one process on the whole batch: the same forward/backward NFE at every step and parameters
#      within 1e-5 relative, identical on both ranks;
#   3. ranks launched with different settings stop at start-up, naming the configuration fingerprints;
#   4. a rank that exits before a step (status 3) ends the job: mpirun exits non-zero within the
#      timeout instead of leaving the other rank waiting in its all-reduce;
#   5. `reproduce-section-5 --profile quick --experiment mnist --data-parallel` under mpirun -np 2 against the
#      same run in one process: every family's epoch log has the same NFE and accuracies, losses within 1e-4
#      relative (the test loss follows an update whose gradient was summed in another order), and only rank
#      0 wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
MPI_BUILD=${MPI_BUILD:-.build-mpi}
TIMEOUT=${TIMEOUT:-300}
start=$(date +%s)
mpirun=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
# One OpenBLAS and convolution thread per rank: two ranks on two cores.
export OPENBLAS_NUM_THREADS=1

echo "=== 1. the default build has no MPI ==="
$SWIFT build --product mpi-check >/dev/null
plain=$($SWIFT build --show-bin-path)/mpi-check
if ldd "$plain" | grep -q libmpi; then echo "mpi-check: the default build links MPI"; exit 1; fi
set +e; message=$("$plain" 2>&1); status=$?; set -e
echo "$message"
[ "$status" -ne 0 ] && grep -q "needs MPI, but this build has none" <<<"$message" || { echo "mpi-check: expected the typed 'needs MPI' error"; exit 1; }

echo "=== 2. mpirun -np 2 against one process ==="
# Release: the debug build takes minutes per training step of even these small images.
$SWIFT build -c release --traits MPI --scratch-path "$MPI_BUILD" --product mpi-check >/dev/null
binary=$($SWIFT build -c release --traits MPI --scratch-path "$MPI_BUILD" --show-bin-path)/mpi-check
ldd "$binary" | grep -q libmpi || { echo "mpi-check: the MPI build does not link libmpi"; exit 1; }
timeout "$TIMEOUT" "${mpirun[@]}" -np 2 "$binary"
timeout "$TIMEOUT" "${mpirun[@]}" -np 2 "$binary" --seminorm --steps 2

echo "=== 3. ranks with different settings ==="
set +e
message=$(timeout "$TIMEOUT" "${mpirun[@]}" -np 1 "$binary" --tolerance 1e-5 : -np 1 "$binary" --tolerance 1e-4 2>&1); status=$?
set -e
grep -m2 "disagree" <<<"$message" || true
[ "$status" -ne 0 ] && [ "$status" -ne 124 ] && grep -q "the ranks disagree on the configuration fingerprint" <<<"$message" \
  || { echo "mpi-check: expected a configuration mismatch error, got status $status:"; echo "$message"; exit 1; }

echo "=== 4. a rank that dies ==="
set +e
t0=$(date +%s)
message=$(timeout "$TIMEOUT" "${mpirun[@]}" -np 2 "$binary" --exit-rank 1 --exit-step 1 2>&1); status=$?
set -e
grep -m3 "fault injection\|exited\|non-zero" <<<"$message" || true
if [ "$status" -eq 0 ] || [ "$status" -eq 124 ]; then
  echo "mpi-check: the job with a dead rank exited with $status (124 = hung until the timeout)"; echo "$message"; exit 1
fi
echo "the job ended with status $status $(( $(date +%s) - t0 )) s after its start"
echo "=== 5. reproduce-section-5 --data-parallel against one process ==="
$SWIFT build -c release --traits MPI --scratch-path "$MPI_BUILD" --product reproduce-section-5 >/dev/null
section5=$($SWIFT build -c release --traits MPI --scratch-path "$MPI_BUILD" --show-bin-path)/reproduce-section-5
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
timeout "$TIMEOUT" "${mpirun[@]}" -np 2 "$section5" --profile quick --experiment mnist --data-parallel --output "$runs/parallel" >"$runs/parallel.log" 2>&1 \
  || { cat "$runs/parallel.log"; echo "mpi-check: the data-parallel section 5 run failed"; exit 1; }
timeout "$TIMEOUT" "$section5" --profile quick --experiment mnist --jobs 1 --output "$runs/serial" >"$runs/serial.log" 2>&1 \
  || { cat "$runs/serial.log"; echo "mpi-check: the one-process section 5 run failed"; exit 1; }
python3 - "$runs/serial/section-5/mnist" "$runs/parallel/section-5/mnist" <<'PY'
import csv, glob, os, sys
serial, parallel = sys.argv[1:3]
logs = sorted(glob.glob(os.path.join(serial, "*-epochs.csv")))
assert logs, f"no epoch logs in {serial}"
exact = {"epoch", "forward_nfe", "backward_nfe", "test_nfe", "train_accuracy", "test_accuracy"}
close = {"train_loss", "test_loss"}
for path in logs:
    name = os.path.basename(path)
    a = list(csv.DictReader(open(path)))
    b = list(csv.DictReader(open(os.path.join(parallel, name))))
    assert len(a) == len(b), f"{name}: {len(a)} rows in one process, {len(b)} data-parallel"
    for ra, rb in zip(a, b):
        for key in exact:
            assert ra[key] == rb[key], f"{name} epoch {ra['epoch']}: {key} {ra[key]} in one process, {rb[key]} data-parallel"
        for key in close:
            x, y = float(ra[key]), float(rb[key])
            assert abs(x - y) <= 1e-4 * max(abs(x), 1e-12), f"{name} epoch {ra['epoch']}: {key} {x} vs {y}"
    print(f"{name}: {len(a)} epoch(s), NFE {a[-1]['forward_nfe']}/{a[-1]['backward_nfe']} in both, losses within 1e-4")
PY
[ -f "$runs/parallel/section-5/mnist/REPORT.md" ] || { echo "mpi-check: rank 0 wrote no REPORT.md"; exit 1; }
if ls "${TMPDIR:-/tmp}" | grep -q "^hbnode-rank"; then echo "mpi-check: a rank left its private folder behind"; exit 1; fi

echo "mpi-check: all checks passed in $(( $(date +%s) - start )) s"

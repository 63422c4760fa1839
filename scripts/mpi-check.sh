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
#      timeout instead of leaving the other rank waiting in its all-reduce.
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
echo "mpi-check: all checks passed in $(( $(date +%s) - start )) s"

#!/bin/bash
# Runs adjoint-bench once per method and size (one process each, so peak RSS is per method).
# Sets OPENBLAS_CORETYPE=SkylakeX only when unset and the CPU has AVX-512 (see the root README, "OpenBLAS kernel").
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product adjoint-bench
B=.build/release/adjoint-bench
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; fi
for m in backsolve seminorm direct checkpointed; do "$B" --method "$m" --batch 64 --repeats 1; done
for T in 1 4; do for m in backsolve direct checkpointed; do "$B" --method "$m" --batch 16 --end "$T" --repeats 1; done; done

#!/usr/bin/env bash
# Builds and runs the Tensor benchmark (release). Arguments pass through (--quick, --only gemm,conv,...).
#
# OpenBLAS 0.3.21 misdetects some AVX-512 CPUs and falls back to a generic kernel 4-6x slower. Where
# OPENBLAS_CORETYPE is unset and the CPU has AVX-512 (avx512f in /proc/cpuinfo), this sets SkylakeX.
# A value already set is never overridden, and without AVX-512 nothing is set: forcing SkylakeX on a
# CPU without it dies with SIGILL (seen on an AVX2-only AMD EPYC, whose Zen kernel OpenBLAS picks itself).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
    export OPENBLAS_CORETYPE=SkylakeX
fi
swift build -c release --package-path "$here" --product tensor-bench >&2
exec "$here/.build/release/tensor-bench" "$@"

#ifndef HBNODE_SMALL_MATRIX_KERNELS_H
#define HBNODE_SMALL_MATRIX_KERNELS_H

#include <stdbool.h>

// The Winograd tile transforms share this target and its cpuid check; including them here makes the
// module see them even through a module cache built before that header existed.
#include "winograd_transforms.h"
#include "vector_math_kernels.h"
#include "buffer_kernels.h"

/// True when this CPU runs `hb_small_sgemm_avx2` (AVX2 and FMA, with the OS saving YMM state).
bool hb_small_kernels_have_avx2(void);

/// `C ← (accumulate ? C : 0) + A·B` in single precision with AVX2 + FMA, for products too small for BLAS.
///
/// `A[i, p] = a[i·a_row_stride + p·a_column_stride]`, `B[p, j] = b[p·ldb + j]`, `C[i, j] = c[i·ldc + j]`.
/// Columns go in whole blocks of 8 over `n` rounded up to a multiple of 8, so `B`'s and `C`'s rows must
/// hold that many readable and writable elements. Call only when `hb_small_kernels_have_avx2()`.
void hb_small_sgemm_avx2(long m, long n, long k, const float *a, long a_row_stride, long a_column_stride,
                         const float *b, long ldb, float *c, long ldc, bool accumulate);

#endif

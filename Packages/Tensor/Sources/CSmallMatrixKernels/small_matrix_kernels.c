// Register-blocked single-precision products for the small dense vector fields. The functions carry
// their own target attribute, so the package builds for the baseline x86-64 and uses AVX2 + FMA only on
// CPUs that report them (checked with cpuid at run time).
#include "small_matrix_kernels.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

bool hb_small_kernels_have_avx2(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool fma = ecx & (1u << 12), osxsave = ecx & (1u << 27), avx = ecx & (1u << 28);
    if (!(fma && osxsave && avx)) return false;
    // The OS must save the YMM registers (XCR0 bits 1 and 2).
    unsigned int xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6u) != 6u) return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    return ebx & (1u << 5);
}

#define HB_AVX2 __attribute__((target("avx2,fma")))

// One tile of R rows by V vectors of 8 columns: R·V accumulators stay in registers over the whole k loop.
// R and V are constants at every call, so the loops below unroll completely.
HB_AVX2 static inline __attribute__((always_inline)) void tile(
    const int R, const int V, long k, const float *a, long a_row_stride, long a_column_stride,
    const float *b, long ldb, float *c, long ldc, bool accumulate) {
    __m256 sum[4][2];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < V; v++)
            sum[r][v] = accumulate ? _mm256_loadu_ps(c + r * ldc + 8 * v) : _mm256_setzero_ps();
    for (long p = 0; p < k; p++) {
        __m256 row[2];
        for (int v = 0; v < V; v++) row[v] = _mm256_loadu_ps(b + 8 * v);
        for (int r = 0; r < R; r++) {
            const __m256 x = _mm256_broadcast_ss(a + r * a_row_stride);
            for (int v = 0; v < V; v++) sum[r][v] = _mm256_fmadd_ps(x, row[v], sum[r][v]);
        }
        a += a_column_stride;
        b += ldb;
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < V; v++) _mm256_storeu_ps(c + r * ldc + 8 * v, sum[r][v]);
}

HB_AVX2 void hb_small_sgemm_avx2(long m, long n, long k, const float *a, long a_row_stride, long a_column_stride,
                                 const float *b, long ldb, float *c, long ldc, bool accumulate) {
    const long columns = (n + 7) / 8 * 8;
    long j = 0;
    // 4×16 tiles: 8 accumulators, 2 row vectors and a broadcast in 16 YMM registers.
    for (; j + 16 <= columns; j += 16) {
        long i = 0;
        for (; i + 4 <= m; i += 4)
            tile(4, 2, k, a + i * a_row_stride, a_row_stride, a_column_stride, b + j, ldb, c + i * ldc + j, ldc, accumulate);
        for (; i < m; i++)
            tile(1, 2, k, a + i * a_row_stride, a_row_stride, a_column_stride, b + j, ldb, c + i * ldc + j, ldc, accumulate);
    }
    for (; j < columns; j += 8) {
        long i = 0;
        for (; i + 4 <= m; i += 4)
            tile(4, 1, k, a + i * a_row_stride, a_row_stride, a_column_stride, b + j, ldb, c + i * ldc + j, ldc, accumulate);
        for (; i < m; i++)
            tile(1, 1, k, a + i * a_row_stride, a_row_stride, a_column_stride, b + j, ldb, c + i * ldc + j, ldc, accumulate);
    }
}

#else

bool hb_small_kernels_have_avx2(void) { return false; }

void hb_small_sgemm_avx2(long m, long n, long k, const float *a, long a_row_stride, long a_column_stride,
                         const float *b, long ldb, float *c, long ldc, bool accumulate) {
    (void)m; (void)n; (void)k; (void)a; (void)a_row_stride; (void)a_column_stride;
    (void)b; (void)ldb; (void)c; (void)ldc; (void)accumulate;
    __builtin_trap();  // never called: hb_small_kernels_have_avx2() is false here
}

#endif

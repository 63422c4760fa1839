// AVX2 loops over small buffers (see buffer_kernels.h). No fused multiply-adds: the solvers' combinations
// must round as their portable Swift loops do, so results do not depend on the CPU.
#include "buffer_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang fp contract(off)

#define HB_AVX2 __attribute__((target("avx2,fma")))

// Lanes 0..<count set (count in 0...8).
HB_AVX2 static inline __m256i tail_mask(long count) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), lanes);
}

HB_AVX2 void hb_copy_rows_avx2(float *dst, long ldd, const float *src, long lds, long rows, long width) {
    const long whole = width / 8 * 8;
    const __m256i mask = tail_mask(width - whole);
    for (long r = 0; r < rows; r++) {
        const float *s = src + r * lds;
        float *d = dst + r * ldd;
        long j = 0;
        for (; j < whole; j += 8) _mm256_storeu_ps(d + j, _mm256_loadu_ps(s + j));
        if (j < width) _mm256_maskstore_ps(d + j, mask, _mm256_maskload_ps(s + j, mask));
    }
}

HB_AVX2 void hb_linear_combination_avx2(float *out, long n, float base_coefficient, const float *base,
                                        const float *coefficients, const float *const *terms, long count) {
    const __m256 c = _mm256_set1_ps(base_coefficient);
    const int base_kind = base_coefficient == 0 ? 0 : base_coefficient == 1 ? 1 : 2;
    long i = 0;
    for (; i < n; i += 8) {
        const long lanes = n - i < 8 ? n - i : 8;
        const __m256i mask = tail_mask(lanes);
        __m256 acc;
        if (base_kind == 0) acc = _mm256_setzero_ps();
        else if (lanes == 8) acc = _mm256_loadu_ps(base + i);
        else acc = _mm256_maskload_ps(base + i, mask);
        if (base_kind == 2) acc = _mm256_mul_ps(c, acc);
        for (long j = 0; j < count; j++) {
            const float a = coefficients[j];
            if (a == 0) continue;
            const __m256 t = lanes == 8 ? _mm256_loadu_ps(terms[j] + i) : _mm256_maskload_ps(terms[j] + i, mask);
            acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(a), t));
        }
        if (lanes == 8) _mm256_storeu_ps(out + i, acc);
        else _mm256_maskstore_ps(out + i, mask, acc);
    }
}

#else

// Never called: hb_small_kernels_have_avx2() is false on other architectures.
void hb_copy_rows_avx2(float *dst, long ldd, const float *src, long lds, long rows, long width) {
    (void)dst; (void)ldd; (void)src; (void)lds; (void)rows; (void)width; __builtin_trap();
}
void hb_linear_combination_avx2(float *out, long n, float base_coefficient, const float *base,
                                const float *coefficients, const float *const *terms, long count) {
    (void)out; (void)n; (void)base_coefficient; (void)base; (void)coefficients; (void)terms; (void)count;
    __builtin_trap();
}

#endif

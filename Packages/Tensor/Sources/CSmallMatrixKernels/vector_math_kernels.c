// AVX2 lanes of the portable Float kernels (FastMath.swift, ElementwiseOps.swift in Tensors): the same
// Cephes range reduction and polynomials, operation for operation. Contraction into FMA is switched off
// because Swift never contracts: an FMA would round differently from the portable path, and the compiled
// vector fields must match the tape path (which runs the same kernels) bit for bit.
#include "vector_math_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#pragma clang fp contract(off)

#define HB_AVX2 __attribute__((target("avx2,fma")))
#define HB_INLINE static inline __attribute__((always_inline))

// Cody–Waite reduction x = n·ln2 + r and the Cephes expf polynomial: q = eʳ − 1 = r + r²·P(r), and n.
HB_AVX2 HB_INLINE __m256 exp_reduction(__m256 x, __m256i *k) {
    const __m256 shifter = _mm256_set1_ps(12582912.0f);
    const __m256 t = _mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)), shifter);
    const __m256 n = _mm256_sub_ps(t, shifter);
    const __m256 r = _mm256_sub_ps(_mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(0.693359375f))),
                                   _mm256_mul_ps(n, _mm256_set1_ps(-2.1219444e-4f)));
    __m256 p = _mm256_set1_ps(1.98756915e-4f);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(5.0000001201e-1f));
    *k = _mm256_sub_epi32(_mm256_castps_si256(t), _mm256_set1_epi32(0x4B400000));
    return _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(p, r), r), r);
}

// 2ᵏ for k in [-126, 127], built in the exponent field.
HB_AVX2 HB_INLINE __m256 power_of_two(__m256i k) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(127)), 23));
}

// Swift.min(x, c) = c < x ? c : x and Swift.max(x, c) = c >= x ? c : x keep a NaN x; so do
// _mm256_min_ps(c, x) and _mm256_max_ps(c, x), which return their second operand when either is NaN.
HB_AVX2 HB_INLINE __m256 exp8(__m256 x) {
    const __m256 low = _mm256_set1_ps(-87.33654f), high = _mm256_set1_ps(88.72283f);
    const __m256 clamped = _mm256_min_ps(high, _mm256_max_ps(low, x));
    __m256i k;
    const __m256 q = exp_reduction(clamped, &k);
    const __m256i half = _mm256_srai_epi32(k, 1);
    const __m256 scale_a = power_of_two(half), scale_b = power_of_two(_mm256_sub_epi32(k, half));
    __m256 result = _mm256_mul_ps(_mm256_mul_ps(_mm256_add_ps(q, _mm256_set1_ps(1.0f)), scale_a), scale_b);
    result = _mm256_blendv_ps(result, _mm256_setzero_ps(), _mm256_cmp_ps(x, low, _CMP_LT_OQ));
    result = _mm256_blendv_ps(result, _mm256_set1_ps(__builtin_inff()), _mm256_cmp_ps(x, high, _CMP_GT_OQ));
    return _mm256_blendv_ps(result, x, _mm256_cmp_ps(x, x, _CMP_NEQ_UQ));
}

HB_AVX2 HB_INLINE __m256 abs8(__m256 x) {
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
}

HB_AVX2 HB_INLINE __m256 tanh8(__m256 x) {
    const __m256 z = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
    p = _mm256_add_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(2.06390887954e-2f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(5.37397155531e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(1.33314422036e-1f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, z), _mm256_set1_ps(3.33332819422e-1f));
    const __m256 small = _mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(p, z), x), x);
    const __m256 magnitude = abs8(x);
    const __m256 a = _mm256_min_ps(_mm256_set1_ps(44.0f), magnitude);
    const __m256 e = exp8(_mm256_add_ps(a, a));  // 2·a is exact, as Swift's `2 * a`
    __m256 large = _mm256_sub_ps(_mm256_set1_ps(1.0f), _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, _mm256_set1_ps(1.0f))));
    large = _mm256_blendv_ps(large, _mm256_xor_ps(large, _mm256_set1_ps(-0.0f)), _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ));
    return _mm256_blendv_ps(large, small, _mm256_cmp_ps(magnitude, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
}

HB_AVX2 HB_INLINE __m256 sigmoid8(__m256 x) {
    const __m256 e = exp8(_mm256_xor_ps(abs8(x), _mm256_set1_ps(-0.0f)));
    const __m256 s = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
    return _mm256_blendv_ps(_mm256_mul_ps(e, s), s, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ));
}

// alpha·(eˣ − 1) for x clamped to [-17.5, 0] (elementExpMinusOneNonPositive), x itself when positive.
HB_AVX2 HB_INLINE __m256 elu8(__m256 x, __m256 alpha) {
    const __m256 clamped = _mm256_min_ps(_mm256_setzero_ps(), _mm256_max_ps(_mm256_set1_ps(-17.5f), x));
    __m256i k;
    const __m256 q = exp_reduction(clamped, &k);
    const __m256 scale = power_of_two(k);
    const __m256 negative = _mm256_mul_ps(alpha, _mm256_add_ps(_mm256_mul_ps(scale, q), _mm256_sub_ps(scale, _mm256_set1_ps(1.0f))));
    return _mm256_blendv_ps(negative, x, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ));
}

// The loops: whole vectors, then the tail through a zero-padded vector on the stack (the lanes are
// independent, so padding changes no result).
#define HB_MAP(NAME, EXPR)                                                          \
    HB_AVX2 void NAME(const float *x, float *y, long n) {                           \
        long i = 0;                                                                 \
        for (; i + 8 <= n; i += 8) {                                                \
            const __m256 v = _mm256_loadu_ps(x + i);                                \
            _mm256_storeu_ps(y + i, EXPR);                                          \
        }                                                                           \
        if (i < n) {                                                                \
            float tail[8] = {0};                                                    \
            memcpy(tail, x + i, (size_t)(n - i) * sizeof(float));                   \
            const __m256 v = _mm256_loadu_ps(tail);                                 \
            _mm256_storeu_ps(tail, EXPR);                                           \
            memcpy(y + i, tail, (size_t)(n - i) * sizeof(float));                   \
        }                                                                           \
    }

HB_MAP(hb_vector_exp_avx2, exp8(v))
HB_MAP(hb_vector_tanh_avx2, tanh8(v))
HB_MAP(hb_vector_sigmoid_avx2, sigmoid8(v))

HB_AVX2 void hb_vector_elu_avx2(const float *x, float *y, long n, float alpha) {
    const __m256 a = _mm256_set1_ps(alpha);
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, elu8(_mm256_loadu_ps(x + i), a));
    if (i < n) {
        float tail[8] = {0};
        memcpy(tail, x + i, (size_t)(n - i) * sizeof(float));
        _mm256_storeu_ps(tail, elu8(_mm256_loadu_ps(tail), a));
        memcpy(y + i, tail, (size_t)(n - i) * sizeof(float));
    }
}

HB_AVX2 void hb_vector_elu_derivative_avx2(float *g, const float *x, const float *y, long n, float alpha) {
    const __m256 a = _mm256_set1_ps(alpha);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 gv = _mm256_loadu_ps(g + i);
        const __m256 negative = _mm256_mul_ps(gv, _mm256_add_ps(_mm256_loadu_ps(y + i), a));
        _mm256_storeu_ps(g + i, _mm256_blendv_ps(negative, gv, _mm256_cmp_ps(_mm256_loadu_ps(x + i), _mm256_setzero_ps(), _CMP_GT_OQ)));
    }
    for (; i < n; i++) g[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + alpha);
}

HB_AVX2 void hb_vector_tanh_derivative_avx2(float *g, const float *y, long n) {
    const __m256 one = _mm256_set1_ps(1.0f);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 yv = _mm256_loadu_ps(y + i);
        _mm256_storeu_ps(g + i, _mm256_mul_ps(_mm256_loadu_ps(g + i), _mm256_sub_ps(one, _mm256_mul_ps(yv, yv))));
    }
    for (; i < n; i++) g[i] = g[i] * (1 - y[i] * y[i]);
}

HB_AVX2 void hb_vector_sigmoid_derivative_avx2(float *g, const float *y, long n) {
    const __m256 one = _mm256_set1_ps(1.0f);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 yv = _mm256_loadu_ps(y + i);
        _mm256_storeu_ps(g + i, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(g + i), yv), _mm256_sub_ps(one, yv)));
    }
    for (; i < n; i++) g[i] = g[i] * y[i] * (1 - y[i]);
}

#else

// Never called: hb_small_kernels_have_avx2() is false on other architectures.
void hb_vector_exp_avx2(const float *x, float *y, long n) { (void)x; (void)y; (void)n; __builtin_trap(); }
void hb_vector_tanh_avx2(const float *x, float *y, long n) { (void)x; (void)y; (void)n; __builtin_trap(); }
void hb_vector_sigmoid_avx2(const float *x, float *y, long n) { (void)x; (void)y; (void)n; __builtin_trap(); }
void hb_vector_elu_avx2(const float *x, float *y, long n, float alpha) {
    (void)x; (void)y; (void)n; (void)alpha; __builtin_trap();
}
void hb_vector_elu_derivative_avx2(float *g, const float *x, const float *y, long n, float alpha) {
    (void)g; (void)x; (void)y; (void)n; (void)alpha; __builtin_trap();
}
void hb_vector_tanh_derivative_avx2(float *g, const float *y, long n) { (void)g; (void)y; (void)n; __builtin_trap(); }
void hb_vector_sigmoid_derivative_avx2(float *g, const float *y, long n) { (void)g; (void)y; (void)n; __builtin_trap(); }

#endif

// The tile transforms of Winograd F(4x4, 3x3) in AVX2 + FMA: the same linear maps as the portable Swift
// `_Winograd` (its 1-D transforms are spelled out again below, operation for operation, with FMAs),
// applied to 8 tiles at once with one tile per vector lane.
//
// A tile's rows are contiguous in memory but the transform domain wants tiles in lanes, so the input
// transform loads 8 floats of each of a tile's 6 rows, combines the rows (the column transform, 8 columns
// at once), transposes the 8 tiles' results in registers (8x8) so that lanes become tiles, and applies the
// row transform across vectors. The output side works the other way round: both 1-D transforms across
// vectors, then a 4x8 transpose into each tile's 4-float rows. Compiled for AVX2 + FMA by attribute only,
// so the package still builds for baseline x86-64.
#include "winograd_transforms.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define HB_AVX2 __attribute__((target("avx2,fma")))
#define HB_INLINE static inline __attribute__((always_inline))

// MARK: 1-D transforms (vectors of 8 independent lanes)

HB_AVX2 HB_INLINE __m256 k(float x) { return _mm256_set1_ps(x); }

/// Bᵀ d: 6 -> 6 (in place).
HB_AVX2 HB_INLINE void input_1d(__m256 *s0, __m256 *s1, __m256 *s2, __m256 *s3, __m256 *s4, __m256 *s5) {
    const __m256 d0 = *s0, d1 = *s1, d2 = *s2, d3 = *s3, d4 = *s4, d5 = *s5;
    const __m256 t1 = _mm256_fnmadd_ps(k(4), d2, d4), t2 = _mm256_fnmadd_ps(k(4), d1, d3);
    const __m256 t3 = _mm256_sub_ps(d4, d2), t4 = _mm256_mul_ps(k(2), _mm256_sub_ps(d3, d1));
    *s0 = _mm256_fmadd_ps(k(4), d0, _mm256_fnmadd_ps(k(5), d2, d4));
    *s1 = _mm256_add_ps(t1, t2);
    *s2 = _mm256_sub_ps(t1, t2);
    *s3 = _mm256_add_ps(t3, t4);
    *s4 = _mm256_sub_ps(t3, t4);
    *s5 = _mm256_fmadd_ps(k(4), d1, _mm256_fnmadd_ps(k(5), d3, d5));
}

/// B v, the adjoint of input_1d: 6 -> 6 (in place).
HB_AVX2 HB_INLINE void input_adjoint_1d(__m256 *s0, __m256 *s1, __m256 *s2, __m256 *s3, __m256 *s4, __m256 *s5) {
    const __m256 v0 = *s0, v1 = *s1, v2 = *s2, v3 = *s3, v4 = *s4, v5 = *s5;
    const __m256 a = _mm256_sub_ps(v1, v2), b = _mm256_add_ps(v1, v2), c = _mm256_sub_ps(v3, v4), e = _mm256_add_ps(v3, v4);
    *s0 = _mm256_mul_ps(k(4), v0);
    *s1 = _mm256_fmadd_ps(k(4), v5, _mm256_fnmadd_ps(k(4), a, _mm256_mul_ps(k(-2), c)));
    *s2 = _mm256_fnmadd_ps(k(5), v0, _mm256_fnmadd_ps(k(4), b, _mm256_sub_ps(_mm256_setzero_ps(), e)));
    *s3 = _mm256_fnmadd_ps(k(5), v5, _mm256_fmadd_ps(k(2), c, a));
    *s4 = _mm256_add_ps(_mm256_add_ps(v0, b), e);
    *s5 = v5;
}

/// Aᵀ m: 6 -> 4.
HB_AVX2 HB_INLINE void output_1d(const __m256 m0, const __m256 m1, const __m256 m2, const __m256 m3, const __m256 m4,
                                 const __m256 m5, __m256 *y) {
    const __m256 s1 = _mm256_add_ps(m1, m2), s2 = _mm256_sub_ps(m1, m2), s3 = _mm256_add_ps(m3, m4), s4 = _mm256_sub_ps(m3, m4);
    y[0] = _mm256_add_ps(_mm256_add_ps(m0, s1), s3);
    y[1] = _mm256_fmadd_ps(k(2), s4, s2);
    y[2] = _mm256_fmadd_ps(k(4), s3, s1);
    y[3] = _mm256_add_ps(_mm256_fmadd_ps(k(8), s4, s2), m5);
}

/// A y, the adjoint of output_1d: 4 -> 6.
HB_AVX2 HB_INLINE void output_adjoint_1d(const __m256 y0, const __m256 y1, const __m256 y2, const __m256 y3, __m256 *s) {
    const __m256 even = _mm256_add_ps(y0, y2), odd = _mm256_add_ps(y1, y3);
    const __m256 even4 = _mm256_fmadd_ps(k(4), y2, y0), odd8 = _mm256_fmadd_ps(k(8), y3, _mm256_mul_ps(k(2), y1));
    s[0] = y0;
    s[1] = _mm256_add_ps(even, odd);
    s[2] = _mm256_sub_ps(even, odd);
    s[3] = _mm256_add_ps(even4, odd8);
    s[4] = _mm256_sub_ps(even4, odd8);
    s[5] = y3;
}

// MARK: Transposes

/// r[i][j] <- r[j][i] for an 8x8 block of floats in 8 registers.
HB_AVX2 HB_INLINE void transpose_8x8(__m256 *r) {
    const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/// A 4x4 transpose within each 128-bit half of four vectors. Applied to the 4 values of a tile row as
/// vectors over 8 tiles, it gives per tile a 4-float row: q[t] holds tile t in its low half and tile t + 4
/// in its high half (t = 0...3). It is its own inverse, so it also turns such rows back into vectors over
/// tiles.
HB_AVX2 HB_INLINE void transpose_4x4_halves(const __m256 *a, __m256 *q) {
    const __m256 t0 = _mm256_unpacklo_ps(a[0], a[1]), t1 = _mm256_unpackhi_ps(a[0], a[1]);
    const __m256 t2 = _mm256_unpacklo_ps(a[2], a[3]), t3 = _mm256_unpackhi_ps(a[2], a[3]);
    q[0] = _mm256_shuffle_ps(t0, t2, 0x44);
    q[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
    q[2] = _mm256_shuffle_ps(t1, t3, 0x44);
    q[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
}

// MARK: Kernels

HB_AVX2 void hb_winograd_input_avx2(const float *padded, long channels, long plane, long padded_width,
                                    const long *tile_base, long lanes, float *v) {
    for (long ic = 0; ic < channels; ic++) {
        const float *source = padded + ic * plane;
        float *target = v + ic * 36 * lanes;
        for (long group = 0; group < lanes; group += 8) {
            // columns[i][t]: row i of Bᵀ d for tile t, 8 columns (the first 6 are the tile's).
            __m256 columns[6][8];
            for (int t = 0; t < 8; t++) {
                const float *d = source + tile_base[group + t];
                __m256 r0 = _mm256_loadu_ps(d), r1 = _mm256_loadu_ps(d + padded_width);
                __m256 r2 = _mm256_loadu_ps(d + 2 * padded_width), r3 = _mm256_loadu_ps(d + 3 * padded_width);
                __m256 r4 = _mm256_loadu_ps(d + 4 * padded_width), r5 = _mm256_loadu_ps(d + 5 * padded_width);
                input_1d(&r0, &r1, &r2, &r3, &r4, &r5);
                columns[0][t] = r0; columns[1][t] = r1; columns[2][t] = r2;
                columns[3][t] = r3; columns[4][t] = r4; columns[5][t] = r5;
            }
            for (int i = 0; i < 6; i++) {
                __m256 *x = columns[i];
                transpose_8x8(x);  // x[j] lane t: element (i, j) of tile t
                input_1d(&x[0], &x[1], &x[2], &x[3], &x[4], &x[5]);
                for (int j = 0; j < 6; j++) _mm256_storeu_ps(target + (6 * i + j) * lanes + group, x[j]);
            }
        }
    }
}

HB_AVX2 void hb_winograd_input_gradient_avx2(const float *dv, long channels, long images, long plane, long padded_width,
                                             const long *tile_base, long lanes, long count, float *padded) {
    for (long ic = 0; ic < channels; ic++) {
        for (long n = 0; n < images; n++) memset(padded + (n * channels + ic) * plane, 0, (size_t)plane * sizeof(float));
        float *target = padded + ic * plane;
        const float *source = dv + ic * 36 * lanes;
        for (long group = 0; group < lanes && group < count; group += 8) {
            __m256 s[36];
            for (int xi = 0; xi < 36; xi++) s[xi] = _mm256_loadu_ps(source + xi * lanes + group);
            for (int i = 0; i < 6; i++) input_adjoint_1d(&s[6 * i], &s[6 * i + 1], &s[6 * i + 2], &s[6 * i + 3], &s[6 * i + 4], &s[6 * i + 5]);
            for (int j = 0; j < 6; j++) input_adjoint_1d(&s[j], &s[6 + j], &s[12 + j], &s[18 + j], &s[24 + j], &s[30 + j]);
            // rows[i][t]: row i of tile t's 6x6 block (and 2 zeros).
            __m256 rows[6][8];
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) rows[i][j] = s[6 * i + j];
                rows[i][6] = rows[i][7] = _mm256_setzero_ps();
                transpose_8x8(rows[i]);
            }
            const long real = count - group < 8 ? count - group : 8;
            for (long t = 0; t < real; t++) {
                float *d = target + tile_base[group + t];
                for (int i = 0; i < 6; i++) {
                    float *line = d + i * padded_width;
                    _mm256_storeu_ps(line, _mm256_add_ps(_mm256_loadu_ps(line), rows[i][t]));
                }
            }
        }
    }
}

HB_AVX2 void hb_winograd_output_avx2(const float *m, long channels, long lanes, long count, const long *output_base,
                                     const long *pixel_base, const long *rows, const long *cols, const bool *is_edge,
                                     long out_plane, long out_width, const float *channel_bias, const float *border_bias,
                                     float *y) {
    for (long oc = 0; oc < channels; oc++) {
        const __m256 bias = _mm256_set1_ps(channel_bias ? channel_bias[oc] : 0.0f);
        const float *source = m + oc * 36 * lanes;
        for (long group = 0; group < lanes && group < count; group += 8) {
            // Columns first (over the 6 rows), then rows, as Aᵀ M A in the portable transform.
            __m256 half[4][6];
            for (int j = 0; j < 6; j++) {
                __m256 column[4];
                output_1d(_mm256_loadu_ps(source + j * lanes + group), _mm256_loadu_ps(source + (6 + j) * lanes + group),
                          _mm256_loadu_ps(source + (12 + j) * lanes + group), _mm256_loadu_ps(source + (18 + j) * lanes + group),
                          _mm256_loadu_ps(source + (24 + j) * lanes + group), _mm256_loadu_ps(source + (30 + j) * lanes + group),
                          column);
                for (int i = 0; i < 4; i++) half[i][j] = column[i];
            }
            // out[i][t]: row i of tile t (low half: tile t, high half: tile t + 4; t < 4).
            __m256 out[4][4];
            for (int i = 0; i < 4; i++) {
                __m256 line[4];
                output_1d(half[i][0], half[i][1], half[i][2], half[i][3], half[i][4], half[i][5], line);
                for (int l = 0; l < 4; l++) line[l] = _mm256_add_ps(line[l], bias);
                transpose_4x4_halves(line, out[i]);
            }
            const long real = count - group < 8 ? count - group : 8;
            for (long t = 0; t < real; t++) {
                const long tile = group + t;
                float *d = y + output_base[tile] + oc * out_plane;
                const bool border = border_bias && is_edge[tile];
                if (rows[tile] == 4 && cols[tile] == 4) {
                    // Whole tiles (all but the bottom and right edges of odd sizes), the border part of the
                    // bias included: about half of a 28x28 image's tiles touch its border.
                    const float *e = border ? border_bias + oc * out_plane + pixel_base[tile] : NULL;
                    for (int i = 0; i < 4; i++) {
                        __m128 row = t < 4 ? _mm256_castps256_ps128(out[i][t]) : _mm256_extractf128_ps(out[i][t - 4], 1);
                        if (e) row = _mm_add_ps(row, _mm_loadu_ps(e + i * out_width));
                        _mm_storeu_ps(d + i * out_width, row);
                    }
                } else {
                    float block[4][4];
                    for (int i = 0; i < 4; i++)
                        _mm_storeu_ps(block[i], t < 4 ? _mm256_castps256_ps128(out[i][t]) : _mm256_extractf128_ps(out[i][t - 4], 1));
                    const float *e = border ? border_bias + oc * out_plane + pixel_base[tile] : NULL;
                    for (long i = 0; i < rows[tile]; i++)
                        for (long j = 0; j < cols[tile]; j++)
                            d[i * out_width + j] = e ? block[i][j] + e[i * out_width + j] : block[i][j];
                }
            }
        }
    }
}

HB_AVX2 void hb_winograd_output_gradient_avx2(const float *dy, long channels, long lanes, long count, const long *output_base,
                                              const long *rows, const long *cols, long out_plane, long out_width, float *dm) {
    for (long oc = 0; oc < channels; oc++) {
        float *target = dm + oc * 36 * lanes;
        for (long group = 0; group < lanes; group += 8) {
            // q[i][t]: row i of tiles t (low half) and t + 4 (high half); zero outside the output.
            __m128 quarter[4][8];
            for (long t = 0; t < 8; t++) {
                const long tile = group + t;
                if (tile < count && rows[tile] == 4 && cols[tile] == 4) {
                    const float *src = dy + output_base[tile] + oc * out_plane;
                    for (int i = 0; i < 4; i++) quarter[i][t] = _mm_loadu_ps(src + i * out_width);
                } else {
                    float block[4][4] = {{0}};
                    if (tile < count) {
                        const float *src = dy + output_base[tile] + oc * out_plane;
                        for (long i = 0; i < rows[tile]; i++)
                            for (long j = 0; j < cols[tile]; j++) block[i][j] = src[i * out_width + j];
                    }
                    for (int i = 0; i < 4; i++) quarter[i][t] = _mm_loadu_ps(block[i]);
                }
            }
            // a[i][l]: element (i, l) of the 8 tiles.
            __m256 a[4][4];
            for (int i = 0; i < 4; i++) {
                __m256 q[4];
                for (int t = 0; t < 4; t++) q[t] = _mm256_set_m128(quarter[i][t + 4], quarter[i][t]);
                transpose_4x4_halves(q, a[i]);
            }
            // Rows first (A y over each row's 4 values), then columns, as A ḡ Aᵀ in the portable transform.
            __m256 wide[4][6];
            for (int i = 0; i < 4; i++) output_adjoint_1d(a[i][0], a[i][1], a[i][2], a[i][3], wide[i]);
            for (int j = 0; j < 6; j++) {
                __m256 column[6];
                output_adjoint_1d(wide[0][j], wide[1][j], wide[2][j], wide[3][j], column);
                for (int i = 0; i < 6; i++) _mm256_storeu_ps(target + (6 * i + j) * lanes + group, column[i]);
            }
        }
    }
}

#else

static void hb_winograd_unavailable(void) { __builtin_trap(); }  // never called: hb_small_kernels_have_avx2() is false

void hb_winograd_input_avx2(const float *padded, long channels, long plane, long padded_width,
                            const long *tile_base, long lanes, float *v) {
    (void)padded; (void)channels; (void)plane; (void)padded_width; (void)tile_base; (void)lanes; (void)v;
    hb_winograd_unavailable();
}

void hb_winograd_input_gradient_avx2(const float *dv, long channels, long images, long plane, long padded_width,
                                     const long *tile_base, long lanes, long count, float *padded) {
    (void)dv; (void)channels; (void)images; (void)plane; (void)padded_width; (void)tile_base; (void)lanes; (void)count;
    (void)padded;
    hb_winograd_unavailable();
}

void hb_winograd_output_avx2(const float *m, long channels, long lanes, long count, const long *output_base,
                             const long *pixel_base, const long *rows, const long *cols, const bool *is_edge,
                             long out_plane, long out_width, const float *channel_bias, const float *border_bias,
                             float *y) {
    (void)m; (void)channels; (void)lanes; (void)count; (void)output_base; (void)pixel_base; (void)rows; (void)cols;
    (void)is_edge; (void)out_plane; (void)out_width; (void)channel_bias; (void)border_bias; (void)y;
    hb_winograd_unavailable();
}

void hb_winograd_output_gradient_avx2(const float *dy, long channels, long lanes, long count, const long *output_base,
                                      const long *rows, const long *cols, long out_plane, long out_width, float *dm) {
    (void)dy; (void)channels; (void)lanes; (void)count; (void)output_base; (void)rows; (void)cols; (void)out_plane;
    (void)out_width; (void)dm;
    hb_winograd_unavailable();
}

#endif

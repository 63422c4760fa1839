#ifndef HBNODE_BUFFER_KERNELS_H
#define HBNODE_BUFFER_KERNELS_H

// Single-precision AVX2 loops for the solvers' and compiled fields' memory passes over small buffers,
// where a libc call per row or a load and store per term cost more than the arithmetic.
// Call only when `hb_small_kernels_have_avx2()`.

/// `dst[r·ldd + j] = src[r·lds + j]` for `r < rows`, `j < width` (`lds` may be 0: one row repeated). Reads
/// and writes nothing outside those elements (masked tails).
void hb_copy_rows_avx2(float *dst, long ldd, const float *src, long lds, long rows, long width);

/// `out[i] = ((c·base[i] + a₀·t₀[i]) + a₁·t₁[i]) + …` for `i < n`, in that order, where `c·base[i]` is `0`
/// for `c = 0` and `base[i]` for `c = 1`, and terms with `aⱼ = 0` are skipped: each element is rounded
/// exactly as the portable loop (one `out[i] += aⱼ·tⱼ[i]` pass per term, no fused multiply-add) rounds
/// it, with one load per term and one store instead of a load and a store of `out` per term.
void hb_linear_combination_avx2(float *out, long n, float base_coefficient, const float *base,
                                const float *coefficients, const float *const *terms, long count);

#endif

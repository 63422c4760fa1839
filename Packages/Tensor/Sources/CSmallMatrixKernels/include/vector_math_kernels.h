#ifndef HBNODE_VECTOR_MATH_KERNELS_H
#define HBNODE_VECTOR_MATH_KERNELS_H

// Elementwise single-precision exp, tanh, sigmoid and ELU (and the activations' derivative products) with
// AVX2, eight lanes at a time. Each lane performs exactly the operations of the portable Swift kernels
// (`Float.elementExp`, `Float.elementTanh`, the stable sigmoid, ELU's `elementExpMinusOneNonPositive`),
// in the same order and without fused multiply-adds, so the results are bit-identical to them.
// `x` and `y` (and `g`) may be the same buffer. Call only when `hb_small_kernels_have_avx2()`.

/// `y[i] = eˣ`.
void hb_vector_exp_avx2(const float *x, float *y, long n);
/// `y[i] = tanh x[i]`.
void hb_vector_tanh_avx2(const float *x, float *y, long n);
/// `y[i] = 1 / (1 + e⁻ˣ)` (stable for either sign).
void hb_vector_sigmoid_avx2(const float *x, float *y, long n);
/// `y[i] = x[i] > 0 ? x[i] : alpha·(e^x[i] − 1)`.
void hb_vector_elu_avx2(const float *x, float *y, long n, float alpha);
/// `g[i] ← x[i] > 0 ? g[i] : g[i]·(y[i] + alpha)` with `y = elu(x)`.
void hb_vector_elu_derivative_avx2(float *g, const float *x, const float *y, long n, float alpha);
/// `g[i] ← g[i]·(1 − y[i]²)` with `y = tanh x`.
void hb_vector_tanh_derivative_avx2(float *g, const float *y, long n);
/// `g[i] ← g[i]·y[i]·(1 − y[i])` with `y = sigmoid x`.
void hb_vector_sigmoid_derivative_avx2(float *g, const float *y, long n);

#endif

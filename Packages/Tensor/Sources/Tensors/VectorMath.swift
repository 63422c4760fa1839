import CSmallMatrixKernels

/// Elementwise `exp`, `tanh`, sigmoid and ELU, and the activations' derivative products, over contiguous
/// buffers: the loops behind the tensor ops (``Tensor/tanh()`` …) and the compiled vector fields'
/// activations.
///
/// The portable loops over ``TensorElementFunctions`` are the reference and run for `Double` and on CPUs
/// without AVX2. `Float` runs on AVX2 kernels (C, behind the same run-time CPU check as
/// ``SmallMatrixMultiply``) that perform each lane's operations exactly as the portable kernels do, in the
/// same order and without fused multiply-adds: the two agree bit for bit, so the taped and the compiled
/// paths, and machines with and without AVX2, compute the same values. They are eight lanes wide where the
/// baseline x86-64 build of the portable loops is four.
public enum VectorMath {
    /// True when `Float` buffers run on the AVX2 kernels.
    public static var usesAVX2: Bool { SmallMatrixMultiply.hasAVX2 }

    @inlinable @inline(__always)
    static func useAVX2<Scalar: TensorScalar>(_: Scalar.Type, portable: Bool) -> Bool {
        Scalar.self == Float.self && !portable && SmallMatrixMultiply.hasAVX2
    }

    @inlinable @inline(__always)
    static func float<Scalar>(_ p: UnsafePointer<Scalar>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    @inlinable @inline(__always)
    static func float<Scalar>(_ p: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    /// `y[i] = eˣ⁽ⁱ⁾` for `i < count` (`x` and `y` may be the same buffer); `portable` forces the
    /// reference loop (tests compare the two).
    @inlinable
    public static func exp<Scalar: TensorScalar>(
        _ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int, portable: Bool = false
    ) {
        if useAVX2(Scalar.self, portable: portable) { return hb_vector_exp_avx2(float(x), float(y), count) }
        for i in 0..<count { y[i] = Scalar.elementExp(x[i]) }
    }

    /// `y[i] = tanh x[i]`.
    @inlinable
    public static func tanh<Scalar: TensorScalar>(
        _ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int, portable: Bool = false
    ) {
        if useAVX2(Scalar.self, portable: portable) { return hb_vector_tanh_avx2(float(x), float(y), count) }
        for i in 0..<count { y[i] = Scalar.elementTanh(x[i]) }
    }

    /// `y[i] = 1/(1 + e⁻ˣ⁽ⁱ⁾)`, stable for either sign (``TensorScalar/elementSigmoid(_:)``).
    @inlinable
    public static func sigmoid<Scalar: TensorScalar>(
        _ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int, portable: Bool = false
    ) {
        if useAVX2(Scalar.self, portable: portable) { return hb_vector_sigmoid_avx2(float(x), float(y), count) }
        for i in 0..<count { y[i] = Scalar.elementSigmoid(x[i]) }
    }

    /// `y[i] = x[i]` for positive `x[i]`, `alpha·(eˣ⁽ⁱ⁾ − 1)` otherwise.
    @inlinable
    public static func elu<Scalar: TensorScalar>(
        _ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int, alpha: Scalar,
        portable: Bool = false
    ) {
        if useAVX2(Scalar.self, portable: portable) {
            return hb_vector_elu_avx2(float(x), float(y), count, unsafeBitCast(alpha, to: Float.self))
        }
        for i in 0..<count { y[i] = x[i] > 0 ? x[i] : alpha * Scalar.elementExpMinusOneNonPositive(x[i]) }
    }

    /// `g[i] ← g[i]·elu'(x[i])` given the output `y = elu(x)`: `g[i]` for positive `x[i]`, else
    /// `g[i]·(y[i] + alpha)`.
    @inlinable
    public static func multiplyByELUDerivative<Scalar: TensorScalar>(
        _ g: UnsafeMutablePointer<Scalar>, input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>,
        count: Int, alpha: Scalar, portable: Bool = false
    ) {
        if useAVX2(Scalar.self, portable: portable) {
            return hb_vector_elu_derivative_avx2(float(g), float(x), float(y), count, unsafeBitCast(alpha, to: Float.self))
        }
        for i in 0..<count { g[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + alpha) }
    }

    /// `g[i] ← g[i]·(1 − y[i]²)` given `y = tanh x`.
    @inlinable
    public static func multiplyByTanhDerivative<Scalar: TensorScalar>(
        _ g: UnsafeMutablePointer<Scalar>, output y: UnsafePointer<Scalar>, count: Int, portable: Bool = false
    ) {
        if useAVX2(Scalar.self, portable: portable) { return hb_vector_tanh_derivative_avx2(float(g), float(y), count) }
        for i in 0..<count { g[i] = g[i] * (1 - y[i] * y[i]) }
    }

    /// `g[i] ← g[i]·y[i]·(1 − y[i])` given `y = sigmoid x`.
    @inlinable
    public static func multiplyBySigmoidDerivative<Scalar: TensorScalar>(
        _ g: UnsafeMutablePointer<Scalar>, output y: UnsafePointer<Scalar>, count: Int, portable: Bool = false
    ) {
        if useAVX2(Scalar.self, portable: portable) { return hb_vector_sigmoid_derivative_avx2(float(g), float(y), count) }
        for i in 0..<count { g[i] = g[i] * y[i] * (1 - y[i]) }
    }
}

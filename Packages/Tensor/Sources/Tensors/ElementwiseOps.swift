import RealModule

/// Elementwise arithmetic with broadcasting, scalar operands and elementwise math functions.
///
/// Every operation is one contiguous loop per inner run (see ``Broadcast``); the operator bodies are
/// inlined, so there is no closure call per element in release builds.
extension Tensor {
    // MARK: Tensor ⊕ Tensor (broadcasting)

    /// Elementwise sum with broadcasting.
    @inlinable public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs._broadcasting(rhs, "+") { $0 + $1 } }
    /// Elementwise difference with broadcasting.
    @inlinable public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs._broadcasting(rhs, "-") { $0 - $1 } }
    /// Elementwise product with broadcasting.
    @inlinable public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs._broadcasting(rhs, "*") { $0 * $1 } }
    /// Elementwise quotient with broadcasting.
    @inlinable public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs._broadcasting(rhs, "/") { $0 / $1 } }

    /// In-place sum; `rhs` broadcasts to `lhs`'s shape.
    @inlinable public static func += (lhs: inout Tensor, rhs: Tensor) { lhs._broadcastingInPlace(rhs, "+=") { $0 + $1 } }
    /// In-place difference; `rhs` broadcasts to `lhs`'s shape.
    @inlinable public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs._broadcastingInPlace(rhs, "-=") { $0 - $1 } }
    /// In-place product; `rhs` broadcasts to `lhs`'s shape.
    @inlinable public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs._broadcastingInPlace(rhs, "*=") { $0 * $1 } }
    /// In-place quotient; `rhs` broadcasts to `lhs`'s shape.
    @inlinable public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs._broadcastingInPlace(rhs, "/=") { $0 / $1 } }

    // MARK: Tensor ⊕ scalar

    @inlinable @inline(__always)
    func _mapScalars(_ op: (Scalar) -> Scalar) -> Tensor {
        Tensor(_shape: shape) { out, n in
            scalars.withUnsafeBufferPointer { a in
                for i in 0..<n { out[i] = op(a[i]) }
            }
        }
    }

    /// `_mapScalars` for the heavy kernels (exp, tanh, sigmoid, softplus, ELU): generic over the kernel's
    /// type instead of taking a closure. The optimiser does not inline a closure that large into the loop
    /// (with `_mapScalars`, `tanh` compiles to a scalar call per element), while the specialised
    /// `@inline(__always)` method of a kernel type always is, so the loop vectorises.
    @inlinable @inline(__always)
    func _mapKernel<Kernel: _ScalarKernel>(_ kernel: Kernel) -> Tensor where Kernel.Scalar == Scalar {
        Tensor(_shape: shape) { out, n in
            scalars.withUnsafeBufferPointer { a in
                for i in 0..<n { out[i] = kernel(a[i]) }
            }
        }
    }

    /// A new tensor written by a whole-buffer loop `body(input, output, count)` (the ``VectorMath`` kernels).
    @inlinable @inline(__always)
    func _mapBuffer(_ body: (UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Int) -> Void) -> Tensor {
        Tensor(_shape: shape) { out, n in
            scalars.withUnsafeBufferPointer { a in body(a.baseAddress!, out, n) }
        }
    }

    @inlinable @inline(__always)
    mutating func _applyInPlace(_ op: (Scalar) -> Scalar) {
        _scalars.withUnsafeMutableBufferPointer { a in
            for i in a.indices { a[i] = op(a[i]) }
        }
    }

    /// Fused elementwise map over two tensors of the same shape.
    @inlinable @inline(__always)
    func _zipMap(_ other: Tensor, _ op: (Scalar, Scalar) -> Scalar) -> Tensor {
        _require(shape == other.shape, "elementwise op: shape \(shape) does not match \(other.shape)")
        return Tensor(_shape: shape) { out, n in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<n { out[i] = op(a[i], b[i]) }
                }
            }
        }
    }

    /// Fused elementwise map over three tensors of the same shape.
    @inlinable @inline(__always)
    func _zipMap(_ b: Tensor, _ c: Tensor, _ op: (Scalar, Scalar, Scalar) -> Scalar) -> Tensor {
        _require(
            shape == b.shape && shape == c.shape,
            "elementwise op: shapes \(shape), \(b.shape) and \(c.shape) differ")
        return Tensor(_shape: shape) { out, n in
            scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    c.scalars.withUnsafeBufferPointer { pc in
                        for i in 0..<n { out[i] = op(pa[i], pb[i], pc[i]) }
                    }
                }
            }
        }
    }

    @inlinable public static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs._mapScalars { $0 + rhs } }
    @inlinable public static func + (lhs: Scalar, rhs: Tensor) -> Tensor { rhs._mapScalars { lhs + $0 } }
    @inlinable public static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs._mapScalars { $0 - rhs } }
    @inlinable public static func - (lhs: Scalar, rhs: Tensor) -> Tensor { rhs._mapScalars { lhs - $0 } }
    @inlinable public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs._mapScalars { $0 * rhs } }
    @inlinable public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs._mapScalars { lhs * $0 } }
    @inlinable public static func / (lhs: Tensor, rhs: Scalar) -> Tensor { lhs._mapScalars { $0 / rhs } }
    @inlinable public static func / (lhs: Scalar, rhs: Tensor) -> Tensor { rhs._mapScalars { lhs / $0 } }
    @inlinable public static func += (lhs: inout Tensor, rhs: Scalar) { lhs._applyInPlace { $0 + rhs } }
    @inlinable public static func -= (lhs: inout Tensor, rhs: Scalar) { lhs._applyInPlace { $0 - rhs } }
    @inlinable public static func *= (lhs: inout Tensor, rhs: Scalar) { lhs._applyInPlace { $0 * rhs } }
    @inlinable public static func /= (lhs: inout Tensor, rhs: Scalar) { lhs._applyInPlace { $0 / rhs } }

    /// Elementwise negation.
    @inlinable public static prefix func - (operand: Tensor) -> Tensor { operand._mapScalars { -$0 } }

    // MARK: Write-into variants (no allocation)

    /// `result ← lhs + rhs` into an existing buffer of the broadcast shape.
    @inlinable
    public static func add(_ lhs: Tensor, _ rhs: Tensor, into result: inout Tensor) {
        result.assign(lhs)
        result += rhs
    }

    /// `result ← lhs · rhs` (elementwise) into an existing buffer of `lhs`'s shape.
    @inlinable
    public static func multiply(_ lhs: Tensor, _ rhs: Tensor, into result: inout Tensor) {
        result.assign(lhs)
        result *= rhs
    }

    // MARK: Elementwise math

    /// `eˣ` elementwise.
    @inlinable public func exp() -> Tensor { _mapBuffer { VectorMath.exp($0, into: $1, count: $2) } }
    /// Natural logarithm elementwise.
    @inlinable public func log() -> Tensor { _mapScalars { Scalar.log($0) } }
    /// Square root elementwise.
    @inlinable public func sqrt() -> Tensor { _mapScalars { $0.squareRoot() } }
    /// `x²` elementwise.
    @inlinable public func squared() -> Tensor { _mapScalars { $0 * $0 } }
    /// Hyperbolic tangent elementwise.
    @inlinable public func tanh() -> Tensor { _mapBuffer { VectorMath.tanh($0, into: $1, count: $2) } }
    /// Logistic sigmoid `1/(1+e⁻ˣ)` elementwise, evaluated without overflow for any sign.
    @inlinable public func sigmoid() -> Tensor { _mapBuffer { VectorMath.sigmoid($0, into: $1, count: $2) } }
    /// `log(1+eˣ)` elementwise, evaluated without overflow (`max(x,0) + log1p(e^-|x|)`).
    @inlinable public func softplus() -> Tensor { _mapKernel(_SoftplusKernel()) }
    /// Absolute value elementwise.
    @inlinable public func abs() -> Tensor { _mapScalars { Swift.abs($0) } }
    /// `xᵖ` elementwise (real power; negative bases need an integral exponent, see ``pow(_:_:)->Tensor<Scalar>``).
    @inlinable public func pow(_ exponent: Scalar) -> Tensor {
        if exponent == 2 { return squared() }
        if exponent == 1 { return self }
        return _mapScalars { _pow($0, exponent) }
    }
    /// `max(x, 0)` elementwise.
    @inlinable public func relu() -> Tensor { _mapScalars { $0 > 0 ? $0 : 0 } }
    /// `x` for positive `x`, `slope·x` otherwise.
    @inlinable public func leakyRelu(slope: Scalar) -> Tensor { _mapScalars { $0 > 0 ? $0 : slope * $0 } }
    /// `x` for positive `x`, `alpha·(eˣ − 1)` otherwise.
    @inlinable public func elu(alpha: Scalar = 1) -> Tensor {
        _mapBuffer { VectorMath.elu($0, into: $1, count: $2, alpha: alpha) }
    }
    /// `x` clamped to `[min, max]`.
    @inlinable public func hardtanh(min: Scalar = -1, max: Scalar = 1) -> Tensor {
        _mapScalars { Swift.min(Swift.max($0, min), max) }
    }
    /// Elementwise maximum of two tensors (broadcasting).
    @inlinable public func maximum(_ other: Tensor) -> Tensor { _broadcasting(other, "maximum") { Swift.max($0, $1) } }
    /// Elementwise minimum of two tensors (broadcasting).
    @inlinable public func minimum(_ other: Tensor) -> Tensor { _broadcasting(other, "minimum") { Swift.min($0, $1) } }
}

/// A scalar function as a type, for ``Tensor/_mapKernel(_:)``.
@usableFromInline
protocol _ScalarKernel {
    associatedtype Scalar
    func callAsFunction(_ x: Scalar) -> Scalar
}

/// The stable softplus ``_softplus(_:)``.
@usableFromInline
struct _SoftplusKernel<Scalar: TensorScalar>: _ScalarKernel {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ x: Scalar) -> Scalar { _softplus(x) }
}

/// Stable logistic sigmoid of one value (branch-free, so loops over it vectorise).
@inlinable @inline(__always)
func _sigmoid<Scalar: TensorScalar>(_ x: Scalar) -> Scalar {
    let e = Scalar.elementExp(-Swift.abs(x))
    let s = 1 / (1 + e)
    return x >= 0 ? s : e * s
}

/// Stable softplus of one value.
@inlinable @inline(__always)
func _softplus<Scalar: TensorScalar>(_ x: Scalar) -> Scalar {
    Swift.max(x, 0) + Scalar.log(onePlus: Scalar.elementExp(-Swift.abs(x)))
}

extension TensorScalar {
    /// The stable logistic sigmoid of one value, exactly as ``Tensor/sigmoid()`` computes it: for fused
    /// loops in other modules (compiled vector fields) that must match the tensor op bit for bit.
    @inlinable @inline(__always) public static func elementSigmoid(_ x: Self) -> Self { _sigmoid(x) }
    /// The stable softplus of one value, exactly as ``Tensor/softplus()`` computes it.
    @inlinable @inline(__always) public static func elementSoftplus(_ x: Self) -> Self { _softplus(x) }
}

/// Real power with the sign of odd integral powers of negative bases kept.
@inlinable @inline(__always)
func _pow<Scalar: TensorScalar>(_ x: Scalar, _ p: Scalar) -> Scalar {
    if x >= 0 { return Scalar.pow(x, p) }
    // Negative base: only integral exponents are real.
    let magnitude = Scalar.pow(-x, p)
    let integral = p.rounded(.towardZero)
    if integral != p { return .nan }
    let odd = (integral / 2).rounded(.towardZero) * 2 != integral
    return odd ? -magnitude : magnitude
}

// MARK: Free functions (the spelling models use)

/// `eˣ` elementwise.
@inlinable public func exp<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.exp() }
/// Natural logarithm elementwise.
@inlinable public func log<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.log() }
/// Square root elementwise.
@inlinable public func sqrt<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.sqrt() }
/// Hyperbolic tangent elementwise.
@inlinable public func tanh<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.tanh() }
/// Logistic sigmoid elementwise.
@inlinable public func sigmoid<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.sigmoid() }
/// `log(1+eˣ)` elementwise.
@inlinable public func softplus<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.softplus() }
/// Absolute value elementwise.
@inlinable public func abs<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.abs() }
/// `xᵖ` elementwise.
@inlinable public func pow<Scalar>(_ x: Tensor<Scalar>, _ exponent: Scalar) -> Tensor<Scalar> { x.pow(exponent) }
/// `max(x, 0)` elementwise.
@inlinable public func relu<Scalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.relu() }
/// Leaky ReLU elementwise.
@inlinable public func leakyRelu<Scalar>(_ x: Tensor<Scalar>, slope: Scalar = 0.01) -> Tensor<Scalar> {
    x.leakyRelu(slope: slope)
}
/// ELU elementwise.
@inlinable public func elu<Scalar>(_ x: Tensor<Scalar>, alpha: Scalar = 1) -> Tensor<Scalar> { x.elu(alpha: alpha) }
/// Hardtanh elementwise.
@inlinable public func hardtanh<Scalar>(_ x: Tensor<Scalar>, min: Scalar = -1, max: Scalar = 1) -> Tensor<Scalar> {
    x.hardtanh(min: min, max: max)
}

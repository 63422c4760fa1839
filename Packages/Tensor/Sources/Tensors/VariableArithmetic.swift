import RealModule

/// Differentiable elementwise arithmetic and math on ``Variable``.
///
/// Binary operators broadcast like their ``Tensor`` counterparts; their pullbacks sum the cotangent back
/// down to each operand's shape (``Tensor/sum(toShape:)``), so a bias `[N]` added to `[B, N]`, a channel
/// scale `[1, C, 1, 1]`, or a trainable scalar (shape `[]` or `[1]`) multiplying anything all get exact
/// gradients of their own shape. Pullbacks skip the work for operands that are constants.
extension Tensor {
    /// An empty stand-in returned by pullbacks for constant operands (the tape ignores those slots).
    @inlinable static var _noGradient: Tensor { Tensor(_uncheckedShape: [0], scalars: []) }
}

extension Variable {
    /// A constant holding the same value: gradients do not flow through it.
    @inlinable public var detached: Variable { Variable(constant: value) }

    /// Records a one-operand operation whose pullback maps the output cotangent to the operand's.
    @inlinable
    public func _unary(_ result: Tensor<Scalar>, _ pullback: @escaping (Tensor<Scalar>) -> Tensor<Scalar>) -> Variable {
        Variable.record(result, inputs: [self]) { g in [pullback(g)] }
    }

    // MARK: Variable ⊕ Variable (broadcasting)

    /// Sum with broadcasting.
    @inlinable
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        let ls = lhs.shape, rs = rhs.shape, needL = lhs.isTracked, needR = rhs.isTracked
        return record(lhs.value + rhs.value, inputs: [lhs, rhs]) { g in
            [needL ? g.sum(toShape: ls) : ._noGradient, needR ? g.sum(toShape: rs) : ._noGradient]
        }
    }

    /// Difference with broadcasting.
    @inlinable
    public static func - (lhs: Variable, rhs: Variable) -> Variable {
        let ls = lhs.shape, rs = rhs.shape, needL = lhs.isTracked, needR = rhs.isTracked
        return record(lhs.value - rhs.value, inputs: [lhs, rhs]) { g in
            [needL ? g.sum(toShape: ls) : ._noGradient, needR ? (-g).sum(toShape: rs) : ._noGradient]
        }
    }

    /// Elementwise product with broadcasting.
    @inlinable
    public static func * (lhs: Variable, rhs: Variable) -> Variable {
        let a = lhs.value, b = rhs.value, needL = lhs.isTracked, needR = rhs.isTracked
        return record(a * b, inputs: [lhs, rhs]) { g in
            [needL ? (g * b).sum(toShape: a.shape) : ._noGradient,
             needR ? (g * a).sum(toShape: b.shape) : ._noGradient]
        }
    }

    /// Elementwise quotient with broadcasting.
    @inlinable
    public static func / (lhs: Variable, rhs: Variable) -> Variable {
        let a = lhs.value, b = rhs.value, needL = lhs.isTracked, needR = rhs.isTracked
        let y = a / b
        return record(y, inputs: [lhs, rhs]) { g in
            // ∂(a/b)/∂b = −(a/b)/b.
            [needL ? (g / b).sum(toShape: a.shape) : ._noGradient,
             needR ? (-(g._zipMap(y) { $0 * $1 }) / b).sum(toShape: b.shape) : ._noGradient]
        }
    }

    /// Negation.
    @inlinable
    public static prefix func - (operand: Variable) -> Variable {
        operand._unary(-operand.value) { g in -g }
    }

    // MARK: Variable ⊕ Tensor (the tensor is a constant)

    @inlinable public static func + (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs + Variable(constant: rhs) }
    @inlinable public static func + (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(constant: lhs) + rhs }
    @inlinable public static func - (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs - Variable(constant: rhs) }
    @inlinable public static func - (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(constant: lhs) - rhs }
    @inlinable public static func * (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs * Variable(constant: rhs) }
    @inlinable public static func * (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(constant: lhs) * rhs }
    @inlinable public static func / (lhs: Variable, rhs: Tensor<Scalar>) -> Variable { lhs / Variable(constant: rhs) }
    @inlinable public static func / (lhs: Tensor<Scalar>, rhs: Variable) -> Variable { Variable(constant: lhs) / rhs }

    // MARK: Variable ⊕ scalar

    @inlinable public static func + (lhs: Variable, rhs: Scalar) -> Variable { lhs._unary(lhs.value + rhs) { $0 } }
    @inlinable public static func + (lhs: Scalar, rhs: Variable) -> Variable { rhs._unary(lhs + rhs.value) { $0 } }
    @inlinable public static func - (lhs: Variable, rhs: Scalar) -> Variable { lhs._unary(lhs.value - rhs) { $0 } }
    @inlinable public static func - (lhs: Scalar, rhs: Variable) -> Variable { rhs._unary(lhs - rhs.value) { -$0 } }
    @inlinable public static func * (lhs: Variable, rhs: Scalar) -> Variable { lhs._unary(lhs.value * rhs) { $0 * rhs } }
    @inlinable public static func * (lhs: Scalar, rhs: Variable) -> Variable { rhs._unary(lhs * rhs.value) { $0 * lhs } }
    @inlinable public static func / (lhs: Variable, rhs: Scalar) -> Variable { lhs._unary(lhs.value / rhs) { $0 / rhs } }
    @inlinable
    public static func / (lhs: Scalar, rhs: Variable) -> Variable {
        let x = rhs.value, y = lhs / x
        return rhs._unary(y) { g in g._zipMap(y, x) { g, y, x in -g * y / x } }
    }

    // MARK: Elementwise math

    /// `eˣ`.
    @inlinable
    public func exp() -> Variable {
        let y = value.exp()
        return _unary(y) { g in g._zipMap(y) { $0 * $1 } }
    }

    /// Natural logarithm.
    @inlinable
    public func log() -> Variable {
        let x = value
        return _unary(x.log()) { g in g._zipMap(x) { $0 / $1 } }
    }

    /// Square root.
    @inlinable
    public func sqrt() -> Variable {
        let y = value.sqrt()
        return _unary(y) { g in g._zipMap(y) { g, y in g / (2 * y) } }
    }

    /// `x²`.
    @inlinable
    public func squared() -> Variable {
        let x = value
        return _unary(x.squared()) { g in g._zipMap(x) { g, x in 2 * g * x } }
    }

    /// `xᵖ` for a constant exponent.
    @inlinable
    public func pow(_ exponent: Scalar) -> Variable {
        let x = value
        if exponent == 2 { return squared() }
        if exponent == 1 { return _unary(x) { $0 } }
        return _unary(x.pow(exponent)) { g in
            g._zipMap(x) { g, x in g * exponent * _pow(x, exponent - 1) }
        }
    }

    /// Absolute value (derivative 0 at 0).
    @inlinable
    public func abs() -> Variable {
        let x = value
        return _unary(x.abs()) { g in g._zipMap(x) { g, x in x > 0 ? g : (x < 0 ? -g : 0) } }
    }

    /// Hyperbolic tangent.
    @inlinable
    public func tanh() -> Variable {
        let y = value.tanh()
        return _unary(y) { g in g._zipMap(y) { g, y in g * (1 - y * y) } }
    }

    /// Logistic sigmoid.
    @inlinable
    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        return _unary(y) { g in g._zipMap(y) { g, y in g * y * (1 - y) } }
    }

    /// Softplus `log(1+eˣ)`; its derivative is the sigmoid.
    @inlinable
    public func softplus() -> Variable {
        let x = value
        return _unary(x.softplus()) { g in
            Tensor(_shape: g.shape) { out, n in
                g.withUnsafeBufferPointer { pg in
                    x.withUnsafeBufferPointer { px in for i in 0..<n { out[i] = pg[i] * _sigmoid(px[i]) } }
                }
            }
        }
    }

    /// ReLU `max(x, 0)` (derivative 0 at 0).
    @inlinable
    public func relu() -> Variable {
        let x = value
        return _unary(x.relu()) { g in g._zipMap(x) { g, x in x > 0 ? g : 0 } }
    }

    /// Leaky ReLU: `x` for positive `x`, `slope·x` otherwise.
    @inlinable
    public func leakyRelu(slope: Scalar = 0.01) -> Variable {
        let x = value
        return _unary(x.leakyRelu(slope: slope)) { g in g._zipMap(x) { g, x in x > 0 ? g : slope * g } }
    }

    /// ELU: `x` for positive `x`, `alpha·(eˣ−1)` otherwise (derivative `y + alpha` there).
    @inlinable
    public func elu(alpha: Scalar = 1) -> Variable {
        let x = value, y = x.elu(alpha: alpha)
        return _unary(y) { g in g._zipMap(x, y) { g, x, y in x > 0 ? g : g * (y + alpha) } }
    }

    /// Hardtanh: `x` clamped to `[min, max]` (derivative 1 strictly inside, 0 outside).
    @inlinable
    public func hardtanh(min: Scalar = -1, max: Scalar = 1) -> Variable {
        let x = value
        return _unary(x.hardtanh(min: min, max: max)) { g in
            g._zipMap(x) { g, x in x > min && x < max ? g : 0 }
        }
    }
}

// MARK: Free functions on variables (the spelling models use)

/// `eˣ`.
@inlinable public func exp<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.exp() }
/// Natural logarithm.
@inlinable public func log<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.log() }
/// Square root.
@inlinable public func sqrt<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.sqrt() }
/// `xᵖ` for a constant exponent.
@inlinable public func pow<Scalar>(_ x: Variable<Scalar>, _ exponent: Scalar) -> Variable<Scalar> { x.pow(exponent) }
/// Absolute value.
@inlinable public func abs<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.abs() }
/// Hyperbolic tangent.
@inlinable public func tanh<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.tanh() }
/// Logistic sigmoid.
@inlinable public func sigmoid<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.sigmoid() }
/// Softplus.
@inlinable public func softplus<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.softplus() }
/// ReLU.
@inlinable public func relu<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.relu() }
/// Leaky ReLU with the given negative slope (PyTorch's default 0.01).
@inlinable public func leakyRelu<Scalar>(_ x: Variable<Scalar>, slope: Scalar = 0.01) -> Variable<Scalar> {
    x.leakyRelu(slope: slope)
}
/// ELU with the given `alpha` (PyTorch's default 1).
@inlinable public func elu<Scalar>(_ x: Variable<Scalar>, alpha: Scalar = 1) -> Variable<Scalar> { x.elu(alpha: alpha) }
/// Hardtanh clamping to `[min, max]` (PyTorch's default `[-1, 1]`).
@inlinable public func hardtanh<Scalar>(_ x: Variable<Scalar>, min: Scalar = -1, max: Scalar = 1) -> Variable<Scalar> {
    x.hardtanh(min: min, max: max)
}

import Tensors

extension Activation {
    /// `y[i] = φ(x[i])` for `i < count`, with the same scalar kernels as the tape ops of ``callAsFunction(_:)-(Variable<Scalar>)``
    /// so that a compiled field matches the tape path bit for bit. One loop per case: a switch inside the
    /// loop would keep it from vectorising.
    @inlinable
    public func apply<Scalar: TensorScalar>(_ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>, count: Int) {
        switch self {
        case .identity:
            if UnsafePointer(y) != x { y.update(from: x, count: count) }
        case .relu:
            for i in 0..<count { y[i] = x[i] > 0 ? x[i] : 0 }
        case .leakyReLU(let slope):
            let s = Scalar(slope)
            for i in 0..<count { y[i] = x[i] > 0 ? x[i] : s * x[i] }
        case .elu(let alpha):
            let a = Scalar(alpha)
            for i in 0..<count { y[i] = x[i] > 0 ? x[i] : a * Scalar.elementExpMinusOneNonPositive(x[i]) }
        case .tanh:
            for i in 0..<count { y[i] = Scalar.elementTanh(x[i]) }
        case .sigmoid:
            for i in 0..<count { y[i] = Scalar.elementSigmoid(x[i]) }
        case .softplus:
            for i in 0..<count { y[i] = Scalar.elementSoftplus(x[i]) }
        case .hardtanh(let low, let high):
            let lo = Scalar(low), hi = Scalar(high)
            for i in 0..<count { y[i] = Swift.min(Swift.max(x[i], lo), hi) }
        }
    }

    /// `g[i] ← g[i]·φ'(x[i])` given the input `x` and the output `y = φ(x)`: the tape pullbacks' formulas
    /// (each reads whichever of `x` and `y` its pullback reads), for the compiled fields' backward pass.
    @inlinable
    public func multiplyByDerivative<Scalar: TensorScalar>(
        _ g: UnsafeMutablePointer<Scalar>, input x: UnsafePointer<Scalar>, output y: UnsafePointer<Scalar>, count: Int
    ) {
        switch self {
        case .identity:
            break
        case .relu:
            for i in 0..<count { g[i] = x[i] > 0 ? g[i] : 0 }
        case .leakyReLU(let slope):
            let s = Scalar(slope)
            for i in 0..<count { g[i] = x[i] > 0 ? g[i] : s * g[i] }
        case .elu(let alpha):
            let a = Scalar(alpha)
            for i in 0..<count { g[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + a) }
        case .tanh:
            for i in 0..<count { g[i] = g[i] * (1 - y[i] * y[i]) }
        case .sigmoid:
            for i in 0..<count { g[i] = g[i] * y[i] * (1 - y[i]) }
        case .softplus:
            for i in 0..<count { g[i] = g[i] * Scalar.elementSigmoid(x[i]) }
        case .hardtanh(let low, let high):
            let lo = Scalar(low), hi = Scalar(high)
            for i in 0..<count { g[i] = x[i] > lo && x[i] < hi ? g[i] : 0 }
        }
    }
}

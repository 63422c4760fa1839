import Tensors

extension Activation {
    /// `y[i] = φ(x[i])` for `i < count`, with the same scalar kernels as the tape ops of ``callAsFunction(_:)-(Variable<Scalar>)``
    /// so that a compiled field matches the tape path bit for bit (`exp`, `tanh`, sigmoid and ELU on the
    /// Tensor package's `VectorMath` loops, AVX2 where the CPU has it). One loop per case: a switch inside
    /// the loop would keep it from vectorising.
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
            VectorMath.elu(x, into: y, count: count, alpha: Scalar(alpha))
        case .tanh:
            VectorMath.tanh(x, into: y, count: count)
        case .sigmoid:
            VectorMath.sigmoid(x, into: y, count: count)
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
            VectorMath.multiplyByELUDerivative(g, input: x, output: y, count: count, alpha: Scalar(alpha))
        case .tanh:
            VectorMath.multiplyByTanhDerivative(g, output: y, count: count)
        case .sigmoid:
            VectorMath.multiplyBySigmoidDerivative(g, output: y, count: count)
        case .softplus:
            for i in 0..<count { g[i] = g[i] * Scalar.elementSigmoid(x[i]) }
        case .hardtanh(let low, let high):
            let lo = Scalar(low), hi = Scalar(high)
            for i in 0..<count { g[i] = x[i] > lo && x[i] < hi ? g[i] : 0 }
        }
    }
}

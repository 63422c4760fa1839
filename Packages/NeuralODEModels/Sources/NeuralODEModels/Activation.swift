import RealModule
import Tensors

/// A pointwise nonlinearity, as a value so that configurations can name it (PyTorch semantics).
public enum Activation: Sendable, Equatable, Codable {
    /// `x`.
    case identity
    /// `max(x, 0)`.
    case relu
    /// `x` for x > 0, `slope·x` otherwise.
    case leakyReLU(slope: Double)
    /// `x` for x > 0, `α(eˣ − 1)` otherwise.
    case elu(alpha: Double)
    /// Hyperbolic tangent.
    case tanh
    /// `1 / (1 + e⁻ˣ)`.
    case sigmoid
    /// `log(1 + eˣ)`, computed without overflow.
    case softplus
    /// `clamp(x, min, max)`; derivative 1 strictly inside, 0 outside (as PyTorch).
    case hardtanh(min: Double, max: Double)

    /// The function value at one element.
    @inlinable
    public func value<Scalar: TensorScalar>(_ x: Scalar) -> Scalar {
        switch self {
        case .identity: return x
        case .relu: return x > 0 ? x : 0
        case .leakyReLU(let slope): return x > 0 ? x : Scalar(slope) * x
        case .elu(let alpha): return x > 0 ? x : Scalar(alpha) * (Scalar.exp(x) - 1)
        case .tanh: return Scalar.tanh(x)
        case .sigmoid: return 1 / (1 + Scalar.exp(-x))
        case .softplus: return Swift.max(x, 0) + Scalar.log(onePlus: Scalar.exp(-Swift.abs(x)))
        case .hardtanh(let low, let high): return Swift.min(Swift.max(x, Scalar(low)), Scalar(high))
        }
    }

    /// The derivative at one element, from the input `x`.
    @inlinable
    public func derivative<Scalar: TensorScalar>(_ x: Scalar) -> Scalar {
        switch self {
        case .identity: return 1
        case .relu: return x > 0 ? 1 : 0
        case .leakyReLU(let slope): return x > 0 ? 1 : Scalar(slope)
        case .elu(let alpha): return x > 0 ? 1 : Scalar(alpha) * Scalar.exp(x)
        case .tanh:
            let y = Scalar.tanh(x)
            return 1 - y * y
        case .sigmoid, .softplus:
            // softplus' = sigmoid.
            let s = 1 / (1 + Scalar.exp(-x))
            return self == .sigmoid ? s * (1 - s) : s
        case .hardtanh(let low, let high): return x > Scalar(low) && x < Scalar(high) ? 1 : 0
        }
    }

    /// Applies the function to a tensor (no tape): the variable path on a constant, which records nothing.
    @inlinable
    public func callAsFunction<Scalar: TensorScalar>(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        self(Variable(constant: x)).value
    }

    /// Applies the function to a variable: the Tensor package's op of the same name (one tape node with
    /// the exact pullback `ḡ ⊙ φ'(x)`); identity records nothing.
    @inlinable
    public func callAsFunction<Scalar: TensorScalar>(_ x: Variable<Scalar>) -> Variable<Scalar> {
        switch self {
        case .identity: return x
        case .relu: return x.relu()
        case .leakyReLU(let slope): return x.leakyRelu(slope: Scalar(slope))
        case .elu(let alpha): return x.elu(alpha: Scalar(alpha))
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .softplus: return x.softplus()
        case .hardtanh(let low, let high): return x.hardtanh(min: Scalar(low), max: Scalar(high))
        }
    }
}

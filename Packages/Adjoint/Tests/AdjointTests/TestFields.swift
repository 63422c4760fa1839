import Adjoint
import ODESolvers
import Tensors

/// The vector fields the gradient tests run on, built with ``TapeVectorField`` from the local ops.
enum Fields {
    typealias V = Variable<Double>

    /// `y' = −θ ⊙ y` (elementwise decay), closed-form solution `y0·e^{−θt}`.
    static func decay(theta: [Double]) -> TapeVectorField<Tensor<Double>> {
        TapeVectorField(parameters: [Tensor(theta)]) { _, y, p in [Ops.negate(Ops.multiply(p[0], y[0]))] }
    }

    /// `y' = tanh(y·W1 + b1)·W2 + b2` on [B, d] states.
    static func mlp(dimension d: Int, hidden: Int, seed: UInt64) -> TapeVectorField<Tensor<Double>> {
        var generator = SplitMix(seed: seed)
        let parameters = [
            generator.tensor([d, hidden], scale: 0.8), generator.tensor([hidden], scale: 0.3),
            generator.tensor([hidden, d], scale: 0.8), generator.tensor([d], scale: 0.3),
        ]
        return TapeVectorField(parameters: parameters) { _, y, p in
            [Ops.linear(Ops.tanh(Ops.linear(y[0], p[0], p[1])), p[2], p[3])]
        }
    }

    /// `y' = cos(3t)·tanh(y·W + b)`: a time-dependent field, so stage times must be reproduced exactly.
    static func forced(dimension d: Int, seed: UInt64) -> TapeVectorField<Tensor<Double>> {
        var generator = SplitMix(seed: seed)
        let parameters = [generator.tensor([d, d], scale: 0.9), generator.tensor([d], scale: 0.3)]
        return TapeVectorField(parameters: parameters) { t, y, p in
            [Ops.scale(Ops.tanh(Ops.linear(y[0], p[0], p[1])), by: Variable(constant: Tensor([Double.cos(3 * t)])))]
        }
    }

    /// HBNODE in the paper's form: `h' = m`, `m' = −γm + f(h)`, `γ = sigmoid(ω)`, `f(h) = tanh(h·W + b)`.
    /// Parameters: `[ω, W, b]`.
    static func hbnode(dimension d: Int, seed: UInt64, omega: Double = -1) -> TapeVectorField<TensorList<Double>> {
        var generator = SplitMix(seed: seed)
        let parameters = [Tensor([omega]), generator.tensor([d, d], scale: 0.9), generator.tensor([d], scale: 0.3)]
        return TapeVectorField(parameters: parameters) { _, y, p in
            let (h, m) = (y[0], y[1])
            let gamma = Ops.sigmoid(p[0])
            let force = Ops.tanh(Ops.linear(h, p[1], p[2]))
            return [m, Ops.subtract(force, Ops.scale(m, by: gamma))]
        }
    }

    /// GHBNODE: `h' = tanh(m)`, `m' = −γm + f(h) − ξh`, `γ = sigmoid(ω)`. Parameters: `[ω, ξ, W, b]`.
    static func ghbnode(dimension d: Int, seed: UInt64, xi: Double = 0.5) -> TapeVectorField<TensorList<Double>> {
        var generator = SplitMix(seed: seed)
        let parameters = [
            Tensor([-1.0]), Tensor([xi]), generator.tensor([d, d], scale: 0.9), generator.tensor([d], scale: 0.3),
        ]
        return TapeVectorField(parameters: parameters) { _, y, p in
            let (h, m) = (y[0], y[1])
            let gamma = Ops.sigmoid(p[0])
            let force = Ops.tanh(Ops.linear(h, p[2], p[3]))
            return [Ops.tanh(m), Ops.subtract(Ops.subtract(force, Ops.scale(m, by: gamma)), Ops.scale(h, by: p[1]))]
        }
    }
}

/// A deterministic generator so every test run sees the same fields and states.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53) * 2 - 1
    }
    mutating func tensor(_ shape: [Int], scale: Double) -> Tensor<Double> {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in scale * next() })
    }
}

import Tensors

/// A fully connected stack `Linear → act → Linear → act → … → Linear` whose parameters live in an
/// external flat list `[W0, b0, W1, b1, …]` (PyTorch layout `W: [out, in]`), so one parameter list can hold
/// several stacks and be handed to the adjoint and the optimiser as a whole.
public struct DenseStack: Sendable, Equatable {
    /// Layer widths, input first: `[2, 20, 20, 2]` is three Linear layers.
    public var widths: [Int]
    /// The pointwise nonlinearities the point-cloud networks use.
    public enum Activation: Sendable, Equatable {
        /// ELU with α = 1 (the vector fields).
        case elu
        /// hardtanh clamped to ±bound (the initial-velocity MLPs use ±5).
        case hardtanh(bound: Float)
        /// No nonlinearity (a single Linear layer).
        case identity

        /// Applies the nonlinearity on the tape.
        @inlinable
        public func callAsFunction(_ x: Variable<Float>) -> Variable<Float> {
            switch self {
            case .elu: return x.elu(alpha: 1)
            case .hardtanh(let bound): return x.hardtanh(min: -bound, max: bound)
            case .identity: return x
            }
        }
    }

    /// Activation between layers (not after the last one).
    public var activation: Activation

    /// A stack with the given widths and hidden activation.
    public init(widths: [Int], activation: Activation) {
        precondition(widths.count >= 2, "DenseStack needs at least input and output widths, got \(widths)")
        self.widths = widths
        self.activation = activation
    }

    /// Number of parameter tensors (two per layer).
    public var tensorCount: Int { 2 * (widths.count - 1) }

    /// Number of scalar parameters.
    public var parameterCount: Int {
        (0..<(widths.count - 1)).reduce(0) { $0 + widths[$1] * widths[$1 + 1] + widths[$1 + 1] }
    }

    /// PyTorch's default Linear initialisation: weights and biases ~ U(−1/√fan_in, 1/√fan_in).
    public func initialParameters(_ generator: inout SplitMixGenerator) -> [Tensor<Float>] {
        var result: [Tensor<Float>] = []
        for layer in 0..<(widths.count - 1) {
            let fanIn = widths[layer], fanOut = widths[layer + 1]
            let bound = 1 / Double(fanIn).squareRoot()
            result.append(Tensor(shape: [fanOut, fanIn], scalars: (0..<(fanOut * fanIn)).map { _ in
                Float(generator.uniform(-bound, bound)) }))
            result.append(Tensor(shape: [fanOut], scalars: (0..<fanOut).map { _ in Float(generator.uniform(-bound, bound)) }))
        }
        return result
    }

    /// Applies the stack to `x [B, widths[0]]` with `parameters` laid out as `[W0, b0, W1, b1, …]`.
    @inlinable
    public func callAsFunction(_ x: Variable<Float>, _ parameters: ArraySlice<Variable<Float>>) -> Variable<Float> {
        precondition(parameters.count == tensorCount, "DenseStack \(widths): \(parameters.count) parameter tensors, expected \(tensorCount)")
        var h = x
        var index = parameters.startIndex
        for layer in 0..<(widths.count - 1) {
            h = Tensors.linear(h, weight: parameters[index], bias: parameters[index + 1])
            index += 2
            if layer < widths.count - 2 { h = activation(h) }
        }
        return h
    }
}

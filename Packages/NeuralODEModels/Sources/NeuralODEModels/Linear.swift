import Tensors

/// A fully connected layer `y = x·Wᵀ + b` with PyTorch's layout (`W: [out, in]`, `b: [out]`) and
/// PyTorch's default initialisation: weight then bias, each U(−1/√in, +1/√in).
public struct Linear: Sendable, Equatable {
    /// The weight's place in the model's parameter store.
    public let weight: ParameterID
    /// The bias's place, or nil for a layer without bias.
    public let bias: ParameterID?
    /// Input features.
    public let inFeatures: Int
    /// Output features.
    public let outFeatures: Int

    /// Registers `name.weight` (and `name.bias`) in `store`, drawing the initial values from `rng`.
    public init<Scalar: TensorScalar>(
        _ name: String, _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true,
        store: inout ParameterStore<Scalar>, rng: inout SeededGenerator
    ) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear \(name): features must be positive, got \(inFeatures)→\(outFeatures)")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = store.register("\(name).weight", uniformTensor([outFeatures, inFeatures], fanIn: inFeatures, rng: &rng))
        self.bias = bias ? store.register("\(name).bias", uniformTensor([outFeatures], fanIn: inFeatures, rng: &rng)) : nil
    }

    /// Applies the layer to `x: [B, in]`; `parameters` is the tape image of the whole store.
    @inlinable
    public func callAsFunction<Scalar>(_ x: Variable<Scalar>, _ parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        Tensors.linear(x, weight: parameters[weight.index], bias: bias.map { parameters[$0.index] })
    }
}

/// A tensor of the given shape with elements U(−1/√fanIn, +1/√fanIn), drawn in row-major order
/// (PyTorch's default for Linear and Conv2d weights and biases).
public func uniformTensor<Scalar: TensorScalar>(_ shape: [Int], fanIn: Int, rng: inout SeededGenerator) -> Tensor<Scalar> {
    Tensor(pytorchDefaultInit: shape, fanIn: fanIn, using: &rng)
}

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
        let bound = 1 / Double(inFeatures).squareRoot()
        weight = store.register("\(name).weight", uniformTensor([outFeatures, inFeatures], bound: bound, rng: &rng))
        self.bias = bias ? store.register("\(name).bias", uniformTensor([outFeatures], bound: bound, rng: &rng)) : nil
    }

    /// Applies the layer to `x: [B, in]`; `parameters` is the tape image of the whole store.
    @inlinable
    public func callAsFunction<Scalar>(_ x: Variable<Scalar>, _ parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        ModelOps.linear(x, weight: parameters[weight.index], bias: bias.map { parameters[$0.index] })
    }
}

/// A tensor of the given shape with elements U(−bound, bound), drawn in row-major order.
public func uniformTensor<Scalar: TensorScalar>(_ shape: [Int], bound: Double, rng: inout SeededGenerator) -> Tensor<Scalar> {
    let count = shape.reduce(1, *)
    var scalars = [Scalar]()
    scalars.reserveCapacity(count)
    for _ in 0..<count { scalars.append(Scalar(rng.uniform(-bound, bound))) }
    return Tensor(shape: shape, scalars: scalars)
}

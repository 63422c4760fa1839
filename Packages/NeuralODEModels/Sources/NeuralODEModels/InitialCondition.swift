import Tensors

/// How a model turns its input into the initial ODE state.
public enum InitialCondition: Sendable, Equatable {
    /// `z₀ = x` (NODE).
    case identity
    /// `z₀ = [x, 0…0]` with `count` zero channels/features appended along axis 1 (ANODE).
    case zeroAugmented(count: Int)
    /// `h₀ = x`, `v₀ = net(x)`, stacked `[B, 2, …]` (second-order families on vectors).
    case learnedVelocity(Sequential)
    /// `u = net(x)`, then `[x, u]` (2d channels along axis 1) split in half: `h₀ = [x, u₀…]`,
    /// `m₀ = […u]`, i.e. `[x, u]` reshaped to `[B, 2, d, …]` (image SONODE/HBNODE/GHBNODE).
    case learnedAugmentedSplit(Sequential, stateChannels: Int)
    /// `z₀ = net(x)` reshaped to `[B] + stateShape` (e.g. from a flattened input window).
    case learned(Sequential, stateShape: [Int])
    /// `z₀ = [net(x), 0…0]` with `zeros` zero features appended (augmented ODE-RNN hybrids).
    case learnedThenZeros(Sequential, zeros: Int)
    /// `h₀ = x`, `v₀ = layer(1)`: a learned initial velocity independent of the input (for example
    /// Linear(1 → 1) without bias: one parameter w).
    case learnedConstantVelocity(Linear)
    /// `z₀ = 0` of shape `[B] + stateShape`, independent of the input (ODE-RNN hybrids that start from rest).
    case zeros(stateShape: [Int])

    /// The initial state for a batch `x` (leading axis = batch).
    @inlinable
    public func callAsFunction<Scalar>(_ x: Variable<Scalar>, _ parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        let batch = x.shape[0]
        switch self {
        case .identity:
            return x
        case .zeroAugmented(let count):
            var shape = x.shape
            shape[1] = count
            return Variable.concatenate([x, Variable(constant: Tensor(zeros: shape))], axis: 1)
        case .learnedVelocity(let net):
            return ContinuousDepthField.stack(x, net(x, parameters))
        case .learnedAugmentedSplit(let net, let d):
            let joined = Variable.concatenate([x, net(x, parameters)], axis: 1)
            precondition(joined.shape[1] == 2 * d, "learnedAugmentedSplit: [x, net(x)] has \(joined.shape[1]) channels, need \(2 * d)")
            return joined.reshaped([batch, 2, d] + joined.shape.dropFirst(2))
        case .learned(let net, let stateShape):
            return net(x, parameters).reshaped([batch] + stateShape)
        case .learnedThenZeros(let net, let zeros):
            let head = net(x, parameters)
            return Variable.concatenate([head, Variable(constant: Tensor(zeros: [batch, zeros]))], axis: 1)
        case .learnedConstantVelocity(let layer):
            let v = layer(Variable(constant: Tensor(ones: [batch, layer.inFeatures])), parameters)
            return ContinuousDepthField.stack(x, v.reshaped(x.shape))
        case .zeros(let stateShape):
            return Variable(constant: Tensor(zeros: [batch] + stateShape))
        }
    }
}

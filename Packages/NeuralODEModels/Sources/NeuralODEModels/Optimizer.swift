import Tensors

/// A first-order optimiser over a ``ParameterStore``: ``trainingStep(parameters:optimizer:learningRate:clipNorm:modelName:iteration:communicator:_:)``
/// sets its learning rate and applies one update per step, in place, to the store whose tape image the
/// loss read, so a step can never train a copy.
public protocol Optimizer<Scalar>: Sendable {
    /// The scalar type of the parameters.
    associatedtype Scalar: TensorScalar
    /// The learning rate of the next update.
    var learningRate: Double { get set }
    /// Applies one update to `parameters` given `gradients` (same order and shapes).
    mutating func update(_ parameters: inout ParameterStore<Scalar>, gradients: [Tensor<Scalar>])
    /// Forgets the optimiser's state (moments, velocities, step count).
    mutating func reset()
}

extension Adam: Optimizer {}

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, with
/// PyTorch's update formula (`torch.optim.SGD`, dampening 0): `g ← g + λp`, `v ← μv + g` (v = g on the
/// first step), `p ← p − lr·(nesterov ? g + μv : v)`; plain SGD for μ = 0.
public struct SGD<Scalar: TensorScalar>: Optimizer, Equatable, Codable {
    /// Learning rate (set it from a schedule before each step).
    public var learningRate: Double
    /// Momentum μ (0: plain SGD).
    public var momentum: Double
    /// Nesterov's variant of momentum.
    public var nesterov: Bool
    /// L2 penalty coefficient λ added to the gradient (PyTorch `weight_decay`).
    public var weightDecay: Double
    /// Velocities, one per parameter (empty until the first step with momentum).
    public private(set) var velocities: [Tensor<Scalar>] = []

    /// Creates an optimiser; PyTorch's defaults except that the learning rate has one.
    public init(learningRate: Double = 1e-2, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(momentum >= 0 && (!nesterov || momentum > 0), "SGD: momentum \(momentum) must be ≥ 0, and > 0 for Nesterov")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    /// Forgets the velocities.
    public mutating func reset() { velocities = [] }

    /// Applies one update to `parameters` given `gradients` (same order and shapes).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func update(_ parameters: inout ParameterStore<Scalar>, gradients: [Tensor<Scalar>]) {
        precondition(gradients.count == parameters.tensorCount, "SGD: \(gradients.count) gradients for \(parameters.tensorCount) parameters")
        let first = velocities.isEmpty
        if first && momentum != 0 { velocities = parameters.values.map { Tensor(zeros: $0.shape) } }
        let rate = Scalar(learningRate), mu = Scalar(momentum), decay = Scalar(weightDecay)
        for k in gradients.indices {
            precondition(gradients[k].shape == parameters.values[k].shape,
                         "SGD: gradient \(gradients[k].shape) for parameter \(parameters.names[k]) of shape \(parameters.values[k].shape)")
            gradients[k].withUnsafeBufferPointer { g in
                parameters.values[k].withUnsafeMutableBufferPointer { p in
                    guard momentum != 0 else {
                        for i in p.indices { p[i] -= rate * (decay == 0 ? g[i] : g[i] + decay * p[i]) }
                        return
                    }
                    velocities[k].withUnsafeMutableBufferPointer { v in
                        for i in p.indices {
                            let gi = decay == 0 ? g[i] : g[i] + decay * p[i]
                            v[i] = first ? gi : mu * v[i] + gi
                            p[i] -= rate * (nesterov ? gi + mu * v[i] : v[i])
                        }
                    }
                }
            }
        }
    }
}

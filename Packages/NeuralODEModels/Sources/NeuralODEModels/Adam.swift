import RealModule
import Tensors

/// Adam with PyTorch's defaults and update formula (`torch.optim.Adam`, no AMSGrad):
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)`, with optional L2 weight decay added to g.
public struct Adam<Scalar: TensorScalar>: Sendable, Equatable, Codable {
    /// Learning rate (set it from a schedule before each step).
    public var learningRate: Double
    /// β₁.
    public var beta1: Double
    /// β₂.
    public var beta2: Double
    /// ε.
    public var epsilon: Double
    /// L2 penalty coefficient added to the gradient (PyTorch `weight_decay`).
    public var weightDecay: Double
    /// Number of steps taken (t in the bias corrections).
    public private(set) var step: Int = 0
    /// First moments, one per parameter (empty until the first step).
    public private(set) var firstMoments: [Tensor<Scalar>] = []
    /// Second moments, one per parameter.
    public private(set) var secondMoments: [Tensor<Scalar>] = []

    /// Creates an optimiser with PyTorch's defaults unless overridden.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Forgets the moments and the step count: a "fresh Adam", as recipes that restart the
    /// optimiser at a learning-rate switch create.
    public mutating func reset() {
        step = 0
        firstMoments = []
        secondMoments = []
    }

    /// Applies one update to `parameters` given `gradients` (same order and shapes).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func update(_ parameters: inout ParameterStore<Scalar>, gradients: [Tensor<Scalar>]) {
        precondition(gradients.count == parameters.tensorCount, "Adam: \(gradients.count) gradients for \(parameters.tensorCount) parameters")
        if firstMoments.isEmpty {
            firstMoments = parameters.values.map { Tensor(zeros: $0.shape) }
            secondMoments = firstMoments
        }
        step += 1
        let b1 = Scalar(beta1), b2 = Scalar(beta2), eps = Scalar(epsilon), decay = Scalar(weightDecay)
        let correction1 = 1 - Double.pow(beta1, Double(step))
        let correction2 = 1 - Double.pow(beta2, Double(step))
        let stepSize = Scalar(learningRate / correction1)
        let rootCorrection2 = Scalar(correction2.squareRoot())
        for k in gradients.indices {
            precondition(gradients[k].shape == parameters.values[k].shape,
                         "Adam: gradient \(gradients[k].shape) for parameter \(parameters.names[k]) of shape \(parameters.values[k].shape)")
            gradients[k].withUnsafeBufferPointer { g in
                firstMoments[k].withUnsafeMutableBufferPointer { m in
                    secondMoments[k].withUnsafeMutableBufferPointer { v in
                        parameters.values[k].withUnsafeMutableBufferPointer { p in
                            for i in p.indices {
                                let gi = decay == 0 ? g[i] : g[i] + decay * p[i]
                                m[i] = b1 * m[i] + (1 - b1) * gi
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Scales `gradients` in place so that their global L2 norm is at most `maxNorm` (PyTorch
/// `clip_grad_norm_`: coefficient `maxNorm/(norm + 1e-6)`, applied only when below 1) and returns the
/// norm before clipping.
@discardableResult
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func clipGradientNorm<Scalar: TensorScalar>(_ gradients: inout [Tensor<Scalar>], maxNorm: Double) -> Double {
    let total = gradients.reduce(0.0) { $0 + Double($1.squaredNorm) }.squareRoot()
    let coefficient = maxNorm / (total + 1e-6)
    if coefficient < 1 {
        for k in gradients.indices { gradients[k].scale(by: Scalar(coefficient)) }
    }
    return total
}

import Foundation
import Tensors

/// Adam with PyTorch's defaults (β1 = 0.9, β2 = 0.999, ε = 1e-8, bias-corrected, no weight decay) over
/// a flat parameter list. Codable so a checkpoint can carry the moments.
public struct AdamOptimizer: Codable, Sendable {
    /// Learning rate.
    public var learningRate: Double
    /// First-moment decay.
    public var beta1 = 0.9
    /// Second-moment decay.
    public var beta2 = 0.999
    /// Denominator guard.
    public var epsilon = 1e-8
    /// Steps taken.
    public private(set) var step = 0
    /// First moments, one per parameter.
    public private(set) var firstMoments: [[Float]] = []
    /// Second moments, one per parameter.
    public private(set) var secondMoments: [[Float]] = []

    /// An optimiser with the given learning rate.
    public init(learningRate: Double) { self.learningRate = learningRate }

    /// Applies one update in place.
    public mutating func update(_ parameters: inout [Tensor<Float>], gradients: [Tensor<Float>]) {
        precondition(parameters.count == gradients.count, "Adam: \(parameters.count) parameters, \(gradients.count) gradients")
        if firstMoments.isEmpty {
            firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
            secondMoments = firstMoments
        }
        step += 1
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let correction1 = 1 - Float(Foundation.pow(beta1, Double(step)))
        let correction2 = 1 - Float(Foundation.pow(beta2, Double(step)))
        let stepSize = Float(learningRate) / correction1
        for k in parameters.indices {
            precondition(parameters[k].shape == gradients[k].shape,
                         "Adam: parameter \(k) shape \(parameters[k].shape) vs gradient \(gradients[k].shape)")
            let g = gradients[k].scalars
            parameters[k].withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count {
                    firstMoments[k][i] = b1 * firstMoments[k][i] + (1 - b1) * g[i]
                    secondMoments[k][i] = b2 * secondMoments[k][i] + (1 - b2) * g[i] * g[i]
                    let denominator = (secondMoments[k][i] / correction2).squareRoot() + eps
                    p[i] -= stepSize * firstMoments[k][i] / denominator
                }
            }
        }
    }
}

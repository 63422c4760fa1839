import Testing
import Tensors
@testable import NeuralODEModels

/// Compares the tape/adjoint gradient of a scalar loss with central finite differences on a seeded
/// selection of coordinates: at least `perTensor` elements of every parameter tensor (so scalars such as
/// ω and ξ are always covered).
func checkLossGradients(
    _ store: ParameterStore<Double>, perTensor: Int = 2, seed: UInt64 = 1, tolerance: Double = 1e-5,
    floor: Double = 1e-4, sourceLocation: SourceLocation = #_sourceLocation,
    _ loss: ([Variable<Double>], SolveLog) throws -> Variable<Double>
) throws -> SolveLog {
    let (_, gradients, log) = try lossAndGradients(at: store, loss)
    func value(_ values: [Tensor<Double>]) throws -> Double {
        try loss(values.map { Variable(constant: $0) }, SolveLog()).value.scalars[0]
    }
    var rng = SeededGenerator(seed: seed)
    var worst = 0.0
    var worstLabel = ""
    for k in 0..<store.tensorCount {
        let count = store.values[k].count
        var picks = Set<Int>()
        while picks.count < Swift.min(perTensor, count) { picks.insert(Int(rng.next() % UInt64(count))) }
        for j in picks {
            var values = store.values
            let x = values[k].scalars[j]
            let h = 1e-6 * Swift.max(1, Swift.abs(x))
            values[k].withUnsafeMutableBufferPointer { $0[j] = x + h }
            let plus = try value(values)
            values[k].withUnsafeMutableBufferPointer { $0[j] = x - h }
            let minus = try value(values)
            let numeric = (plus - minus) / (2 * h)
            let analytic = gradients[k].scalars[j]
            let error = Swift.abs(analytic - numeric) / Swift.max(Swift.abs(analytic), Swift.abs(numeric), floor)
            if error > worst || worstLabel.isEmpty {
                worst = Swift.max(worst, error)
                worstLabel = "\(store.names[k])[\(j)]: adjoint \(analytic), finite differences \(numeric)"
            }
        }
    }
    #expect(worst <= tolerance, "worst relative error \(worst) at \(worstLabel)", sourceLocation: sourceLocation)
    return log
}

import Adjoint
import ODESolvers
import Tensors
import Testing

/// Gradients of linear ODEs against their closed forms.
@Suite struct ClosedFormTests {
    /// y' = −θy, y0 = 1, T = 1, L = y(T): dL/dθ = −e^{−θ}, dL/dy0 = e^{−θ}.
    @Test(arguments: allMethods.map(\.name))
    func scalarDecay(methodName: String) throws {
        let method = allMethods.first { $0.name == methodName }!.method
        let theta = 0.8
        let field = Fields.decay(theta: [theta])
        let forward = try solveWithGradient(
            field, y0: Tensor([1.0]), times: [0, 1], controller: .adaptive(rtol: 1e-10, atol: 1e-10), gradient: method)
        let before = field.counter.count
        #expect(before == forward.statistics.functionEvaluations)
        let result = try forward.backward(cotangents: [nil, Tensor([1.0])])
        let exact = Double.exp(-theta)
        print("y' = −θy \(methodName): dL/dθ \(result.parameters[0].scalars[0]) (exact \(-exact)), "
              + "NFE forward \(forward.statistics.functionEvaluations) backward \(result.statistics.functionEvaluations)")
        #expect(abs(forward.states[1].scalars[0] - exact) <= 1e-9)
        #expect(abs(result.parameters[0].scalars[0] + exact) <= 1e-7 * exact)
        #expect(abs(result.initialState.scalars[0] - exact) <= 1e-7 * exact)
        // Every backward evaluation is one field call or VJP, visible on the field's counter.
        #expect(field.counter.count - before == result.statistics.functionEvaluations)
        #expect(forward.statistics.functionEvaluations == 2 + 6 * (forward.statistics.acceptedSteps + forward.statistics.rejectedSteps))
    }

    /// y' = −θ ⊙ y on three elements, loss reading three output times.
    @Test(arguments: allMethods.map(\.name))
    func elementwiseDecaySeveralTimes(methodName: String) throws {
        let method = allMethods.first { $0.name == methodName }!.method
        let theta = [0.7, 1.3, 0.2], y0 = [1.0, 0.5, -2.0]
        let times = [0.0, 0.5, 1.2, 2.0]
        let weights: [[Double]?] = [[0.3, 0.1, 0.2], nil, [1.0, -1.0, 0.5], [0.4, 2.0, -0.7]]
        let forward = try solveWithGradient(
            Fields.decay(theta: theta), y0: Tensor(y0), times: times,
            controller: .adaptive(rtol: 1e-10, atol: 1e-10), gradient: method)
        let result = try forward.backward(cotangents: weights.map { $0.map { Tensor($0) } })
        for j in 0..<3 {
            var dy0 = 0.0, dTheta = 0.0
            for (i, t) in times.enumerated() {
                guard let c = weights[i]?[j] else { continue }
                dy0 += c * Double.exp(-theta[j] * t)
                dTheta += c * (-t) * y0[j] * Double.exp(-theta[j] * t)
            }
            #expect(abs(result.initialState.scalars[j] - dy0) <= 1e-8 * (1 + abs(dy0)), "\(methodName) dL/dy0[\(j)]")
            #expect(abs(result.parameters[0].scalars[j] - dTheta) <= 1e-8 * (1 + abs(dTheta)), "\(methodName) dL/dθ[\(j)]")
        }
    }
}

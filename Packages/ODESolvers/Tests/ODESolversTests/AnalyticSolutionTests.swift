import Foundation
import ODESolvers
import Testing
import Tensors

@Suite("Adaptive solves against analytic solutions")
struct AnalyticSolutionTests {
    @Test("exponential decay: error tracks the tolerance", arguments: [1e-3, 1e-5, 1e-7, 1e-9])
    func exponentialDecay(tolerance: Double) throws {
        let y0 = Tensor<Double>([1, -2, 0.5])
        let times = [0.0, 0.5, 1.0, 2.0]
        let solution = try solve(
            TestFields.decay(-1.3), y0: y0, times: times, controller: .adaptive(rtol: tolerance, atol: tolerance))
        var worst = 0.0
        for (t, state) in zip(times, solution.states) {
            let exact = y0.map { $0 * exp(-1.3 * t) }
            worst = max(worst, maxAbsDifference(state, exact))
        }
        #expect(worst < 50 * tolerance)
        #expect(worst > 0 || tolerance < 1e-8)
        #expect(solution.statistics.functionEvaluations == 2 + 6 * solution.statistics.attemptedSteps)
    }

    @Test("harmonic oscillator forward and backward", arguments: [1e-4, 1e-6, 1e-8])
    func harmonicOscillator(tolerance: Double) throws {
        let field = TestFields.linear([[0, 1], [-1, 0]])
        let y0 = Tensor<Double>([1, 0])
        let times = stride(from: 0.0, through: 6.0, by: 0.75).map { $0 }
        let forward = try solve(field, y0: y0, times: times, controller: .adaptive(rtol: tolerance, atol: tolerance))
        for (t, state) in zip(times, forward.states) {
            #expect(maxAbsDifference(state, Tensor([cos(t), -sin(t)])) < 100 * tolerance)
        }
        let backTimes = Array(times.reversed())
        let backward = try solve(
            field, y0: forward.finalState, times: backTimes, controller: .adaptive(rtol: tolerance, atol: tolerance))
        for (t, state) in zip(backTimes, backward.states) {
            #expect(maxAbsDifference(state, Tensor([cos(t), -sin(t)])) < 200 * tolerance)
        }
    }

    @Test("damped oscillator: the error falls with the tolerance", arguments: [ButcherTableau.dopri5, .tsit5, .bosh3])
    func dampedOscillator(method: ButcherTableau) throws {
        let a = [[0.0, 1.0], [-1.0, -0.3]]
        let times = [0.0, 1.5, 4.0, 8.0]
        var errors: [Double] = []
        for tolerance in [1e-3, 1e-5, 1e-7, 1e-9] {
            let solution = try solve(TestFields.linear(a), y0: Tensor([1.0, 0.5]), times: times, method: method,
                                     controller: .adaptive(rtol: tolerance, atol: tolerance))
            let error = zip(times, solution.states).map { t, state in
                maxAbsDifference(state, DampedOscillator.exact(t: t, y0: 1, v0: 0.5, damping: 0.3))
            }.max()!
            #expect(error < 100 * tolerance, "\(method.name) at \(tolerance): \(error)")
            errors.append(error)
        }
        // Each 100x tighter tolerance buys at least 10x in accuracy.
        for (loose, tight) in zip(errors, errors.dropFirst()) { #expect(tight < loose / 10, "\(errors)") }
    }
}

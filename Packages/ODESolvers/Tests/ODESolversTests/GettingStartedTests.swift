import Foundation
import Testing
import TensorTestSupport
import ODESolvers
import Tensors

/// The code of the "Getting started" article (`Sources/ODESolvers/ODESolvers.docc/GettingStarted.md`),
/// line for line, so that the article cannot show code that does not compile. This test mirrors the
/// article: change both together.
@Suite struct GettingStartedTests {
    @Test func articleExample() throws {
        // x'' + 0.2 x' + x = 0 as a first-order system in y = [x, v]: x' = v, v' = −x − 0.2 v.
        let oscillator: (Double, Tensor<Double>) -> Tensor<Double> = { t, y in
            let (x, v) = (y.scalars[0], y.scalars[1])
            return Tensor([v, -x - 0.2 * v])
        }
        let times = [0, 2.5, 5, 7.5, 10]
        let solution = try solve(oscillator, y0: Tensor<Double>([1, 0]), times: times,
                                 method: .dopri5, controller: .adaptive(rtol: 1e-6, atol: 1e-8))
        for (t, y) in zip(solution.times, solution.states) {
            print("t = \(t)  x = \(y.scalars[0])  v = \(y.scalars[1])")
        }
        let statistics = solution.statistics
        print("dopri5: NFE \(statistics.functionEvaluations), accepted \(statistics.acceptedSteps), rejected \(statistics.rejectedSteps)")

        // The same problem on a fixed grid with the classical fourth-order method.
        let fixed = try solve(oscillator, y0: Tensor<Double>([1, 0]), times: times,
                              method: .rk4, controller: .fixed(dt: 0.1))
        print("rk4: NFE \(fixed.statistics.functionEvaluations), steps \(fixed.statistics.acceptedSteps)")

        // x(t) = e^{−t/10} (cos ωt + sin(ωt) / (10ω)), ω = √0.99.
        let omega = 0.99.squareRoot()
        func exact(_ t: Double) -> Double { exp(-0.1 * t) * (cos(omega * t) + sin(omega * t) / (10 * omega)) }
        #expect(solution.times == times)
        #expect(solution.states.count == times.count)
        for (t, y) in zip(solution.times, solution.states) { #expect(abs(y.scalars[0] - exact(t)) < 1e-5) }
        for (t, y) in zip(fixed.times, fixed.states) { #expect(abs(y.scalars[0] - exact(t)) < 1e-4) }
        #expect(statistics.functionEvaluations == 2 + 6 * statistics.attemptedSteps)
        #expect(statistics.acceptedSteps > 0)
        #expect(fixed.statistics.acceptedSteps == 100)
        #expect(fixed.statistics.functionEvaluations == 400)
    }

    /// Every line of the Swift code of the article and of the package README appears in this package's
    /// tests, so neither can show code that does not compile.
    @Test func articleCodeIsThisTestsCode() throws {
        try expectDocumentedCodeIsTested(["Sources/ODESolvers/ODESolvers.docc/GettingStarted.md", "README.md"])
    }
}

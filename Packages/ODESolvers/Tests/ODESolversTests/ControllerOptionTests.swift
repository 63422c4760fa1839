import Foundation
@testable import ODESolvers
import Testing
import Tensors

@Suite("Norms, seminorm, PI control, stepping onto output times")
struct ControllerOptionTests {
    @Test("the norm is the max over components of each component's RMS")
    func componentRMS() {
        let x = TensorList<Double>([Tensor([3, 4]), Tensor([1, 1, 1, 1])])
        let zero = TensorList<Double>([Tensor([0, 0]), Tensor([0, 0, 0, 0])])
        // atol = 1, rtol = 0: plain RMS per component: sqrt(12.5) and 1.
        let norm = scaledNorm(x, y0: zero, y1: zero, rtol: 0, atol: 1, components: [0, 1])
        #expect(abs(norm - 12.5.squareRoot()) < 1e-15)
        #expect(scaledNorm(x, y0: zero, y1: zero, rtol: 0, atol: 1, components: [1]) == 1)
        // rtol scales by max(|y0|, |y1|).
        let y1 = TensorList<Double>([Tensor([1, 1]), Tensor([0, 0, 0, 0])])
        let scaled = scaledNorm(x, y0: zero, y1: y1, rtol: 1, atol: 1, components: [0])
        #expect(abs(scaled - (12.5 / 4).squareRoot()) < 1e-15)
        let poisoned = TensorList<Double>([Tensor([1, .infinity]), Tensor([0, 0, 0, 0])])
        #expect(scaledNorm(x, y0: zero, y1: poisoned, rtol: 1, atol: 1, components: [0]).isNaN)
    }

    @Test("a list state is measured per component, not as one concatenated vector")
    func listVersusConcatenated() throws {
        let controller = StepSizeController.adaptive(rtol: 1e-6, atol: 1e-6)
        let list = try solve(TestFields.heavyBall, y0: TensorList([Tensor([1.0]), Tensor([0.0])]),
                             times: [0, 10], controller: controller)
        let gamma = TestFields.heavyBallGamma
        let flat = try solve(TestFields.linear([[0, -1], [1, -gamma]]), y0: Tensor([1.0, 0.0]),
                             times: [0, 10], controller: controller)
        // max(|h|,|m|) ≥ RMS(h, m), so the list takes at least as many steps, and here strictly more.
        #expect(list.statistics.attemptedSteps > flat.statistics.attemptedSteps)
        #expect(abs(list.finalState[0].scalars[0] - flat.finalState.scalars[0]) < 1e-4)
    }

    /// y' = −y (measured) next to z' = 50·cos(50·t) (fast forcing that never feeds back, like a_θ).
    static func fastForcing(_ t: Double, _ s: TensorList<Double>) throws -> TensorList<Double> {
        TensorList([s[0].map { -$0 }, Tensor([50 * cos(50 * t)])])
    }

    @Test("the .components seminorm ignores a fast component and takes fewer steps")
    func seminorm() throws {
        let y0 = TensorList([Tensor([1.0]), Tensor([0.0])])
        let controller = StepSizeController.adaptive(rtol: 1e-6, atol: 1e-6)
        let full = try solve(Self.fastForcing, y0: y0, times: [0, 2], controller: controller)
        var options = SolveOptions()
        options.norm = .components([0])
        let semi = try solve(Self.fastForcing, y0: y0, times: [0, 2], controller: controller, options: options)
        #expect(semi.statistics.attemptedSteps * 3 < full.statistics.attemptedSteps)
        #expect(abs(semi.finalState[0].scalars[0] - exp(-2)) < 1e-5)
        #expect(abs(full.finalState[1].scalars[0] - sin(100)) < 1e-4)
        #expect(semi.statistics.functionEvaluations == 2 + 6 * semi.statistics.attemptedSteps)
    }

    @Test("PI controller: accurate, and a different step sequence from the I controller", arguments: [1e-4, 1e-7])
    func proportionalIntegral(tolerance: Double) throws {
        var control = AdaptiveController(rtol: tolerance, atol: tolerance)
        control.proportionalIntegral = (beta1: 0.7 / 5, beta2: 0.4 / 5)
        var options = SolveOptions()
        options.recordSteps = true
        let a = [[0.0, 1.0], [-1.0, -0.3]]
        let pi = try solve(TestFields.linear(a), y0: Tensor([1.0, 0.0]), times: [0, 10],
                           controller: .adaptive(control), options: options)
        let plain = try solve(TestFields.linear(a), y0: Tensor([1.0, 0.0]), times: [0, 10],
                              controller: .adaptive(rtol: tolerance, atol: tolerance), options: options)
        let exact = DampedOscillator.exact(t: 10, y0: 1, v0: 0, damping: 0.3)
        #expect(maxAbsDifference(pi.finalState, exact) < 100 * tolerance)
        #expect(pi.steps.map(\.dt) != plain.steps.map(\.dt))
        #expect(pi.statistics.functionEvaluations == 2 + 6 * pi.statistics.attemptedSteps)
        // The PI controller may shrink after an accepted step; the I controller may not.
        let piShrinks = zip(pi.steps, pi.steps.dropFirst()).filter { $1.dt < $0.dt }.count
        #expect(piShrinks > 0)
    }

    @Test("stepToOutputTimes lands exactly on every output time", arguments: [ButcherTableau.dopri5, .bosh3, .dopri8])
    func stepToOutputTimes(method: ButcherTableau) throws {
        var control = AdaptiveController(rtol: 1e-6, atol: 1e-6)
        control.stepToOutputTimes = true
        var options = SolveOptions()
        options.recordSteps = true
        let times = [0.0, 0.3, 0.35, 1.7, 4.0]
        let solution = try solve(TestFields.decay(-0.8), y0: Tensor([2.0]), times: times, method: method,
                                 controller: .adaptive(control), options: options)
        let starts = Set(solution.steps.map(\.t0))
        for t in times.dropLast() { #expect(starts.contains(t), "no step starts at \(t)") }
        for (t, state) in zip(times, solution.states) {
            #expect(abs(state.scalars[0] - 2 * exp(-0.8 * t)) < 1e-5)
        }
        // Every output is a step end, so the step that reaches it and the recorded start agree.
        for (index, t) in times.enumerated().dropFirst().dropLast() {
            let step = solution.steps.first { $0.t0 == t }!
            #expect(step.y0 == solution.states[index])
        }
    }

    @Test("maxStep caps every step; a given initialStep skips Hairer's evaluation")
    func stepBounds() throws {
        var control = AdaptiveController(rtol: 1e-3, atol: 1e-3)
        control.maxStep = 0.25
        control.initialStep = 0.01
        var options = SolveOptions()
        options.recordSteps = true
        let solution = try solve(TestFields.decay(-1), y0: Tensor([1.0]), times: [0, 5], controller: .adaptive(control),
                                 options: options)
        #expect(solution.steps.allSatisfy { abs($0.dt) <= 0.25 })
        #expect(solution.steps.first?.dt == 0.01)
        #expect(solution.statistics.initialStepSize == 0.01)
        #expect(solution.statistics.functionEvaluations == 1 + 6 * solution.statistics.attemptedSteps)
    }
}

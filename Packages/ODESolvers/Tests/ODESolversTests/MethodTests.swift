import Foundation
import ODESolvers
import Testing
import Tensors

@Suite("Tableaus, single steps, dense output, Float states")
struct MethodTests {
    static let all: [ButcherTableau] = [.euler, .midpoint, .heun, .heunEuler, .rk4, .bosh3, .dopri5, .tsit5, .dopri8]

    /// Order conditions up to order 4 (the bushy and tall trees) for weights `w`.
    static func orderConditionResiduals(_ m: ButcherTableau, weights w: [Double], order: Int) -> [Double] {
        let s = m.c.count
        func aRow(_ i: Int, _ v: [Double]) -> Double { (0..<i).reduce(0) { $0 + m.a[i][$1] * v[$1] } }
        let c = m.c
        let ac = (0..<s).map { aRow($0, c) }
        let ac2 = (0..<s).map { aRow($0, c.map { $0 * $0 }) }
        let aac = (0..<s).map { aRow($0, ac) }
        func sum(_ f: (Int) -> Double) -> Double { (0..<s).reduce(0) { $0 + w[$1] * f($1) } }
        var residuals = [sum { _ in 1 } - 1]
        if order >= 2 { residuals.append(sum { c[$0] } - 1.0 / 2) }
        if order >= 3 { residuals += [sum { c[$0] * c[$0] } - 1.0 / 3, sum { ac[$0] } - 1.0 / 6] }
        if order >= 4 {
            residuals += [sum { pow(c[$0], 3) } - 1.0 / 4, sum { c[$0] * ac[$0] } - 1.0 / 8,
                          sum { ac2[$0] } - 1.0 / 12, sum { aac[$0] } - 1.0 / 24]
        }
        return residuals
    }

    @Test("structure is valid; b and the embedded b̂ = b − e satisfy their order conditions", arguments: all)
    func tableau(method: ButcherTableau) throws {
        try method.validate()
        for r in Self.orderConditionResiduals(method, weights: method.b, order: min(method.order, 4)) {
            #expect(abs(r) < 1e-12, "\(method.name) b residual \(r)")
        }
        if let e = method.errorWeights, let errorOrder = method.errorOrder {
            let bHat = zip(method.b, e).map { $0 - $1 }
            // tsit5's published error weights carry 15 significant digits.
            for r in Self.orderConditionResiduals(method, weights: bHat, order: min(errorOrder, 4)) {
                #expect(abs(r) < 1e-11, "\(method.name) b̂ residual \(r)")
            }
            // The embedded solution has exactly errorOrder: its next condition fails.
            if errorOrder < 4 {
                let next = Self.orderConditionResiduals(method, weights: bHat, order: errorOrder + 1)
                #expect(next.dropFirst(errorOrder == 1 ? 1 : (errorOrder == 2 ? 2 : 4)).contains { abs($0) > 1e-6 })
            }
        }
    }

    @Test("rungeKuttaStep: one dopri5 step of y' = −y, with and without an FSAL first stage")
    func singleStep() throws {
        let f = TestFields.decay(-1)
        let y = Tensor<Double>([1, 3])
        let (y1, error, stages) = try rungeKuttaStep(f, method: .dopri5, t: 0, y: y, dt: 0.1)
        #expect(stages.count == 7)
        #expect(maxAbsDifference(y1, y.map { $0 * exp(-0.1) }) < 1e-9)
        let e = try #require(error)
        #expect(e.scalars.allSatisfy { abs($0) < 1e-7 && $0 != 0 })
        // FSAL: the last stage is f(t + dt, y1).
        #expect(maxAbsDifference(stages[6], y1.map { -$0 }) == 0)
        let (again, _, _) = try rungeKuttaStep(f, method: .dopri5, t: 0, y: y, dt: 0.1, firstStage: stages[0])
        #expect(again == y1)
        let (back, _, _) = try rungeKuttaStep(f, method: .dopri5, t: 0.1, y: y1, dt: -0.1)
        #expect(maxAbsDifference(back, y) < 1e-8)
        let (_, rk4Error, rk4Stages) = try rungeKuttaStep(f, method: .rk4, t: 0, y: y, dt: 0.1)
        #expect(rk4Error == nil)
        #expect(rk4Stages.count == 4)
    }

    /// Worst error over many output times of the harmonic oscillator.
    static func harmonicOutputError(_ method: ButcherTableau, _ control: AdaptiveController) throws -> (Double, Int) {
        let times = stride(from: 0.0, through: 5.0, by: 0.125).map { $0 }
        let solution = try solve(TestFields.linear([[0, 1], [-1, 0]]), y0: Tensor([1.0, 0.0]), times: times,
                                 method: method, controller: .adaptive(control))
        var worst = 0.0
        for (t, state) in zip(times, solution.states) {
            worst = max(worst, maxAbsDifference(state, Tensor([cos(t), -sin(t)])))
        }
        return (worst, solution.statistics.acceptedSteps)
    }

    @Test("Hermite dense output of the other adaptive methods tracks the tolerance",
          arguments: [ButcherTableau.bosh3, .tsit5, .heunEuler])
    func hermiteDenseOutput(method: ButcherTableau) throws {
        let (worst, steps) = try Self.harmonicOutputError(method, AdaptiveController(rtol: 1e-6, atol: 1e-6))
        #expect(worst < 1e-4, "\(method.name): \(worst)")
        #expect(steps < 5000)
    }

    @Test("dopri8: cubic Hermite limits interior outputs of its long steps; stepping onto outputs does not")
    func dopri8DenseOutput() throws {
        var control = AdaptiveController(rtol: 1e-8, atol: 1e-8)
        let (interpolated, longSteps) = try Self.harmonicOutputError(.dopri8, control)
        // The Hermite interpolant is third order, so its error (~h⁴/384) dominates the 8th-order steps.
        #expect(interpolated < 1e-4)
        control.stepToOutputTimes = true
        let (exact, _) = try Self.harmonicOutputError(.dopri8, control)
        #expect(exact < 1e-6)
        #expect(exact < interpolated)
        #expect(longSteps < 40)
    }

    @Test("linear 3x3 system against its eigen-decomposition, several tolerances", arguments: [1e-3, 1e-6, 1e-9])
    func linearSystem(tolerance: Double) throws {
        // A = Q·diag(λ)·Q with Q = I − 2vvᵀ/|v|² (orthogonal and symmetric), so e^{At} = Q·e^{Λt}·Q.
        let v = [1.0, 2.0, 2.0], vv = 9.0
        let q = (0..<3).map { i in (0..<3).map { j in (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv } }
        let lambda = [-0.5, -1.0, -3.0]
        let a = (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0.0) { $0 + q[i][$1] * lambda[$1] * q[$1][j] } } }
        let y0 = [1.0, -1.0, 0.5]
        func exact(_ t: Double) -> Tensor<Double> {
            let qy = (0..<3).map { i in (0..<3).reduce(0.0) { $0 + q[i][$1] * y0[$1] } }
            let scaled = (0..<3).map { exp(lambda[$0] * t) * qy[$0] }
            return Tensor((0..<3).map { i in (0..<3).reduce(0.0) { $0 + q[i][$1] * scaled[$1] } })
        }
        let times = [0.0, 0.4, 1.1, 3.0]
        let solution = try solve(TestFields.linear(a), y0: Tensor(y0), times: times,
                                 controller: .adaptive(rtol: tolerance, atol: tolerance))
        let errors = zip(times, solution.states).map { maxAbsDifference($1, exact($0)) }
        #expect(errors.max()! < 20 * tolerance)
    }

    @Test("Float states: time stays Double, the state Float")
    func floatState() throws {
        let field: (Double, Tensor<Float>) throws -> Tensor<Float> = { _, y in y.map { -$0 } }
        let solution = try solve(field, y0: Tensor<Float>(repeating: 1, shape: [4, 3]), times: [0, 1],
                                 controller: .adaptive(rtol: 1e-5, atol: 1e-5))
        #expect(solution.finalState.shape == [4, 3])
        #expect(solution.finalState.scalars.allSatisfy { abs($0 - Float(exp(-1.0))) < 1e-4 })
        let fixed = try solve(field, y0: Tensor<Float>([1]), times: [0, 0.5, 1], method: .rk4, controller: .fixed(dt: 0.1))
        #expect(abs(fixed.finalState.scalars[0] - Float(exp(-1.0))) < 1e-5)
        #expect(fixed.statistics.functionEvaluations == 40)
    }

    @Test("fixed grid: uniform dt, output times inserted, FSAL reuse, statistics sum")
    func fixedGrid() throws {
        var options = SolveOptions()
        options.recordSteps = true
        let solution = try solve(TestFields.decay(-1), y0: Tensor([1.0]), times: [0, 0.25, 1], method: .dopri5,
                                 controller: .fixed(dt: 0.2), options: options)
        let ends = solution.steps.map { $0.t0 + $0.dt }
        let expected = [0.2, 0.25, 0.4, 0.6, 0.8, 1.0]
        #expect(ends.count == expected.count)
        for (e, x) in zip(ends, expected) { #expect(abs(e - x) < 1e-15) }
        // 6 new stages per step plus the very first k1.
        #expect(solution.statistics.functionEvaluations == 1 + 6 * 6)
        let backwards = try solve(TestFields.decay(-1), y0: solution.finalState, times: [1, 0], method: .rk4,
                                  controller: .fixed(dt: 0.01))
        #expect(abs(backwards.finalState.scalars[0] - solution.finalState.scalars[0] * exp(1)) < 1e-10)
        let total = solution.statistics + backwards.statistics
        #expect(total.acceptedSteps == 106)
        #expect(total.initialStepSize == 0.2 && total.finalStepSize == 0.01)
    }

    @Test("dense output is exact for polynomials of its degree: quartic for dopri5, cubic for Hermite")
    func denseOutputPolynomials() throws {
        // y' = 4t³ (y = t⁴): dopri5 (order 5) steps it exactly, and its quartic interpolant is exact inside.
        let quartic: (Double, Tensor<Double>) throws -> Tensor<Double> = { t, _ in Tensor([4 * t * t * t]) }
        let step = try rungeKuttaStep(quartic, method: .dopri5, t: 0.5, y: Tensor([0.0625]), dt: 1)
        for t in [0.6, 0.9, 1.2, 1.5] {
            let y = interpolate(method: .dopri5, t0: 0.5, dt: 1, y0: Tensor([0.0625]), y1: step.y1,
                                stages: step.stages, f1: step.stages[6], at: t)
            #expect(abs(y.scalars[0] - pow(t, 4)) < 1e-13, "t = \(t)")
        }
        // y' = 3t² (y = t³) with bosh3 (order 3) and cubic Hermite output, stepping backwards.
        let cubic: (Double, Tensor<Double>) throws -> Tensor<Double> = { t, _ in Tensor([3 * t * t]) }
        let back = try rungeKuttaStep(cubic, method: .bosh3, t: 2, y: Tensor([8.0]), dt: -1.5)
        #expect(abs(back.y1.scalars[0] - 0.125) < 1e-13)
        for t in [1.9, 1.0, 0.7] {
            let y = interpolate(method: .bosh3, t0: 2, dt: -1.5, y0: Tensor([8.0]), y1: back.y1,
                                stages: back.stages, f1: try cubic(0.5, back.y1), at: t)
            #expect(abs(y.scalars[0] - t * t * t) < 1e-13, "t = \(t)")
        }
    }
}

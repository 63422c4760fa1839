import ODESolvers
import Tensors

/// One accepted Runge–Kutta step re-run from its checkpoint, with what reversing it needs: the stage
/// derivatives `k_i` and the stage inputs `Y_i = y0 + dt·Σ_j a_ij k_j`.
@usableFromInline
struct StepReplay<State: ODEState> {
    @usableFromInline var t0: Double
    @usableFromInline var dt: Double
    @usableFromInline var y0: State
    @usableFromInline var y1: State
    @usableFromInline var stages: [State]
    @usableFromInline var stageInputs: [State]

    /// Re-runs the step with ODESolvers' `rungeKuttaStep` (one evaluation per stage, counted by `f`).
    @inlinable
    init(
        _ f: (Double, State) throws -> State, method: ButcherTableau, t0: Double, dt: Double, y0: State
    ) throws {
        let result = try rungeKuttaStep(f, method: method, t: t0, y: y0, dt: dt)
        self.t0 = t0
        self.dt = dt
        self.y0 = y0
        self.y1 = result.y1
        self.stages = result.stages
        // The stage inputs are rebuilt from the k's (axpys only) instead of re-evaluating anything.
        stageInputs = method.a.map { row in
            var input = y0
            for (j, coefficient) in row.enumerated() where coefficient != 0 {
                input.addScaled(result.stages[j], by: State.Scalar(dt * coefficient))
            }
            return input
        }
    }

    /// `y0 + dt·Σ w_i k_i`.
    @inlinable
    func combination(_ weights: [Double]) -> State {
        var y = y0
        for (i, w) in weights.enumerated() where w != 0 { y.addScaled(stages[i], by: State.Scalar(dt * w)) }
        return y
    }
}

/// The dense output of one step written as `y(t0 + x·dt) = y0 + dt·(Σ_i w_i k_i + w_end·f(t1, y1))`.
///
/// Every dense output used by the solvers is linear in `y0`, `y1 = y0 + dt·Σ b_i k_i`, the stages and
/// `f(t1, y1)`, so it has this form; differentiating an interpolated output is then the same as
/// differentiating a step with weights `w` instead of `b`.
@usableFromInline
struct DenseOutputWeights: Equatable {
    /// Weights of the stages.
    @usableFromInline var stages: [Double]
    /// Weight of `f(t1, y1)` when that is not one of the stages (Hermite output of a non-FSAL method).
    @usableFromInline var endDerivative: Double

    /// The weights at `x = (t − t0)/dt ∈ [0, 1]`. At `x = 1` this is exactly `b` (the step's end).
    @inlinable
    init(method: ButcherTableau, x: Double) {
        let s = method.b.count
        if x >= 1 {
            stages = method.b
            endDerivative = 0
            return
        }
        func unit(_ i: Int) -> [Double] { (0..<s).map { $0 == i ? 1 : 0 } }
        func sum(_ terms: [(Double, [Double])]) -> [Double] {
            (0..<s).map { i in terms.reduce(0) { $0 + $1.0 * $1.1[i] } }
        }
        let f0 = unit(0)
        let b = method.b
        switch method.denseOutput {
        case .dopri5Quartic(let midWeights):
            // y(x) = y0 + x·dt f0 + x²C + x³B + x⁴A; substituting y1 = y0 + dt·Σb k and
            // y_mid = y0 + dt·Σm k the y0 terms of A, B, C cancel, leaving stage weights.
            let m = midWeights
            let f1 = unit(s - 1)
            let x2 = x * x, x3 = x2 * x, x4 = x3 * x
            stages = sum([
                (x, f0),
                (x2, f1), (-4 * x2, f0), (-5 * x2, b), (16 * x2, m),
                (5 * x3, f0), (-3 * x3, f1), (14 * x3, b), (-32 * x3, m),
                (2 * x4, f1), (-2 * x4, f0), (-8 * x4, b), (16 * x4, m),
            ])
            endDerivative = 0
        default:
            // Cubic Hermite through (y0, f0) and (y1, f1); f1 is the last stage of an FSAL method.
            let x2 = x * x, x3 = x2 * x
            let h10 = x3 - 2 * x2 + x, h01 = -2 * x3 + 3 * x2, h11 = x3 - x2
            if method.isFSAL {
                stages = sum([(h10, f0), (h01, b), (h11, unit(s - 1))])
                endDerivative = 0
            } else {
                stages = sum([(h10, f0), (h01, b)])
                endDerivative = h11
            }
        }
    }
}

/// Which recorded step produced each output time: output `i ≥ 1` comes from the first step whose end
/// reaches it (the solver interpolates in the step that passes the output time).
@inlinable
func outputStepAssignment(times: [Double], steps: [(t0: Double, dt: Double)]) -> [(step: Int, x: Double)] {
    guard times.count > 1, !steps.isEmpty else { return [] }
    var assignment: [(step: Int, x: Double)] = []
    var k = 0
    for i in 1..<times.count {
        let time = times[i]
        // Step ends are sums of doubles: allow a relative slack so an output that a fixed grid lands on
        // exactly is not pushed into the next step.
        while k < steps.count - 1 {
            let (t0, dt) = steps[k]
            if (time - (t0 + dt)) / dt <= 1e-10 { break }
            k += 1
        }
        let (t0, dt) = steps[k]
        let x = Swift.min(1, Swift.max(0, (time - t0) / dt))
        assignment.append((k, (1 - x) < 1e-10 ? 1 : x))
    }
    return assignment
}

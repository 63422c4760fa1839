import ODESolvers
import Tensors

/// Checkpointed adjoint: the forward stores every accepted step's start state (`options.recordSteps`).
/// Backwards, only `(a_y, a_θ)` is integrated, interval by interval between output times exactly like
/// the backsolve adjoint, but `y(t)` comes from the forward step containing `t`: that step is re-run from
/// its checkpoint (one evaluation per stage, plus `f(t1, y1)` for Hermite output of non-FSAL methods)
/// and its dense-output interpolant is evaluated. `y` is never integrated backwards, so the method stays
/// accurate where backwards integration of `y` is unstable; memory is one state per forward step plus a
/// few re-run steps.
@inlinable
func checkpointedAdjoint<Field: DifferentiableVectorField>(
    _ field: Field, solution: Solution<Field.State>, cotangents: [Field.State?],
    forwardMethod: ButcherTableau, forwardController: StepSizeController,
    adjointOptions: AdjointSolveOptions, recordTimes: [Double], normReduction: NormReduction? = nil
) throws -> Gradients<Field.State> {
    let n = solution.states[0].tensorComponents.count
    let trajectory = CheckpointTrajectory(field: field, method: forwardMethod, steps: solution.steps)
    let dynamics = AdjointAlongTrajectory(field: field, stateComponents: n) { t in try trajectory.state(at: t) }
    var result = try adjointByIntervals(
        dynamics, solution: solution, cotangents: cotangents, forwardMethod: forwardMethod,
        forwardController: forwardController, adjointOptions: adjointOptions, recordTimes: recordTimes,
        normReduction: normReduction)
    // The step re-runs are field evaluations of the backward pass too.
    result.statistics.functionEvaluations += trajectory.evaluations
    return result
}

/// `y(t)` from the forward checkpoints: finds the recorded step containing `t`, re-runs it from its start
/// state and evaluates its dense output. The last few re-run steps are kept, because the backward
/// solver's stages (and rejected attempts) revisit the same forward step many times.
@usableFromInline
final class CheckpointTrajectory<Field: DifferentiableVectorField> {
    @usableFromInline typealias State = Field.State
    @usableFromInline let field: Field
    @usableFromInline let method: ButcherTableau
    @usableFromInline let steps: [RecordedStep<State>]
    /// Field evaluations spent re-running steps.
    @usableFromInline var evaluations = 0
    @usableFromInline var cache: [(step: Int, replay: StepReplay<State>, endDerivative: State?)] = []
    @usableFromInline let cacheSize = 3
    @usableFromInline let needsEndDerivative: Bool

    @inlinable
    init(field: Field, method: ButcherTableau, steps: [RecordedStep<State>]) {
        self.field = field
        self.method = method
        self.steps = steps
        needsEndDerivative = DenseOutputWeights(method: method, x: 0.5).endDerivative != 0
    }

    /// The recorded step whose interval holds `t` (the first or last one outside the recorded span).
    @inlinable
    func stepIndex(containing t: Double) -> Int {
        let direction: Double = steps[0].dt < 0 ? -1 : 1
        var (lo, hi) = (0, steps.count - 1)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if (t - steps[mid].t0) * direction >= 0 { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    @inlinable
    func state(at t: Double) throws -> State {
        let k = stepIndex(containing: t)
        let entry: (step: Int, replay: StepReplay<State>, endDerivative: State?)
        if let cached = cache.first(where: { $0.step == k }) {
            entry = cached
        } else {
            let recorded = steps[k]
            let field = self.field
            var count = 0
            let replay = try StepReplay({ t, y in
                count += 1
                return try field(t, y)
            }, method: method, t0: recorded.t0, dt: recorded.dt, y0: recorded.y0)
            let endDerivative = needsEndDerivative ? try field(recorded.t0 + recorded.dt, replay.y1) : nil
            evaluations += count + (needsEndDerivative ? 1 : 0)
            entry = (k, replay, endDerivative)
            if cache.count == cacheSize { cache.removeFirst() }
            cache.append(entry)
        }
        let replay = entry.replay
        let x = Swift.min(1, Swift.max(0, (t - replay.t0) / replay.dt))
        let weights = DenseOutputWeights(method: method, x: x)
        var y = replay.combination(weights.stages)
        if let endDerivative = entry.endDerivative, weights.endDerivative != 0 {
            y.addScaled(endDerivative, by: State.Scalar(replay.dt * weights.endDerivative))
        }
        return y
    }
}

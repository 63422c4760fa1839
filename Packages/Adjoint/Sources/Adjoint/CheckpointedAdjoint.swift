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
    adjointOptions: AdjointSolveOptions, recordTimes: [Double]
) throws -> Gradients<Field.State> {
    typealias State = Field.State
    let times = solution.times
    let last = times.count - 1
    let n = solution.states[0].tensorComponents.count
    let method = adjointOptions.method ?? forwardMethod
    let controller = adjointOptions.resolvedController(forward: forwardController)
    var options = SolveOptions()
    options.maxSteps = adjointOptions.maxSteps
    options.norm = adjointOptions.norm == .full ? .rms : .components(Array(0..<n))

    let trajectory = CheckpointTrajectory(field: field, method: forwardMethod, steps: solution.steps)
    let dynamics = AdjointAlongTrajectory(field: field, stateComponents: n) { t in try trajectory.state(at: t) }
    var statistics = SolverStatistics()
    var adjoint = adding(solution.states[last].zerosLike(), cotangents[last])
    var parameterAdjoints = field.parameters.map { Tensor<State.Scalar>(zeros: $0.shape) }
    var samples = [AdjointSample<State>?](repeating: nil, count: recordTimes.count)
    let direction: Double = last > 0 && times[last] < times[0] ? -1 : 1
    for (r, time) in recordTimes.enumerated() where time == times[last] {
        samples[r] = AdjointSample(time: time, state: solution.states[last], adjoint: adjoint)
    }
    var i = last
    while i > 0 {
        let (upper, lower) = (times[i], times[i - 1])
        let interior = recordTimes.enumerated().filter { (_, time) in
            (time - lower) * direction > 0 && (upper - time) * direction > 0
        }.sorted { ($0.element - $1.element) * direction > 0 }
        var gridTimes = [upper]
        for (_, time) in interior where time != gridTimes.last! { gridTimes.append(time) }
        gridTimes.append(lower)
        let start = TensorList(adjoint.tensorComponents + parameterAdjoints)
        let backward = try solve(
            { t, packed in try dynamics(t, packed) }, y0: start, times: gridTimes, method: method,
            controller: controller, options: options)
        statistics = statistics + backward.statistics
        for (r, time) in interior {
            let packed = backward.states[gridTimes.firstIndex(of: time)!]
            samples[r] = AdjointSample(
                time: time, state: try trajectory.state(at: time),
                adjoint: State(tensorComponents: Array(packed.components[0..<n])))
        }
        let end = backward.states.last!.components
        adjoint = adding(State(tensorComponents: Array(end[0..<n])), cotangents[i - 1])
        parameterAdjoints = Array(end[n...])
        for (r, time) in recordTimes.enumerated() where time == lower {
            samples[r] = AdjointSample(time: time, state: solution.states[i - 1], adjoint: adjoint)
        }
        i -= 1
    }
    if last == 0 {
        for (r, time) in recordTimes.enumerated() where time == times[0] {
            samples[r] = AdjointSample(time: time, state: solution.states[0], adjoint: adjoint)
        }
    }
    statistics.functionEvaluations += trajectory.evaluations
    return Gradients(
        initialState: adjoint, parameters: parameterAdjoints, times: nil, statistics: statistics,
        adjointTrajectory: samples.compactMap { $0 })
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

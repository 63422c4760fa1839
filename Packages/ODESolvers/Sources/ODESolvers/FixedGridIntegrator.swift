/// Fixed-step integration on the uniform grid `t0 + k·dt` (in the direction of `times`) with every
/// output time inserted as an extra grid point, so steps end exactly on output times and no output is
/// interpolated. A grid point within `1e-9·dt` of an output time is merged into it (no sliver steps).
/// FSAL methods reuse their last stage as the next `k1`.
@inlinable
func integrateFixedGrid<State: ODEState>(
    _ f: (Double, State) throws -> State, y0: State, times: [Double], method: ButcherTableau, dt: Double,
    options: SolveOptions
) throws -> Solution<State> {
    let direction: Double = times[1] > times[0] ? 1 : -1
    let t0 = times[0]
    var statistics = SolverStatistics()
    statistics.initialStepSize = dt
    statistics.finalStepSize = dt
    var stepper = RungeKuttaStepper(method: method, like: y0)
    var states: [State] = [y0]
    states.reserveCapacity(times.count)
    var recorded: [RecordedStep<State>] = []
    var y = y0
    var t = t0
    var k1: State? = nil
    var gridIndex = 1.0
    for target in times.dropFirst() {
        while direction * (target - t) > 0 {
            let gridPoint = t0 + direction * gridIndex * dt
            let tNext: Double
            if direction * (gridPoint - target) >= -1e-9 * dt {
                tNext = target
                if abs(gridPoint - target) <= 1e-9 * dt { gridIndex += 1 }
            } else {
                tNext = gridPoint
                gridIndex += 1
            }
            let h = tNext - t
            if statistics.acceptedSteps >= options.maxSteps {
                throw ODESolverError.stepBudgetExhausted(t: t, dt: h, maxSteps: options.maxSteps)
            }
            if t + h == t { throw ODESolverError.stepSizeUnderflow(t: t, dt: h) }
            let first: State
            if let k1 = k1 {
                first = k1
            } else {
                first = try f(t, y)
                statistics.functionEvaluations += 1
            }
            try stepper.step(f, t: t, y: y, dt: h, firstStage: first, evaluations: &statistics.functionEvaluations)
            if !stepper.y1.isFinite { throw ODESolverError.nonFiniteState(t: t, dt: h) }
            if options.recordSteps { recorded.append(RecordedStep(t0: t, dt: h, y0: y)) }
            swap(&y, &stepper.y1)
            t = tNext
            k1 = stepper.lastStageIsSolution ? stepper.stages[stepper.stages.count - 1] : nil
            statistics.acceptedSteps += 1
        }
        states.append(y)
    }
    return Solution(times: times, states: states, statistics: statistics, steps: recorded)
}

import Foundation

/// Error-controlled integration with torchdiffeq 0.2.1's semantics by default:
///
/// 1. `k1 = f(t0, y0)` (NFE 1) and, unless `initialStep` is given, Hairer's initial step (NFE 2),
///    computed once per solve.
/// 2. Each attempt evaluates the stages (6 new evaluations for dopri5 thanks to FSAL) and the ratio
///    `r = ‖dt·Σ e_i k_i / (atol + rtol·max(|y0|, |y1|))‖`; it is accepted iff `r ≤ 1`.
/// 3. I-controller: `dt ← dt·min(maxGrowth, max(safety·r^(−1/(errorOrder+1)), dfac))` with
///    `dfac = 1` when `r < 1` (an accepted step never shrinks) and `minShrink` otherwise; `r == 0`
///    multiplies by `maxGrowth`. (torchdiffeq tests `r < 1` here, so `r == 1` exactly is accepted yet
///    shrinks; this is reproduced.)
/// 4. Steps are not clipped to output times (unless `stepToOutputTimes`): outputs come from the dense
///    output of the accepted step that reaches or passes them.
///
/// Failures: `t + dt == t` → `stepSizeUnderflow`; a rejected step needing `|dt| < minStep` →
/// `stepSizeUnderflow`; a non-finite ratio or new state → `nonFiniteState` (torchdiffeq would keep
/// shrinking a NaN step until its underflow assertion); more than `maxSteps` attempts →
/// `stepBudgetExhausted`.
///
/// With `options.normReduction` every norm (the initial step's and each attempt's ratio) is the norm of
/// the state summed over processes (see ``NormReduction``), so every process takes the same steps.
@inlinable
func integrateAdaptive<State: ODEState>(
    _ f: (Double, State) throws -> State, y0: State, times: [Double], method: ButcherTableau,
    control: AdaptiveController, options: SolveOptions
) throws -> Solution<State> {
    let direction: Double = times[1] > times[0] ? 1 : -1
    let measured = options.norm.measuredComponents(count: y0.componentCount)
    let errorOrder = method.errorOrder!
    let exponent = 1.0 / Double(errorOrder + 1)
    var statistics = SolverStatistics()
    var t = times[0]
    var y = y0
    if !y0.isFinite { throw ODESolverError.nonFiniteState(t: t, dt: 0) }

    var k1: State? = try f(t, y)
    statistics.functionEvaluations += 1
    var dt: Double
    if let given = control.initialStep {
        dt = direction * abs(given)
    } else {
        dt = try hairerInitialStep(
            f, t0: t, y0: y, f0: k1!, direction: direction, errorOrder: errorOrder, rtol: control.rtol,
            atol: control.atol, components: measured, reduction: options.normReduction,
            evaluations: &statistics.functionEvaluations)
    }
    if abs(dt) > control.maxStep { dt = direction * control.maxStep }
    statistics.initialStepSize = abs(dt)

    var stepper = RungeKuttaStepper(method: method, like: y0)
    var states: [State] = [y0]
    states.reserveCapacity(times.count)
    var recorded: [RecordedStep<State>] = []
    // The last accepted step, for dense output: it went from (lastT0, stepper.y1 after the swap) over lastDt.
    var lastT0 = t
    var lastDt = 0.0
    var previousRatio = 1.0

    for target in times.dropFirst() {
        while direction * (target - t) > 0 {
            if statistics.attemptedSteps >= options.maxSteps {
                throw ODESolverError.stepBudgetExhausted(t: t, dt: dt, maxSteps: options.maxSteps)
            }
            var stepDt = dt
            var clipped = false
            if control.stepToOutputTimes && direction * (t + dt - target) > 0 {
                stepDt = target - t
                clipped = true
            }
            if t + stepDt == t { throw ODESolverError.stepSizeUnderflow(t: t, dt: stepDt) }
            let first: State
            if let k = k1 {
                first = k
            } else {
                first = try f(t, y)
                statistics.functionEvaluations += 1
                k1 = first
            }
            try stepper.step(f, t: t, y: y, dt: stepDt, firstStage: first, evaluations: &statistics.functionEvaluations)
            let ratio: Double
            if let reduction = options.normReduction {
                ratio = stepper.errorRatio(
                    y: y, dt: stepDt, rtol: control.rtol, atol: control.atol, components: measured, reduction: reduction)
            } else {
                ratio = stepper.errorRatio(
                    y: y, dt: stepDt, rtol: control.rtol, atol: control.atol, components: measured)
            }
            if !ratio.isFinite { throw ODESolverError.nonFiniteState(t: t, dt: stepDt) }

            if ratio <= 1 {
                if !unmeasuredComponentsAreFinite(stepper.y1, measured: measured) {
                    throw ODESolverError.nonFiniteState(t: t, dt: stepDt)
                }
                if options.recordSteps { recorded.append(RecordedStep(t0: t, dt: stepDt, y0: y)) }
                swap(&y, &stepper.y1)
                lastT0 = t
                lastDt = stepDt
                t = clipped ? target : t + stepDt
                k1 = stepper.lastStageIsSolution ? stepper.stages[stepper.stages.count - 1] : nil
                statistics.acceptedSteps += 1
                var factor: Double
                if ratio == 0 {
                    factor = control.maxGrowth
                } else if let pi = control.proportionalIntegral {
                    factor = control.safety * Foundation.pow(ratio, -pi.beta1) * Foundation.pow(previousRatio, pi.beta2)
                    factor = Swift.min(control.maxGrowth, Swift.max(control.minShrink, factor))
                } else {
                    let floor = ratio < 1 ? 1.0 : control.minShrink
                    factor = Swift.min(control.maxGrowth, Swift.max(control.safety * Foundation.pow(ratio, -exponent), floor))
                }
                previousRatio = Swift.max(ratio, 1e-4)
                var next = stepDt * factor
                if clipped && abs(next) < abs(dt) { next = dt }
                dt = next
            } else {
                statistics.rejectedSteps += 1
                let factor = Swift.min(
                    control.maxGrowth, Swift.max(control.safety * Foundation.pow(ratio, -exponent), control.minShrink))
                dt = stepDt * factor
                if abs(dt) < control.minStep { throw ODESolverError.stepSizeUnderflow(t: t, dt: dt) }
            }
            if abs(dt) > control.maxStep { dt = direction * control.maxStep }
        }
        if t == target {
            states.append(y)
        } else {
            // After an accepted step, stepper.y1 holds the step's start state (the buffers were swapped).
            if k1 == nil {
                k1 = try f(t, y)
                statistics.functionEvaluations += 1
            }
            states.append(interpolate(
                method: method, t0: lastT0, dt: lastDt, y0: stepper.y1, y1: y, stages: stepper.stages,
                f1: k1!, at: target))
        }
    }
    statistics.finalStepSize = abs(dt)
    return Solution(times: times, states: states, statistics: statistics, steps: recorded)
}

/// One explicit RK step from `(t, y)` with step `dt` (negative `dt` allowed). `firstStage` reuses an FSAL
/// `k1 = f(t, y)`; without it `f` is called for it.
///
/// Returns the new state, the error estimate `dt·Σ e_i k_i` (nil if the tableau has none) and all stage
/// derivatives `k_i` (for dense output and for differentiating through the step). Stages with `c = 1`
/// are evaluated at exactly `t + dt` (torchdiffeq uses `nextafter(t1, −∞)` there, which only a
/// time-dependent field can notice). Errors thrown by `f` propagate unchanged.
@inlinable
public func rungeKuttaStep<State: ODEState>(
    _ f: (Double, State) throws -> State, method: ButcherTableau,
    t: Double, y: State, dt: Double, firstStage: State? = nil
) throws -> (y1: State, error: State?, stages: [State]) {
    var stepper = RungeKuttaStepper(method: method, like: y)
    var evaluations = 0
    let k1: State
    if let firstStage = firstStage {
        k1 = firstStage
    } else {
        k1 = try f(t, y)
    }
    try stepper.step(f, t: t, y: y, dt: dt, firstStage: k1, evaluations: &evaluations)
    var error: State? = nil
    if method.errorWeights != nil {
        stepper.computeError(y: y, dt: dt)
        error = stepper.error
    }
    return (stepper.y1, error, stepper.stages)
}

/// The generic stepper behind `solve`: one tableau and reusable buffers for the stage input, the new
/// state and the error estimate, so a step allocates nothing beyond what `f` returns.
@usableFromInline
struct RungeKuttaStepper<State: ODEState> {
    @usableFromInline let method: ButcherTableau
    /// Stage derivatives of the last step attempt, `stages[0]` being `k1`.
    @usableFromInline var stages: [State] = []
    /// Scratch buffer for the stage inputs.
    @usableFromInline var stageInput: State
    /// The new state of the last step attempt.
    @usableFromInline var y1: State
    /// The error estimate of the last step attempt (valid after `computeError`).
    @usableFromInline var error: State
    /// Reused coefficient array (`dt·a_ij` converted to the state's scalar).
    @usableFromInline var coefficients: [State.Scalar] = []
    /// True when the last stage input is `y1` (FSAL methods), so no extra combination is needed.
    @usableFromInline let lastStageIsSolution: Bool

    @inlinable
    init(method: ButcherTableau, like y: State) {
        self.method = method
        // The buffers share `y`'s storage until first written, then own one copy each for the whole solve.
        self.stageInput = y
        self.y1 = y
        self.error = y
        let s = method.c.count
        self.lastStageIsSolution = method.isFSAL && s > 1 && method.c[s - 1] == 1
            && method.a[s - 1] == Array(method.b.prefix(s - 1)) && method.b[s - 1] == 0
        stages.reserveCapacity(s)
        coefficients.reserveCapacity(s)
    }

    @inlinable
    mutating func fillCoefficients(_ weights: [Double], dt: Double) {
        coefficients.removeAll(keepingCapacity: true)
        for w in weights { coefficients.append(State.Scalar(w * dt)) }
    }

    /// Evaluates all stages and the new state `y1` from `(t, y)` with `k1 = firstStage`.
    @inlinable
    mutating func step(
        _ f: (Double, State) throws -> State, t: Double, y: State, dt: Double, firstStage: State,
        evaluations: inout Int
    ) throws {
        let s = method.c.count
        stages.removeAll(keepingCapacity: true)
        stages.append(firstStage)
        for i in 1..<max(s, 1) {
            fillCoefficients(method.a[i], dt: dt)
            stageInput.assignLinearCombination(baseCoefficient: 1, base: y, coefficients: coefficients, terms: stages)
            let ti = method.c[i] == 1 ? t + dt : t + method.c[i] * dt
            stages.append(try f(ti, stageInput))
            evaluations += 1
        }
        if lastStageIsSolution {
            // The last stage input is y + dt·Σ b_i k_i already; swapping keeps both buffers alive.
            swap(&stageInput, &y1)
        } else {
            fillCoefficients(method.b, dt: dt)
            y1.assignLinearCombination(baseCoefficient: 1, base: y, coefficients: coefficients, terms: stages)
        }
    }

    /// The error ratio of the last `step` from `(t, y)` with step `dt`, without materialising the error.
    @inlinable
    mutating func errorRatio(y: State, dt: Double, rtol: Double, atol: Double, components: [Int]) -> Double {
        fillCoefficients(method.errorWeights!, dt: dt)
        return fusedErrorRatio(
            stages: stages, weights: coefficients, y0: y, y1: y1, rtol: rtol, atol: atol, components: components)
    }

    /// ``errorRatio(y:dt:rtol:atol:components:)`` of the whole state through `reduction`, with a finite
    /// check of the unmeasured components of `y1` folded in (NaN when one is not finite on any process).
    @inlinable
    mutating func errorRatio(
        y: State, dt: Double, rtol: Double, atol: Double, components: [Int], reduction: NormReduction
    ) -> Double {
        fillCoefficients(method.errorWeights!, dt: dt)
        let poisoned = !unmeasuredComponentsAreFinite(y1, measured: components)
        return fusedErrorRatio(
            stages: stages, weights: coefficients, y0: y, y1: y1, rtol: rtol, atol: atol, components: components,
            reduction: reduction, poisoned: poisoned)
    }

    /// `error ← dt·Σ e_i k_i` from the stages of the last `step`.
    @inlinable
    mutating func computeError(y: State, dt: Double) {
        guard let weights = method.errorWeights else { return }
        fillCoefficients(weights, dt: dt)
        error.assignLinearCombination(baseCoefficient: 0, base: y, coefficients: coefficients, terms: stages)
    }
}

/// The one entry point (torchdiffeq's `odeint`): the states at every output time plus statistics.
///
/// - `times` is strictly increasing or strictly decreasing; `times[0]` is the start and
///   `states[0] == y0`. Decreasing times integrate backwards with a negative `dt` directly. For
///   torchdiffeq's approach (negate time, integrate `−f(−s, y)`) every stage time, stage input and error
///   norm comes out bit-for-bit the same, because negation is exact in IEEE arithmetic, so the step
///   sequence is identical.
/// - The default is dopri5 with torchdiffeq's I-controller at rtol 1e-7, atol 1e-9: NFE = 2 + 6·steps.
/// - Errors thrown by `f` propagate unchanged; integration failures throw ``ODESolverError``.
@inlinable
public func solve<State: ODEState>(
    _ f: (Double, State) throws -> State,
    y0: State,
    times: [Double],
    method: ButcherTableau = .dopri5,
    controller: StepSizeController = .adaptive(rtol: 1e-7, atol: 1e-9),
    options: SolveOptions = SolveOptions()
) throws -> Solution<State> {
    try validateTimes(times)
    try method.validate()
    if times.count == 1 {
        return Solution(times: times, states: [y0], statistics: SolverStatistics())
    }
    switch controller {
    case .fixed(let dt):
        guard dt.isFinite, dt > 0 else {
            throw ODESolverError.invalidStepSize(dt: dt)
        }
        return try integrateFixedGrid(f, y0: y0, times: times, method: method, dt: dt, options: options)
    case .adaptive(let control):
        guard method.isAdaptive else {
            throw ODESolverError.invalidTableau(
                "\(method.name) has no embedded error estimate; use .fixed(dt:) or an adaptive method")
        }
        guard control.rtol >= 0, control.atol >= 0, control.rtol + control.atol > 0 else {
            throw ODESolverError.invalidTolerance(rtol: control.rtol, atol: control.atol)
        }
        // Bounds that guarantee a rejected step shrinks, so rejections cannot repeat forever.
        precondition(
            control.safety > 0 && control.safety <= 1 && control.minShrink > 0 && control.minShrink < 1
                && control.maxGrowth >= 1,
            "AdaptiveController needs 0 < safety ≤ 1, 0 < minShrink < 1, maxGrowth ≥ 1; got safety \(control.safety), minShrink \(control.minShrink), maxGrowth \(control.maxGrowth)")
        precondition(
            control.maxStep > 0 && control.minStep >= 0 && control.initialStep.map { $0 != 0 && $0.isFinite } ?? true,
            "AdaptiveController needs maxStep > 0, minStep ≥ 0 and a finite non-zero initialStep; got \(control.maxStep), \(control.minStep), \(String(describing: control.initialStep))")
        return try integrateAdaptive(f, y0: y0, times: times, method: method, control: control, options: options)
    }
}

/// Throws `invalidTimes` unless `times` is non-empty, finite and strictly monotone.
@inlinable
func validateTimes(_ times: [Double]) throws {
    guard let first = times.first else { throw ODESolverError.invalidTimes("no output times") }
    for (i, t) in times.enumerated() where !t.isFinite {
        throw ODESolverError.invalidTimes("times[\(i)] = \(t) is not finite")
    }
    guard times.count > 1 else { return }
    let increasing = times[1] > first
    for i in 1..<times.count {
        let ok = increasing ? times[i] > times[i - 1] : times[i] < times[i - 1]
        if !ok {
            throw ODESolverError.invalidTimes(
                "times[\(i - 1)] = \(times[i - 1]), times[\(i)] = \(times[i]) are not strictly \(increasing ? "increasing" : "decreasing")")
        }
    }
}

/// Why a solve failed. Every case that happens during integration carries the time `t` reached and the
/// step `dt` being attempted, so a failure can be located without re-running it.
public enum ODESolverError: Error, CustomStringConvertible, Equatable {
    /// The step became too small: `t + dt == t`, or a rejected step asked for `|dt| < minStep`.
    case stepSizeUnderflow(t: Double, dt: Double)
    /// The state (or a trial state / error estimate) contains NaN or infinity.
    case nonFiniteState(t: Double, dt: Double)
    /// More than `maxSteps` step attempts (accepted plus rejected) in one solve.
    case stepBudgetExhausted(t: Double, dt: Double, maxSteps: Int)
    /// The output times are unusable: empty, non-finite, or not strictly monotone.
    case invalidTimes(String)
    /// The method cannot be used as asked, e.g. adaptive control without an embedded error estimate.
    case invalidTableau(String)
    /// Adaptive control with a negative tolerance, or with both tolerances zero.
    case invalidTolerance(rtol: Double, atol: Double)
    /// A fixed-grid step that is zero, negative or not finite.
    case invalidStepSize(dt: Double)

    /// A message naming the time and step at which the solve stopped.
    public var description: String {
        switch self {
        case let .stepSizeUnderflow(t, dt):
            return "ODE solver: step size underflow at t = \(t) (dt = \(dt))"
        case let .nonFiniteState(t, dt):
            return "ODE solver: non-finite values in the state at t = \(t) (dt = \(dt))"
        case let .stepBudgetExhausted(t, dt, maxSteps):
            return "ODE solver: step budget of \(maxSteps) steps exhausted at t = \(t) (dt = \(dt))"
        case let .invalidTimes(message):
            return "ODE solver: invalid output times: \(message)"
        case let .invalidTableau(message):
            return "ODE solver: invalid method: \(message)"
        case let .invalidTolerance(rtol, atol):
            return "ODE solver: tolerances rtol = \(rtol), atol = \(atol) must be ≥ 0 and not both 0"
        case let .invalidStepSize(dt):
            return "ODE solver: fixed step dt = \(dt) must be finite and > 0"
        }
    }
}

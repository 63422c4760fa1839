/// How the step size is chosen.
public enum StepSizeController: Sendable {
    /// A uniform grid `t0 + k·dt` (|dt| is used; the sign follows the direction of `times`). Every output
    /// time is also a grid point, so steps end exactly on output times and no interpolation is needed.
    case fixed(dt: Double)
    /// Error-controlled steps driven by the embedded error estimate of the method.
    case adaptive(AdaptiveController)

    /// The torchdiffeq-compatible I-controller with the given tolerances and every other field at its
    /// default (safety 0.9, growth ≤ 10, shrink ≥ 0.2, Hairer initial step, overshoot and interpolate).
    public static func adaptive(rtol: Double, atol: Double) -> StepSizeController {
        .adaptive(AdaptiveController(rtol: rtol, atol: atol))
    }
}

/// Parameters of adaptive step-size control. The defaults reproduce torchdiffeq 0.2.1 exactly.
///
/// `solve` throws `invalidTolerance` for negative (or both zero) tolerances and stops with a precondition
/// for settings that are programmer errors: `safety` outside (0, 1], `minShrink` outside (0, 1),
/// `maxGrowth < 1`, `maxStep ≤ 0`, `minStep < 0`, a zero or non-finite `initialStep`. Within these bounds
/// a rejected step always shrinks, so a solve cannot reject forever.
public struct AdaptiveController: Sendable {
    /// Relative tolerance: the error of each element is scaled by `atol + rtol·max(|y0|, |y1|)`.
    public var rtol: Double
    /// Absolute tolerance.
    public var atol: Double
    /// Safety factor applied to the optimal step-size factor.
    public var safety = 0.9
    /// Largest factor by which one step can grow the step size.
    public var maxGrowth = 10.0
    /// Smallest factor by which a rejected step shrinks the step size.
    public var minShrink = 0.2
    /// `nil` selects torchdiffeq's I-controller, `factor = safety·r^(−1/k)` with `k = errorOrder + 1`,
    /// where an accepted step never shrinks. A value selects the PI controller
    /// `factor = safety·r^(−beta1)·r_prev^(beta2)` on accepted steps (`r_prev` is `max(r, 1e-4)` of the
    /// previous accepted step, 1 before the first, so the first step is pure I-control); a rejected step
    /// falls back to the I-controller. Hairer's choice is
    /// `beta1 = 0.7/k`, `beta2 = 0.4/k`. With the PI controller an accepted step may shrink (down to
    /// `minShrink`), which is the point of the integral term.
    public var proportionalIntegral: (beta1: Double, beta2: Double)? = nil
    /// `nil` selects Hairer's initial step, which costs one extra function evaluation.
    public var initialStep: Double? = nil
    /// A rejected step that would need `|dt| < minStep` fails with `stepSizeUnderflow`.
    public var minStep: Double = 0
    /// Upper bound on `|dt|`, applied to the initial step and every proposal.
    public var maxStep: Double = .infinity
    /// `false` (torchdiffeq): steps overshoot output times and outputs come from dense output.
    /// `true`: a step that would pass the next output time is shortened to end on it exactly; the
    /// controller's unshortened proposal is kept for the step after it.
    public var stepToOutputTimes = false

    /// A controller with the given tolerances and torchdiffeq's defaults for everything else.
    public init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }
}

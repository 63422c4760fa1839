import ODESolvers

/// Which error norm the backward solve of an adjoint method uses.
public enum AdjointNorm: Sendable, Equatable {
    /// Max over every component's RMS, parameter adjoints `a_θ` included: torchdiffeq 0.2.1's default.
    case full
    /// Only `y` and `a_y` are error-controlled (the "seminorm"): `a_θ` is a pure quadrature that never
    /// feeds back into the dynamics, so ignoring it is safe and usually lowers the backward NFE.
    case seminorm
}

/// Settings of the backward (adjoint) solve. `nil` fields mean "the same as the forward solve".
public struct AdjointSolveOptions: Sendable {
    /// Runge–Kutta method of the backward solve.
    public var method: ButcherTableau?
    /// Relative tolerance of the backward solve (with an adaptive forward controller).
    public var rtol: Double?
    /// Absolute tolerance of the backward solve (with an adaptive forward controller).
    public var atol: Double?
    /// Complete controller of the backward solve; overrides `rtol`/`atol` when set.
    public var controller: StepSizeController?
    /// Error norm of the backward solve.
    public var norm: AdjointNorm
    /// Step budget of each backward solve call.
    public var maxSteps: Int

    /// Everything as the forward solve, with torchdiffeq 0.2.1's full norm.
    public init(
        method: ButcherTableau? = nil, rtol: Double? = nil, atol: Double? = nil,
        controller: StepSizeController? = nil, norm: AdjointNorm = .full, maxSteps: Int = Int(Int32.max)
    ) {
        self.method = method
        self.rtol = rtol
        self.atol = atol
        self.controller = controller
        self.norm = norm
        self.maxSteps = maxSteps
    }

    /// The backward controller given the forward one.
    @inlinable
    func resolvedController(forward: StepSizeController) -> StepSizeController {
        if let controller { return controller }
        guard case .adaptive(var adaptive) = forward else { return forward }
        if let rtol { adaptive.rtol = rtol }
        if let atol { adaptive.atol = atol }
        return .adaptive(adaptive)
    }
}

/// How `solveWithGradient` differentiates the solve. The methods are interchangeable values: every one
/// returns gradients with respect to the same quantities, with its own backward statistics.
public enum GradientMethod: Sendable {
    /// Optimise-then-discretise: integrate the augmented state `(y, a_y, a_θ)` backwards interval by
    /// interval, `y` included (torchdiffeq 0.2.1 `odeint_adjoint`). Memory does not grow with the number
    /// of steps; `y` is reset to the forward value at every output time.
    case backsolve(AdjointSolveOptions = AdjointSolveOptions())
    /// Discretise-then-optimise: the exact gradient of the computed discrete solution, by reversing each
    /// recorded step's stages (and the dense-output interpolation that produced the outputs) with VJPs of
    /// `f`; step sizes are constants. Memory grows with the number of steps.
    case direct
    /// Checkpointed adjoint: the forward stores every accepted step's start state; backwards, each step is
    /// re-run from its checkpoint to get the dense-output interpolant of `y`, and only `(a_y, a_θ)` is
    /// integrated backwards through that step. Accurate where backsolve's backward `y` is unstable.
    case checkpointed(AdjointSolveOptions = AdjointSolveOptions())
}

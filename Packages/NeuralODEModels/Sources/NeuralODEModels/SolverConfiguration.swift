import Adjoint
import ODESolvers

/// How every solve of a model is run and differentiated.
public struct SolverConfiguration: Sendable {
    /// Runge–Kutta method (the reference uses dopri5 everywhere).
    public var method: ButcherTableau
    /// Step-size control: `.adaptive(rtol: tol, atol: tol)` in the reference.
    public var controller: StepSizeController
    /// Gradient method; the reference always uses the backsolve adjoint with the full norm.
    public var gradient: GradientMethod
    /// Step budget of each forward solve.
    public var maxSteps: Int

    /// dopri5 with rtol = atol = `tolerance` and the given gradient method.
    public init(tolerance: Double, method: ButcherTableau = .dopri5, gradient: GradientMethod = .backsolve(), maxSteps: Int = Int(Int32.max)) {
        self.method = method
        self.controller = .adaptive(rtol: tolerance, atol: tolerance)
        self.gradient = gradient
        self.maxSteps = maxSteps
    }

    /// A fully specified configuration.
    public init(method: ButcherTableau, controller: StepSizeController, gradient: GradientMethod, maxSteps: Int = Int(Int32.max)) {
        self.method = method
        self.controller = controller
        self.gradient = gradient
        self.maxSteps = maxSteps
    }
}

/// Accumulates what the solves of one forward/backward pass cost, and the first error of a backward
/// solve (tape pullbacks cannot throw, so they report here and ``trainingStep`` rethrows).
///
/// A reference type on purpose: the pullbacks recorded on the tape outlive the forward call and must
/// report into the object the caller reads. Every walk of the tape (`gradients`) re-runs the backward
/// solves it reaches and adds their statistics, so an extra backward pass (such as the gradient
/// listener's last-step pass) is counted unless the caller reads the difference. Not thread-safe: one
/// log per forward/backward pass.
public final class SolveLog: @unchecked Sendable {
    /// Forward statistics summed over every solve.
    public private(set) var forward = SolverStatistics()
    /// Backward statistics summed over every solve's pullback.
    public private(set) var backward = SolverStatistics()
    /// Number of forward solves.
    public private(set) var forwardSolves = 0
    /// Number of backward solves.
    public private(set) var backwardSolves = 0
    /// The first error raised by a backward solve, if any.
    public private(set) var backwardError: Error?

    /// Creates an empty log.
    public init() {}

    /// Forward NFE (the reference's per-batch "forward nfe").
    public var forwardEvaluations: Int { forward.functionEvaluations }
    /// Backward NFE.
    public var backwardEvaluations: Int { backward.functionEvaluations }

    func recordForward(_ statistics: SolverStatistics) {
        forward = forward + statistics
        forwardSolves += 1
    }

    func recordBackward(_ statistics: SolverStatistics) {
        backward = backward + statistics
        backwardSolves += 1
    }

    func recordBackwardError(_ error: Error) {
        if backwardError == nil { backwardError = error }
    }
}

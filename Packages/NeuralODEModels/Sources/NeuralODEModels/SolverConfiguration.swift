import Adjoint
import ODESolvers

/// How every solve of a model is run and differentiated.
///
/// A model never stores one: the caller passes it to every forward pass, so one value describes an
/// experiment's solves and can be recorded with its results (it encodes as method, rtol, atol, gradient
/// method, adjoint norm and step budget).
public struct SolverConfiguration: Sendable, Encodable, CustomStringConvertible {
    /// Runge–Kutta method (the reference uses dopri5 everywhere).
    public var method: ButcherTableau
    /// Step-size control: `.adaptive(rtol: tol, atol: tol)` in the reference.
    public var controller: StepSizeController
    /// Gradient method; the reference always uses the backsolve adjoint with the full norm.
    public var gradient: GradientMethod
    /// Step budget of each forward solve.
    public var maxSteps: Int
    /// How the field and its VJPs are evaluated. Not part of the encoded configuration: the two ways
    /// compute the same values up to the summation order of matrix products.
    public var evaluation: FieldEvaluation = .automatic
    /// How the adaptive norms combine with other processes that solve the rest of the batch
    /// (``Communicator/normReduction``); `nil`, the default, solves this process's batch alone. Not part
    /// of the encoded configuration: it changes where the batch is computed, not what is computed.
    public var normReduction: NormReduction? = nil

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

/// How ``ODEBlock`` evaluates a field and its vector-Jacobian products.
public enum FieldEvaluation: Sendable, Equatable {
    /// ``DenseVectorField`` (no tape per evaluation) for dense networks, the tape for everything else.
    case automatic
    /// Always the tape (``ODEBlock/vectorField(_:parameters:sampleScale:)``): the reference path.
    case tape
}

extension SolverConfiguration {
    /// The gradient method's name and, for the adjoint methods, its error norm.
    public var gradientDescription: String {
        switch gradient {
        case .backsolve(let options): return "backsolve adjoint (\(options.norm == .full ? "full norm, parameter adjoints included" : "seminorm"))"
        case .direct: return "direct backpropagation through the solver steps"
        case .checkpointed(let options): return "checkpointed adjoint (\(options.norm == .full ? "full norm" : "seminorm"))"
        }
    }

    /// One line for reports, e.g. `dopri5, rtol = 0.001, atol = 0.001, backsolve adjoint (full norm, …)`.
    public var description: String {
        let control: String
        switch controller {
        case .fixed(let dt): control = "fixed dt = \(dt)"
        case .adaptive(let adaptive):
            control = adaptive.rtol == adaptive.atol ? "rtol = atol = \(adaptive.rtol)" : "rtol = \(adaptive.rtol), atol = \(adaptive.atol)"
        }
        return "\(method.name), \(control), \(gradientDescription)"
    }

    private enum CodingKeys: String, CodingKey { case method, rtol, atol, fixedStep, gradientMethod, maxSteps }

    /// Encodes what a run's `config.json` records: method, rtol, atol (or the fixed step), gradient method
    /// and step budget.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method.name, forKey: .method)
        switch controller {
        case .fixed(let dt): try container.encode(dt, forKey: .fixedStep)
        case .adaptive(let adaptive):
            try container.encode(adaptive.rtol, forKey: .rtol)
            try container.encode(adaptive.atol, forKey: .atol)
        }
        try container.encode(gradientDescription, forKey: .gradientMethod)
        try container.encode(maxSteps, forKey: .maxSteps)
    }
}

/// Accumulates what the solves of one forward/backward pass cost, and the first error of a backward
/// solve (tape pullbacks cannot throw, so they report here and
/// ``trainingStep(parameters:optimizer:learningRate:clipNorm:modelName:iteration:communicator:_:)`` rethrows).
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

    /// The log of the enclosing ``lossAndGradients(at:_:)`` or training step, which ``odeint(_:_:_:parameters:solver:log:)``
    /// reports to when it is given none.
    @TaskLocal public static var current: SolveLog?

    /// Forward NFE (the reference's per-batch "forward nfe").
    public var forwardEvaluations: Int { forward.functionEvaluations }
    /// Backward NFE.
    public var backwardEvaluations: Int { backward.functionEvaluations }

    @usableFromInline func recordForward(_ statistics: SolverStatistics) {
        forward = forward + statistics
        forwardSolves += 1
    }

    @usableFromInline func recordBackward(_ statistics: SolverStatistics) {
        backward = backward + statistics
        backwardSolves += 1
    }

    @usableFromInline func recordBackwardError(_ error: Error) {
        if backwardError == nil { backwardError = error }
    }
}

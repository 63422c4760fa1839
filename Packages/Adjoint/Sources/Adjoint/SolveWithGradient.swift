import ODESolvers
import Tensors

/// A forward ODE solution that can be differentiated afterwards: torchdiffeq's `odeint_adjoint` forward
/// pass, with the backward pass as ``backward(cotangents:timeGradients:recordAdjointAt:)``.
public struct DifferentiableSolution<Field: DifferentiableVectorField> {
    /// Bundles a forward solve with what its backward pass needs.
    @usableFromInline
    init(
        solution: Solution<Field.State>, field: Field, method: ButcherTableau, controller: StepSizeController,
        options: SolveOptions, gradientMethod: GradientMethod
    ) {
        self.solution = solution
        self.field = field
        self.method = method
        self.controller = controller
        self.options = options
        self.gradientMethod = gradientMethod
    }

    /// The forward solution (states at every output time, forward statistics).
    public let solution: Solution<Field.State>
    /// The vector field the solution was computed with.
    public let field: Field
    /// The forward Runge–Kutta method.
    public let method: ButcherTableau
    /// The forward step-size controller.
    public let controller: StepSizeController
    /// The forward solve options.
    public let options: SolveOptions
    /// The gradient method ``backward(cotangents:timeGradients:recordAdjointAt:)`` uses.
    public let gradientMethod: GradientMethod

    /// The forward statistics (NFE, accepted and rejected steps of the forward solve only).
    public var statistics: SolverStatistics { solution.statistics }

    /// The states at the output times.
    public var states: [Field.State] { solution.states }

    /// Computes the gradients of a loss `L(y(t_0), …, y(t_N))` from its cotangents `∂L/∂y(t_i)`.
    ///
    /// - Parameters:
    ///   - cotangents: one entry per output time; `nil` means the loss does not read that time.
    ///   - timeGradients: also return `∂L/∂t_i` (costs one field evaluation per output time read, plus one).
    ///     All methods use the continuous formulas `∂L/∂t_i = ⟨g_i, f(t_i, y_i)⟩` (i ≥ 1) and
    ///     `∂L/∂t_0 = −⟨a_y(t_0⁺), f(t_0, y_0)⟩`, where `a_y(t_0⁺)` leaves out the cotangent at `t_0`.
    ///   - recordAdjointAt: times within the span at which to return `a_y` (backsolve and checkpointed).
    ///     At an output time the recorded adjoint includes that time's cotangent.
    @inlinable
    public func backward(
        cotangents: [Field.State?], timeGradients: Bool = false, recordAdjointAt: [Double] = []
    ) throws -> Gradients<Field.State> {
        let times = solution.times
        guard cotangents.count == times.count else {
            throw AdjointError.cotangentCountMismatch(expected: times.count, got: cotangents.count)
        }
        let (lo, hi) = (Swift.min(times.first!, times.last!), Swift.max(times.first!, times.last!))
        for time in recordAdjointAt where !(time >= lo && time <= hi) {
            throw AdjointError.recordingTimeOutsideSpan(time: time, start: times.first!, end: times.last!)
        }
        var result: Gradients<Field.State>
        switch gradientMethod {
        case .backsolve(let adjointOptions):
            result = try backsolveAdjoint(
                field, solution: solution, cotangents: cotangents, forwardMethod: method,
                forwardController: controller, adjointOptions: adjointOptions, recordTimes: recordAdjointAt,
                normReduction: options.normReduction)
        case .direct:
            guard recordAdjointAt.isEmpty else { throw AdjointError.recordingUnsupported(method: "direct") }
            result = try directBackpropagation(field, solution: solution, cotangents: cotangents, method: method)
        case .checkpointed(let adjointOptions):
            result = try checkpointedAdjoint(
                field, solution: solution, cotangents: cotangents, forwardMethod: method,
                forwardController: controller, adjointOptions: adjointOptions, recordTimes: recordAdjointAt,
                normReduction: options.normReduction)
        }
        if timeGradients {
            result.times = try timeCotangents(cotangents: cotangents, initialAdjoint: result.initialState,
                                              statistics: &result.statistics)
        }
        return result
    }

    @inlinable
    func timeCotangents(
        cotangents: [Field.State?], initialAdjoint: Field.State, statistics: inout SolverStatistics
    ) throws -> [Double] {
        let times = solution.times
        var gradients = [Double](repeating: 0, count: times.count)
        for i in 1..<Swift.max(times.count, 1) {
            guard let g = cotangents[i] else { continue }
            gradients[i] = stateDot(g, try field(times[i], solution.states[i]))
            statistics.functionEvaluations += 1
        }
        // y(t_0) is y0 whatever t_0 is, so the loss's own cotangent at t_0 does not move with t_0.
        var flowing = initialAdjoint
        if let g0 = cotangents[0] { flowing.addScaled(g0, by: -1) }
        gradients[0] = -stateDot(flowing, try field(times[0], solution.states[0]))
        statistics.functionEvaluations += 1
        return gradients
    }
}

/// Solves `y' = f(t, y; θ)` like ODESolvers' `solve` and returns a solution that can be differentiated
/// with the chosen gradient method.
///
/// The forward pass is a plain `solve` (no tape); `direct` and `checkpointed` turn on
/// `options.recordSteps`, `backsolve` does not, so its memory stays the output states only.
@inlinable
public func solveWithGradient<Field: DifferentiableVectorField>(
    _ field: Field,
    y0: Field.State,
    times: [Double],
    method: ButcherTableau = .dopri5,
    controller: StepSizeController = .adaptive(rtol: 1e-7, atol: 1e-9),
    options: SolveOptions = SolveOptions(),
    gradient: GradientMethod = .backsolve()
) throws -> DifferentiableSolution<Field> {
    var forwardOptions = options
    switch gradient {
    case .backsolve: break
    case .direct, .checkpointed: forwardOptions.recordSteps = true
    }
    let solution = try solve(
        { t, y in try field(t, y) }, y0: y0, times: times, method: method, controller: controller,
        options: forwardOptions)
    return DifferentiableSolution(
        solution: solution, field: field, method: method, controller: controller, options: options,
        gradientMethod: gradient)
}

/// `Σ ⟨a_c, b_c⟩` over all components, in Double.
@inlinable
func stateDot<State: TensorListConvertible>(_ a: State, _ b: State) -> Double {
    zip(a.tensorComponents, b.tensorComponents).reduce(0.0) { $0 + Double($1.0.dot($1.1)) }
}

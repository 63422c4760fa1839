import Adjoint
import ODESolvers
import Tensors

/// A vector field written as a closure of tape operations: `dy/dt = field(t, y, parameters)`, where
/// `parameters` are the variables handed to ``odeint(_:_:_:parameters:solver:log:)``, in that order.
public typealias TapeField<Scalar: TensorScalar> = (_ t: Double, _ y: Variable<Scalar>, _ parameters: [Variable<Scalar>]) -> Variable<Scalar>

/// Solves `dy/dt = field(t, y, parameters)` from `y0` and returns the state at every time in `times`
/// (`[0]` is `y0` itself), as variables on the caller's tape: a loss built from them differentiates
/// through the solve with respect to `y0` and every variable in `parameters`, by `solver.gradient`
/// (the backsolve adjoint unless told otherwise). The torchdiffeq `odeint` of this library.
///
/// ```swift
/// var store = ParameterStore<Float>()
/// let w = store.register("w", Tensor(shape: [2, 2], scalars: [0, 1, -1, 0]))
/// let (loss, gradients, _) = try lossAndGradients(at: store) { p, _ in
///     let ys = try odeint({ _, y, q in y.matmul(q[0]) }, Variable(constant: y0), [0, 1], parameters: [p[w.index]])
///     return Losses.meanSquaredError(ys[1], target)
/// }
/// ```
///
/// The field's parameters are read from `parameters` at every evaluation, never copied into the field,
/// so the values a step trains are always the values the solve used. Solve statistics go to `log`, else
/// to the log of the enclosing ``lossAndGradients(at:_:)`` or ``trainingStep(parameters:optimizer:learningRate:clipNorm:modelName:iteration:communicator:_:)``
/// (``SolveLog/current``), which also reports a failed backward solve as an error; called outside both
/// and without a log, a failed backward solve yields zero gradients, so pass a log there.
///
/// - Throws: ``ModelError/forwardSolveFailed(model:time:underlying:)`` when the forward solve fails.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func odeint<Scalar>(
    _ field: @escaping TapeField<Scalar>, _ y0: Variable<Scalar>, _ times: [Double], parameters: [Variable<Scalar>] = [],
    solver: SolverConfiguration = .dopri5(), log: SolveLog? = nil
) throws(ModelError) -> [Variable<Scalar>] {
    let vectorField = TapeVectorField<Tensor<Scalar>>(parameters: parameters.map(\.value)) { t, y, p in [field(t, y[0], p)] }
    return try ODEBlock.solve(
        vectorField, parameterIDs: parameters.indices.map(ParameterID.init(index:)), from: y0, parameters: parameters,
        times: times, solver: solver, log: log ?? SolveLog.current ?? SolveLog(), name: "odeint")
}

extension SolverConfiguration {
    /// dopri5 with torchdiffeq's default tolerances (rtol 1e-7, atol 1e-9) and the backsolve adjoint:
    /// what `odeint` uses unless told otherwise.
    public static func dopri5(rtol: Double = 1e-7, atol: Double = 1e-9, gradient: GradientMethod = .backsolve()) -> SolverConfiguration {
        SolverConfiguration(method: .dopri5, controller: .adaptive(rtol: rtol, atol: atol), gradient: gradient)
    }
}

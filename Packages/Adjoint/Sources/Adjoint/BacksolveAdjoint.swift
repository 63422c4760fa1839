import ODESolvers
import Tensors

/// torchdiffeq 0.2.1 `odeint_adjoint` backward pass: for each output interval from last to first, solve
/// the augmented state `(y, a_y, a_θ)` backwards from `(y(t_i), a_y, a_θ)`; at every earlier output
/// time reset `y` to the forward-saved value and add that time's cotangent to `a_y`.
@inlinable
func backsolveAdjoint<Field: DifferentiableVectorField>(
    _ field: Field, solution: Solution<Field.State>, cotangents: [Field.State?],
    forwardMethod: ButcherTableau, forwardController: StepSizeController,
    adjointOptions: AdjointSolveOptions, recordTimes: [Double], normReduction: NormReduction? = nil
) throws -> Gradients<Field.State> {
    let dynamics = AugmentedDynamics(field: field, stateComponents: solution.states[0].tensorComponents.count)
    return try adjointByIntervals(
        dynamics, solution: solution, cotangents: cotangents, forwardMethod: forwardMethod,
        forwardController: forwardController, adjointOptions: adjointOptions, recordTimes: recordTimes,
        normReduction: normReduction)
}

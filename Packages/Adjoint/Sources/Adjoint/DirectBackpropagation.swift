import ODESolvers
import Tensors

/// Discretise-then-optimise: reverses every recorded step of the forward solve.
///
/// Each step is re-run from its checkpoint (one evaluation per stage) and then reversed stage by stage:
/// with `y1 = y0 + dt·Σ b_i k_i`, `k_i = f(t0 + c_i dt, Y_i)`, `Y_i = y0 + dt·Σ_j a_ij k_j`, the
/// cotangents are `k̄_i = dt·b_i·ȳ1`, then for `i` from last to first `Ȳ_i = k̄_iᵀ∂f/∂y` (one VJP),
/// `ȳ0 += Ȳ_i`, `k̄_j += dt·a_ij·Ȳ_i`. Outputs interpolated inside a step add their cotangent through the
/// dense-output weights (``DenseOutputWeights``). Step sizes are constants, so this is the exact gradient
/// of the computed discrete solution.
@inlinable
func directBackpropagation<Field: DifferentiableVectorField>(
    _ field: Field, solution: Solution<Field.State>, cotangents: [Field.State?], method: ButcherTableau
) throws -> Gradients<Field.State> {
    typealias State = Field.State
    let times = solution.times
    var evaluations = 0
    let f: (Double, State) throws -> State = { t, y in
        evaluations += 1
        return try field(t, y)
    }
    var parameterAdjoints = field.parameters.map { Tensor<State.Scalar>(zeros: $0.shape) }
    func accumulate(_ gradients: [Tensor<State.Scalar>]) {
        for k in parameterAdjoints.indices { parameterAdjoints[k].addScaled(gradients[k], by: 1) }
    }
    func vjp(_ t: Double, _ y: State, _ cotangent: State) throws -> State {
        evaluations += 1
        let result = try field.vectorJacobianProduct(t, y, cotangent: cotangent)
        accumulate(result.parameters)
        return result.state
    }

    let steps = solution.steps.map { (t0: $0.t0, dt: $0.dt) }
    let assignment = outputStepAssignment(times: times, steps: steps)
    var adjoint = solution.states[0].zerosLike()
    var k = solution.steps.count - 1
    while k >= 0 {
        let recorded = solution.steps[k]
        let outputs = assignment.indices.filter { assignment[$0].step == k && cotangents[$0 + 1] != nil }
        let replay = try StepReplay(f, method: method, t0: recorded.t0, dt: recorded.dt, y0: recorded.y0)
        let dt = replay.dt
        let stageCount = replay.stages.count
        var stageCotangents = [State?](repeating: nil, count: stageCount)
        func addStage(_ i: Int, _ g: State, _ weight: Double) {
            guard weight != 0 else { return }
            if stageCotangents[i] == nil { stageCotangents[i] = g.zerosLike() }
            stageCotangents[i]!.addScaled(g, by: State.Scalar(weight))
        }
        // Cotangent of f(t1, y1) for Hermite outputs of non-FSAL methods, reversed into ȳ1 first.
        var endDerivativeCotangent: State? = nil
        var initialCotangent = adjoint
        for index in outputs {
            let g = cotangents[index + 1]!
            let weights = DenseOutputWeights(method: method, x: assignment[index].x)
            initialCotangent.addScaled(g, by: 1)
            for i in 0..<stageCount { addStage(i, g, dt * weights.stages[i]) }
            if weights.endDerivative != 0 {
                if endDerivativeCotangent == nil { endDerivativeCotangent = g.zerosLike() }
                endDerivativeCotangent!.addScaled(g, by: State.Scalar(dt * weights.endDerivative))
            }
        }
        var endCotangent = adjoint
        if let c = endDerivativeCotangent {
            let extra = try vjp(replay.t0 + dt, replay.y1, c)
            endCotangent.addScaled(extra, by: 1)
            initialCotangent.addScaled(extra, by: 1)
        }
        for i in 0..<stageCount { addStage(i, endCotangent, dt * method.b[i]) }
        for i in stride(from: stageCount - 1, through: 0, by: -1) {
            guard let kBar = stageCotangents[i] else { continue }
            let inputBar = try vjp(replay.t0 + method.c[i] * dt, replay.stageInputs[i], kBar)
            initialCotangent.addScaled(inputBar, by: 1)
            for (j, coefficient) in method.a[i].enumerated() { addStage(j, inputBar, dt * coefficient) }
        }
        adjoint = initialCotangent
        k -= 1
    }
    adjoint = adding(adjoint, cotangents[0])
    var statistics = SolverStatistics()
    statistics.functionEvaluations = evaluations
    statistics.acceptedSteps = solution.steps.count
    return Gradients(
        initialState: adjoint, parameters: parameterAdjoints, times: nil, statistics: statistics,
        adjointTrajectory: [])
}

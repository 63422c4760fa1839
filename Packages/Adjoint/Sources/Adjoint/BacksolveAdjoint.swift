import ODESolvers
import Tensors

/// torchdiffeq 0.2.1 `odeint_adjoint` backward pass: for each output interval from last to first, solve
/// the augmented state `(y, a_y, a_θ)` backwards from `(y(t_i), a_y, a_θ)`; at every earlier output
/// time reset `y` to the forward-saved value and add that time's cotangent to `a_y`.
@inlinable
func backsolveAdjoint<Field: DifferentiableVectorField>(
    _ field: Field, solution: Solution<Field.State>, cotangents: [Field.State?],
    forwardMethod: ButcherTableau, forwardController: StepSizeController,
    adjointOptions: AdjointSolveOptions, recordTimes: [Double]
) throws -> Gradients<Field.State> {
    let times = solution.times
    let last = times.count - 1
    let n = solution.states[0].tensorComponents.count
    let dynamics = AugmentedDynamics(field: field, stateComponents: n)
    let method = adjointOptions.method ?? forwardMethod
    let controller = adjointOptions.resolvedController(forward: forwardController)
    var options = SolveOptions()
    options.maxSteps = adjointOptions.maxSteps
    options.norm = adjointOptions.norm == .full ? .rms : .components(Array(0..<(2 * n)))

    var adjoint = adding(solution.states[last].zerosLike(), cotangents[last])
    var parameterAdjoints = field.parameters.map { Tensor<Field.State.Scalar>(zeros: $0.shape) }
    var statistics = SolverStatistics()
    var samples = [AdjointSample<Field.State>?](repeating: nil, count: recordTimes.count)
    let direction: Double = last > 0 && times[last] < times[0] ? -1 : 1

    for (r, time) in recordTimes.enumerated() where time == times[last] {
        samples[r] = AdjointSample(time: time, state: solution.states[last], adjoint: adjoint)
    }
    var i = last
    while i > 0 {
        let (upper, lower) = (times[i], times[i - 1])
        // Recording times in [lower, upper): interior ones become extra output times of this solve (which
        // does not change the steps: outputs are interpolated); `lower` itself is recorded after injection.
        let interior = recordTimes.enumerated().filter { (_, time) in
            (time - lower) * direction > 0 && (upper - time) * direction > 0
        }.sorted { ($0.element - $1.element) * direction > 0 }
        var gridTimes = [upper]
        for (_, time) in interior where time != gridTimes.last! { gridTimes.append(time) }
        gridTimes.append(lower)
        let start = dynamics.pack(state: solution.states[i], adjoint: adjoint, parameterAdjoints: parameterAdjoints)
        let backward = try solve(
            { t, packed in try dynamics(t, packed) }, y0: start, times: gridTimes, method: method,
            controller: controller, options: options)
        statistics = statistics + backward.statistics
        for (r, time) in interior {
            let k = gridTimes.firstIndex(of: time)!
            let (y, a, _) = dynamics.unpack(backward.states[k])
            samples[r] = AdjointSample(time: time, state: y, adjoint: a)
        }
        let end = dynamics.unpack(backward.states.last!)
        adjoint = adding(end.adjoint, cotangents[i - 1])
        parameterAdjoints = end.parameterAdjoints
        for (r, time) in recordTimes.enumerated() where time == lower {
            samples[r] = AdjointSample(time: time, state: solution.states[i - 1], adjoint: adjoint)
        }
        i -= 1
    }
    if last == 0 {
        for (r, time) in recordTimes.enumerated() where time == times[0] {
            samples[r] = AdjointSample(time: time, state: solution.states[0], adjoint: adjoint)
        }
    }
    return Gradients(
        initialState: adjoint, parameters: parameterAdjoints, times: nil, statistics: statistics,
        adjointTrajectory: samples.compactMap { $0 })
}

import ODESolvers
import Tensors

/// What the backsolve and the checkpointed adjoint differ in, for their shared backward driver
/// ``adjointByIntervals(_:solution:cotangents:forwardMethod:forwardController:adjointOptions:recordTimes:)``:
/// what one interval's packed state holds (`(y, a_y, a_θ)` or `(a_y, a_θ)`), and so where `y(t)` comes
/// from (the packed state itself, or the forward checkpoints).
@usableFromInline
protocol IntervalAdjointDynamics {
    associatedtype Field: DifferentiableVectorField

    /// The vector field; its parameters give the shapes of `a_θ`.
    var field: Field { get }

    /// How many leading packed components the seminorm error-controls (`a_θ` is never controlled).
    var errorControlledComponents: Int { get }

    /// The packed start state of a backward solve from an output time whose forward state is `state`.
    func pack(
        state: Field.State, adjoint: Field.State, parameterAdjoints: [Tensor<Field.State.Scalar>]
    ) -> PackedTensorList<Field.State.Scalar>

    /// `(a_y, a_θ)` read from a packed state.
    func adjoints(
        of packed: PackedTensorList<Field.State.Scalar>
    ) -> (adjoint: Field.State, parameterAdjoints: [Tensor<Field.State.Scalar>])

    /// `y(time)` for the packed state `packed` that the backward solve reached at `time`.
    func state(at time: Double, packed: PackedTensorList<Field.State.Scalar>) throws -> Field.State

    /// The time derivative of the packed state.
    func callAsFunction(_ t: Double, _ packed: PackedTensorList<Field.State.Scalar>) throws -> PackedTensorList<Field.State.Scalar>
}

/// The adjoint methods' backward pass, interval by interval between output times from last to first:
/// each interval is one backward solve of `dynamics` from the packed `(y(t_i), a_y, a_θ)`; at every
/// earlier output time `y` restarts from the forward-saved value and that time's cotangent is added to
/// `a_y`. Adjoint samples are recorded at `recordTimes` (at an output time after its cotangent).
///
/// With the forward solve's `normReduction` (a batch split over processes), the backward solves reduce
/// their norms the same way, with `a_θ` as summed components: each process integrates its slice's share
/// of `a_θ`, so the error estimate of the whole batch's `a_θ` is the sum over processes (the seminorm
/// leaves it out, and then only the split components are reduced).
///
/// Returns the backward solves' statistics only; a method that evaluates the field elsewhere (the
/// checkpointed adjoint's step re-runs) adds those evaluations itself.
@inlinable
func adjointByIntervals<Dynamics: IntervalAdjointDynamics>(
    _ dynamics: Dynamics, solution: Solution<Dynamics.Field.State>, cotangents: [Dynamics.Field.State?],
    forwardMethod: ButcherTableau, forwardController: StepSizeController,
    adjointOptions: AdjointSolveOptions, recordTimes: [Double], normReduction: NormReduction? = nil
) throws -> Gradients<Dynamics.Field.State> {
    typealias State = Dynamics.Field.State
    let times = solution.times
    let last = times.count - 1
    let method = adjointOptions.method ?? forwardMethod
    let controller = adjointOptions.resolvedController(forward: forwardController)
    let options = adjointOptions.backwardSolveOptions(
        errorControlledComponents: dynamics.errorControlledComponents,
        packedComponents: dynamics.errorControlledComponents + dynamics.field.parameters.count, normReduction: normReduction)
    let direction: Double = last > 0 && times[last] < times[0] ? -1 : 1

    var adjoint = adding(solution.states[last].zerosLike(), cotangents[last])
    var parameterAdjoints = dynamics.field.parameters.map { Tensor<State.Scalar>(zeros: $0.shape) }
    var statistics = SolverStatistics()
    var samples = [AdjointSample<State>?](repeating: nil, count: recordTimes.count)
    /// Records the requested samples at output time `i`, whose cotangent `adjoint` already includes.
    func recordOutputTime(_ i: Int) {
        for (r, time) in recordTimes.enumerated() where time == times[i] {
            samples[r] = AdjointSample(time: time, state: solution.states[i], adjoint: adjoint)
        }
    }

    recordOutputTime(last)
    for i in stride(from: last, to: 0, by: -1) {
        let (interior, gridTimes) = intervalGrid(
            from: times[i], to: times[i - 1], recordTimes: recordTimes, direction: direction)
        let start = dynamics.pack(state: solution.states[i], adjoint: adjoint, parameterAdjoints: parameterAdjoints)
        let backward = try solve(
            { t, packed in try dynamics(t, packed) }, y0: start, times: gridTimes, method: method,
            controller: controller, options: options)
        statistics = statistics + backward.statistics
        for (r, time) in interior {
            let packed = backward.states[gridTimes.firstIndex(of: time)!]
            // Separate statements on purpose: as one expression (`AdjointSample(…, state: try …, adjoint:
            // dynamics.adjoints(of: packed).adjoint)`) the checkpointed specialisation crashed in -O builds
            // with Swift 6.3.1 (a freed tensor array released again); -Onone and ASan builds ran it fine.
            let state = try dynamics.state(at: time, packed: packed)
            let sampled = dynamics.adjoints(of: packed)
            samples[r] = AdjointSample(time: time, state: state, adjoint: sampled.adjoint)
        }
        let end = dynamics.adjoints(of: backward.states.last!)
        adjoint = adding(end.adjoint, cotangents[i - 1])
        parameterAdjoints = end.parameterAdjoints
        recordOutputTime(i - 1)
    }
    return Gradients(
        initialState: adjoint, parameters: parameterAdjoints, times: nil, statistics: statistics,
        adjointTrajectory: samples.compactMap { $0 })
}

/// The output times of one interval's backward solve from `upper` to `lower`: the recording times
/// strictly inside become extra output times (which does not change the steps: outputs are
/// interpolated), in solve order and without repeats; `lower` itself is recorded by the caller after its
/// cotangent is added. Returns those recording times with their indices in `recordTimes`, and the grid.
@inlinable
func intervalGrid(
    from upper: Double, to lower: Double, recordTimes: [Double], direction: Double
) -> (interior: [(offset: Int, element: Double)], gridTimes: [Double]) {
    let interior = recordTimes.enumerated().filter { (_, time) in
        (time - lower) * direction > 0 && (upper - time) * direction > 0
    }.sorted { ($0.element - $1.element) * direction > 0 }
    var gridTimes = [upper]
    for (_, time) in interior where time != gridTimes.last! { gridTimes.append(time) }
    gridTimes.append(lower)
    return (interior, gridTimes)
}

extension AdjointSolveOptions {
    /// The options of one backward solve: the step budget, the full norm or the seminorm over the
    /// first `errorControlledComponents` of the `packedComponents` packed components, and the forward
    /// solve's reduction with the parameter adjoints (the components after the error-controlled ones) as
    /// summed components.
    @inlinable
    func backwardSolveOptions(
        errorControlledComponents: Int, packedComponents: Int, normReduction: NormReduction? = nil
    ) -> SolveOptions {
        var options = SolveOptions()
        options.maxSteps = maxSteps
        options.norm = norm == .full ? .rms : .components(Array(0..<errorControlledComponents))
        let parameterAdjoints = Array(errorControlledComponents..<Swift.max(errorControlledComponents, packedComponents))
        options.normReduction = normReduction?.summing(components: parameterAdjoints)
        return options
    }
}

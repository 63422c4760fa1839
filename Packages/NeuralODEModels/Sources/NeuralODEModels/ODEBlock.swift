import Adjoint
import ODESolvers
import Tensors

/// Integration of a ``ContinuousDepthField`` as one differentiable operation on the caller's tape.
///
/// The forward pass is a plain solve (no tape inside the solver). One tape node per solve carries the
/// outputs; its pullback runs the chosen Adjoint-package gradient method with the cotangents the rest
/// of the graph sends to each output time, and returns `∂L/∂z₀` and `∂L/∂θ` for the field's parameters.
/// This is how chains of solves and tape operations (ODE-RNN hybrids, IC maps, decoders) differentiate.
public enum ODEBlock {
    /// The Adjoint package's view of `field`: a `TapeVectorField` whose parameters are the field's own
    /// (``ContinuousDepthField/parameterIDs``, in that order), every other entry of `parameters` (the tape
    /// image of the whole store) held constant. For callers that drive `solveWithGradient` themselves (for
    /// example to record the adjoint along the way).
    @inlinable
    public static func vectorField<Scalar>(
        _ field: ContinuousDepthField, parameters: [Variable<Scalar>], sampleScale: [Scalar]? = nil
    ) -> TapeVectorField<Tensor<Scalar>> {
        let ids = field.parameterIDs
        // Everything the field does not train is a constant inside its evaluations.
        let constants = parameters.map { Variable(constant: $0.value) }
        return TapeVectorField<Tensor<Scalar>>(parameters: ids.map { parameters[$0.index].value }) { t, y, fieldParameters in
            var full = constants
            for (k, id) in ids.enumerated() { full[id.index] = fieldParameters[k] }
            return [field(t, y[0], full, sampleScale: sampleScale)]
        }
    }

    /// The compiled dense view of `field` for states of `stateShape`, when `solver` allows it
    /// (``FieldEvaluation/automatic``) and the network is dense; nil means the tape path. Several solves
    /// with the same parameters can share one (see ``DenseVectorField/withSampleScale(_:)``).
    @inlinable
    public static func denseField<Scalar>(
        _ field: ContinuousDepthField, parameters: [Variable<Scalar>], stateShape: [Int], solver: SolverConfiguration
    ) -> DenseVectorField<Scalar>? {
        guard solver.evaluation == .automatic else { return nil }
        return DenseVectorField(field, store: parameters.map(\.value), stateShape: stateShape)
    }

    /// Solves from `z0` over `times` (strictly monotone, `times[0]` the start) and returns the state at
    /// every time as a variable (`[0]` is `z0` itself). Dense fields run compiled (``DenseVectorField``)
    /// unless `solver.evaluation` is ``FieldEvaluation/tape``.
    ///
    /// - Parameters:
    ///   - field: the right-hand side.
    ///   - z0: the initial state, a variable on the caller's tape (or a constant).
    ///   - parameters: the tape image of the model's whole store.
    ///   - times: the output times.
    ///   - sampleScale: per-sample factors Δt_b multiplying the field (per-sample time rescaling).
    ///   - solver: the method, step-size controller and gradient method of the solve.
    ///   - log: receives the forward statistics now and the backward statistics when the tape is walked.
    ///   - name: labels errors.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func solve<Scalar>(
        _ field: ContinuousDepthField, from z0: Variable<Scalar>, parameters: [Variable<Scalar>], times: [Double],
        sampleScale: [Scalar]? = nil, solver: SolverConfiguration, log: SolveLog, name: String = "ODEBlock"
    ) throws(ModelError) -> [Variable<Scalar>] {
        if let dense = denseField(field, parameters: parameters, stateShape: z0.shape, solver: solver) {
            return try solve(
                dense.withSampleScale(sampleScale), parameterIDs: field.parameterIDs, from: z0, parameters: parameters,
                times: times, solver: solver, log: log, name: name)
        }
        return try solve(
            vectorField(field, parameters: parameters, sampleScale: sampleScale), parameterIDs: field.parameterIDs,
            from: z0, parameters: parameters, times: times, solver: solver, log: log, name: name)
    }

    /// ``solve(_:from:parameters:times:sampleScale:solver:log:name:)`` with the Adjoint package's view of
    /// the field given: `vectorField`'s parameters are the store entries `parameterIDs`, in that order.
    @inlinable
    public static func solve<Field: DifferentiableVectorField, Scalar>(
        _ vectorField: Field, parameterIDs ids: [ParameterID], from z0: Variable<Scalar>, parameters: [Variable<Scalar>],
        times: [Double], solver: SolverConfiguration, log: SolveLog, name: String = "ODEBlock"
    ) throws(ModelError) -> [Variable<Scalar>] where Field.State == Tensor<Scalar> {
        var options = SolveOptions()
        options.maxSteps = solver.maxSteps
        options.normReduction = solver.normReduction
        let solution: DifferentiableSolution<Field>
        do {
            solution = try solveWithGradient(
                vectorField, y0: z0.value, times: times, method: solver.method, controller: solver.controller,
                options: options, gradient: solver.gradient)
        } catch {
            throw ModelError.forwardSolveFailed(model: name, time: times[0], underlying: "\(error)")
        }
        log.recordForward(solution.statistics)
        let states = solution.states
        guard states.count > 1 else { return [z0] }
        let shape = z0.shape
        let perState = z0.value.count
        var stacked = [Scalar]()
        stacked.reserveCapacity((states.count - 1) * perState)
        for state in states.dropFirst() { stacked.append(contentsOf: state.scalars) }
        let outputCount = states.count - 1
        let inputs = [z0] + ids.map { parameters[$0.index] }
        // The pullback captures shapes, never the variables: a variable holds its tape, so capturing one
        // would make a tape → node → pullback → variable → tape cycle and leak every step's tape.
        let inputShapes = inputs.map(\.shape)
        let node = Variable.record(Tensor(shape: [outputCount] + shape, scalars: stacked), inputs: inputs) { g in
            var cotangents: [Tensor<Scalar>?] = [nil]
            for k in 0..<outputCount {
                let slice = Tensor(shape: shape, scalars: Array(g.scalars[(k * perState)..<((k + 1) * perState)]))
                // An output the loss never reads gets no cotangent, so the adjoint skips its jump.
                cotangents.append(slice.scalars.allSatisfy { $0 == 0 } ? nil : slice)
            }
            do {
                let gradients = try solution.backward(cotangents: cotangents)
                log.recordBackward(gradients.statistics)
                return [gradients.initialState] + gradients.parameters
            } catch {
                // The size of the incoming cotangent tells an exploding upstream gradient (which makes the
                // adjoint's first step underflow) from a problem inside this solve.
                let largest = g.scalars.reduce(0) { Swift.max($0, Swift.abs($1)) }
                log.recordBackwardError(ModelError.backwardSolveFailed(
                    model: name, underlying: "\(error) (largest incoming |∂L/∂z| = \(largest))"))
                return inputShapes.map { Tensor(zeros: $0) }
            }
        }
        var outputs = [z0]
        for k in 0..<outputCount {
            outputs.append(node.slice(axis: 0, range: k..<(k + 1)).reshaped(shape))
        }
        return outputs
    }
}

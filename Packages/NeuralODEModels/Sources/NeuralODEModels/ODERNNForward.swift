import Tensors

/// A batch of irregularly sampled sequences for an ODE-RNN.
public struct SequenceBatch<Scalar: TensorScalar>: Sendable {
    /// Observations `x[i]`, each `[B, C]`, i = 0..<T.
    public var observations: [Tensor<Scalar>]
    /// Gaps `Δt[i]`, each with B per-sample values, i = 0..<T (what each iteration's flow integrates over).
    public var gaps: [[Double]]

    /// Bundles the sequence; every step must have the same batch size.
    public init(observations: [Tensor<Scalar>], gaps: [[Double]]) {
        precondition(observations.count == gaps.count, "SequenceBatch: \(observations.count) observations vs \(gaps.count) gap rows")
        for (x, g) in zip(observations, gaps) {
            precondition(x.rank == 2 && x.shape[0] == g.count, "SequenceBatch: observation \(x.shape) with \(g.count) gaps")
        }
        self.observations = observations
        self.gaps = gaps
    }

    /// Sequence length T.
    public var length: Int { observations.count }
    /// Batch size B.
    public var batchSize: Int { observations.first?.shape[0] ?? 0 }

    /// The window flattened time-major, `[B, T·C]` with index `t·C + c`.
    public var flattened: Tensor<Scalar> {
        let b = batchSize, c = observations.first?.shape[1] ?? 0
        var scalars = [Scalar](repeating: 0, count: b * length * c)
        for (t, x) in observations.enumerated() {
            for s in 0..<b { for k in 0..<c { scalars[s * length * c + t * c + k] = x.scalars[s * c + k] } }
        }
        return Tensor(shape: [b, length * c], scalars: scalars)
    }
}

/// The states an ODE-RNN pass produced. Placeholders the reference keeps outside the graph
/// are `nil`.
public struct ODERNNTrajectory<Scalar: TensorScalar> {
    /// `h_rnn[0…T]`.
    public var rnnStates: [Variable<Scalar>?]
    /// `h_ode[0…T]`.
    public var odeStates: [Variable<Scalar>?]
    /// Forecast states `F[0…K−1]` (`F[0]` is the last state itself), empty without forecasting.
    public var forecastStates: [Variable<Scalar>]
}

extension ODERNNModel {
    /// Runs the hybrid over a batch of sequences.
    ///
    /// Each gap's flow solves over s ∈ [0, 1] with the field multiplied by the per-sample gap (one shared
    /// adaptive step sequence for the batch) unless ``scalesTime`` is false (the reference
    /// SONODE cell: unit time). The forecast solves once more from the last state with factor 1 at times
    /// 0, 1, …, K−1. With a `listener` (T + 1 slots), every RNN-updated state `h_rnn[i]` is routed through
    /// it so that a backward pass records `∂L/∂h_rnn[i]` (the gradient listener).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func trajectory(
        _ batch: SequenceBatch<Scalar>, _ p: [Variable<Scalar>], solver: SolverConfiguration, log: SolveLog,
        listener: GradientListener<Scalar>? = nil
    ) throws(ModelError) -> ODERNNTrajectory<Scalar> {
        let steps = batch.length
        precondition(steps > 0, "ODERNNModel \(name): empty sequence")
        let icInput: Variable<Scalar>
        switch initialInput {
        case .flattenedSequence: icInput = Variable(constant: batch.flattened)
        case .firstObservation: icInput = Variable(constant: batch.observations[0])
        }
        let initial = initialCondition(icInput, p)
        func listened(_ z: Variable<Scalar>, _ slot: Int) -> Variable<Scalar> {
            listener.map { $0.tap(z, slot: slot) } ?? z
        }
        var rnn = [Variable<Scalar>?](repeating: nil, count: steps + 1)
        var ode = [Variable<Scalar>?](repeating: nil, count: steps + 1)
        // Every solve of the pass has the same parameters, so one compiled field (and its buffers) serves
        // them all; only the per-sample scale changes from gap to gap.
        var compiled: (shape: [Int], field: DenseVectorField<Scalar>?)? = nil
        func solveFlow(_ z: Variable<Scalar>, times: [Double], scale: [Scalar]?) throws(ModelError) -> [Variable<Scalar>] {
            if compiled?.shape != z.shape {
                compiled = (z.shape, ODEBlock.denseField(field, parameters: p, stateShape: z.shape, solver: solver))
            }
            guard let dense = compiled?.field else {
                return try ODEBlock.solve(field, from: z, parameters: p, times: times, sampleScale: scale, solver: solver, log: log, name: name)
            }
            return try ODEBlock.solve(
                dense.withSampleScale(scale), parameterIDs: field.parameterIDs, from: z, parameters: p, times: times,
                solver: solver, log: log, name: name)
        }
        func flow(_ z: Variable<Scalar>, _ i: Int) throws(ModelError) -> Variable<Scalar> {
            try solveFlow(z, times: [0, 1], scale: scalesTime ? batch.gaps[i].map { Scalar($0) } : nil)[1]
        }
        switch mode {
        case .updateThenEvolve:
            ode[0] = initial
            for i in 0..<steps {
                rnn[i] = listened(cell(ode[i]!, Variable(constant: batch.observations[i]), p), i)
                ode[i + 1] = try flow(rnn[i]!, i)
            }
        case .evolveThenUpdate:
            rnn[0] = listened(initial, 0)
            for i in 0..<steps {
                ode[i] = try flow(rnn[i]!, i)
                rnn[i + 1] = listened(cell(ode[i]!, Variable(constant: batch.observations[i]), p), i + 1)
            }
        }
        var forecast = [Variable<Scalar>]()
        if forecastSteps > 0 {
            let last = (mode == .updateThenEvolve ? ode[steps] : rnn[steps])!
            forecast = try solveFlow(last, times: (0..<forecastSteps).map(Double.init), scale: nil)
        }
        return ODERNNTrajectory(rnnStates: rnn, odeStates: ode, forecastStates: forecast)
    }

    /// The output layer on a state's position part: `[B, C]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func decode(_ z: Variable<Scalar>, _ p: [Variable<Scalar>]) -> Variable<Scalar> {
        let position = family.isSecondOrder ? ContinuousDepthField.position(z) : z
        return output(position.reshaped([position.shape[0], -1]), p)
    }

    /// The per-step predictions the reference trains on, stacked `[T, B, C]`: mode A reads
    /// `h_ode[1…T]` (prediction i has seen x[0…i]); mode B reads `h_rnn[0…T−1]` (it has seen x[0…i−1]).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    ///
    /// `aligned: true` is the corrected variant of the reference mode B: mode B then reads `h_rnn[1…T]`, so
    /// prediction i has seen x[0…i] as in mode A.
    public func predictions(_ trajectory: ODERNNTrajectory<Scalar>, _ p: [Variable<Scalar>], aligned: Bool = false) -> Variable<Scalar> {
        let steps = trajectory.odeStates.count - 1
        let states = mode == .updateThenEvolve
            ? (1...steps).map { trajectory.odeStates[$0]! }
            : (aligned ? Array(1...steps) : Array(0..<steps)).map { trajectory.rnnStates[$0]! }
        return stackedOutputs(states, p)
    }

    /// Outputs of several states stacked `[K, B, C]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func stackedOutputs(_ states: [Variable<Scalar>], _ p: [Variable<Scalar>]) -> Variable<Scalar> {
        let outputs = states.map { decode($0, p) }
        let s = outputs[0].shape
        return Variable.concatenate(outputs.map { $0.reshaped([1] + s) }, axis: 0)
    }
}

import Tensors

/// The update of the ODE state at an observation in the ODE-RNN hybrids.
public enum RecurrentCell: Sendable, Equatable {
    /// `h ← h + (W_h h + b_h) + (W_x x + b_x)`: linear residual, no nonlinearity (first-order
    /// NODE/ANODE).
    case linearResidual(hidden: Linear, input: Linear)
    /// `[h; m] ← [h; m] + reshape(W_p h + b_p + W_q m + b_q + W_x x + b_x, [2, n])` (second-order
    /// families; both h and m are updated).
    case pairedLinearResidual(position: Linear, momentum: Linear, input: Linear)
    /// `h ← net([h, x])`, no residual (e.g. a tanh MLP).
    case replace(Sequential)
    /// `[h; m] ← [h; m] + reshape(net([h, m, x]), [2, n])` (second-order families).
    case pairedResidual(Sequential)

    /// The updated state given the state (`[B, n]` or stacked `[B, 2, n]`) and the observation `[B, C]`.
    @inlinable
    public func callAsFunction<Scalar>(_ z: Variable<Scalar>, _ x: Variable<Scalar>, _ p: [Variable<Scalar>]) -> Variable<Scalar> {
        switch self {
        case .linearResidual(let hidden, let input):
            return z + hidden(z, p) + input(x, p)
        case .pairedLinearResidual(let position, let momentum, let input):
            let h = ContinuousDepthField.position(z), m = ContinuousDepthField.velocity(z)
            let update = position(h, p) + momentum(m, p) + input(x, p)
            return z + update.reshaped(z.shape)
        case .replace(let net):
            return net(Variable.concatenate([z, x], axis: 1), p)
        case .pairedResidual(let net):
            let flat = z.reshaped([z.shape[0], -1])
            let update = net(Variable.concatenate([flat, x], axis: 1), p)
            return z + update.reshaped(z.shape)
        }
    }
}

/// The order of the jump and the flow in each ODE-RNN iteration.
public enum RecurrentMode: String, Sendable, Codable {
    /// Mode A (`rnn_out=False`): `h_rnn[i] = RNN(h_ode[i], x[i])`, then `h_ode[i+1] = Φ_{Δt_i}(h_rnn[i])`;
    /// the outputs read `h_ode[1…T]`.
    case updateThenEvolve
    /// Mode B (`rnn_out=True`): `h_ode[i] = Φ_{Δt_i}(h_rnn[i])`, then `h_rnn[i+1] = RNN(h_ode[i], x[i])`;
    /// the outputs read `h_rnn[0…T−1]`.
    case evolveThenUpdate
}

/// What the initial-condition map of an ODE-RNN reads.
public enum RecurrentInitialInput: String, Sendable, Codable {
    /// The whole input window flattened time-major (`index = t·C + c`).
    case flattenedSequence
    /// The first observation only.
    case firstObservation
}

/// An ODE-RNN hybrid: an initial state, then per observation a recurrent jump and an ODE flow over the
/// gap, a dense output layer on the position, and optionally a forecast beyond the last observation.
public struct ODERNNModel<Scalar: TensorScalar>: Sendable {
    /// The configuration's name (checked when a checkpoint is loaded).
    public var name: String
    /// The family.
    public var family: ModelFamily
    /// Every parameter, in registration order.
    public var parameters: ParameterStore<Scalar>
    /// Input → initial state.
    public var initialCondition: InitialCondition
    /// What the initial-condition map reads.
    public var initialInput: RecurrentInitialInput
    /// The ODE's right-hand side.
    public var field: ContinuousDepthField
    /// The jump at each observation.
    public var cell: RecurrentCell
    /// Dense output layer on the position part.
    public var output: Linear
    /// Jump-then-flow (A) or flow-then-jump (B).
    public var mode: RecurrentMode
    /// Whether each gap's flow is rescaled by the per-sample gap Δt_b. The reference SONODE cell ignores
    /// the gap; `false` reproduces that.
    public var scalesTime: Bool
    /// Number of forecast outputs after the last observation (at times 0…K−1 from the last state).
    public var forecastSteps: Int

    /// Bundles the parts.
    public init(
        name: String, family: ModelFamily, parameters: ParameterStore<Scalar>, initialCondition: InitialCondition,
        initialInput: RecurrentInitialInput, field: ContinuousDepthField, cell: RecurrentCell, output: Linear,
        mode: RecurrentMode, scalesTime: Bool, forecastSteps: Int
    ) {
        self.name = name
        self.family = family
        self.parameters = parameters
        self.initialCondition = initialCondition
        self.initialInput = initialInput
        self.field = field
        self.cell = cell
        self.output = output
        self.mode = mode
        self.scalesTime = scalesTime
        self.forecastSteps = forecastSteps
    }

    /// Total scalar parameter count.
    public var parameterCount: Int { parameters.parameterCount }
}

import Tensors

/// A model `decoder(position(Φ_[t₀,t₁](IC(x))))`: an initial-condition map, one ODE block over
/// `[t₀, t₁]`, and a decoder on the flattened position part of the final state (the whole state for
/// NODE/ANODE), a classifier or regressor on top of a continuous-depth block. How it is solved is not part of the model:
/// every forward pass takes a ``SolverConfiguration``.
public struct ContinuousDepthModel<Scalar: TensorScalar>: Sendable {
    /// The configuration's name (checked when a checkpoint is loaded).
    public var name: String
    /// The family.
    public var family: ModelFamily
    /// Every parameter, in registration order.
    public var parameters: ParameterStore<Scalar>
    /// Input → initial state.
    public var initialCondition: InitialCondition
    /// The ODE's right-hand side.
    public var field: ContinuousDepthField
    /// Flattened position `[B, F]` → output.
    public var decoder: Sequential
    /// Integration interval.
    public var interval: (start: Double, end: Double) = (0, 1)

    /// Bundles the parts.
    public init(
        name: String, family: ModelFamily, parameters: ParameterStore<Scalar>, initialCondition: InitialCondition,
        field: ContinuousDepthField, decoder: Sequential
    ) {
        self.name = name
        self.family = family
        self.parameters = parameters
        self.initialCondition = initialCondition
        self.field = field
        self.decoder = decoder
    }

    /// Total scalar parameter count (the reference's `sum(p.numel())`).
    public var parameterCount: Int { parameters.parameterCount }

    /// The part of a final state the decoder reads, flattened to `[B, F]`: the position for the
    /// second-order families, the whole state (augmentation included) for NODE/ANODE.
    @inlinable
    public func readout(_ z: Variable<Scalar>) -> Variable<Scalar> {
        let part = family.isSecondOrder ? ContinuousDepthField.position(z) : z
        return part.reshaped([part.shape[0], -1])
    }
}

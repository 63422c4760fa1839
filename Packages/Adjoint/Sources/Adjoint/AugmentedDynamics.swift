import ODESolvers
import Tensors

/// The backsolve adjoint's augmented dynamics on `(y, a_y, a_θ…)` packed as one ``PackedTensorList``:
/// `(f, −a_yᵀ∂f/∂y, −a_yᵀ∂f/∂θ…)`, one field VJP per evaluation (torchdiffeq 0.2.1 without `a_t`,
/// whose time gradients are computed in closed form instead).
@usableFromInline
struct AugmentedDynamics<Field: DifferentiableVectorField>: IntervalAdjointDynamics {
    @usableFromInline let field: Field
    /// Number of tensors in `y` (and in `a_y`).
    @usableFromInline let stateComponents: Int

    @inlinable
    init(field: Field, stateComponents: Int) {
        self.field = field
        self.stateComponents = stateComponents
    }

    /// Packs `(y, a_y, a_θ)`.
    @inlinable
    func pack(
        state: Field.State, adjoint: Field.State, parameterAdjoints: [Tensor<Field.State.Scalar>]
    ) -> PackedTensorList<Field.State.Scalar> {
        PackedTensorList(state.tensorComponents + adjoint.tensorComponents + parameterAdjoints)
    }

    /// `y` and `a_y`: `y` is integrated too and needs its error controlled.
    @inlinable
    var errorControlledComponents: Int { 2 * stateComponents }

    /// Splits a packed state into `(y, a_y, a_θ)`.
    @inlinable
    func unpack(
        _ packed: PackedTensorList<Field.State.Scalar>
    ) -> (state: Field.State, adjoint: Field.State, parameterAdjoints: [Tensor<Field.State.Scalar>]) {
        let n = stateComponents
        return (Field.State(tensorComponents: packed.components(0..<n)),
                Field.State(tensorComponents: packed.components(n..<(2 * n))),
                packed.components((2 * n)..<packed.componentCount))
    }

    /// `(a_y, a_θ)` of a packed state.
    @inlinable
    func adjoints(
        of packed: PackedTensorList<Field.State.Scalar>
    ) -> (adjoint: Field.State, parameterAdjoints: [Tensor<Field.State.Scalar>]) {
        let (_, adjoint, parameterAdjoints) = unpack(packed)
        return (adjoint, parameterAdjoints)
    }

    /// The backwards-integrated `y` the packed state carries.
    @inlinable
    func state(at time: Double, packed: PackedTensorList<Field.State.Scalar>) -> Field.State {
        unpack(packed).state
    }

    /// The time derivative of the packed state: `(f, −a_yᵀ∂f/∂y, −a_yᵀ∂f/∂θ)` written straight into one
    /// buffer (the parameter adjoints themselves are never read).
    @inlinable
    func callAsFunction(_ t: Double, _ packed: PackedTensorList<Field.State.Scalar>) throws -> PackedTensorList<Field.State.Scalar> {
        let n = stateComponents, offsets = packed.offsets
        let y = Field.State(tensorComponents: packed.components(0..<n))
        return try packed.storage.withUnsafeBufferPointer { source in
            try PackedTensorList(layout: packed) { out in
                try field.negatedVectorJacobianProduct(
                    t, y, cotangent: UnsafeBufferPointer(rebasing: source[offsets[n]..<offsets[2 * n]]),
                    value: out.baseAddress!, stateProduct: out.baseAddress! + offsets[n],
                    parameterProducts: out.baseAddress! + offsets[2 * n])
            }
        }
    }
}

/// The reduced adjoint dynamics on `(a_y, a_θ…)` along a known trajectory `y(t)` (checkpointed adjoint).
@usableFromInline
struct AdjointAlongTrajectory<Field: DifferentiableVectorField>: IntervalAdjointDynamics {
    @usableFromInline let field: Field
    @usableFromInline let stateComponents: Int
    /// `y(t)` on the current interval.
    @usableFromInline let trajectory: (Double) throws -> Field.State

    @inlinable
    init(field: Field, stateComponents: Int, trajectory: @escaping (Double) throws -> Field.State) {
        self.field = field
        self.stateComponents = stateComponents
        self.trajectory = trajectory
    }

    /// `a_y` only: `y` is not integrated.
    @inlinable
    var errorControlledComponents: Int { stateComponents }

    /// Packs `(a_y, a_θ)`; `y` comes from ``trajectory`` instead.
    @inlinable
    func pack(
        state: Field.State, adjoint: Field.State, parameterAdjoints: [Tensor<Field.State.Scalar>]
    ) -> PackedTensorList<Field.State.Scalar> {
        PackedTensorList(adjoint.tensorComponents + parameterAdjoints)
    }

    /// Splits a packed state into `(a_y, a_θ)`.
    @inlinable
    func adjoints(
        of packed: PackedTensorList<Field.State.Scalar>
    ) -> (adjoint: Field.State, parameterAdjoints: [Tensor<Field.State.Scalar>]) {
        (Field.State(tensorComponents: packed.components(0..<stateComponents)),
         packed.components(stateComponents..<packed.componentCount))
    }

    /// `y(time)` from ``trajectory``.
    @inlinable
    func state(at time: Double, packed: PackedTensorList<Field.State.Scalar>) throws -> Field.State {
        try trajectory(time)
    }

    /// The time derivative of the packed state.
    @inlinable
    func callAsFunction(_ t: Double, _ packed: PackedTensorList<Field.State.Scalar>) throws -> PackedTensorList<Field.State.Scalar> {
        let n = stateComponents, offsets = packed.offsets
        let y = try trajectory(t)
        return try packed.storage.withUnsafeBufferPointer { source in
            try PackedTensorList(layout: packed) { out in
                try field.negatedVectorJacobianProduct(
                    t, y, cotangent: UnsafeBufferPointer(rebasing: source[0..<offsets[n]]), value: nil,
                    stateProduct: out.baseAddress!, parameterProducts: out.baseAddress! + offsets[n])
            }
        }
    }
}

/// `a + g` when `g` is present.
@inlinable
func adding<State: ODEState>(_ a: State, _ g: State?) -> State {
    guard let g else { return a }
    var result = a
    result.addScaled(g, by: 1)
    return result
}

import ODESolvers
import Tensors

/// The value of a vector field together with its vector-Jacobian products at one point.
public struct VectorJacobianProduct<State: ODEState> {
    /// `f(t, y)`.
    public var value: State
    /// `aᵀ ∂f/∂y` for the cotangent `a`.
    public var state: State
    /// `aᵀ ∂f/∂θ_k`, one tensor per parameter, shaped like the parameter.
    public var parameters: [Tensor<State.Scalar>]

    /// Bundles the three results.
    @inlinable
    public init(value: State, state: State, parameters: [Tensor<State.Scalar>]) {
        self.value = value
        self.state = state
        self.parameters = parameters
    }
}

/// A vector field `f(t, y; θ)` that can report its vector-Jacobian products with respect to the state and
/// to its parameters: everything the three gradient methods need, so any model is trainable with any
/// method.
///
/// The parameters are the tensors the gradients are reported for, in this order. Like torchdiffeq, a
/// parameter that `f` does not use is still listed and gets a zero gradient.
public protocol DifferentiableVectorField {
    /// The solver state (`Tensor` or `TensorList`).
    associatedtype State: TensorListConvertible

    /// The trainable tensors `θ`, in a fixed order.
    var parameters: [Tensor<State.Scalar>] { get }

    /// Evaluates `f(t, y)`.
    func callAsFunction(_ t: Double, _ y: State) throws -> State

    /// Evaluates `f(t, y)` and the products `aᵀ∂f/∂y`, `aᵀ∂f/∂θ` for `a = cotangent`.
    func vectorJacobianProduct(_ t: Double, _ y: State, cotangent: State) throws -> VectorJacobianProduct<State>
}

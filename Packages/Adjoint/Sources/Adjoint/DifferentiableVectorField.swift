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

    /// The adjoint dynamics' form of ``vectorJacobianProduct(_:_:cotangent:)`` on raw buffers: reads `a` as
    /// `y`'s components back to back, writes `f(t, y)` into `value` (when given) the same way, `−aᵀ∂f/∂y`
    /// into `stateProduct` and `−aᵀ∂f/∂θ` into `parameterProducts` (the parameters back to back). The
    /// adjoints pack their augmented states like that, so a field that implements this directly (the
    /// compiled dense fields) skips every intermediate tensor; the default calls the tensor VJP and copies.
    func negatedVectorJacobianProduct(
        _ t: Double, _ y: State, cotangent: UnsafeBufferPointer<State.Scalar>, value: UnsafeMutablePointer<State.Scalar>?,
        stateProduct: UnsafeMutablePointer<State.Scalar>, parameterProducts: UnsafeMutablePointer<State.Scalar>
    ) throws
}

extension DifferentiableVectorField {
    /// Rebuilds the cotangent as a state, calls ``vectorJacobianProduct(_:_:cotangent:)`` and copies the
    /// results out (negating the products).
    @inlinable
    public func negatedVectorJacobianProduct(
        _ t: Double, _ y: State, cotangent: UnsafeBufferPointer<State.Scalar>, value: UnsafeMutablePointer<State.Scalar>?,
        stateProduct: UnsafeMutablePointer<State.Scalar>, parameterProducts: UnsafeMutablePointer<State.Scalar>
    ) throws {
        var offset = 0
        let components = y.tensorComponents.map { component -> Tensor<State.Scalar> in
            defer { offset += component.count }
            return Tensor(shape: component.shape, scalars: Array(cotangent[offset..<(offset + component.count)]))
        }
        precondition(offset == cotangent.count, "negatedVectorJacobianProduct: \(cotangent.count) cotangent elements for a state of \(offset)")
        let vjp = try vectorJacobianProduct(t, y, cotangent: State(tensorComponents: components))
        func write(_ tensors: [Tensor<State.Scalar>], to start: UnsafeMutablePointer<State.Scalar>, factor: State.Scalar) {
            var out = start
            for tensor in tensors {
                tensor.withUnsafeBufferPointer { source in
                    for j in source.indices { out[j] = factor * source[j] }
                    out += source.count
                }
            }
        }
        if let value { write(vjp.value.tensorComponents, to: value, factor: 1) }
        write(vjp.state.tensorComponents, to: stateProduct, factor: -1)
        write(vjp.parameters, to: parameterProducts, factor: -1)
    }
}

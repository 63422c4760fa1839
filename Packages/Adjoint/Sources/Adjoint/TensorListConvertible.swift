import ODESolvers
import Tensors

/// A solver state that can be taken apart into its tensors and rebuilt from them.
///
/// The adjoint methods need this to build augmented states `(y, a_y, a_θ…)` as one `TensorList` and to
/// hand tape variables to a vector field component by component. `Tensor` (one tensor) and
/// `TensorList` (its components) conform.
public protocol TensorListConvertible: ODEState {
    /// The state's tensors, one per error-norm component, in order.
    var tensorComponents: [Tensor<Scalar>] { get }
    /// Rebuilds a state from tensors laid out as ``tensorComponents`` returns them.
    init(tensorComponents: [Tensor<Scalar>])
}

extension Tensor: TensorListConvertible {
    /// A tensor is its own single component.
    @inlinable public var tensorComponents: [Tensor<Scalar>] { [self] }

    /// Takes the single tensor of a one-element list.
    @inlinable
    public init(tensorComponents: [Tensor<Scalar>]) {
        precondition(tensorComponents.count == 1, "Tensor state needs 1 component, got \(tensorComponents.count)")
        self = tensorComponents[0]
    }
}

extension TensorList: TensorListConvertible {
    /// The list's components.
    @inlinable public var tensorComponents: [Tensor<Scalar>] { components }

    /// Wraps the tensors as a list.
    @inlinable public init(tensorComponents: [Tensor<Scalar>]) { self.init(tensorComponents) }
}

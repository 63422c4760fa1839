import Tensors

/// The position of one parameter tensor in a ``ParameterStore``.
public struct ParameterID: Hashable, Codable, Sendable {
    /// Index into ``ParameterStore/values`` (and into the `[Variable]` list a forward pass receives).
    public let index: Int
    /// Creates an identifier for the parameter at `index`.
    public init(index: Int) { self.index = index }
}

/// A model's flat, ordered, named list of parameter tensors.
///
/// Every layer registers its tensors here when it is built and keeps only their ``ParameterID``s. A
/// forward pass receives one tape `Variable` per stored tensor, in the same order, so the optimiser,
/// the adjoint (which returns aᵀ∂f/∂θ as a list of tensors) and the checkpoint code treat every model
/// the same way. Like PyTorch's `parameters()`, the list includes frozen or unused scalars, so
/// ``parameterCount`` equals the reference code's count.
public struct ParameterStore<Scalar: TensorScalar>: Sendable, Equatable {
    /// Unique dotted names (`"field.0.weight"`), in registration order.
    public private(set) var names: [String] = []
    /// The tensors, in registration order.
    public var values: [Tensor<Scalar>] = []

    /// Creates an empty store.
    public init() {}

    /// Adds a tensor under a unique name and returns its identifier.
    public mutating func register(_ name: String, _ value: Tensor<Scalar>) -> ParameterID {
        precondition(!names.contains(name), "ParameterStore: duplicate parameter name \(name)")
        names.append(name)
        values.append(value)
        return ParameterID(index: values.count - 1)
    }

    /// Number of tensors.
    public var tensorCount: Int { values.count }

    /// Total number of scalars over all tensors (PyTorch's `sum(p.numel())`).
    public var parameterCount: Int { values.reduce(0) { $0 + $1.count } }

    /// The shapes, in order (what a checkpoint is checked against).
    public var shapes: [[Int]] { values.map(\.shape) }

    /// Every identifier, in registration order (the order of ``values`` and of a forward pass's variables).
    public var ids: [ParameterID] { values.indices.map(ParameterID.init(index:)) }

    /// The identifier registered under `name`, if any.
    public func id(named name: String) -> ParameterID? {
        names.firstIndex(of: name).map(ParameterID.init(index:))
    }

    /// The tensor registered under `name`, if any.
    public func value(named name: String) -> Tensor<Scalar>? {
        names.firstIndex(of: name).map { values[$0] }
    }

    /// Access by identifier.
    public subscript(id: ParameterID) -> Tensor<Scalar> {
        get { values[id.index] }
        set {
            precondition(newValue.shape == values[id.index].shape, "ParameterStore: \(names[id.index]) has shape \(values[id.index].shape), got \(newValue.shape)")
            values[id.index] = newValue
        }
    }

    /// Multiplies every parameter by `factor` (a "pre-shrink" of a fresh initialisation).
    public mutating func scaleAll(by factor: Scalar) {
        for i in values.indices { values[i].scale(by: factor) }
    }
}

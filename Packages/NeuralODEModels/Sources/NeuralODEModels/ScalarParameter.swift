import Tensors

/// A trainable scalar registered as a `[1]` tensor, with the reference code's "frozen" option:
/// a frozen scalar is still registered (it counts in the parameter count and gets an
/// identically zero gradient) but the forward pass uses its constant initial value.
public struct ScalarParameter: Sendable, Equatable {
    /// The `[1]` tensor's place in the store.
    public let id: ParameterID
    /// The value the forward pass uses when frozen (the initial value); nil when trainable.
    public let frozenValue: Double?

    /// Registers `name` with `initialValue`.
    public init<Scalar: TensorScalar>(_ name: String, initialValue: Double, frozen: Bool, store: inout ParameterStore<Scalar>) {
        id = store.register(name, Tensor([Scalar(initialValue)]))
        frozenValue = frozen ? initialValue : nil
    }

    /// The scalar as a `[1]` variable: the tape variable when trainable, a constant when frozen.
    @inlinable
    public func callAsFunction<Scalar>(_ parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        if let frozenValue { return Variable(constant: Tensor([Scalar(frozenValue)])) }
        return parameters[id.index]
    }
}

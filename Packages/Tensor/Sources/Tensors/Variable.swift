/// A tensor value together with its place on a ``Tape``, so that operations on it are differentiated.
///
/// A variable made with ``init(constant:)`` lives on no tape: operations on constants only compute
/// values. An operation with at least one tracked operand records a node on that operand's tape.
public struct Variable<Scalar: TensorScalar> {
    /// The forward value.
    public let value: Tensor<Scalar>
    /// The node index on ``tape``, or -1 for a constant.
    public let id: Int
    /// The tape that records operations on this variable, `nil` for a constant.
    public let tape: Tape<Scalar>?

    @inlinable
    init(value: Tensor<Scalar>, id: Int, tape: Tape<Scalar>?) {
        self.value = value
        self.id = id
        self.tape = tape
    }

    /// A constant: its value takes part in computations but receives no gradient.
    @inlinable
    public init(constant value: Tensor<Scalar>) {
        self.init(value: value, id: -1, tape: nil)
    }

    /// The value's shape.
    @inlinable public var shape: [Int] { value.shape }
    /// Whether this variable is recorded on a tape.
    @inlinable public var isTracked: Bool { tape != nil }

    /// Records an operation with these operands. If none of them is tracked nothing is recorded and a
    /// constant is returned, so constant-only code costs no tape traffic.
    ///
    /// - Parameters:
    ///   - value: the operation's forward result.
    ///   - inputs: the operands, in the order the pullback returns their cotangents.
    ///   - pullback: maps the output cotangent to one cotangent per operand (same shapes as the operands).
    @inlinable
    public static func record(
        _ value: Tensor<Scalar>, inputs: [Variable<Scalar>], pullback: @escaping Tape<Scalar>.Pullback
    ) -> Variable<Scalar> {
        var tape: Tape<Scalar>? = nil
        for input in inputs {
            guard let t = input.tape else { continue }
            if let existing = tape {
                _require(existing === t, "An operation mixes variables from two different tapes")
            } else {
                tape = t
            }
        }
        guard let tape else { return Variable(constant: value) }
        return tape.record(value: value, inputs: inputs.map { $0.tape == nil ? -1 : $0.id }, pullback: pullback)
    }
}

/// Evaluates `body` on tracked copies of `inputs` and returns its value with a pullback (the VJP).
///
/// The pullback may be called several times with different cotangents; each call walks the tape once.
/// ```swift
/// let (y, pullback) = valueWithPullback(at: [x, w]) { v in tanh(v[0].matmul(v[1])) }
/// let grads = pullback(cotangent)   // [∂⟨c,y⟩/∂x, ∂⟨c,y⟩/∂w]
/// ```
@inlinable
public func valueWithPullback<Scalar: TensorScalar>(
    at inputs: [Tensor<Scalar>], in body: ([Variable<Scalar>]) -> Variable<Scalar>
) -> (value: Tensor<Scalar>, pullback: (Tensor<Scalar>) -> [Tensor<Scalar>]) {
    let tape = Tape<Scalar>()
    let variables = tape.variables(inputs)
    let output = body(variables)
    return (output.value, { cotangent in tape.gradients(of: output, seed: cotangent, wrt: variables) })
}

/// The value of a scalar-valued `body` and its gradient with respect to each input.
@inlinable
public func valueWithGradient<Scalar: TensorScalar>(
    at inputs: [Tensor<Scalar>], in body: ([Variable<Scalar>]) -> Variable<Scalar>
) -> (value: Scalar, gradients: [Tensor<Scalar>]) {
    let (value, pullback) = valueWithPullback(at: inputs, in: body)
    _require(value.count == 1, "valueWithGradient needs a scalar output, got shape \(value.shape)")
    return (value.scalars[0], pullback(Tensor(ones: value.shape)))
}

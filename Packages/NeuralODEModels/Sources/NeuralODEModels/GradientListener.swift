import Tensors

/// Records `∂L/∂h_rnn[i]` during a backward pass: the "gradient listener" that shows how
/// much of a late loss's gradient reaches early RNN states (the paper's Fig. 3).
///
/// The model routes each RNN-updated state through an identity node whose pullback stores the cotangent
/// it receives, which is exactly the gradient with respect to that state (every use of the state goes
/// through the node). Slots the loss does not reach, and the reference's placeholders, stay empty and
/// report a zero norm. A reference type so that the pullbacks recorded on the tape can report into it.
public final class GradientListener<Scalar: TensorScalar>: @unchecked Sendable {
    /// The recorded cotangents by slot (nil: not reached).
    public private(set) var cotangents: [Tensor<Scalar>?]

    /// A listener for slots `0..<slots` (an ODE-RNN over T observations has T + 1 states).
    public init(slots: Int) { cotangents = Array(repeating: nil, count: slots) }

    /// Frobenius norm of each slot's gradient over the whole batch (0 where none was recorded).
    public var norms: [Double] {
        cotangents.map { $0.map { Double($0.squaredNorm).squareRoot() } ?? 0 }
    }

    /// Forgets every recorded gradient (before the main backward pass, as the reference zeroes them).
    public func reset() { cotangents = Array(repeating: nil, count: cotangents.count) }

    /// `x` unchanged, with its cotangent recorded into slot `slot` during the backward pass.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func tap(_ x: Variable<Scalar>, slot: Int) -> Variable<Scalar> {
        precondition(slot >= 0 && slot < cotangents.count, "GradientListener: slot \(slot) outside 0..<\(cotangents.count)")
        return Variable.record(x.value, inputs: [x]) { [self] g in
            if cotangents[slot] == nil {
                cotangents[slot] = g
            } else {
                cotangents[slot]!.addScaled(g, by: 1)
            }
            return [g]
        }
    }
}

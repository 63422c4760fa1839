import ODESolvers
import Tensors

/// A ``DifferentiableVectorField`` built from a closure over tape `Variable`s: the VJPs come from the
/// Tensor package's reverse-mode autodiff, so a model only has to write its forward computation.
///
/// The closure receives the time, one variable per state component and one per parameter, and returns
/// one variable per state component (the derivative of that component). Forward calls run the same
/// closure on constants, which records nothing on any tape.
/// ```swift
/// let field = TapeVectorField<Tensor<Double>>(parameters: [w]) { t, y, p in [y[0].matmul(p[0])] }
/// ```
public struct TapeVectorField<State: TensorListConvertible>: DifferentiableVectorField {
    /// The element type.
    public typealias Scalar = State.Scalar
    /// `(t, stateVariables, parameterVariables) -> derivative variables`, one per state component.
    public typealias Body = (Double, [Variable<Scalar>], [Variable<Scalar>]) throws -> [Variable<Scalar>]

    /// The trainable tensors, passed to ``body`` in this order.
    public var parameters: [Tensor<Scalar>]
    /// Counts every forward call and every VJP (one each), shared by all copies of this field.
    public let counter: EvaluationCounter
    /// The forward computation.
    public let body: Body

    /// Creates a field from its parameters and forward computation.
    public init(parameters: [Tensor<Scalar>], counter: EvaluationCounter = EvaluationCounter(), body: @escaping Body) {
        self.parameters = parameters
        self.counter = counter
        self.body = body
    }

    /// Evaluates the closure on constants (no tape).
    @inlinable
    public func callAsFunction(_ t: Double, _ y: State) throws -> State {
        counter.increment()
        let outputs = try body(
            t, y.tensorComponents.map { Variable(constant: $0) }, parameters.map { Variable(constant: $0) })
        return State(tensorComponents: checked(outputs, against: y).map(\.value))
    }

    /// Evaluates the closure on a fresh tape and walks it back once with the cotangent.
    @inlinable
    public func vectorJacobianProduct(
        _ t: Double, _ y: State, cotangent: State
    ) throws -> VectorJacobianProduct<State> {
        counter.increment()
        let tape = Tape<Scalar>()
        let stateVariables = tape.variables(y.tensorComponents)
        let parameterVariables = tape.variables(parameters)
        let outputs = checked(try body(t, stateVariables, parameterVariables), against: y)
        let cotangents = cotangent.tensorComponents
        // The tape differentiates one output; ⟨a, f⟩ summed over components is that output, and its
        // gradient is exactly the VJP. One component needs no extra node.
        let gradients: [Tensor<Scalar>]
        if outputs.count == 1 {
            gradients = tape.gradients(of: outputs[0], seed: cotangents[0], wrt: stateVariables + parameterVariables)
        } else {
            let pairing = Variable.record(Tensor<Scalar>(zeros: [1]), inputs: outputs) { g in
                let s = g.scalars[0]
                return cotangents.map { c in
                    var scaled = c
                    scaled.scale(by: s)
                    return scaled
                }
            }
            gradients = tape.gradients(of: pairing, seed: Tensor(ones: [1]), wrt: stateVariables + parameterVariables)
        }
        // Nodes whose pullbacks capture tracked variables (which hold their tape) form a reference cycle
        // that would keep every intermediate of this evaluation alive; emptying the tape breaks it.
        tape.reset()
        let n = stateVariables.count
        return VectorJacobianProduct(
            value: State(tensorComponents: outputs.map(\.value)),
            state: State(tensorComponents: Array(gradients[..<n])),
            parameters: Array(gradients[n...]))
    }

    @inlinable
    func checked(_ outputs: [Variable<Scalar>], against y: State) -> [Variable<Scalar>] {
        let inputs = y.tensorComponents
        precondition(
            outputs.count == inputs.count,
            "TapeVectorField: body returned \(outputs.count) components for a state of \(inputs.count)")
        for (output, input) in zip(outputs, inputs) {
            precondition(
                output.shape == input.shape,
                "TapeVectorField: body returned shape \(output.shape) for a state component of shape \(input.shape)")
        }
        return outputs
    }
}

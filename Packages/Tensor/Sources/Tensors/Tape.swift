/// The record of differentiable operations that reverse-mode differentiation walks backwards.
///
/// Define-by-run, like PyTorch: each operation on tracked ``Variable``s appends one node holding the
/// indices of its inputs and a pullback closure (one closure per *operation*, never per element).
/// Nodes are appended in execution order, so walking them in reverse is a topological order and no sort
/// is needed. A tape is cheap; make a fresh one per forward pass (or call ``reset()``).
///
/// A pullback must not capture a ``Variable``: variables hold their tape strongly, so the capture would
/// make a reference cycle (tape → node → pullback → variable → tape) and leak the tape with every
/// intermediate on it. Capture the tensors (`variable.value`) and flags the pullback needs instead.
public final class Tape<Scalar: TensorScalar> {
    /// Maps the cotangent of an operation's output to the cotangents of its inputs, in input order.
    public typealias Pullback = (Tensor<Scalar>) -> [Tensor<Scalar>]

    @usableFromInline
    struct Node {
        @usableFromInline var inputs: [Int]
        @usableFromInline var pullback: Pullback?
        @usableFromInline init(inputs: [Int], pullback: Pullback?) {
            self.inputs = inputs
            self.pullback = pullback
        }
    }

    @usableFromInline var nodes: [Node] = []

    /// Creates an empty tape (with room for a small model's nodes, so recording rarely reallocates).
    public init() { nodes.reserveCapacity(64) }

    /// Number of recorded nodes (leaves included).
    public var nodeCount: Int { nodes.count }

    /// Forgets every node; variables created before are no longer valid on this tape.
    public func reset() { nodes.removeAll(keepingCapacity: true) }

    /// Registers `value` as a differentiable input (a leaf) and returns its tracked variable.
    @inlinable
    public func variable(_ value: Tensor<Scalar>) -> Variable<Scalar> {
        nodes.append(Node(inputs: [], pullback: nil))
        return Variable(value: value, id: nodes.count - 1, tape: self)
    }

    /// Registers several leaves at once.
    @inlinable
    public func variables(_ values: [Tensor<Scalar>]) -> [Variable<Scalar>] {
        values.map { variable($0) }
    }

    /// Records an operation. Op implementers call this (usually through ``Variable/record(_:inputs:pullback:)``).
    /// Inputs that are constants (not on a tape) get no gradient; their slot in the pullback's result is
    /// ignored.
    @inlinable
    public func record(value: Tensor<Scalar>, inputs: [Int], pullback: @escaping Pullback) -> Variable<Scalar> {
        nodes.append(Node(inputs: inputs, pullback: pullback))
        return Variable(value: value, id: nodes.count - 1, tape: self)
    }

    /// The vector-Jacobian product: the gradients of `seed · output` with respect to each of `inputs`.
    ///
    /// `seed` defaults to ones (so a scalar output gives the plain gradient). An input that `output` does
    /// not depend on gets a zero tensor of its shape. Inputs may be leaves or intermediate variables (or
    /// `output` itself): the walk frees each node's cotangent once its pullback has run, except for the
    /// requested ones, so ∂(seed · output)/∂(intermediate) is the total cotangent that reached it.
    @inlinable
    public func gradients(
        of output: Variable<Scalar>, seed: Tensor<Scalar>? = nil, wrt inputs: [Variable<Scalar>]
    ) -> [Tensor<Scalar>] {
        let seedValue = seed ?? Tensor(ones: output.value.shape)
        _require(
            seedValue.shape == output.value.shape,
            "gradients: seed shape \(seedValue.shape) does not match output shape \(output.value.shape)")
        guard output.id >= 0, output.tape === self else {
            return inputs.map { Tensor(zeros: $0.value.shape) }
        }
        // Requested ids keep their cotangents through the walk (one flag per node up to the output).
        var requested = [Bool](repeating: false, count: output.id + 1)
        for input in inputs where input.id >= 0 && input.id <= output.id && input.tape === self {
            requested[input.id] = true
        }
        var adjoints = [Tensor<Scalar>?](repeating: nil, count: output.id + 1)
        adjoints[output.id] = seedValue
        var index = output.id
        while index >= 0 {
            defer { index -= 1 }
            guard let cotangent = adjoints[index], let pullback = nodes[index].pullback else { continue }
            let node = nodes[index]
            let inputCotangents = pullback(cotangent)
            for (slot, inputID) in node.inputs.enumerated() where inputID >= 0 {
                let contribution = inputCotangents[slot]
                if adjoints[inputID] == nil {
                    adjoints[inputID] = contribution
                } else {
                    adjoints[inputID]!.addScaled(contribution, by: 1)
                }
            }
            // Every consumer of this node has run (they come later on the tape), so its cotangent is
            // final; free it unless it was asked for, to keep peak memory at the live cotangents.
            if !requested[index] { adjoints[index] = nil }
        }
        return inputs.map { input in
            _require(input.tape === self || input.id < 0, "gradients: an input belongs to another tape")
            guard input.id >= 0, input.id <= output.id, let g = adjoints[input.id] else {
                return Tensor(zeros: input.value.shape)
            }
            return g
        }
    }
}

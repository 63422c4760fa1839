import Adjoint
import ODESolvers
import Tensors

/// One point-cloud classifier of spec §3.1: initial condition → ODE block on [0, 1] (dopri5,
/// rtol = atol = tol, backsolve adjoint with torchdiffeq 0.2.1's full norm) → `hardtanh(Linear(h(1)))`.
///
/// Parameters are one flat list in a fixed order: the vector field's tensors first (these are what the
/// adjoint differentiates, ω included for the second-order families), then the initial-velocity MLP, then
/// the decoder. Like the notebooks, h and v are stacked along the batch axis (state `[2B, 2]`), so the
/// RMS error norm covers both.
public struct PointCloudModel: Sendable {
    /// The family.
    public let family: PointCloudFamily
    /// All parameters (see the type's documentation for the order).
    public var parameters: [Tensor<Float>]
    /// f.
    let field: DenseStack
    /// The initial-velocity MLP (second-order families only).
    let initialVelocity: DenseStack?
    /// Number of leading parameter tensors that belong to the vector field.
    let fieldTensorCount: Int

    /// A freshly initialised model (PyTorch default init; ω = −3 for the second-order families).
    public init(family: PointCloudFamily, generator: inout SplitMixGenerator) {
        self.family = family
        let n = family.hiddenWidth
        switch family {
        case .node: field = DenseStack(widths: [2, n, n, 2], activation: .elu)
        case .anode: field = DenseStack(widths: [3, n, n, 3], activation: .elu)
        case .sonode: field = DenseStack(widths: [4, n, n, 2], activation: .elu)
        case .hbnode, .ghbnode: field = DenseStack(widths: [2, n, n, 2], activation: .elu)
        }
        var parameters = field.initialParameters(&generator)
        if family.isSecondOrder {
            parameters.append(Tensor(shape: [1], scalars: [-3]))  // ω (unused by SONODE, counted like the code)
        }
        fieldTensorCount = parameters.count
        if family.isSecondOrder {
            let mlp = DenseStack(widths: [2, n, n, 2], activation: .hardtanh(bound: 5))
            parameters += mlp.initialParameters(&generator)
            initialVelocity = mlp
        } else {
            initialVelocity = nil
        }
        parameters += DenseStack(widths: [family.stateWidth, 1], activation: .identity).initialParameters(&generator)
        self.parameters = parameters
    }

    /// Scalar parameter count (matches the code's count, spec §3.1).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The initial state for points `x [B, 2]`, recorded on `tape` when given (for the IC's gradients).
    func initialState(_ x: Tensor<Float>, parameters p: [Variable<Float>]) -> Variable<Float> {
        let input = Variable(constant: x)
        switch family {
        case .node: return input
        case .anode:
            return Variable.concatenate([input, Variable(constant: Tensor(zeros: [x.shape[0], 1]))], axis: 1)
        case .sonode, .hbnode, .ghbnode:
            let icRange = fieldTensorCount..<(fieldTensorCount + initialVelocity!.tensorCount)
            let v0 = initialVelocity!(input, p[icRange])
            return Variable.concatenate([input, v0], axis: 0)
        }
    }

    /// The vector field over the current field parameters, counting evaluations in `counter`.
    func vectorField(counter: EvaluationCounter) -> TapeVectorField<Tensor<Float>> {
        let family = self.family, field = self.field
        return TapeVectorField(parameters: Array(parameters[..<fieldTensorCount]), counter: counter) { _, y, p in
            let z = y[0]
            switch family {
            case .node, .anode:
                return [field(z, p[0..<field.tensorCount])]
            case .sonode:
                let b = z.shape[0] / 2
                let h = z.slice(axis: 0, range: 0..<b), v = z.slice(axis: 0, range: b..<(2 * b))
                let acceleration = field(Variable.concatenate([h, v], axis: 1), p[0..<field.tensorCount])
                return [Variable.concatenate([v, acceleration], axis: 0)]
            case .hbnode, .ghbnode:
                let b = z.shape[0] / 2
                let h = z.slice(axis: 0, range: 0..<b), v = z.slice(axis: 0, range: b..<(2 * b))
                let gamma = p[field.tensorCount].sigmoid()
                var acceleration = field(h, p[0..<field.tensorCount]) - gamma * v
                if family.restoring != 0 { acceleration = acceleration + h * family.restoring }
                return [Variable.concatenate([-v, acceleration], axis: 0)]
            }
        }
    }

    /// The position part of a state `[B or 2B, d]` for `count` points.
    func position(_ z: Variable<Float>, count: Int) -> Variable<Float> {
        family.isSecondOrder ? z.slice(axis: 0, range: 0..<count) : z
    }

    /// `hardtanh(Linear(position))`, `[B, 1]`.
    func decode(_ position: Variable<Float>, parameters p: [Variable<Float>]) -> Variable<Float> {
        let n = parameters.count
        return Tensors.linear(position, weight: p[n - 2], bias: p[n - 1]).hardtanh(min: -1, max: 1)
    }

    /// `Linear(position)` without the output hardtanh (a loss on it never saturates, for adjoint studies).
    func decodeLinear(_ position: Variable<Float>, parameters p: [Variable<Float>]) -> Variable<Float> {
        let n = parameters.count
        return Tensors.linear(position, weight: p[n - 2], bias: p[n - 1])
    }

    /// Forward only: the position at T = 1 and the predictions for points `x`, with the forward NFE.
    public func predict(_ x: Tensor<Float>, tolerance: Double) throws -> (position: Tensor<Float>, prediction: Tensor<Float>, nfe: Int) {
        let constants = parameters.map { Variable(constant: $0) }
        let z0 = initialState(x, parameters: constants).value
        let counter = EvaluationCounter()
        let field = vectorField(counter: counter)
        let solution = try solve(
            { t, y in try field(t, y) }, y0: z0, times: [0, 1], method: .dopri5,
            controller: .adaptive(rtol: tolerance, atol: tolerance))
        let position = self.position(Variable(constant: solution.states[1]), count: x.shape[0])
        return (position.value, decode(position, parameters: constants).value, solution.statistics.functionEvaluations)
    }

    /// The loss of one full-batch step and its gradient with respect to every parameter (in order), with
    /// the forward and backward NFE of the ODE block (spec §2.7).
    public func lossAndGradient(_ x: Tensor<Float>, labels: Tensor<Float>, tolerance: Double) throws
        -> (loss: Float, gradient: [Tensor<Float>], forwardNFE: Int, backwardNFE: Int)
    {
        // 1. Initial condition on a tape (its parameters need the gradient of z0 later).
        let icTape = Tape<Float>()
        let icParameters = icTape.variables(parameters)
        let z0 = initialState(x, parameters: icParameters)
        // 2. Forward solve (no tape) and 3. the loss at T on a second tape.
        let counter = EvaluationCounter()
        let field = vectorField(counter: counter)
        let solution = try solveWithGradient(
            field, y0: z0.value, times: [0, 1], method: .dopri5,
            controller: .adaptive(rtol: tolerance, atol: tolerance), gradient: .backsolve())
        let forwardNFE = solution.statistics.functionEvaluations
        let lossTape = Tape<Float>()
        let zT = lossTape.variable(solution.states[1])
        let lossParameters = lossTape.variables(parameters)
        let loss = mseLoss(decode(position(zT, count: x.shape[0]), parameters: lossParameters), labels)
        let lossGradients = lossTape.gradients(of: loss, seed: Tensor(ones: loss.shape), wrt: [zT] + lossParameters)
        // 4. Adjoint backward through the ODE block.
        let adjoint = try solution.backward(cotangents: [nil, lossGradients[0]])
        // 5. Through the initial condition.
        let icGradients = icTape.gradients(of: z0, seed: adjoint.initialState, wrt: icParameters)
        var gradient = zip(lossGradients.dropFirst(), icGradients).map { $0 + $1 }
        for k in 0..<fieldTensorCount { gradient[k] += adjoint.parameters[k] }
        return (loss.value.scalars[0], gradient, forwardNFE, adjoint.statistics.functionEvaluations)
    }
}

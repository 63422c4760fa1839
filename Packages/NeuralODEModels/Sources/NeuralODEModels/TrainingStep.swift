import Tensors

/// What one training step cost and achieved.
public struct StepReport: Sendable, Equatable {
    /// The loss before the update.
    public var loss: Double
    /// NFE of every forward solve of the batch.
    public var forwardEvaluations: Int
    /// NFE of every backward solve of the batch.
    public var backwardEvaluations: Int
    /// Global L2 norm of the gradients before clipping.
    public var gradientNorm: Double
}

/// The loss and its gradients with respect to every parameter of `parameters`, with the solve log.
///
/// `loss` builds the forward pass from the tape image of the store (one variable per tensor, in store
/// order) and reports its solves into the log it receives.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func lossAndGradients<Scalar>(
    at parameters: ParameterStore<Scalar>,
    _ loss: ([Variable<Scalar>], SolveLog) throws -> Variable<Scalar>
) throws -> (loss: Double, gradients: [Tensor<Scalar>], log: SolveLog) {
    let tape = Tape<Scalar>()
    let variables = tape.variables(parameters.values)
    let log = SolveLog()
    let value = try SolveLog.$current.withValue(log) { try loss(variables, log) }
    precondition(value.value.count == 1, "lossAndGradients: the loss must have one element, got shape \(value.shape)")
    let gradients = tape.gradients(of: value, wrt: variables)
    if let error = log.backwardError { throw error }
    return (Double(value.value.scalars[0]), gradients, log)
}

/// One optimisation step: forward, backward (through every solve's adjoint), optional global-norm
/// clipping, and the optimiser's update (``Adam``, ``SGD``) at `learningRate`, in place on `parameters`.
/// Returns the loss and the forward/backward NFE of the batch.
///
/// Data parallelism: with a `communicator` of several processes, each process's `loss` covers its slice
/// of the batch (``Communicator/slice(ofBatch:)``) as its share of the batch's loss (e.g. the slice's
/// mean times slice size / batch size), and its solves use the communicator's
/// ``SolverConfiguration/normReduction``. The losses and gradients are then summed over the processes,
/// every process clips and updates identically, and the forward and backward NFE (the same on every
/// process, since the solves take the steps of the whole batch) are checked to agree.
///
/// - Throws: ``DataParallelError/ranksDisagree(quantity:rank:value:minimum:maximum:)`` when the processes'
///   NFE differ (their solves were not reduced alike).
@_specialize(where Scalar == Float, O == Adam<Float>)
@_specialize(where Scalar == Double, O == Adam<Double>)
public func trainingStep<Scalar, O: Optimizer>(
    parameters: inout ParameterStore<Scalar>, optimizer: inout O, learningRate: Double,
    clipNorm: Double? = nil, modelName: String = "model", iteration: Int = 0,
    communicator: (any Communicator)? = nil,
    _ loss: ([Variable<Scalar>], SolveLog) throws -> Variable<Scalar>
) throws -> StepReport where O.Scalar == Scalar {
    var (value, gradients, log) = try lossAndGradients(at: parameters, loss)
    if let communicator, communicator.size > 1 {
        communicator.sumGradients(&gradients, loss: &value)
        try communicator.checkAgreement(
            on: UInt64(log.forwardEvaluations) << 32 | UInt64(log.backwardEvaluations),
            quantity: "forward/backward NFE of \(modelName) at iteration \(iteration)")
    }
    guard value.isFinite else { throw ModelError.nonFiniteLoss(model: modelName, iteration: iteration) }
    let norm: Double
    if let clipNorm {
        norm = clipGradientNorm(&gradients, maxNorm: clipNorm)
    } else {
        norm = gradients.reduce(0.0) { $0 + Double($1.squaredNorm) }.squareRoot()
    }
    optimizer.learningRate = learningRate
    optimizer.update(&parameters, gradients: gradients)
    return StepReport(loss: value, forwardEvaluations: log.forwardEvaluations, backwardEvaluations: log.backwardEvaluations, gradientNorm: norm)
}

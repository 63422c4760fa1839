import Adjoint
import Foundation
import Metrics
import NeuralODEModels
import ODESolvers
import ReproductionKit
import Tensors

/// What the shared epoch loop measured over all families of one long experiment.
public struct FamilyEpochResults: Sendable {
    /// Per-epoch history of each family (the completed epochs when a family stopped early).
    public var histories: [ModelFamily: [EpochRecord]] = [:]
    /// Scalar parameter count of each family's model.
    public var parameterCounts: [ModelFamily: Int] = [:]
    /// Why a family stopped early, for the report.
    public var failures: [ModelFamily: String] = [:]

    /// The test loss a family logged at `epoch` (0-based), as a one-run measurement; `nil` when that epoch
    /// was not reached or not tested (how the reports compare with the official logs' epoch columns).
    public func testLoss(_ family: ModelFamily, atEpoch epoch: Int) -> MeanAndDeviation? {
        histories[family]?.first { $0.epoch == epoch }?.testLoss.map { MeanAndDeviation([$0]) }
    }
}

/// What the epoch loop measured for one family: a sweep unit's result (its `result.json`).
public struct FamilyEpochOutcome: Codable, Sendable {
    /// The family trained.
    public var family: ModelFamily
    /// Its per-epoch history (the completed epochs when it stopped early).
    public var history: [EpochRecord]
    /// Scalar parameter count of its model.
    public var parameterCount: Int
    /// Why it stopped early, for the report.
    public var failure: String?
}

extension FamilyEpochResults {
    /// The results of several families' outcomes (a merge of sweep units).
    public init(_ outcomes: [FamilyEpochOutcome]) {
        self.init()
        for outcome in outcomes {
            histories[outcome.family] = outcome.history
            parameterCounts[outcome.family] = outcome.parameterCount
            if let failure = outcome.failure { failures[outcome.family] = failure }
        }
    }
}

/// The epoch loop shared by the plane-vibration, Walker2D and image experiments: one model per family
/// trained for `epochs` epochs with Adam, optional gradient clipping, an evaluation hook after each epoch,
/// the epoch log, a checkpoint after every epoch and every `checkpointInterval` seconds within an epoch
/// (so `--resume` continues bit-for-bit, even in the middle of an hour-long MNIST epoch) and progress with
/// ETA. A numerical failure (a diverged or failed solve, a non-finite loss) ends that family only and is
/// returned for the report; any other error (a log or checkpoint that cannot be written) stops the run.
///
/// The checkpoint is the commit point of an epoch: a resume rewrites the epoch log from the checkpoint's
/// history, so a kill between an epoch's log row and its checkpoint never duplicates or loses a row.
///
/// - Parameters:
///   - label: Prefix of the console messages (`plane vibration`, `walker`, `mnist`).
///   - checkpointInterval: Seconds of training between checkpoints within an epoch.
///   - makeModel: A freshly initialised model of a family.
///   - learningRate: The family's learning-rate policy.
///   - batches: The training batches of an epoch, in order: a pure function of the epoch index.
///   - loss: A batch's loss on the tape for the model's structure and parameter images `p`, and the
///     batch accuracy for classifiers (`nil` otherwise).
///   - evaluate: Fills the evaluation fields of an epoch's record (each experiment decides when).
///   - summary: The one-line progress summary of a finished epoch.
///   - communicator: The ranks of a data-parallel run (``DataParallelRun``): `loss` then returns this
///     rank's share of the batch's loss and accuracy, which every step sums over the ranks.
public func trainFamiliesByEpoch<Model: EpochTrainableModel, Batch, Configuration: Encodable>(
    label: String, families: [ModelFamily], seed: UInt64, epochs: Int, clipNorm: Double?, batchesPerEpoch: Int,
    configuration: Configuration, run: RunDirectory, resume: Bool, checkpointInterval: Double = defaultCheckpointInterval,
    makeModel: (ModelFamily) -> Model,
    learningRate: (ModelFamily) -> LearningRatePolicy,
    batches: (_ epoch: Int) -> [Batch],
    loss: (_ model: Model, _ batch: Batch, _ p: [Variable<Float>], _ log: SolveLog) throws -> (loss: Variable<Float>, accuracy: Double?),
    evaluate: (_ model: Model, _ epoch: Int, _ record: inout EpochRecord) throws -> Void,
    summary: (_ family: ModelFamily, _ record: EpochRecord) -> String,
    communicator: (any Communicator)? = nil
) throws -> FamilyEpochResults {
    var progress = ProgressReporter(totalEpochs: families.count * epochs, batchesPerEpoch: batchesPerEpoch)
    progress.epochsPerRun = epochs
    var outcomes: [FamilyEpochOutcome] = []
    for (familyIndex, family) in families.enumerated() {
        outcomes.append(try trainFamilyByEpoch(
            label: label, family: family, seed: seed, epochs: epochs, clipNorm: clipNorm, batchesPerEpoch: batchesPerEpoch,
            configuration: configuration, run: run, resume: resume, checkpointInterval: checkpointInterval,
            progress: &progress, progressOffset: familyIndex * epochs, makeModel: makeModel, learningRate: learningRate,
            batches: batches, loss: loss, evaluate: evaluate, summary: summary, communicator: communicator))
    }
    progress.finish()
    return FamilyEpochResults(outcomes)
}

/// One family of `trainFamiliesByEpoch` (a sweep unit's training), reporting to `progress` at epochs `progressOffset ..< progressOffset + epochs`.
/// With `communicator`, every rank trains on its share of each batch (see `trainFamiliesByEpoch`).
public func trainFamilyByEpoch<Model: EpochTrainableModel, Batch, Configuration: Encodable>(
    label: String, family: ModelFamily, seed: UInt64, epochs: Int, clipNorm: Double?, batchesPerEpoch: Int,
    configuration: Configuration, run: RunDirectory, resume: Bool, checkpointInterval: Double = defaultCheckpointInterval,
    progress: inout ProgressReporter, progressOffset: Int = 0,
    makeModel: (ModelFamily) -> Model,
    learningRate: (ModelFamily) -> LearningRatePolicy,
    batches: (_ epoch: Int) -> [Batch],
    loss: (_ model: Model, _ batch: Batch, _ p: [Variable<Float>], _ log: SolveLog) throws -> (loss: Variable<Float>, accuracy: Double?),
    evaluate: (_ model: Model, _ epoch: Int, _ record: inout EpochRecord) throws -> Void,
    summary: (_ family: ModelFamily, _ record: EpochRecord) -> String,
    communicator: (any Communicator)? = nil
) throws -> FamilyEpochOutcome {
    progress.runName = family.rawValue
    var model = makeModel(family)
    let parameterCount = model.parameterCount
    var failure: String?
    let policy = learningRate(family)
    var optimizer = Adam<Float>(learningRate: policy.schedule.rate(at: 0))
    var history: [EpochRecord] = []
    var iteration = 0
    var partial: PartialEpoch?
    let loop = EpochLoop(run: run, tag: "\(family.rawValue)-seed\(seed)", configuration: configuration,
                         layout: EpochCheckpoint.layout(of: model))
    if resume, let saved = try loop.store.load() {
        try saved.validate(for: model, family: family.rawValue, seed: seed, epochs: epochs, batchesPerEpoch: batchesPerEpoch,
                           path: loop.store.url.path)
        for k in saved.parameters.indices {
            model.parameters.values[k] = Tensor(shape: model.parameters.values[k].shape, scalars: saved.parameters[k])
        }
        optimizer = saved.optimizer
        history = saved.history
        iteration = saved.iteration
        partial = saved.partialEpoch
        let within = partial.map { " and \($0.batchesDone) of \(batchesPerEpoch) batches of epoch \(saved.completedEpochs + 1)" } ?? ""
        print("\(label): \(family.rawValue) resumes after epoch \(saved.completedEpochs)\(within)")
    }
    let log = try loop.openLog(family: family, history: history)
    func checkpoint(_ partialEpoch: PartialEpoch?) throws {
        try loop.store.save(EpochCheckpoint(
            family: family.rawValue, seed: seed, completedEpochs: history.count,
            parameters: model.parameters.values.map(\.scalars), optimizer: optimizer, iteration: iteration,
            history: history, partialEpoch: partialEpoch))
    }
    do {
        for epoch in history.count..<epochs {
            if policy.resetsOptimizer(atEpoch: epoch) && partial == nil { optimizer.reset() }
            var done = partial ?? PartialEpoch(batchesDone: 0, losses: RunningStatistics(), accuracies: RunningStatistics(),
                                               nfe: NFEMeter(), seconds: 0)
            partial = nil
            let stopwatch = Stopwatch()
            var lastCheckpoint = stopwatch.elapsed
            for (b, batch) in batches(epoch).enumerated() where b >= done.batchesDone {
                // The loss closure reads the structure of the model as it was before this step's update.
                let structure = model
                var accuracy: Double?
                let report = try trainingStep(
                    parameters: &model.parameters, optimizer: &optimizer, learningRate: policy.rate(epoch: epoch, iteration: iteration),
                    clipNorm: clipNorm, modelName: model.name, iteration: iteration, communicator: communicator
                ) { p, log in
                    let value = try loss(structure, batch, p, log)
                    accuracy = value.accuracy
                    return value.loss
                }
                if let communicator, communicator.size > 1, let share = accuracy {
                    // Each rank's accuracy is its share of the batch's: their sum is the batch's.
                    accuracy = communicator.summed([share])[0]
                }
                iteration += 1
                done.batchesDone = b + 1
                done.losses.add(report.loss)
                if let accuracy { done.accuracies.add(accuracy) }
                done.nfe.addForward(report.forwardEvaluations)
                done.nfe.addBackward(report.backwardEvaluations)
                done.nfe.endBatch()
                progress.update(epoch: progressOffset + epoch, batch: b, loss: report.loss,
                                nfe: NFECounts(forward: report.forwardEvaluations, backward: report.backwardEvaluations))
                if stopwatch.elapsed - lastCheckpoint >= checkpointInterval && done.batchesDone < batchesPerEpoch {
                    var snapshot = done
                    snapshot.seconds += stopwatch.elapsed
                    try checkpoint(snapshot)
                    lastCheckpoint = stopwatch.elapsed
                }
            }
            let epochNFE = done.nfe.endEpoch()
            var record = EpochRecord(
                epoch: epoch, trainLoss: done.losses.count == 0 ? .nan : done.losses.mean,
                trainAccuracy: done.accuracies.count == 0 ? nil : done.accuracies.mean,
                forwardNFE: epochNFE.batches == 0 ? .nan : epochNFE.meanForwardPerBatch,
                backwardNFE: epochNFE.batches == 0 ? .nan : epochNFE.meanBackwardPerBatch,
                epochSeconds: done.seconds + stopwatch.elapsed)
            try evaluate(model, epoch, &record)
            history.append(record)
            try loop.log(record, to: log)
            try checkpoint(nil)
            progress.endEpoch(progressOffset + epoch, summary: summary(family, record))
        }
    } catch where isNumericalFailure(error) {
        // A diverged or failed solve ends this family only; the report names the failure.
        failure = "epoch \(history.count + 1): \(error)"
        print("\(label): \(family.rawValue) stopped in epoch \(history.count + 1): \(error)")
    }
    return FamilyEpochOutcome(family: family, history: history, parameterCount: parameterCount, failure: failure)
}

/// Seconds of training between the checkpoints taken within an epoch: a kill loses at most this much work,
/// and a save (milliseconds for these models) costs nothing next to it.
public let defaultCheckpointInterval: Double = 300

/// Whether `error` is the model's own failure (a solve that failed or diverged, a non-finite loss), which
/// ends one family's training, rather than the run's (I/O, a bad checkpoint), which must stop the run.
func isNumericalFailure(_ error: any Error) -> Bool {
    error is ModelError || error is ODESolverError || error is AdjointError || error is LinearAlgebraError
}

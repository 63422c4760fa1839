import Foundation
import Metrics
import NeuralODEModels
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

/// The epoch loop shared by the plane-vibration, Walker2D and image experiments: one model per family
/// trained for `epochs` epochs with Adam, optional gradient clipping, an evaluation hook after each epoch,
/// the epoch log, a checkpoint after every epoch (so `--resume` continues bit-for-bit) and progress with
/// ETA. A failed or diverged solve ends that family only; its failure is returned for the report.
///
/// - Parameters:
///   - label: Prefix of the console messages (`plane vibration`, `walker`, `mnist`).
///   - makeModel: A freshly initialised model of a family.
///   - learningRate: The family's learning-rate policy.
///   - batches: The training batches of an epoch, in order.
///   - loss: A batch's loss on the tape for the model's structure and parameter images `p`, and the
///     batch accuracy for classifiers (`nil` otherwise).
///   - evaluate: Fills the evaluation fields of an epoch's record (each experiment decides when).
///   - summary: The one-line progress summary of a finished epoch.
public func trainFamiliesByEpoch<Model: EpochTrainableModel, Batch, Configuration: Encodable>(
    label: String, families: [ModelFamily], seed: UInt64, epochs: Int, clipNorm: Double?, batchesPerEpoch: Int,
    configuration: Configuration, run: RunDirectory, resume: Bool,
    makeModel: (ModelFamily) -> Model,
    learningRate: (ModelFamily) -> LearningRatePolicy,
    batches: (_ epoch: Int) -> [Batch],
    loss: (_ model: Model, _ batch: Batch, _ p: [Variable<Float>], _ log: SolveLog) throws -> (loss: Variable<Float>, accuracy: Double?),
    evaluate: (_ model: Model, _ epoch: Int, _ record: inout EpochRecord) throws -> Void,
    summary: (_ family: ModelFamily, _ record: EpochRecord) -> String
) throws -> FamilyEpochResults {
    var results = FamilyEpochResults()
    var progress = ProgressReporter(totalEpochs: families.count * epochs, batchesPerEpoch: batchesPerEpoch)
    for (familyIndex, family) in families.enumerated() {
        var model = makeModel(family)
        results.parameterCounts[family] = model.parameterCount
        let policy = learningRate(family)
        var optimizer = Adam<Float>(learningRate: policy.schedule.rate(at: 0))
        var history: [EpochRecord] = []
        var iteration = 0
        let loop = EpochLoop(run: run, tag: "\(family.rawValue)-seed\(seed)", configuration: configuration)
        if resume, let saved = try loop.store.load() {
            for k in saved.parameters.indices {
                model.parameters.values[k] = Tensor(shape: model.parameters.values[k].shape, scalars: saved.parameters[k])
            }
            optimizer = saved.optimizer
            history = saved.history
            iteration = saved.iteration
            print("\(label): \(family.rawValue) resumes after epoch \(saved.completedEpochs)")
        }
        let log = try run.openLog("\(family.rawValue)-epochs", columns: EpochLoop.columns, resume: resume && !history.isEmpty)
        do {
            for epoch in history.count..<epochs {
                if policy.resetsOptimizer(atEpoch: epoch) { optimizer.reset() }
                var losses = RunningStatistics(), accuracies = RunningStatistics()
                var nfe = NFEMeter()
                let stopwatch = Stopwatch()
                for (b, batch) in batches(epoch).enumerated() {
                    // The loss closure reads the structure of the model as it was before this step's update.
                    let structure = model
                    var accuracy: Double?
                    let report = try trainingStep(
                        parameters: &model.parameters, optimizer: &optimizer, learningRate: policy.rate(epoch: epoch, iteration: iteration),
                        clipNorm: clipNorm, modelName: model.name, iteration: iteration
                    ) { p, log in
                        let value = try loss(structure, batch, p, log)
                        accuracy = value.accuracy
                        return value.loss
                    }
                    iteration += 1
                    losses.add(report.loss)
                    if let accuracy { accuracies.add(accuracy) }
                    nfe.addForward(report.forwardEvaluations)
                    nfe.addBackward(report.backwardEvaluations)
                    nfe.endBatch()
                    progress.update(epoch: familyIndex * epochs + epoch, batch: b, loss: report.loss,
                                    nfe: NFECounts(forward: report.forwardEvaluations, backward: report.backwardEvaluations))
                }
                let epochNFE = nfe.endEpoch()
                var record = EpochRecord(
                    epoch: epoch, trainLoss: losses.count == 0 ? .nan : losses.mean,
                    trainAccuracy: accuracies.count == 0 ? nil : accuracies.mean,
                    forwardNFE: epochNFE.batches == 0 ? .nan : epochNFE.meanForwardPerBatch,
                    backwardNFE: epochNFE.batches == 0 ? .nan : epochNFE.meanBackwardPerBatch,
                    epochSeconds: stopwatch.elapsed)
                try evaluate(model, epoch, &record)
                history.append(record)
                try loop.log(record, to: log)
                try loop.store.save(EpochCheckpoint(
                    family: family.rawValue, seed: seed, completedEpochs: epoch + 1,
                    parameters: model.parameters.values.map(\.scalars), optimizer: optimizer, iteration: iteration, history: history))
                progress.endEpoch(familyIndex * epochs + epoch, summary: summary(family, record))
            }
        } catch {
            // A diverged or failed solve ends this family only; the report names the failure.
            results.failures[family] = "epoch \(history.count): \(error)"
            print("\(label): \(family.rawValue) stopped at epoch \(history.count): \(error)")
        }
        results.histories[family] = history
    }
    progress.finish()
    return results
}

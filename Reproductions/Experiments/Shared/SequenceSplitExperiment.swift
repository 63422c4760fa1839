import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit
import Tensors

/// What every configuration of a ``SequenceSplitExperiment`` has.
protocol SequenceSplitConfiguration: Encodable {
    /// Families run, one unit each.
    var families: [ModelFamily] { get }
    /// Initialisation seed (one run per family).
    var seed: UInt64 { get }
    /// Epochs.
    var epochs: Int { get }
    /// Global gradient-norm clip.
    var clipNorm: Double { get }
    /// How every solve runs and is differentiated.
    var solver: SolverConfiguration { get }
    /// Training batch size (file order).
    var batchSize: Int { get }
    /// Training sequences used (`nil` = all).
    var trainLimit: Int? { get }
    /// Validation and test sequences used (`nil` = all).
    var evaluationLimit: Int? { get }
}

/// An experiment that trains one ODE-RNN hybrid per family, epoch by epoch, on a data set of sequences split
/// into training, validation and test sets (plane vibration, Walker2D). The conforming type declares what
/// differs (data, model, loss, schedule, when to evaluate, the report); its sweep units, their training with
/// per-epoch checkpoints and the merge of the unit folders into the report are shared here.
protocol SequenceSplitExperiment {
    associatedtype Configuration: SequenceSplitConfiguration
    associatedtype Split: SequenceSplit
    associatedtype Batch

    /// The experiment's folder name under `section-5/`.
    static var folder: String { get }
    /// The name in progress lines and messages (`plane vibration`).
    static var label: String { get }
    /// The paper section in messages (`5.3`).
    static var section: String { get }
    /// Rough seconds per epoch over the whole training split on one core (scheduling and ETA only).
    static var secondsPerEpoch: Double { get }
    /// Training sequences in the whole split.
    static var fullTrainCount: Int { get }

    /// The configuration of a profile.
    static func configuration(profile: Profile) -> Configuration
    /// Loads the three splits.
    static func load(_ options: CommonOptions) throws -> (train: Split, valid: Split, test: Split)
    /// Gathers the sequences `indices` of a split into a batch.
    static func batch(_ split: Split, _ indices: [Int]) -> Batch
    /// A family's model, initialised from the configuration's seed.
    static func model(_ family: ModelFamily, _ configuration: Configuration) -> ODERNNModel<Float>
    /// A family's learning rate.
    static func learningRate(_ family: ModelFamily, _ configuration: Configuration) -> LearningRatePolicy
    /// The training loss of a batch on the tape.
    static func loss(
        _ model: ODERNNModel<Float>, _ batch: Batch, _ p: [Variable<Float>], solver: SolverConfiguration, _ log: SolveLog
    ) throws -> Variable<Float>
    /// The evaluation MSE and forward NFE of a whole split, on constants.
    static func evaluate(_ model: ODERNNModel<Float>, _ batch: Batch, solver: SolverConfiguration) throws -> (mse: Double, nfe: Int)
    /// Whether the validation and the test split are evaluated after `epoch`.
    static func evaluationDue(epoch: Int, _ configuration: Configuration) -> (validation: Bool, test: Bool)
    /// The line printed after an epoch.
    static func summary(_ family: ModelFamily, _ record: EpochRecord) -> String
    /// Figures and REPORT.md from the merged per-epoch histories.
    static func writeReport(
        configuration: Configuration, results: FamilyEpochResults, counts: (train: Int, valid: Int, test: Int), run: RunDirectory
    ) throws -> Report
}

extension SequenceSplitExperiment {
    /// The sweep units of a profile: one per family, each on one core.
    static func units(profile: Profile) -> [SweepUnit] {
        let configuration = configuration(profile: profile)
        let fraction = Double(configuration.trainLimit.map { min($0, fullTrainCount) } ?? fullTrainCount) / Double(fullTrainCount)
        let seconds = max(Double(configuration.epochs) * secondsPerEpoch * fraction, 1)
        return FamilyUnits.units(
            experiment: folder, families: configuration.families, seed: configuration.seed, cores: .one,
            estimatedSeconds: { _ in seconds })
    }

    /// The configuration and the batches of the options' profile and data.
    static func prepare(_ options: CommonOptions) throws -> (Configuration, SequenceSplitBatches<Batch>) {
        let configuration = configuration(profile: options.profile)
        let data = try load(options)
        let batches = SequenceSplitBatches(
            train: data.train, valid: data.valid, test: data.test, trainLimit: configuration.trainLimit,
            evaluationLimit: configuration.evaluationLimit, batchSize: configuration.batchSize, gather: batch)
        return (configuration, batches)
    }

    /// Trains one unit's family (resuming from its per-epoch checkpoint with `--resume`) in its unit folder.
    static func runUnit(_ unit: SweepUnit, options: CommonOptions) throws {
        let (configuration, batches) = try prepare(options)
        try FamilyUnits.run(
            unit, options: options, configuration: configuration, families: configuration.families, seed: configuration.seed,
            epochs: configuration.epochs, batchesPerEpoch: batches.train.count
        ) { family, run, progress in
            try trainFamilyByEpoch(
                label: label, family: family, seed: configuration.seed, epochs: configuration.epochs,
                clipNorm: configuration.clipNorm, batchesPerEpoch: batches.train.count, configuration: configuration, run: run,
                resume: options.resume, progress: &progress,
                makeModel: { model($0, configuration) },
                learningRate: { learningRate($0, configuration) },
                batches: { _ in batches.train },
                loss: { model, batch, p, log in (try loss(model, batch, p, solver: configuration.solver, log), nil) },
                evaluate: { model, epoch, record in
                    let due = evaluationDue(epoch: epoch, configuration)
                    try batches.evaluate(into: &record, validation: due.validation, test: due.test) {
                        try evaluate(model, $0, solver: configuration.solver)
                    }
                },
                summary: summary)
        }
    }

    /// Builds `<output>/section-5/<folder>/` (epoch logs, figures, REPORT.md) from the finished unit folders.
    @discardableResult
    static func merge(options: CommonOptions) throws -> Report {
        let (configuration, batches) = try prepare(options)
        let (results, run) = try FamilyUnits.merge(
            experiment: folder, options: options, configuration: configuration, families: configuration.families,
            seed: configuration.seed, cores: .one)
        let report = try writeReport(configuration: configuration, results: results,
                                     counts: (batches.trainCount, batches.validCount, batches.testCount), run: run)
        print("section \(section): wrote \(run.url.path)/REPORT.md")
        return report
    }
}

import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit
import Tensors

/// One epoch's measurements of a long experiment (MNIST, CIFAR-10, plane vibration, Walker2D).
public struct EpochRecord: Codable, Sendable {
    /// Epoch index (0-based).
    public var epoch: Int
    /// Mean training loss per batch.
    public var trainLoss: Double
    /// Mean training accuracy (classification only).
    public var trainAccuracy: Double?
    /// Mean forward NFE per batch.
    public var forwardNFE: Double
    /// Mean backward NFE per batch.
    public var backwardNFE: Double
    /// Wall-clock seconds of the training part of the epoch.
    public var epochSeconds: Double
    /// Validation loss, when evaluated this epoch.
    public var validLoss: Double?
    /// Test loss, when evaluated this epoch.
    public var testLoss: Double?
    /// Test accuracy, when evaluated this epoch (classification only).
    public var testAccuracy: Double?
    /// Mean NFE per test batch, when evaluated this epoch.
    public var testNFE: Double?
}

/// What a long experiment checkpoints after every epoch, and every few minutes within a long epoch:
/// everything needed to continue bit-for-bit.
public struct EpochCheckpoint: Codable, Sendable {
    /// Family trained.
    public var family: String
    /// Seed of the initialisation.
    public var seed: UInt64
    /// Epochs completed.
    public var completedEpochs: Int
    /// Parameter values in the model's store order.
    public var parameters: [[Float]]
    /// Optimiser state (moments and step).
    public var optimizer: Adam<Float>
    /// Training iterations done (for per-iteration schedules).
    public var iteration: Int
    /// Per-epoch history so far: exactly the rows the epoch log holds once this checkpoint is the last
    /// one written (a resume rewrites the log from it, so the two always agree).
    public var history: [EpochRecord]
    /// The epoch in progress when the checkpoint was taken within an epoch; `nil` at an epoch boundary.
    public var partialEpoch: PartialEpoch?
}

/// How far the epoch in progress had come when a checkpoint was taken within it. The epoch's batches
/// are a pure function of the epoch index, so the count of finished batches locates the next one.
public struct PartialEpoch: Codable, Sendable, Equatable {
    /// Batches of the epoch already trained.
    public var batchesDone: Int
    /// Losses of those batches.
    public var losses: RunningStatistics
    /// Batch accuracies of those batches (classifiers only).
    public var accuracies: RunningStatistics
    /// NFE sums of those batches.
    public var nfe: NFEMeter
    /// Training seconds spent on those batches (in earlier processes when resumed).
    public var seconds: Double
}

/// Training-loop plumbing shared by the long experiments: per-epoch checkpoints, `--resume`, the epoch
/// log and progress with ETA.
public struct EpochLoop {
    /// The run folder.
    public let run: RunDirectory
    /// Family and seed being trained (checkpoint and log names).
    public let tag: String
    /// Checkpoint store of this family/seed.
    public let store: CheckpointStore<EpochCheckpoint>

    /// A loop for `tag` in `run`, checkpointing under the configuration's fingerprint.
    public init<Configuration: Encodable>(run: RunDirectory, tag: String, configuration: Configuration) {
        self.run = run
        self.tag = tag
        store = CheckpointStore(run: run, name: tag, fingerprint: configurationFingerprint(configuration))
    }

    /// The epoch log columns.
    public static let columns = ["epoch", "train_loss", "train_accuracy", "forward_nfe", "backward_nfe", "epoch_seconds",
                                 "valid_loss", "test_loss", "test_accuracy", "test_nfe"]

    /// The epoch log's name (`<family>-epochs`, without extension).
    public static func logName(family: ModelFamily) -> String { "\(family.rawValue)-epochs" }

    /// Opens the epoch log. A fresh run starts it empty; a resumed run rewrites it from the checkpoint's
    /// history, which drops any row of an epoch whose checkpoint was never written (a kill between the
    /// log row and the checkpoint) and restores one cut short, so the log never repeats or skips an epoch.
    public func openLog(family: ModelFamily, history: [EpochRecord]) throws -> RunLog {
        let log = try run.openLog(Self.logName(family: family), columns: Self.columns, resume: false)
        for record in history { try self.log(record, to: log) }
        return log
    }

    /// Appends one epoch to `<tag>-epochs.csv/.jsonl`.
    public func log(_ record: EpochRecord, to log: RunLog) throws {
        func value(_ x: Double?) -> LogValue { x.map { .double($0) } ?? .string("") }
        try log.append(LogRecord([
            ("epoch", .int(record.epoch)), ("train_loss", .double(record.trainLoss)), ("train_accuracy", value(record.trainAccuracy)),
            ("forward_nfe", .double(record.forwardNFE)), ("backward_nfe", .double(record.backwardNFE)),
            ("epoch_seconds", .double(record.epochSeconds)), ("valid_loss", value(record.validLoss)),
            ("test_loss", value(record.testLoss)), ("test_accuracy", value(record.testAccuracy)), ("test_nfe", value(record.testNFE)),
        ]))
    }
}

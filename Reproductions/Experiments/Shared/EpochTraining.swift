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

/// What a long experiment checkpoints after every epoch: everything needed to continue bit-for-bit.
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
    /// Per-epoch history so far.
    public var history: [EpochRecord]
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

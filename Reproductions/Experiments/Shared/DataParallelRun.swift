import Foundation
import MPICommunicator
import NeuralODEModels
import ReproductionKit

/// One rank's view of a data-parallel run (`--data-parallel` under `mpirun`): every rank trains the same
/// model on its slice of every batch, the solves take the steps of the whole batch (the communicator's
/// norm reduction), losses, gradients and accuracy counts are summed, and only rank 0 (the leader)
/// writes the run's folder and prints.
public struct DataParallelRun: Sendable {
    /// The command-line flag that asks for it.
    public static let option = "--data-parallel"
    /// The ranks.
    public let communicator: any Communicator

    /// A run over `communicator`.
    public init(communicator: any Communicator) {
        self.communicator = communicator
    }

    /// The world of the `mpirun` launch this process belongs to.
    ///
    /// - Throws: ``DataParallelError/mpiUnavailable(option:)`` in a build without the MPI trait,
    ///   ``DataParallelError/notLaunchedInParallel(option:size:)`` outside a launch of two or more ranks.
    public static func world() throws(DataParallelError) -> DataParallelRun {
        let world = try MPIRuntime.world(option: option)
        guard world.size > 1 else { throw .notLaunchedInParallel(option: option, size: world.size) }
        return DataParallelRun(communicator: world)
    }

    /// Rank 0, which writes logs, checkpoints, figures and reports.
    public var isLeader: Bool { communicator.rank == 0 }

    /// This rank's elements of a batch (a contiguous slice by position).
    public func localPart<Batch: Collection>(of batch: Batch) -> [Batch.Element] {
        let rows = communicator.slice(ofBatch: batch.count)
        return Array(batch.dropFirst(rows.lowerBound).prefix(rows.count))
    }

    /// The fraction of a batch of `count` this rank computes (its share of a batch mean).
    public func share(ofBatch count: Int) -> Double {
        Double(communicator.slice(ofBatch: count).count) / Double(count)
    }

    /// `solver` with the norm reduction over the ranks.
    public func solver(_ solver: SolverConfiguration) -> SolverConfiguration {
        var reduced = solver
        reduced.normReduction = communicator.normReduction
        return reduced
    }

    /// Checks at start-up that every rank runs the same configuration (its fingerprint, as in
    /// checkpoints) and can give every rank a sample of each batch.
    ///
    /// - Throws: ``DataParallelError/ranksDisagree(quantity:rank:value:minimum:maximum:)``,
    ///   ``DataParallelError/batchTooSmall(batch:ranks:)``.
    public func checkConfiguration<Configuration: Encodable>(_ configuration: Configuration, batchSize: Int) throws(DataParallelError) {
        let fingerprint = UInt64(configurationFingerprint(configuration), radix: 16) ?? 0
        try communicator.checkAgreement(on: fingerprint, quantity: "configuration fingerprint")
        guard batchSize >= communicator.size else { throw .batchTooSmall(batch: batchSize, ranks: communicator.size) }
    }

    /// The output root of this rank: the given one for the leader; a private temporary folder for the
    /// others, whose copies of the logs and checkpoints nobody reads (removed by ``finish(outputRoot:)``).
    public func outputRoot(_ root: String) -> String {
        isLeader ? root : NSTemporaryDirectory() + "hbnode-rank\(communicator.rank)-\(getpid())"
    }

    /// Removes a non-leader's private output root.
    public func finish(outputRoot root: String) {
        if !isLeader { try? FileManager.default.removeItem(atPath: root) }
    }
}

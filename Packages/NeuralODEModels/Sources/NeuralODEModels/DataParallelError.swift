/// Why data-parallel training cannot start or continue. Each message names the option, rank or quantity.
public enum DataParallelError: Error, CustomStringConvertible, Equatable {
    /// Data parallelism was asked for (`option`) but this build has no MPI binding.
    case mpiUnavailable(option: String)
    /// Data parallelism was asked for outside a multi-process launch (`size` processes).
    case notLaunchedInParallel(option: String, size: Int)
    /// The processes passed different values of `quantity` (a configuration fingerprint at start-up, the
    /// NFE of a step): they would not train the same model.
    case ranksDisagree(quantity: String, rank: Int, value: UInt64, minimum: UInt64, maximum: UInt64)
    /// A batch of `batch` samples cannot give each of `ranks` processes a sample.
    case batchTooSmall(batch: Int, ranks: Int)
    /// An option (or a use of the data-parallel option) that data-parallel training does not support.
    case unsupportedOption(option: String, reason: String)

    /// One line naming the cause and what to do.
    public var description: String {
        switch self {
        case .mpiUnavailable(let option):
            return "\(option) needs MPI, but this build has none: install Open MPI (`make deps-mpi`) and build with `--traits MPI`"
        case .notLaunchedInParallel(let option, let size):
            return "\(option) runs one process per rank under mpirun (e.g. `mpirun -np 2 …`); this launch has \(size) process"
        case .ranksDisagree(let quantity, let rank, let value, let minimum, let maximum):
            return "the ranks disagree on the \(quantity): rank \(rank) has \(String(value, radix: 16)), the ranks range from \(String(minimum, radix: 16)) to \(String(maximum, radix: 16))"
        case .batchTooSmall(let batch, let ranks):
            return "a batch of \(batch) cannot be split over \(ranks) ranks (each needs at least one sample)"
        case .unsupportedOption(let option, let reason):
            return "\(option): \(reason)"
        }
    }
}

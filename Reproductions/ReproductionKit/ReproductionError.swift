import Foundation

/// Recoverable failures of a reproduction run (missing data, unreadable checkpoints, I/O).
public enum ReproductionError: Error, CustomStringConvertible, Equatable {
    /// No data directory holds the named file; lists every place that was searched.
    case dataNotFound(file: String, searched: [String])
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A checkpoint exists but cannot be decoded or does not belong to this configuration.
    case badCheckpoint(path: String, reason: String)
    /// The command line asked for something the section cannot do.
    case invalidOption(String)

    /// A message naming the file or option at fault.
    public var description: String {
        switch self {
        case let .dataNotFound(file, searched):
            return "data file \(file) not found; searched: \(searched.joined(separator: ", ")). "
                + "Run `make data` (or `make data DATA_MIRROR=dir`) or pass --data DIR."
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        case let .badCheckpoint(path, reason): return "checkpoint \(path) is unusable: \(reason)"
        case let .invalidOption(message): return "invalid option: \(message)"
        }
    }
}

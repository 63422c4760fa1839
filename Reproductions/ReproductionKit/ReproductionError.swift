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
    /// The output folder's file system has less free space than a run needs.
    case insufficientSpace(path: String, availableBytes: Int64, neededBytes: Int64)
    /// Another process holds the output folder's lock (`pid` is `nil` when it has not written it yet).
    case folderInUse(path: String, pid: Int32?)
    /// `--resume` was asked for a folder whose `config.json` records other settings.
    case incompatibleConfiguration(path: String, reason: String)

    /// A message naming the file or option at fault.
    public var description: String {
        switch self {
        case let .dataNotFound(file, searched):
            return "data file \(file) not found; searched: \(searched.joined(separator: ", ")). "
                + "Run `make data` (or `make data DATA_MIRROR=dir`) or pass --data DIR."
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        case let .badCheckpoint(path, reason): return "checkpoint \(path) is unusable: \(reason)"
        case let .invalidOption(message): return "invalid option: \(message)"
        case let .insufficientSpace(path, available, needed):
            return "not enough free space for \(path): \(megabytes(available)) free, a run needs at least \(megabytes(needed)); "
                + "free some space or pass another --output"
        case let .folderInUse(path, pid):
            return "\(path) is in use by another run" + (pid.map { " (pid \($0))" } ?? "")
                + "; wait for it to finish, stop it, or pass another --output"
        case let .incompatibleConfiguration(path, reason):
            return "cannot resume in \(path): \(reason); run without --resume to start over, or pass another --output"
        }
    }
}

/// Bytes as megabytes with one decimal, for messages.
private func megabytes(_ bytes: Int64) -> String {
    String(format: "%.1f MB", Double(bytes) / 1_000_000)
}

/// Why a sweep (``UnitProcessPool``, a merge, a `--unit` run) stopped.
public enum SweepError: Error, Equatable, CustomStringConvertible {
    /// One child process of a sweep ended unsuccessfully.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        /// The unit it ran.
        public var unit: String
        /// Its exit status, or the signal that ended it (`signal` true).
        public var status: Int32
        /// Whether `status` is a signal number.
        public var signal: Bool
        /// The file holding its output.
        public var log: String

        /// Creates a failure record.
        public init(unit: String, status: Int32, signal: Bool, log: String) {
            self.unit = unit
            self.status = status
            self.signal = signal
            self.log = log
        }

        /// `unit pv/node-seed0 exited with status 1 (log: …)`.
        public var description: String {
            "unit \(unit) " + (signal ? "was killed by signal \(status)" : "exited with status \(status)") + " (log: \(log))"
        }
    }

    /// Child processes failed; the others ran to the end and their results are kept.
    case unitsFailed([Failure])
    /// A merge found units without a result (not run yet, still running, or interrupted).
    case unfinishedUnits(experiment: String, units: [String], folder: String)
    /// `--unit` named no unit of this section.
    case unknownUnit(String, known: [String])
    /// The sweep was stopped by a signal; its children were stopped too.
    case interrupted(signal: Int32)
    /// A child process could not be started.
    case cannotStart(unit: String, reason: String)

    /// A message naming the units, logs or folders at fault.
    public var description: String {
        switch self {
        case let .unitsFailed(failures):
            return "\(failures.count) unit(s) failed; the other units' results are kept and `--resume` reruns only the unfinished ones:\n"
                + failures.map { "  " + $0.description }.joined(separator: "\n")
        case let .unfinishedUnits(experiment, units, folder):
            let shown = units.prefix(8).joined(separator: ", ") + (units.count > 8 ? ", … (\(units.count) in all)" : "")
            return "cannot merge \(experiment): \(units.count) unit(s) have no result in \(folder)/units/ (\(shown)); "
                + "run the missing shards (or the same command with --resume) first"
        case let .unknownUnit(id, known):
            return "--unit \(id) is no unit of this section; units look like \(known.prefix(3).joined(separator: ", "))"
        case let .interrupted(signal):
            return "sweep stopped by signal \(signal); its child processes were stopped; `--resume` continues from the last checkpoints"
        case let .cannotStart(unit, reason):
            return "cannot start unit \(unit): \(reason)"
        }
    }
}

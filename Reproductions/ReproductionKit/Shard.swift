import ArgumentParser

/// Which part of an experiment's independent units (one family × seed × tolerance … each) this process
/// runs, so that a sweep can be spread over a Slurm job array or the ranks of an `mpirun`.
///
/// Units are dealt round-robin: unit `k` of an experiment's fixed unit list belongs to shard `k mod count`.
/// Dealing (rather than cutting the list into blocks) spreads every family over every shard, so shards
/// of a sweep whose families differ in cost take about the same time. The assignment depends only on
/// the unit list and the shard, never on timing, so a unit's results are the same whichever shard ran it.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByArgument {
    /// This shard's position, `0 ..< count`.
    public let index: Int
    /// Number of shards the units are dealt to.
    public let count: Int

    /// The whole experiment in one process.
    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    /// Shard `index` of `count`.
    ///
    /// - Throws: ``ShardError/invalid(_:)`` unless `count ≥ 1` and `0 ≤ index < count`.
    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1, (0..<count).contains(index) else {
            throw .invalid("shard \(index)/\(count): need a count of at least 1 and 0 ≤ index < count")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `i/n` (0-based `i`), the form of `--shard`.
    public init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              let shard = try? Shard(index: index, count: count) else { return nil }
        self = shard
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }

    /// Whether the unit at position `unitIndex` of the experiment's unit list is this shard's.
    public func owns(unitIndex: Int) -> Bool { unitIndex % count == index }

    /// This shard's units, in their list order.
    public func select<Unit>(_ units: [Unit]) -> [Unit] {
        units.enumerated().filter { owns(unitIndex: $0.offset) }.map(\.element)
    }

    /// The shard a launcher assigned to this process, read from its environment, with the launcher's
    /// name; `nil` when no launcher set one. In order: a Slurm job array (`SLURM_ARRAY_TASK_ID` counted
    /// from `SLURM_ARRAY_TASK_MIN`, of `SLURM_ARRAY_TASK_COUNT`), Open MPI (`OMPI_COMM_WORLD_RANK` of
    /// `OMPI_COMM_WORLD_SIZE`), then PMI launchers such as MPICH's and Slurm's `srun` (`PMI_RANK` of
    /// `PMI_SIZE`).
    ///
    /// - Throws: ``ShardError/invalid(_:)`` naming the variables when a launcher's values are not
    ///   integers or do not describe a shard.
    public static func fromEnvironment(_ environment: [String: String]) throws(ShardError) -> (shard: Shard, launcher: String)? {
        if let id = environment["SLURM_ARRAY_TASK_ID"] {
            let minimum = environment["SLURM_ARRAY_TASK_MIN"] ?? "0"
            guard let task = Int(id), let first = Int(minimum), let total = environment["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }) else {
                throw .invalid("SLURM_ARRAY_TASK_ID=\(id), SLURM_ARRAY_TASK_MIN=\(minimum), "
                    + "SLURM_ARRAY_TASK_COUNT=\(environment["SLURM_ARRAY_TASK_COUNT"] ?? "unset") do not describe a job-array task")
            }
            return (try Shard(index: task - first, count: total), "Slurm job array")
        }
        for (rank, size, launcher) in [("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "Open MPI"), ("PMI_RANK", "PMI_SIZE", "PMI")] {
            guard let rankText = environment[rank] else { continue }
            guard let index = Int(rankText), let count = environment[size].flatMap({ Int($0) }) else {
                throw .invalid("\(rank)=\(rankText), \(size)=\(environment[size] ?? "unset") do not describe a rank")
            }
            return (try Shard(index: index, count: count), launcher)
        }
        return nil
    }
}

/// Why a shard could not be determined.
public enum ShardError: Error, Equatable, CustomStringConvertible {
    /// The flag or the launcher's environment names no valid shard.
    case invalid(String)

    /// The message, naming the values at fault.
    public var description: String {
        switch self {
        case .invalid(let message): return "invalid shard: \(message)"
        }
    }
}

import ArgumentParser
import Foundation

/// The command-line options of a sweep: how many units run at once on this machine, which shard of the
/// units this process runs, and the merge of the unit folders into an experiment's report.
public struct SweepOptions: ParsableArguments {
    /// Units run at once as child processes; `nil` means ``defaultJobs(environment:cores:)``.
    @Option(help: ArgumentHelp(
        "Units run at once, each a child process (default: every core this process may use, shared among the ranks an mpirun "
            + "started on this node), each on one core (one OpenBLAS thread), image units included. 1 runs every unit in this "
            + "process (image units then split their convolutions over every core).",
        valueName: "n"))
    public var jobs: Int?

    /// The shard of the units to run; `nil` means the launcher's (``resolvedShard(environment:dataParallel:)``).
    @Option(help: ArgumentHelp(
        "Run shard i of n (0-based) of the units, dealt round-robin (default: the Slurm array task or MPI rank of the "
            + "environment, else all units). A run of every unit merges by itself; after shards, run --merge once.",
        valueName: "i/n"))
    public var shard: Shard?

    /// Builds the experiments' reports, CSVs and figures from finished unit folders, running no unit.
    @Flag(help: "Build REPORT.md, CSVs and figures from the unit folders that shards (Slurm array tasks, MPI ranks) wrote; run no unit.")
    public var merge = false

    /// Runs these units (comma-separated ids, one after the other) in this process: what `--jobs` children
    /// are started with.
    @Option(help: .hidden)
    public var unit: String?

    /// The ids `--unit` names.
    public var unitIDs: [String] { unit.map { $0.split(separator: ",").map(String.init) } ?? [] }

    /// Creates the options with their defaults (ArgumentParser fills them from the command line).
    public init() {}

    /// Validates the combination.
    public func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
        if merge && (shard != nil || unit != nil) { throw ValidationError("--merge runs no unit: it takes neither --shard nor --unit") }
        if unit != nil && shard != nil { throw ValidationError("--unit runs one unit: it takes no --shard") }
    }

    /// The shard this process runs and where it came from: `--shard`, else a launcher's environment
    /// (``Shard/fromEnvironment(_:)``), else every unit.
    ///
    /// This is the one place where a launcher's environment becomes a shard. Under `mpirun`, the ranks
    /// divide the units between them, unless `dataParallel` says the ranks instead train one unit
    /// together (the data-parallel image training): then the environment is not read.
    ///
    /// - Throws: ``ShardError/invalid(_:)`` for a launcher's environment that describes no shard.
    public func resolvedShard(environment: [String: String], dataParallel: Bool = false) throws(ShardError) -> (shard: Shard, source: String) {
        if let shard { return (shard, "--shard") }
        if !dataParallel, let launched = try Shard.fromEnvironment(environment) { return (launched.shard, launched.launcher) }
        return (.whole, "all units")
    }

    /// `--jobs`, or ``defaultJobs(environment:cores:)``.
    public func resolvedJobs(environment: [String: String], cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        jobs ?? Self.defaultJobs(environment: environment, cores: cores)
    }

    /// Every core this process may use (`cores`, which respects CPU affinity), or Slurm's
    /// `SLURM_CPUS_PER_TASK` when set, divided among the ranks that an MPI launcher started on this node
    /// (`OMPI_COMM_WORLD_LOCAL_SIZE`, `MPI_LOCALNRANKS`), so that `mpirun -np 2` on two cores runs one unit
    /// per rank rather than four.
    public static func defaultJobs(environment: [String: String], cores: Int) -> Int {
        let budget = environment["SLURM_CPUS_PER_TASK"].flatMap { Int($0) } ?? cores
        let ranksHere = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"].lazy.compactMap { environment[$0].flatMap { Int($0) } }.first ?? 1
        return max(1, budget / max(ranksHere, 1))
    }

    /// A child's command line: the parent's arguments (without the executable) minus `--jobs`, `--shard`
    /// and `--merge`, plus `--unit <id>,<id>…` for the units it runs. Everything else (profile, output, data,
    /// resume, experiment options) is passed on unchanged, so the child computes the same configuration.
    public static func childArguments(_ arguments: [String], units: [SweepUnit]) -> [String] {
        precondition(!units.isEmpty, "SweepOptions.childArguments: a child runs at least one unit")
        var kept: [String] = []
        var k = 0
        while k < arguments.count {
            let argument = arguments[k]
            k += 1
            if argument == "--merge" { continue }
            if ["--jobs", "--shard", "--unit"].contains(argument) { k += 1; continue }
            if ["--jobs=", "--shard=", "--unit="].contains(where: argument.hasPrefix) { continue }
            kept.append(argument)
        }
        return kept + ["--unit", units.map(\.id).joined(separator: ",")]
    }
}

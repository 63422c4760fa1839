#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import NeuralODEModels
import ReproductionKit
import Tensors

/// Runs the selected §5 experiments as sweeps of independent units and writes
/// `<output>/section-5/REPORT.md`, an index of their reports and verdict counts.
///
/// Every experiment is a list of units (``SweepUnit``: one family × seed × tolerance each, with its own
/// folder). A run takes its shard of the units (`--shard`, a Slurm array task or an MPI rank), runs them
/// in this process (`--jobs 1`) or as child processes (`--jobs N`), and, when it ran every unit, merges the
/// unit folders into each experiment's REPORT.md, CSVs and figures; after shards, `--merge` does that.
///
/// Locks: a run of every unit holds each experiment folder's lock for its whole length (so a second
/// run or merge into it stops at once), a merge holds it while it writes, and each unit's process holds
/// its unit folder's lock. Shards lock only their unit folders, so several of them share one experiment
/// folder.
public enum Section5Runner {
    /// The experiments this executable can run (the `--experiment` choices).
    public enum Selection: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
        /// §5.1 point-cloud separation.
        case pointcloud
        /// §5.3 plane vibration.
        case pv
        /// §5.2 MNIST.
        case mnist
        /// §5.2 CIFAR-10.
        case cifar
        /// §5.4 Walker2D.
        case walker
        /// Fig. 6: CIFAR-10 NFE against tolerance.
        case cifarTolerance = "cifar-tolerance"

        /// OpenBLAS threads for this experiment (unless the environment fixes them): one for every
        /// experiment. The small dense models' products are too small to share; the image models' heavy
        /// products are convolutions, which split the batch over every core themselves and call OpenBLAS
        /// single-threaded (its idle threads would only spin beside them).
        var blasThreads: Int? { 1 }
    }

    /// One selected experiment: its units, the data it needs, how a unit runs and how the units merge.
    struct Plan {
        var selection: Selection
        /// The folders a run of every unit locks: the experiment's and those its units belong to.
        var folders: [String]
        var units: [SweepUnit]
        var dataFile: String
        var runUnit: (SweepUnit) throws -> Void
        var merge: () throws -> Void
    }

    /// The plan of `selection` for these options.
    static func plan(_ selection: Selection, options: CommonOptions, pointCloudTolerance: Double?, dataParallel: DataParallelRun? = nil) -> Plan {
        switch selection {
        case .pointcloud:
            let configuration = PointCloudExperiment.configuration(profile: options.profile, seeds: options.seeds, tolerance: pointCloudTolerance)
            return Plan(selection: selection, folders: [PointCloudExperiment.folder], units: PointCloudExperiment.units(configuration: configuration),
                        dataFile: PointCloudExperiment.dataFile,
                        runUnit: { try PointCloudExperiment.runUnit($0, options: options, tolerance: pointCloudTolerance) },
                        merge: { try PointCloudExperiment.merge(options: options, tolerance: pointCloudTolerance) })
        case .pv:
            return Plan(selection: selection, folders: [PlaneVibrationExperiment.folder], units: PlaneVibrationExperiment.units(profile: options.profile),
                        dataFile: PlaneVibrationExperiment.dataFile,
                        runUnit: { try PlaneVibrationExperiment.runUnit($0, options: options) },
                        merge: { try PlaneVibrationExperiment.merge(options: options) })
        case .walker:
            return Plan(selection: selection, folders: [WalkerExperiment.folder], units: WalkerExperiment.units(profile: options.profile),
                        dataFile: WalkerExperiment.dataFile,
                        runUnit: { try WalkerExperiment.runUnit($0, options: options) },
                        merge: { try WalkerExperiment.merge(options: options) })
        case .mnist, .cifar:
            let dataset = selection.rawValue
            return Plan(selection: selection, folders: [dataset],
                        units: ImageClassificationExperiment.units(dataset: dataset, profile: options.profile),
                        dataFile: ImageClassificationExperiment.dataFile(dataset),
                        runUnit: { try ImageClassificationExperiment.runUnit($0, dataset: dataset, options: options, dataParallel: dataParallel) },
                        merge: { try ImageClassificationExperiment.merge(dataset: dataset, options: options) })
        case .cifarTolerance:
            let units = ToleranceSweepExperiment.units(profile: options.profile)
            var folders = [selection.rawValue]
            for unit in units where !folders.contains(unit.experiment) { folders.append(unit.experiment) }
            return Plan(selection: selection, folders: folders, units: units,
                        dataFile: ImageClassificationExperiment.dataFile("cifar"),
                        runUnit: { try ToleranceSweepExperiment.runUnit($0, options: options) },
                        merge: { try ToleranceSweepExperiment.merge(options: options) })
        }
    }

    /// Refuses options that do not apply to the selection: `--seeds` is taken by the point cloud only.
    public static func validate(options: CommonOptions, only: Selection?) throws(ReproductionError) {
        guard let seeds = options.seeds, only != .pointcloud else { return }
        if let only { try options.requireNoSeeds(experiment: "--experiment \(only.rawValue)") }
        throw .invalidOption(
            "--seeds \(seeds) applies only to section 5's point cloud (the other experiments train one run per model "
                + "from seed 0); pass --experiment pointcloud with it")
    }

    /// Refuses `--data-parallel` for anything but one image experiment (the others' models are too small
    /// to split, or sweep several trainings).
    public static func validateDataParallel(only: Selection?) throws(DataParallelError) {
        guard only == .mnist || only == .cifar else {
            throw .unsupportedOption(
                option: DataParallelRun.option, reason: "trains one image experiment: pass --experiment mnist or --experiment cifar")
        }
    }

    /// Runs `only` (or every experiment) as `sweep` says and writes the section index.
    /// `pointCloudTolerance` overrides the point cloud's as-run solver tolerance
    /// (``PointCloudExperiment/asRunTolerance``). `environment` is where a launcher's shard is read from.
    /// Units run as child processes only when the caller names the executable to start
    /// (`childExecutable`, the section's own, with `arguments` (without the executable) plus `--unit`);
    /// otherwise, and with `sweep` `nil`, every unit runs in this process. `dataParallel` trains the
    /// selected image experiment over the ranks of an `mpirun` launch: every rank runs every unit in
    /// process (the launcher's ranks are then not shards) and only rank 0 merges and writes the index.
    ///
    /// An experiment whose data is missing is skipped with a message naming the file and the command that
    /// fetches it, and the others still run; the first such error is thrown at the end, so the command
    /// fails once everything it could do is done.
    ///
    /// - Throws: ``SweepError`` for failed children, unfinished units at a merge or an interrupted sweep;
    ///   ``ReproductionError`` for refused options, folders and data.
    public static func run(
        options: CommonOptions, sweep: SweepOptions? = nil, only: Selection?, pointCloudTolerance: Double? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        arguments: [String] = Array(CommandLine.arguments.dropFirst()), childExecutable: URL? = nil,
        dataParallel: DataParallelRun? = nil
    ) throws {
        try validate(options: options, only: only)
        if dataParallel != nil { try validateDataParallel(only: only) }
        if let pointCloudTolerance { try requirePositiveFinite(pointCloudTolerance, option: "--pointcloud-tolerance") }
        let sweep = try sweep ?? SweepOptions.parse(["--jobs", "1"])
        if !sweep.unitIDs.isEmpty {
            try runChildUnits(sweep.unitIDs, options: options, pointCloudTolerance: pointCloudTolerance, environment: environment)
            return
        }
        var missingData: [ReproductionError] = []
        var plans: [Plan] = []
        for selection in Selection.allCases where only == nil || only == selection {
            let plan = plan(selection, options: options, pointCloudTolerance: pointCloudTolerance, dataParallel: dataParallel)
            do throws(ReproductionError) {
                _ = try options.dataLocator.url(for: plan.dataFile)
                plans.append(plan)
            } catch {
                print("section 5: skipped \(selection.rawValue): \(error)")
                missingData.append(error)
            }
        }
        if sweep.merge {
            // Only rank 0 of a data-parallel launch writes.
            if dataParallel?.isLeader != false { try merge(plans, options: options) }
        } else {
            let (shard, source) = try sweep.resolvedShard(environment: environment, dataParallel: dataParallel != nil)
            let all = plans.flatMap(\.units)
            let mine = shard.select(all)
            if shard != .whole {
                print("section 5: shard \(shard) (\(source)): \(mine.count) of \(all.count) units")
            } else {
                // Every unit runs here: the experiment folders stay locked until their merge is written.
                // (A data-parallel rank other than 0 writes into a private root of its own.)
                let root = dataParallel?.outputRoot(options.output) ?? options.output
                for plan in plans { for folder in plan.folders { _ = try RunDirectory(root: root, section: 5, experiment: folder) } }
            }
            let jobs = sweep.resolvedJobs(environment: environment)
            if let childExecutable, jobs > 1, dataParallel == nil {
                try runChildren(mine, jobs: jobs, executable: childExecutable, options: options, environment: environment, arguments: arguments)
            } else {
                for unit in mine { try runInProcess(unit, plans: plans) }
            }
            if let dataParallel, !dataParallel.isLeader {
                dataParallel.finish(outputRoot: dataParallel.outputRoot(options.output))
            } else if shard == .whole {
                try merge(plans, options: options)
            } else {
                print("section 5: shard \(shard) finished; once every shard has, run the same command with --merge instead of the shard")
            }
        }
        if let first = missingData.first { throw first }
    }

    /// Merges every plan's units into its reports, then writes the section index.
    static func merge(_ plans: [Plan], options: CommonOptions) throws {
        for plan in plans { try plan.merge() }
        try writeIndex(options: options)
        print("section 5: wrote \(options.output)/section-5/REPORT.md")
    }

    /// Runs one unit in this process, with its experiment's OpenBLAS threads.
    static func runInProcess(_ unit: SweepUnit, plans: [Plan]) throws {
        guard let plan = plans.first(where: { $0.units.contains(unit) }) else {
            preconditionFailure("Section5Runner: \(unit.id) belongs to no selected experiment")
        }
        try BLASThreads.with(plan.selection.blasThreads) { try plan.runUnit(unit) }
    }

    /// The variable through which a child learns its parent's pid (it exits when the parent is gone).
    static let parentVariable = "HBNODE_SWEEP_PARENT"

    /// Runs units as child processes of this executable, `--unit <id>` each, with every other argument
    /// passed on. Small-model units get one OpenBLAS thread (unless the environment already fixes the
    /// count: a value set by the user is never overridden); image units keep every core. With `--resume`,
    /// units that have a result start no process.
    static func runChildren(
        _ units: [SweepUnit], jobs: Int, executable: URL, options: CommonOptions, environment: [String: String], arguments: [String]
    ) throws {
        // A child runs one unit; were it ever started without --unit, it must not start a sweep of its own.
        if let parent = environment[parentVariable] {
            throw ReproductionError.invalidOption("this process was started by the sweep of pid \(parent) and runs one --unit; it starts no units of its own")
        }
        let todo = options.resume ? units.filter { !$0.isFinished(root: options.output, section: 5) } : units
        if todo.count < units.count { print("section 5: \(units.count - todo.count) of \(units.count) units finished earlier, kept") }
        guard !todo.isEmpty else { return }
        print("section 5: \(todo.count) units, up to \(jobs) at a time; each unit's output goes to its folder's unit.log")
        let blasFixed = BLASThreads.environmentVariables.contains { environment[$0].map { !$0.isEmpty } ?? false }
        try UnitProcessPool(jobs: jobs, label: "section 5").run(todo) { units in
            var variables = [parentVariable: "\(getpid())"]
            if units[0].cores == .one && !blasFixed { variables["OPENBLAS_NUM_THREADS"] = "1" }
            return UnitCommand(executable: executable, arguments: SweepOptions.childArguments(arguments, units: units),
                               environment: variables, log: unitLog(units[0], options: options))
        }
    }

    /// `<output>/section-5/<unit folder>/unit.log`, where a child's output for the unit goes.
    static func unitLog(_ unit: SweepUnit, options: CommonOptions) -> URL {
        URL(fileURLWithPath: options.output).appendingPathComponent("section-5").appendingPathComponent(unit.folder)
            .appendingPathComponent("unit.log")
    }

    /// Runs the units `ids` one after the other in this process (a `--jobs` child). When started by a sweep
    /// it exits as soon as its parent is gone (a parent killed with SIGKILL cannot stop its children itself).
    /// A child of several units sends each unit's output to that unit's `unit.log`, goes on after a unit
    /// that fails (its error is in its log) and throws the first failure once every unit has run.
    static func runChildUnits(_ ids: [String], options: CommonOptions, pointCloudTolerance: Double?, environment: [String: String]) throws {
        let plans = Selection.allCases.map { plan($0, options: options, pointCloudTolerance: pointCloudTolerance) }
        let all = plans.flatMap(\.units)
        let units = try ids.map { id in
            guard let unit = all.first(where: { $0.id == id }) else {
                throw SweepError.unknownUnit(id, known: plans.flatMap { $0.units.prefix(1).map(\.id) })
            }
            return unit
        }
        if let parent = environment[parentVariable].flatMap({ Int32($0) }) { exitWhenOrphaned(parent: parent) }
        guard units.count > 1 else { return try runInProcess(units[0], plans: plans) }
        var firstFailure: (any Error)?
        for unit in units {
            try redirectOutput(to: unitLog(unit, options: options))
            do {
                try runInProcess(unit, plans: plans)
            } catch {
                print("\(unit.id): \(error)")
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
    }

    /// Points standard output and error at the end of `log` (created with its folder if need be).
    static func redirectOutput(to log: URL) throws {
        fflush(stdout)
        fflush(stderr)
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else {
            throw ReproductionError.cannotWrite(path: log.path, reason: String(cString: strerror(errno)))
        }
        dup2(descriptor, STDOUT_FILENO)
        dup2(descriptor, STDERR_FILENO)
        close(descriptor)
    }

    /// Polls the parent's pid once a second and exits (status 143, as for SIGTERM) once this process has
    /// been given to another parent.
    static func exitWhenOrphaned(parent: Int32) {
        let thread = Thread {
            while getppid() == parent { sleep(1) }
            _exit(143)
        }
        thread.start()
    }

    /// `<output>/section-5/REPORT.md`: every experiment report present in the folder (from this or an
    /// earlier `--experiment` run) with its verdict counts, read back from the reports themselves.
    static func writeIndex(options: CommonOptions) throws {
        let root = try RunDirectory(root: options.output, section: 5, experiment: ".", exclusive: false)
        var index = Report(title: "Section 5 reproduction: index")
        index.paragraph("Each experiment has its own folder with config.json, logs, figures and REPORT.md. "
            + "The profile of each run is stated at the top of its report.")
        var lines: [String] = []
        for experiment in Selection.allCases {
            let url = root.file(experiment.rawValue).appendingPathComponent("REPORT.md")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let counts = Verdict.allCases.map { verdict in
                "\(text.components(separatedBy: "**\(verdict.rawValue)**").count - 1) \(verdict.rawValue)"
            }
            lines.append("[\(experiment.rawValue)](\(experiment.rawValue)/REPORT.md): " + counts.joined(separator: ", "))
        }
        index.bullets(lines.isEmpty ? ["no experiment has been run yet"] : lines)
        try root.writeText(index.markdown, to: "REPORT.md")
    }
}

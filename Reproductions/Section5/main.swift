import ArgumentParser
import Foundation
import Experiments
import MPICommunicator
import ReproductionKit

/// `reproduce-section-5`: the paper's §5 experiments.
struct ReproduceSection5: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce-section-5",
        abstract: "Section 5: point cloud (5.1) and the other §5 experiments, with REPORT.md per experiment.",
        discussion: """
            Profiles: quick = a smoke test in a few minutes; default = meaningful numbers in a few hours on \
            2 cores (the report states what was reduced); full-epoch = default, except that MNIST and \
            CIFAR-10 train one full epoch on every image and test on the whole test set (MNIST: about 4 h \
            on 2 cores; its report puts epoch 1 beside the official logs); paper = the paper's settings. \
            Long epochs are checkpointed every 5 minutes of training. Each experiment \
            writes <output>/section-5/<experiment>/ with config.json, CSV/JSONL logs, PNG figures and \
            REPORT.md; --resume continues an interrupted run from its checkpoint.

            Sweeps: every experiment is a list of independent units (one family x seed x tolerance each, \
            with its own seed and folder <experiment>/units/<unit>/). --jobs N (default: every core) runs N \
            units at once as child processes, one core (one OpenBLAS thread) each, MNIST and CIFAR-10 units \
            included. --shard i/n runs every n-th unit from the i-th; \
            under a Slurm job array (SLURM_ARRAY_TASK_ID/COUNT) or mpirun (OMPI_COMM_WORLD_RANK/SIZE, \
            PMI_RANK/SIZE) the shard is read from the environment. A run of every unit builds the reports \
            itself; after shards, run the same command once with --merge. A unit's numbers do not depend on \
            the shard or process that ran it. --resume keeps finished units and continues the others from \
            their checkpoints.
            """)

    @OptionGroup var common: CommonOptions

    @OptionGroup var sweep: SweepOptions

    @Option(help: "Run one experiment only: \(Section5Runner.Selection.allCases.map(\.rawValue).joined(separator: "|")).")
    var experiment: Section5Runner.Selection?

    @Option(help: ArgumentHelp(
        "Point cloud: rtol = atol of every solve (default 1e-3, the as-run value that reproduces the official saved NFE; 1e-7 is the notebooks' source).",
        valueName: "tol"))
    var pointcloudTolerance: Double?

    @Flag(help: ArgumentHelp(
        "Train the --experiment mnist or cifar run data-parallel over the ranks of an mpirun launch (each rank a slice of every batch, the same adaptive steps as one process; rank 0 writes the results). Needs a build with --traits MPI.",
        discussion: "e.g. mpirun -np 2 .build/release/reproduce-section-5 --experiment mnist --data-parallel"))
    var dataParallel = false

    func validate() throws {
        if let pointcloudTolerance { try requirePositiveFinite(pointcloudTolerance, option: "--pointcloud-tolerance") }
        try Section5Runner.validate(options: common, only: experiment)
        if dataParallel { try Section5Runner.validateDataParallel(only: experiment) }
    }

    func run() throws {
        // `--jobs` children are this executable again, each with `--unit`.
        let executable = FileManager.default.fileExists(atPath: "/proc/self/exe")
            ? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() : URL(fileURLWithPath: CommandLine.arguments[0])
        guard dataParallel else {
            try Section5Runner.run(options: common, sweep: sweep, only: experiment, pointCloudTolerance: pointcloudTolerance,
                                   childExecutable: executable)
            return
        }
        let parallel = try DataParallelRun.world()
        // Rank 0 speaks for the run; the others' errors still reach stderr.
        if !parallel.isLeader { _ = freopen("/dev/null", "w", stdout) }
        do {
            // Every rank trains every unit in process: the ranks are not shards of a sweep here.
            try Section5Runner.run(options: common, sweep: sweep, only: experiment, pointCloudTolerance: pointcloudTolerance,
                                   dataParallel: parallel)
        } catch {
            // One rank's error ends every rank at once instead of leaving them waiting in a collective.
            FileHandle.standardError.write(Data("reproduce-section-5: rank \(parallel.communicator.rank): \(error)\n".utf8))
            MPIRuntime.abort(parallel.communicator, code: 1)
        }
        MPIRuntime.finalize(parallel.communicator)
    }
}

ReproduceSection5.main()

import Adjoint
import ArgumentParser
import Experiments
import Foundation
import Metrics
import MPICommunicator
import NeuralODEModels
import Tensors

/// `mpi-check`: a few MNIST-shaped training steps data-parallel over the ranks of an `mpirun` launch,
/// against the same steps in one process on the whole batch (every rank runs both): the same forward and
/// backward NFE at every step, and parameters within a relative 1e-5. `make mpi-check` runs it with two
/// ranks, a killed rank, and a build without MPI.
struct MPICheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi-check",
        abstract: "Data-parallel training steps under mpirun against one process: identical NFE, parameters within 1e-5.",
        discussion: """
            e.g. mpirun -np 2 .build/release/mpi-check (needs a build with --traits MPI). --bench times the \
            data-parallel steps only (run it with -np 1 for the single-process figure). --exit-rank R \
            --exit-step S makes rank R exit with status 3 before step S, to check that mpirun then ends every \
            rank instead of leaving them waiting.
            """)

    @Option(help: "Training steps.") var steps = 3
    @Option(help: "Batch size (split over the ranks).") var batch = 8
    @Option(help: "Image side (MNIST is 28).") var imageSize = 14
    @Option(help: "Model family: node|anode|sonode|hbnode|ghbnode.") var family = "hbnode"
    @Option(help: "rtol = atol of every solve.") var tolerance = 1e-5
    @Flag(help: "Backward solves with the seminorm (a_θ not error-controlled) instead of the full norm.") var seminorm = false
    @Flag(help: "Time the data-parallel steps only, without the single-process comparison.") var bench = false
    @Flag(help: ArgumentHelp(
        "Update with Adam (the experiments' optimiser) instead of SGD.",
        discussion: "Adam moves every element by about the learning rate whatever its gradient's size, so elements whose gradient is summation-order noise may differ by up to 2·lr: the 1e-5 comparison of the parameters is meaningful with SGD, whose updates are proportional to the summed gradients."))
    var adam = false
    @Option(help: "Fault injection: this rank exits with status 3 ...") var exitRank: Int?
    @Option(help: "... before this step.") var exitStep: Int?

    func validate() throws {
        guard ModelFamily(rawValue: family) != nil else { throw ValidationError("--family \(family): not a model family") }
        guard steps >= 1, batch >= 1, imageSize >= 4, tolerance > 0 else {
            throw ValidationError("--steps, --batch need ≥ 1, --image-size ≥ 4, --tolerance > 0")
        }
    }

    /// What every rank must agree on (compared by fingerprint at start-up).
    struct Settings: Encodable {
        var steps: Int, batch: Int, imageSize: Int, family: String, tolerance: Double, seminorm: Bool, adam: Bool
    }

    struct Trained {
        var nfe: [[Int]] = []
        var seconds: [Double] = []
        var losses: [Double] = []
        var parameters: [Float] = []
    }

    /// `steps` training steps on the whole batch (`parallel` nil) or on this rank's slice of it.
    func train(parallel: DataParallelRun?, world: any Communicator) throws -> Trained {
        var model: ContinuousDepthModel<Float> = ExperimentModels.image(
            .mnist, ModelFamily(rawValue: family)!, seed: 0, imageSize: imageSize)
        var rng = SeededGenerator(seed: 7)
        let images = Tensor<Float>(randomNormal: [batch, 1, imageSize, imageSize], using: &rng)
        let labels = (0..<batch).map { $0 % 10 }
        let rows = parallel?.localPart(of: 0..<batch) ?? Array(0..<batch)
        let perImage = imageSize * imageSize
        let local = Tensor(shape: [rows.count, 1, imageSize, imageSize],
                           scalars: rows.flatMap { images.scalars[($0 * perImage)..<(($0 + 1) * perImage)] })
        let localLabels = rows.map { labels[$0] }
        let base = SolverConfiguration(tolerance: tolerance, gradient: .backsolve(AdjointSolveOptions(norm: seminorm ? .seminorm : .full)))
        let solver = parallel?.solver(base) ?? base
        let share = parallel?.share(ofBatch: batch) ?? 1
        var adamOptimizer = Adam<Float>(learningRate: 5e-4)
        var sgd = SGD<Float>(learningRate: 0.05)
        var result = Trained()
        for step in 0..<steps {
            if let exitStep, let exitRank, step == exitStep, world.rank == exitRank, parallel != nil {
                FileHandle.standardError.write(Data("mpi-check: rank \(world.rank) exits with status 3 before step \(step) (fault injection)\n".utf8))
                Foundation.exit(3)
            }
            let frozen = model
            let stopwatch = Stopwatch()
            let loss = { (p: [Variable<Float>], log: SolveLog) throws -> Variable<Float> in
                try ImageClassificationExperiment.batchLoss(frozen, images: local, labels: localLabels, parameters: p,
                                                            solver: solver, log: log, share: share).loss
            }
            let report = adam
                ? try trainingStep(parameters: &model.parameters, optimizer: &adamOptimizer, learningRate: 5e-4, clipNorm: 10,
                                   modelName: model.name, iteration: step, communicator: parallel?.communicator, loss)
                : try trainingStep(parameters: &model.parameters, optimizer: &sgd, learningRate: 0.05, clipNorm: 10,
                                   modelName: model.name, iteration: step, communicator: parallel?.communicator, loss)
            result.seconds.append(stopwatch.elapsed)
            result.nfe.append([report.forwardEvaluations, report.backwardEvaluations])
            result.losses.append(report.loss)
        }
        result.parameters = model.parameters.values.flatMap(\.scalars)
        return result
    }

    func run() throws {
        let world = try MPIRuntime.world(option: "mpi-check")
        let parallel = world.size > 1 ? DataParallelRun(communicator: world) : nil
        let leader = world.rank == 0
        func say(_ line: String) { if leader { print(line) } }
        say("mpi-check: \(world.size) rank(s), \(family) at \(imageSize)×\(imageSize), batch \(batch), \(steps) steps, tol \(tolerance), "
            + "\(seminorm ? "seminorm" : "full norm"), \(adam ? "Adam" : "SGD"), OpenBLAS \(BLASThreads.isSetByEnvironment ? "threads from the environment" : "1 thread"), "
            + "\(tensorWorkerCount) convolution worker(s) per rank")
        var failed = false
        do {
            try parallel?.checkConfiguration(
                Settings(steps: steps, batch: batch, imageSize: imageSize, family: family, tolerance: tolerance, seminorm: seminorm, adam: adam),
                batchSize: batch)
            try BLASThreads.with(1) {
                let distributed = try train(parallel: parallel, world: world)
                let perStep = distributed.seconds.map { String(format: "%.3f", $0) }.joined(separator: " ")
                say("data-parallel: NFE f/b per step \(distributed.nfe), seconds per step \(perStep)")
                guard !bench else { return }
                let serial = try train(parallel: nil, world: world)
                say("one process:   NFE f/b per step \(serial.nfe), seconds per step \(serial.seconds.map { String(format: "%.3f", $0) }.joined(separator: " "))")
                // ‖θ_parallel − θ_serial‖ / ‖θ_serial‖: Adam divides each update by its own gradient's RMS, so
                // single elements whose gradient is summation-order noise may move by up to the learning rate.
                let scale = serial.parameters.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                let distance = zip(distributed.parameters, serial.parameters).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
                let largest = zip(distributed.parameters, serial.parameters).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
                let relative = distance / scale
                say("parameters: ‖Δθ‖/‖θ‖ = \(relative), largest element difference \(largest); losses \(distributed.losses) vs \(serial.losses)")
                if distributed.nfe != serial.nfe { failed = true; print("mpi-check: rank \(world.rank): the NFE differ from one process's") }
                if !(relative <= 1e-5) { failed = true; print("mpi-check: rank \(world.rank): parameters differ by \(relative) > 1e-5") }
                if let parallel {
                    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                    for value in distributed.parameters { hash = (hash ^ UInt64(value.bitPattern)) &* 0x0000_0100_0000_01b3 }
                    do { try parallel.communicator.checkAgreement(on: hash, quantity: "parameters after training") } catch {
                        failed = true
                        print("mpi-check: rank \(world.rank): \(error)")
                    }
                }
            }
        } catch {
            FileHandle.standardError.write(Data("mpi-check: rank \(world.rank): \(error)\n".utf8))
            MPIRuntime.abort(world, code: 1)
        }
        let anyFailed = world.size > 1 ? world.summed([failed ? 1 : 0])[0] > 0 : failed
        say(anyFailed ? "mpi-check: FAILED" : (bench ? "mpi-check: timed" : "mpi-check: OK (same NFE at every step, parameters within 1e-5)"))
        MPIRuntime.finalize(world)
        if anyFailed { throw ExitCode(1) }
    }
}

MPICheck.main()

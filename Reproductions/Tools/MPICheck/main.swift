import Adjoint
import ArgumentParser
import Experiments
import Foundation
import Metrics
import MPICommunicator
import NeuralODEModels
import Tensors

/// `mpi-check`: a few MNIST-shaped training steps data-parallel over the ranks of an `mpirun` launch,
/// each against the same step in one process on the whole batch from the same parameters (every rank runs
/// both): the same forward and backward NFE at every step, and parameters within a relative 1e-5. `make mpi-check` runs it with two
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

    /// The batch every process builds (the same seed on every rank) and the model's first parameters.
    struct Problem {
        var model: ContinuousDepthModel<Float>
        var images: Tensor<Float>
        var labels: [Int]
    }

    func problem() -> Problem {
        let model: ContinuousDepthModel<Float> = ExperimentModels.image(.mnist, ModelFamily(rawValue: family)!, seed: 0, imageSize: imageSize)
        var rng = SeededGenerator(seed: 7)
        let images = Tensor<Float>(randomNormal: [batch, 1, imageSize, imageSize], using: &rng)
        return Problem(model: model, images: images, labels: (0..<batch).map { $0 % 10 })
    }

    /// What one training step measured.
    struct Step {
        var nfe: [Int]
        var seconds: Double
        var loss: Double
    }

    /// The optimiser state a step advances (both are kept so one flag picks the update).
    struct Optimizers {
        var adam = Adam<Float>(learningRate: 5e-4)
        var sgd = SGD<Float>(learningRate: 0.05)
    }

    /// One training step of `model` on the whole batch (`parallel` nil) or on this rank's slice of it.
    func trainingStepOf(
        _ model: inout ContinuousDepthModel<Float>, optimizers: inout Optimizers, step: Int, problem: Problem, parallel: DataParallelRun?
    ) throws -> Step {
        let rows = parallel?.localPart(of: 0..<batch) ?? Array(0..<batch)
        let perImage = imageSize * imageSize
        let local = Tensor(shape: [rows.count, 1, imageSize, imageSize],
                           scalars: rows.flatMap { problem.images.scalars[($0 * perImage)..<(($0 + 1) * perImage)] })
        let localLabels = rows.map { problem.labels[$0] }
        let base = SolverConfiguration(tolerance: tolerance, gradient: .backsolve(AdjointSolveOptions(norm: seminorm ? .seminorm : .full)))
        let solver = parallel?.solver(base) ?? base
        let share = parallel?.share(ofBatch: batch) ?? 1
        let frozen = model
        let stopwatch = Stopwatch()
        let loss = { (p: [Variable<Float>], log: SolveLog) throws -> Variable<Float> in
            try ImageClassificationExperiment.batchLoss(frozen, images: local, labels: localLabels, parameters: p,
                                                        solver: solver, log: log, share: share).loss
        }
        let report = adam
            ? try trainingStep(parameters: &model.parameters, optimizer: &optimizers.adam, learningRate: 5e-4, clipNorm: 10,
                               modelName: model.name, iteration: step, communicator: parallel?.communicator, loss)
            : try trainingStep(parameters: &model.parameters, optimizer: &optimizers.sgd, learningRate: 0.05, clipNorm: 10,
                               modelName: model.name, iteration: step, communicator: parallel?.communicator, loss)
        return Step(nfe: [report.forwardEvaluations, report.backwardEvaluations], seconds: stopwatch.elapsed, loss: report.loss)
    }

    /// ‖a − b‖ / ‖b‖ over the flattened parameters.
    static func relativeDistance(_ a: ContinuousDepthModel<Float>, _ b: ContinuousDepthModel<Float>) -> (relative: Double, largest: Float) {
        let x = a.parameters.values.flatMap(\.scalars), y = b.parameters.values.flatMap(\.scalars)
        let scale = y.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let distance = zip(x, y).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
        return (distance / scale, zip(x, y).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) })
    }

    func run() throws {
        let world = try MPIRuntime.world(option: "mpi-check")
        let parallel = world.size > 1 ? DataParallelRun(communicator: world) : nil
        let leader = world.rank == 0
        func say(_ line: String) { if leader { print(line) } }
        say("mpi-check: \(world.size) rank(s), \(family) at \(imageSize)×\(imageSize), batch \(batch), \(steps) steps, tol \(tolerance), "
            + "\(seminorm ? "seminorm" : "full norm"), \(adam ? "Adam" : "SGD"), OpenBLAS \(BLASThreads.isSetByEnvironment ? "threads from the environment" : "1 thread"), "
            + "\(BLASThreads.with(1) { tensorWorkerCount }) convolution worker(s) per rank")  // as the steps below see it
        var failed = false
        do {
            try parallel?.checkConfiguration(
                Settings(steps: steps, batch: batch, imageSize: imageSize, family: family, tolerance: tolerance, seminorm: seminorm, adam: adam),
                batchSize: batch)
            try BLASThreads.with(1) {
                // Every step starts both the data-parallel and the one-process step from the same parameters
                // and optimiser state (the data-parallel run's), so each step's comparison is of one step: over
                // several independent trajectories, a summation-order difference in the summed gradients
                // (1e-7 relative) may flip a later accept/reject decision of the adaptive solver, and from then
                // on the two trajectories take different steps, whichever is "right".
                let setting = problem()
                var model = setting.model, optimizers = Optimizers()
                var parallelNFE: [[Int]] = [], serialNFE: [[Int]] = [], seconds: [Double] = [], serialSeconds: [Double] = []
                var parallelLosses: [Double] = [], serialLosses: [Double] = []
                var worst = (relative: 0.0, largest: Float(0))
                for step in 0..<steps {
                    if let exitStep, let exitRank, step == exitStep, world.rank == exitRank, parallel != nil {
                        FileHandle.standardError.write(Data("mpi-check: rank \(world.rank) exits with status 3 before step \(step) (fault injection)\n".utf8))
                        Foundation.exit(3)
                    }
                    var reference = model, referenceOptimizers = optimizers
                    let distributed = try trainingStepOf(&model, optimizers: &optimizers, step: step, problem: setting, parallel: parallel)
                    parallelNFE.append(distributed.nfe); seconds.append(distributed.seconds); parallelLosses.append(distributed.loss)
                    guard !bench else { continue }
                    let serial = try trainingStepOf(&reference, optimizers: &referenceOptimizers, step: step, problem: setting, parallel: nil)
                    serialNFE.append(serial.nfe); serialSeconds.append(serial.seconds); serialLosses.append(serial.loss)
                    let distance = Self.relativeDistance(model, reference)
                    if distance.relative > worst.relative { worst = distance }
                }
                say("data-parallel: NFE f/b per step \(parallelNFE), seconds per step \(seconds.map { String(format: "%.3f", $0) }.joined(separator: " "))")
                guard !bench else { return }
                say("one process:   NFE f/b per step \(serialNFE), seconds per step \(serialSeconds.map { String(format: "%.3f", $0) }.joined(separator: " "))")
                say("parameters after each step from the same start: largest ‖Δθ‖/‖θ‖ = \(worst.relative), largest element difference \(worst.largest); "
                    + "losses \(parallelLosses) vs \(serialLosses)")
                if parallelNFE != serialNFE { failed = true; print("mpi-check: rank \(world.rank): the NFE differ from one process's") }
                if !(worst.relative <= 1e-5) { failed = true; print("mpi-check: rank \(world.rank): parameters differ by \(worst.relative) > 1e-5") }
                if let parallel {
                    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                    for value in model.parameters.values.flatMap(\.scalars) { hash = (hash ^ UInt64(value.bitPattern)) &* 0x0000_0100_0000_01b3 }
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

// neuralode-bench: release timings of realistic training steps of the HBNODE models (forward solve,
// backsolve adjoint, Adam update), on synthetic inputs of the experiments' shapes, so that the generic
// code paths from NeuralODEModels/Adjoint/ODESolvers/Tensors are measured as a client in another module
// runs them (Float).
//
// Run: swift run -c release neuralode-bench [cases] [options]   (from the repository root)
//   cases: pointcloud pv walker mnist field (default: all)
//   --reps N          timed repetitions per case (default 3; the best and the median are printed)
//   --walker-batch N  Walker2D batch (default 64; the reference trains at 256)
//   --steps N         sequence length for PV and Walker2D (default 64)
//   --data DIR        data folder (default: $HBNODE_DATA_DIR, then the repository's Datasets/)
//   --rows TEXT       only the small-model rows whose label contains TEXT (e.g. "hbnode, batch 50, rk4")
//   --tape            also time every small-model row on the tape path (`FieldEvaluation.tape`), side by side
// Small-model rows print the time per training step, the NFE and the field's arithmetic rate: the FLOPs
// of its linear layers (2·B·in·out per layer and evaluation, three times that for a VJP) over the time.
// Wall time: OpenBLAS threads do part of the work, so thread CPU time would undercount; the small-model
// rows also print the thread CPU time, which is all the work with OPENBLAS_NUM_THREADS=1.
import Adjoint
import Datasets
import Experiments
import Foundation
import NeuralODEModels
import ReproductionKit
import Tensors

/// OpenBLAS's kernel name, looked up at run time (the library is loaded through Tensors).
func openBLASCoreName() -> String {
    guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "openblas_get_corename") else {
        return "unknown (openblas_get_corename not found)"
    }
    typealias CoreName = @convention(c) () -> UnsafePointer<CChar>?
    return unsafeBitCast(symbol, to: CoreName.self)().map { String(cString: $0) } ?? "unknown"
}

/// Seconds of monotonic wall time.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Seconds of CPU time of the calling thread: with OpenBLAS on one thread (OPENBLAS_NUM_THREADS=1) all
/// the work of a step, and unlike wall time not inflated by other processes on a shared machine.
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The command line: which cases, how often, what sizes.
struct Options {
    var cases: [String] = []
    var reps = 3
    var walkerBatch = 64
    var steps = 64
    var data: String?
    var tape = false
    var rows: String?

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            func number() -> Int {
                guard let text = rest.popFirst(), let value = Int(text), value > 0 else {
                    FileHandle.standardError.write(Data("neuralode-bench: \(argument) needs a positive integer\n".utf8))
                    exit(2)
                }
                return value
            }
            switch argument {
            case "--reps": reps = number()
            case "--walker-batch": walkerBatch = number()
            case "--steps": steps = number()
            case "--data":
                guard let folder = rest.popFirst() else {
                    FileHandle.standardError.write(Data("neuralode-bench: --data needs a folder\n".utf8))
                    exit(2)
                }
                data = folder
            case "--help", "-h":
                print("""
                    usage: neuralode-bench [pointcloud] [pv] [walker] [mnist] [field] [options]
                      Release timings of the experiments' training steps (forward solve, backsolve adjoint, Adam) on
                      synthetic inputs of their shapes; no case runs all.
                      --reps N          timed repetitions per case (default 3; best and median printed)
                      --walker-batch N  Walker2D batch (default 64; the reference trains at 256)
                      --steps N         sequence length for plane vibration and Walker2D (default 64)
                      --data DIR        data folder (default: $HBNODE_DATA_DIR, then the repository's Datasets/)
                      --rows TEXT       only the small-model rows whose label contains TEXT
                      --tape            also time every small-model row on the tape path, side by side
                    """)
                exit(0)
            case "--tape": tape = true
            case "--rows": rows = rest.popFirst()
            case "pointcloud", "pv", "walker", "mnist", "field": cases.append(argument)
            default:
                FileHandle.standardError.write(Data("neuralode-bench: unknown argument \(argument) (see --help)\n".utf8))
                exit(2)
            }
        }
        if cases.isEmpty { cases = ["field", "pointcloud", "pv", "walker", "mnist"] }
    }
}

/// Runs `body` once untimed (warm-up) and `reps` times timed; prints best and median with the NFE note.
func measure(_ label: String, reps: Int, _ body: () throws -> String) rethrows {
    _ = try body()
    var times = [Double]()
    var note = ""
    for _ in 0..<reps {
        let start = now()
        note = try body()
        times.append(now() - start)
    }
    times.sort()
    let line = String(format: "%-58@ best %8.3f s  median %8.3f s  %@", label as NSString, times[0], times[times.count / 2], note)
    print(line)
}

/// `T` observations `[B, C]` of standard normal noise with unit gaps (regular sampling, as PV and Walker).
func sequence(batch: Int, channels: Int, steps: Int, seed: UInt64) -> SequenceBatch<Float> {
    var g = SeededGenerator(seed: seed)
    let observations = (0..<steps).map { _ in Tensor<Float>(randomNormal: [batch, channels], using: &g) }
    return SequenceBatch(observations: observations, gaps: Array(repeating: Array(repeating: 1, count: batch), count: steps))
}

func nfe(_ report: StepReport) -> String { "NFE fwd \(report.forwardEvaluations) bwd \(report.backwardEvaluations)" }

/// FLOPs of one evaluation of `field`'s linear layers at batch `batch` (a VJP costs three times this).
func fieldFlops(_ field: ContinuousDepthField, batch: Int) -> Double {
    field.network.layers.reduce(0.0) { total, layer in
        guard case .linear(let l) = layer else { return total }
        return total + 2 * Double(batch * l.inFeatures * l.outFeatures)
    }
}

/// The solvers of the small-model rows: rk4 on a 0.1 grid, and dopri5 at 1e-7.
let smallModelSolvers: [(label: String, solver: SolverConfiguration)] = [
    ("rk4 dt 0.1", SolverConfiguration(method: .rk4, controller: .fixed(dt: 0.1), gradient: .backsolve())),
    ("dopri5 1e-7", SolverConfiguration(tolerance: 1e-7)),
]

/// The evaluation paths a row is timed on: the default, and the tape with `--tape`.
func evaluationPaths(_ solver: SolverConfiguration) -> [(label: String, solver: SolverConfiguration)] {
    var tape = solver
    tape.evaluation = .tape  // TAPE-OPTION
    return [("", solver)] + (options.tape ? [(", tape", tape)] : [])  // TAPE-OPTION
}

/// Times `steps` training steps `reps` times (after one untimed run) and prints the best and median wall
/// time per step, the best thread CPU time per step (the figure to compare on a busy machine), the NFE per
/// step and the field's GFLOP/s at the best CPU time.
func measureSteps(_ label: String, steps: Int, flopsPerEvaluation: Double, _ body: () throws -> (forward: Int, backward: Int)) rethrows {
    if let rows = options.rows, !label.contains(rows) { return }
    _ = try body()
    var times = [Double](), cpu = [Double]()
    var nfe = (forward: 0, backward: 0)
    for _ in 0..<options.reps {
        let (start, startCPU) = (now(), threadCPUTime())
        nfe = try body()
        times.append((now() - start) / Double(steps))
        cpu.append((threadCPUTime() - startCPU) / Double(steps))
    }
    times.sort()
    let (f, b) = (Double(nfe.forward) / Double(steps), Double(nfe.backward) / Double(steps))
    let flops = flopsPerEvaluation * (f + 3 * b)
    print(String(
        format: "%-62@ wall %9.3f ms/step (median %9.3f)  cpu %9.3f ms  NFE %5.0f/%-5.0f %7.1f MFLOP %5.2f GFLOP/s",
        label as NSString, times[0] * 1e3, times[times.count / 2] * 1e3, cpu.min()! * 1e3, f, b, flops * 1e-6,
        flops / cpu.min()! * 1e-9))
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let environment = ProcessInfo.processInfo.environment
print("OpenBLAS core \(openBLASCoreName()), OPENBLAS_NUM_THREADS=\(environment["OPENBLAS_NUM_THREADS"] ?? "unset"), reps \(options.reps)")

do {
    for name in options.cases {
        switch name {
        case "pointcloud":
            // Full batch of the 50 reference training points, found like the executables find their data.
            let locator = DataLocator(explicit: options.data, environment: environment)
            let data = try NestedSpheres.loadReference(csv: locator.url(for: "point_cloud/reference-pointcloud-2d.csv").path).train
            for family in [ModelFamily.node, .hbnode] {
                let base: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: 1)
                let flops = fieldFlops(base.field, batch: data.count)
                for (solverLabel, solverChoice) in smallModelSolvers {
                    for (pathLabel, solver) in evaluationPaths(solverChoice) {
                        // 20 iterations from the seed-1 initialisation (the adaptive NFE grows as the model trains).
                        let settings = PointCloudSettings(iterations: 20, solver: solver)
                        try measureSteps("point cloud \(family), batch \(data.count), \(solverLabel)\(pathLabel)", steps: 20, flopsPerEvaluation: flops) {
                            var model = base
                            var forward = 0, backward = 0
                            try PointCloudTraining.train(&model, on: data, settings: settings) { _, report, _ in
                                forward += report.forwardEvaluations
                                backward += report.backwardEvaluations
                            }
                            return (forward, backward)
                        }
                    }
                }
            }
        case "pv", "walker":
            let isPV = name == "pv"
            let batch = isPV ? 64 : options.walkerBatch, channels = isPV ? 5 : 17
            let model: ODERNNModel<Float> = isPV
                ? ExperimentModels.planeVibration(.hbnode, seed: 1) : ExperimentModels.walker2D(.hbnode, seed: 1)
            let data = sequence(batch: batch, channels: channels, steps: options.steps, seed: 3)
            var g = SeededGenerator(seed: 4)
            let targets = Tensor<Float>(randomNormal: [options.steps, batch, channels], using: &g)
            let forecastTargets = Tensor<Float>(randomNormal: [model.forecastSteps, batch, channels], using: &g)
            let observed = Tensor<Float>(shape: [options.steps, batch, channels], scalars: data.observations.flatMap(\.scalars))
            let label = isPV ? "plane vibration HBNODE-RNN" : "Walker2D HBNODE-RNN"
            let flops = fieldFlops(model.field, batch: batch)
            for (solverLabel, solverChoice) in smallModelSolvers {
                for (pathLabel, solver) in evaluationPaths(solverChoice) {
                    try measureSteps("\(label), batch \(batch) x \(options.steps) steps, \(solverLabel)\(pathLabel)", steps: 1, flopsPerEvaluation: flops) {
                        var parameters = model.parameters
                        var adam = Adam<Float>(learningRate: 1e-3)
                        let report = try trainingStep(parameters: &parameters, optimizer: &adam, learningRate: 1e-3) { p, log in
                            let run = try model.trajectory(data, p, solver: solver, log: log)
                            guard isPV else { return Losses.meanSquaredError(model.predictions(run, p), targets) }
                            let initial = model.stackedOutputs((0..<options.steps).map { run.rnnStates[$0]! }, p)
                            return planeVibrationLoss(
                                predict: model.predictions(run, p), y: targets, initial: initial, x: observed,
                                forecast: model.stackedOutputs(run.forecastStates, p), z: forecastTargets)
                        }
                        return (report.forwardEvaluations, report.backwardEvaluations)
                    }
                }
            }
        case "field":
            // One evaluation and one VJP of the point-cloud fields at batch 50, compiled and on the tape: the
            // per-call cost the training steps multiply by their NFE.
            for family in [ModelFamily.node, .hbnode] {
                let model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: 1)
                var g = SeededGenerator(seed: 6)
                let shape = family == .node ? [50, 2] : [50, 2, 2]
                let z = Tensor<Float>(randomNormal: shape, using: &g), a = Tensor<Float>(randomNormal: shape, using: &g)
                let constants = model.parameters.values.map { Variable(constant: $0) }
                let tape = ODEBlock.vectorField(model.field, parameters: constants)
                let flops = fieldFlops(model.field, batch: 50)
                func row(_ label: String, flops: Double, _ body: () throws -> Void) rethrows {
                    let calls = 2000
                    try body()
                    var best = Double.infinity
                    for _ in 0..<options.reps {
                        let start = threadCPUTime()
                        for _ in 0..<calls { try body() }
                        best = min(best, (threadCPUTime() - start) / Double(calls))
                    }
                    print(String(format: "%-62@ cpu %8.2f µs per call  %5.2f GFLOP/s", label as NSString, best * 1e6, flops / best * 1e-9))
                }
                if let dense = DenseVectorField(model.field, store: model.parameters.values, stateShape: shape) {
                    try row("point cloud \(family) field value, batch 50, compiled", flops: flops) { _ = try dense(0.5, z) }
                    try row("point cloud \(family) field value + VJP, batch 50, compiled", flops: 3 * flops) {
                        _ = try dense.vectorJacobianProduct(0.5, z, cotangent: a)
                    }
                }
                try row("point cloud \(family) field value, batch 50, tape", flops: flops) { _ = try tape(0.5, z) }
                try row("point cloud \(family) field value + VJP, batch 50, tape", flops: 3 * flops) {
                    _ = try tape.vectorJacobianProduct(0.5, z, cotangent: a)
                }
            }
        case "mnist":
            // One evaluation of the HBNODE vector field and its VJP (state and parameters) at batch 64.
            let model: ContinuousDepthModel<Float> = ExperimentModels.image(.mnist, .hbnode, seed: 1)
            var g = SeededGenerator(seed: 5)
            let images = Tensor<Float>(randomNormal: [64, 1, 28, 28], using: &g)
            let constants = model.parameters.values.map { Variable(constant: $0) }
            let z0 = model.initialCondition(Variable(constant: images), constants).value
            let cotangent = Tensor<Float>(randomNormal: z0.shape, using: &g)
            try measure("MNIST HBNODE field value, batch 64, state \(z0.shape)", reps: options.reps) {
                _ = model.field(0.5, Variable(constant: z0), constants)
                return ""
            }
            try measure("MNIST HBNODE field value + VJP (state, parameters), batch 64", reps: options.reps) {
                let (_, pullback) = valueWithPullback(at: [z0] + model.parameters.values) { v in
                    model.field(0.5, v[0], Array(v[1...]))
                }
                let grads = pullback(cotangent)
                return grads[0].isFinite ? "" : "non-finite gradient"
            }
        default:
            break
        }
    }
} catch {
    FileHandle.standardError.write(Data("neuralode-bench: \(error)\n".utf8))
    exit(1)
}

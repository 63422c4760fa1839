// bench-compare: one training step of the MNIST and CIFAR-10 models here and in PyTorch + torchdiffeq,
// side by side in one run.
//
// A step is what the image experiments run per batch: forward solve, cross-entropy, backsolve adjoint,
// gradient clipping (10), Adam. Inputs are random images and labels of the real shapes (batch 64). For
// each workload the Swift step is timed, then the PyTorch reference (`scripts/bench_compare_torch.py`, the
// same architectures written for PyTorch) in a child process, so load from other processes affects both
// alike. Without `torch` and `torchdiffeq` only the Swift figures are printed.
//
//   swift run -c release bench-compare [--reps N] [--workloads a,b,...] [--no-torch]
import Experiments
import Foundation
import NeuralODEModels
import ODESolvers
import Tensors

struct Workload {
    var name: String
    var mnist: Bool
    var family: ModelFamily
    /// `nil`: rk4 with dt 0.1; otherwise dopri5 at rtol = atol = tolerance.
    var tolerance: Double?

    var solver: SolverConfiguration {
        guard let tolerance else { return SolverConfiguration(method: .rk4, controller: .fixed(dt: 0.1), gradient: .backsolve()) }
        return SolverConfiguration(tolerance: tolerance)
    }
    var solverLabel: String { tolerance.map { "dopri5 \($0)" } ?? "rk4 dt 0.1" }
}

let allWorkloads = [
    Workload(name: "mnist-node-rk4", mnist: true, family: .node, tolerance: nil),
    Workload(name: "mnist-hbnode-rk4", mnist: true, family: .hbnode, tolerance: nil),
    Workload(name: "mnist-hbnode-dopri5-1e-5", mnist: true, family: .hbnode, tolerance: 1e-5),
    Workload(name: "mnist-hbnode-dopri5-1e-4", mnist: true, family: .hbnode, tolerance: 1e-4),
    Workload(name: "mnist-node-dopri5-1e-4", mnist: true, family: .node, tolerance: 1e-4),
    Workload(name: "cifar-node-rk4", mnist: false, family: .node, tolerance: nil),
    Workload(name: "cifar-hbnode-rk4", mnist: false, family: .hbnode, tolerance: nil),
]

func argument(_ name: String) -> String? {
    CommandLine.arguments.firstIndex(of: name).flatMap { $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil }
}
if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print("""
        usage: bench-compare [--reps N] [--workloads NAME,...] [--no-torch] [--batch B]
          Times one training step per workload here and with PyTorch + torchdiffeq (when importable).
          --reps N        timed steps per workload after one warm-up step (default 2; the best is reported)
          --workloads     comma-separated subset of: \(allWorkloads.map(\.name).joined(separator: ", "))
          --no-torch      Swift figures only
          --batch B       batch size (default 64)
        """)
    exit(0)
}
let reps = max(1, Int(argument("--reps") ?? "2") ?? 2)
let batch = max(1, Int(argument("--batch") ?? "64") ?? 64)
let selected = argument("--workloads").map { Set($0.split(separator: ",").map(String.init)) }
let workloads = allWorkloads.filter { selected?.contains($0.name) ?? true }
if let selected, workloads.count != selected.count {
    FileHandle.standardError.write("bench-compare: unknown workload in \(selected.sorted()); known: \(allWorkloads.map(\.name))\n".data(using: .utf8)!)
    exit(2)
}

/// The directory of the PyTorch reference script: next to the package root.
let scriptPath: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("scripts/bench_compare_torch.py").path
}()

func torchAvailable() -> Bool {
    guard !CommandLine.arguments.contains("--no-torch") else { return false }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import torch, torchdiffeq"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

struct Measurement { var seconds: Double; var forwardNFE: Double; var backwardNFE: Double }

func runTorch(_ w: Workload) -> Measurement? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", scriptPath, "--workload", w.name, "--reps", String(reps), "--batch", String(batch)]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
          let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let seconds = object["seconds"] as? Double, let f = object["forward_nfe"] as? Double,
          let b = object["backward_nfe"] as? Double
    else { return nil }
    return Measurement(seconds: seconds, forwardNFE: f, backwardNFE: b)
}

func runSwift(_ w: Workload) throws -> Measurement {
    let side = w.mnist ? 28 : 32, channels = w.mnist ? 1 : 3
    var model: ContinuousDepthModel<Float> = ExperimentModels.image(w.mnist ? .mnist : .cifar10, w.family, seed: 0)
    var optimizer = Adam<Float>(learningRate: 5e-4)
    var generator = SeededGenerator(seed: 7)
    let images = Tensor<Float>(randomUniform: [batch, channels, side, side], lowerBound: 0, upperBound: 1, using: &generator)
    let labels = (0..<batch).map { $0 % 10 }
    let solver = w.solver
    var best = Double.infinity, nfe = (forward: 0, backward: 0)
    for rep in 0...reps {
        let frozen = model
        let start = Date()
        let report = try trainingStep(parameters: &model.parameters, optimizer: &optimizer, learningRate: 5e-4, clipNorm: 10) { p, log in
            Losses.crossEntropy(try frozen(Variable(constant: images), p, solver: solver, log: log), labels: labels)
        }
        let seconds = Date().timeIntervalSince(start)
        if rep > 0 { best = min(best, seconds) }
        nfe = (report.forwardEvaluations, report.backwardEvaluations)
    }
    return Measurement(seconds: best, forwardNFE: Double(nfe.forward), backwardNFE: Double(nfe.backward))
}

AllocatorTuning.keepFreedMemory()
setvbuf(stdout, nil, _IOLBF, 0)  // one line per workload as it finishes, also into a pipe or file
let withTorch = torchAvailable()
// The steps run inside `BLASThreads.with(1)`, so that is where the convolutions' thread count is read.
let convolutionThreads = BLASThreads.with(1) { tensorWorkerCount }
print("bench-compare: batch \(batch), best of \(reps) steps after a warm-up, convolutions on \(convolutionThreads) threads"
      + (withTorch ? ", PyTorch reference: \(scriptPath)" : ""))
if !withTorch {
    print("(PyTorch reference skipped: `pip install torch torchdiffeq` to compare; it is never needed to build or test)")
}
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
print(pad("workload", 26) + pad("solver", 16) + pad("here s", 9) + pad("NFE f/b", 12) + pad("torch s", 9) + pad("NFE f/b", 12) + "here/torch")
for w in workloads {
    let swift = try BLASThreads.with(1) { try runSwift(w) }
    let torch = withTorch ? runTorch(w) : nil
    let nfe = { (m: Measurement) in String(format: "%.0f/%.0f", m.forwardNFE, m.backwardNFE) }
    var line = pad(w.name, 26) + pad(w.solverLabel, 16) + pad(String(format: "%.2f", swift.seconds), 9) + pad(nfe(swift), 12)
    if let torch {
        line += pad(String(format: "%.2f", torch.seconds), 9) + pad(nfe(torch), 12) + String(format: "%.2fx", swift.seconds / torch.seconds)
    } else if withTorch {
        line += "torch run failed"
    }
    print(line)
}

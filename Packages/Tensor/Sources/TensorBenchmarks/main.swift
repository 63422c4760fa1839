// tensor-bench: throughput of the Tensor package against its hardware references.
//
// Run in release: `swift run -c release --package-path Packages/Tensor tensor-bench` or `Packages/Tensor/bench.sh`
// (which sets OPENBLAS_CORETYPE=SkylakeX only where it is unset and the CPU has AVX-512).
// Every figure is printed with the OpenBLAS kernel in use. Timings are the best of several repeats, so
// that a busy machine (other builds on the 2 cores) disturbs them as little as possible.
import COpenBLAS
import Foundation
import Tensors

if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print("""
        usage: tensor-bench [--quick] [--only gemm,conv,elementwise,mlp] [--conv-algorithm im2col|winograd]
          Release-build throughput of the Tensor package against its hardware references (SGEMM peak):
          GEMM, convolutions (GFLOP/s direct-equivalent), elementwise kernels and the point-cloud MLP.
          --quick            fewer repeats and shapes
          --only SECTIONS    comma-separated sections (conv runs gemm too, for its peak)
          --conv-algorithm   time one convolution algorithm only
        Run with `swift run -c release --package-path Packages/Tensor tensor-bench`.
        """)
    exit(0)
}
let known: Set<String> = ["--quick", "--only", "--conv-algorithm"]
for (i, argument) in CommandLine.arguments.enumerated().dropFirst()
where argument.hasPrefix("-") && !known.contains(argument) && !known.contains(CommandLine.arguments[i - 1]) {
    FileHandle.standardError.write(Data("tensor-bench: unknown option \(argument) (see --help)\n".utf8))
    exit(2)
}
let core = String(cString: openblas_get_corename())
let quick = CommandLine.arguments.contains("--quick")
/// `--only gemm,conv,elementwise,mlp` runs some sections (conv needs gemm's peak and runs it too).
let only: Set<String>? = CommandLine.arguments.firstIndex(of: "--only").map { i in
    Set(CommandLine.arguments[(i + 1)...].first?.split(separator: ",").map(String.init) ?? [])
}
/// `--conv-algorithm im2col|winograd` times one convolution algorithm only (for profiling it).
let convolutionAlgorithms: [ConvolutionAlgorithm] = {
    guard let i = CommandLine.arguments.firstIndex(of: "--conv-algorithm"), i + 1 < CommandLine.arguments.count else {
        return [.im2col, .winograd]
    }
    return CommandLine.arguments[i + 1] == "im2col" ? [.im2col] : [.winograd]
}()
func enabled(_ section: String) -> Bool {
    guard let only else { return true }
    return only.contains(section) || (section == "gemm" && only.contains("conv"))
}

/// Best wall time in seconds of `repeats` runs of `body` (after one warm-up run).
@inline(never)
func bestTime(repeats: Int, _ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<repeats {
        let elapsed = clock.measure { body() }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        best = min(best, seconds)
    }
    return best
}

/// Best on-CPU time of this thread in seconds (for single-threaded work: unaffected by time spent
/// descheduled while other processes use the cores).
@inline(never)
func bestThreadCPUTime(repeats: Int, _ body: () -> Void) -> Double {
    func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
    body()
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = now()
        body()
        best = min(best, now() - start)
    }
    return best
}

func report(_ name: String, _ value: String) {
    print("[\(core)] \(name.padding(toLength: 58, withPad: " ", startingAt: 0)) \(value)")
}

func percent(_ x: Double) -> String { String(format: "%.0f %%", 100 * x) }
func fmt(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

var generator = SeededGenerator(seed: 2024)
print("tensor-bench: OpenBLAS core \(core), OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)"), "
    + "\(ProcessInfo.processInfo.activeProcessorCount) cores\(quick ? ", quick mode" : "")")

// MARK: 1. SGEMM through the Tensor API vs raw cblas_sgemm

var sgemmPeak = 0.0
for n in !enabled("gemm") ? [] : quick ? [512] : [1024, 2048] {
    let a = Tensor<Float>(randomUniform: [n, n], lowerBound: -1, upperBound: 1, using: &generator)
    let b = Tensor<Float>(randomUniform: [n, n], lowerBound: -1, upperBound: 1, using: &generator)
    var c = [Float](repeating: 0, count: n * n)
    let flops = 2 * Double(n) * Double(n) * Double(n)
    let repeats = n >= 2048 ? 5 : 10
    // Raw and API runs alternate, so that load from other processes affects both alike.
    var raw = Double.infinity, api = Double.infinity
    for _ in 0..<repeats {
        raw = min(raw, a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    bestTime(repeats: 1) {
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(n), blasint(n), blasint(n), 1,
                            pa.baseAddress, blasint(n), pb.baseAddress, blasint(n), 0, pc.baseAddress, blasint(n))
                    }
                }
            }
        })
        api = min(api, bestTime(repeats: 1) { blackHole(a.matmul(b)) })
    }
    sgemmPeak = max(sgemmPeak, flops / raw / 1e9)
    report("SGEMM \(n)^3 raw cblas_sgemm", "\(fmt(flops / raw / 1e9)) GFLOP/s")
    report("SGEMM \(n)^3 Tensor.matmul", "\(fmt(flops / api / 1e9)) GFLOP/s = \(percent(raw / api)) of raw (target ≥ 95 %)")
}
if enabled("gemm") { report("SGEMM peak measured (reference below)", "\(fmt(sgemmPeak)) GFLOP/s") }

// MARK: 2. conv2d forward + backward, MNIST vector field shape

/// One 3×3 pad-1 convolution with a constant (time) channel appended, as in the image models' vector
/// fields, timed per algorithm; runs of the two algorithms alternate so that load from other processes
/// affects both alike. Throughput is "direct-equivalent": the direct algorithm's FLOPs over the time.
func benchmarkConvolution(batch: Int, channels: Int, side: Int, repeats: Int, label: String) {
    let x = Tensor<Float>(randomNormal: [batch, channels, side, side], using: &generator)
    let w = Tensor<Float>(pytorchDefaultInitWeight: [channels, channels + 1, 3, 3], using: &generator)
    let b = Tensor<Float>(pytorchDefaultInit: [channels], fanIn: (channels + 1) * 9, using: &generator)
    let seed = Tensor<Float>(randomNormal: [batch, channels, side, side], using: &generator)
    let flops = Convolution2D.Geometry(
        input: [batch, channels + 1, side, side], weight: w.shape, padding: (1, 1)).forwardFLOPs
    let algorithms: [ConvolutionAlgorithm] = convolutionAlgorithms
    var forward = [Double](repeating: .infinity, count: algorithms.count), total = forward, input = forward, weight = forward
    for _ in 0..<repeats {
        for (i, algorithm) in algorithms.enumerated() {
            forward[i] = min(forward[i], bestTime(repeats: 1) {
                blackHole(conv2d(x, weight: w, bias: b, padding: 1, appendingConstantChannel: 0.5, algorithm: algorithm))
            })
            input[i] = min(input[i], bestTime(repeats: 1) {
                blackHole(Convolution2D.backward(
                    outputGradient: seed, input: x, weight: w, padding: (1, 1), constantChannel: 0.5,
                    algorithm: algorithm, wrt: (true, false, false)))
            })
            weight[i] = min(weight[i], bestTime(repeats: 1) {
                blackHole(Convolution2D.backward(
                    outputGradient: seed, input: x, weight: w, padding: (1, 1), constantChannel: 0.5,
                    algorithm: algorithm, wrt: (false, true, true)))
            })
            total[i] = min(total[i], bestTime(repeats: 1) {
                let tape = Tape<Float>()
                let v = tape.variables([x, w, b])
                let y = conv2d(v[0], weight: v[1], bias: v[2], padding: 1, appendingConstantChannel: 0.5, algorithm: algorithm)
                blackHole(tape.gradients(of: y, seed: seed, wrt: v))
            })
        }
    }
    let shape = "\(label) conv2d \(batch)x\(channels)(+t)x\(side)x\(side) 3x3"
    for (i, algorithm) in algorithms.enumerated() {
        let totalGF = 3 * flops / total[i] / 1e9
        report(
            "\(shape) \(algorithm) fwd+bwd",
            "\(fmt(total[i] * 1e3)) ms, \(fmt(totalGF)) GFLOP/s direct-equivalent = \(percent(totalGF / sgemmPeak)) of SGEMM")
        report(
            "  forward / input grad / weight grad",
            "\(fmt(forward[i] * 1e3)) / \(fmt(input[i] * 1e3)) / \(fmt(weight[i] * 1e3)) ms = "
                + "\(fmt(flops / forward[i] / 1e9)) / \(fmt(flops / input[i] / 1e9)) / \(fmt(flops / weight[i] / 1e9)) GFLOP/s")
    }
    if algorithms.count == 2 { report("  winograd / im2col time, fwd+bwd", "\(fmt(total[1] / total[0], 3))") }
}

if enabled("conv") {
    // OpenBLAS on one thread: the convolutions then split the batch over every core themselves
    // (`tensorWorkerCount`), which is how the image experiments run them.
    let repeats = quick ? 2 : 6
    BLASThreads.with(1) {
        report("convolutions split over", "\(tensorWorkerCount) threads (OpenBLAS on \(BLASThreads.count))")
        benchmarkConvolution(batch: quick ? 8 : 64, channels: 92, side: 28, repeats: repeats, label: "MNIST NODE")
        benchmarkConvolution(batch: quick ? 8 : 64, channels: 50, side: 28, repeats: repeats, label: "MNIST HBNODE")
        if !quick { benchmarkConvolution(batch: 64, channels: 125, side: 32, repeats: repeats, label: "CIFAR NODE") }
    }
}

// MARK: 3. Elementwise ops vs memcpy bandwidth

if enabled("elementwise") {
    let n = quick ? 1 << 20 : 4 << 20  // 16 MB per Float array: beyond the caches
    let bytes = Double(n * MemoryLayout<Float>.size)
    let a = Tensor<Float>(randomUniform: [n], lowerBound: 0.5, upperBound: 1.5, using: &generator)
    let b = Tensor<Float>(randomUniform: [n], lowerBound: 0.5, upperBound: 1.5, using: &generator)
    var target = [Float](repeating: 0, count: n)
    let repeats = quick ? 5 : 20
    let copy = a.scalars.withUnsafeBufferPointer { src in
        target.withUnsafeMutableBufferPointer { dst in
            bestThreadCPUTime(repeats: repeats) { memcpy(dst.baseAddress!, src.baseAddress!, Int(bytes)) }
        }
    }
    let memcpyGBs = 2 * bytes / copy / 1e9
    report("memcpy \(Int(bytes) >> 20) MB (read + write)", "\(fmt(memcpyGBs)) GB/s")
    func line(_ name: String, traffic: Double, _ body: () -> Void) {
        let t = bestThreadCPUTime(repeats: repeats, body)
        let gbs = traffic * bytes / t / 1e9
        report(name, "\(fmt(gbs)) GB/s = \(percent(gbs / memcpyGBs)) of memcpy (target ≥ 50 %)")
    }
    var x = a
    line("x += y (in place, 3 streams)", traffic: 3) { x += b }
    line("x *= 1.0001 (in place, 2 streams)", traffic: 2) { x *= 1.0001 }
    var out = a
    line("Tensor.add(x, y, into:) (3 streams)", traffic: 3) { Tensor.add(a, b, into: &out) }
    line("x + y (new result, 3 streams)", traffic: 3) { blackHole(a + b) }
    line("x * y (new result, 3 streams)", traffic: 3) { blackHole(a * b) }
    line("x * 2 (new result, 2 streams)", traffic: 2) { blackHole(a * 2) }
    let rows = Tensor<Float>(randomUniform: [n / 1024, 1024], lowerBound: 0, upperBound: 1, using: &generator)
    let bias = Tensor<Float>(randomUniform: [1024], lowerBound: 0, upperBound: 1, using: &generator)
    line("[B, N] + [N] bias broadcast (new result)", traffic: 2) { blackHole(rows + bias) }
    let image = a.reshaped([-1, 64, 32, 32])
    let channel = Tensor<Float>(randomUniform: [1, 64, 1, 1], lowerBound: 0, upperBound: 1, using: &generator)
    line("[B,C,H,W] * [1,C,1,1] broadcast (new result)", traffic: 2) { blackHole(image * channel) }
    line("relu(x) (new result)", traffic: 2) { blackHole(a.relu()) }
    line("exp(x) (new result; compute-bound)", traffic: 2) { blackHole(a.exp()) }
    line("tanh(x) (new result; compute-bound)", traffic: 2) { blackHole(a.tanh()) }
}

// MARK: 4. Autodiff overhead: the point-cloud MLP, batch 50, 2 → 20 → 20 → 2, ELU

if enabled("mlp") {
    let x = Tensor<Float>(randomNormal: [50, 2], using: &generator)
    let target = Tensor<Float>(randomNormal: [50, 2], using: &generator)
    let parameters: [Tensor<Float>] = [
        Tensor(pytorchDefaultInitWeight: [20, 2], using: &generator),
        Tensor(pytorchDefaultInit: [20], fanIn: 2, using: &generator),
        Tensor(pytorchDefaultInitWeight: [20, 20], using: &generator),
        Tensor(pytorchDefaultInit: [20], fanIn: 20, using: &generator),
        Tensor(pytorchDefaultInitWeight: [2, 20], using: &generator),
        Tensor(pytorchDefaultInit: [2], fanIn: 20, using: &generator),
    ]
    let iterations = quick ? 2_000 : 20_000
    func step() {
        let tape = Tape<Float>()
        let p = tape.variables(parameters)
        let input = Variable(constant: x)
        let h1 = elu(linear(input, weight: p[0], bias: p[1]))
        let h2 = elu(linear(h1, weight: p[2], bias: p[3]))
        let y = linear(h2, weight: p[4], bias: p[5])
        let loss = mseLoss(y, target)
        blackHole(tape.gradients(of: loss, wrt: p))
    }
    let t = bestThreadCPUTime(repeats: 5) { for _ in 0..<iterations { step() } } / Double(iterations)
    report("MLP 50x(2→20→20→2) ELU, MSE: forward+backward", "\(fmt(t * 1e6, 2)) µs per step (target ≤ 20 µs)")
    // Where the time goes: the same forward on constants (no tape), and the raw GEMM calls alone.
    func forwardOnly() {
        let p = parameters.map { Variable(constant: $0) }
        let input = Variable(constant: x)
        let h1 = elu(linear(input, weight: p[0], bias: p[1]))
        let h2 = elu(linear(h1, weight: p[2], bias: p[3]))
        blackHole(mseLoss(linear(h2, weight: p[4], bias: p[5]), target))
    }
    let tf = bestThreadCPUTime(repeats: 5) { for _ in 0..<iterations { forwardOnly() } } / Double(iterations)
    report("  of which: the forward pass alone, untaped", "\(fmt(tf * 1e6, 2)) µs")
    // The 8 GEMMs of one step (3 forward, 5 backward), raw cblas_sgemm on preallocated buffers.
    var c = [Float](repeating: 0, count: 50 * 20)
    let left = [Float](repeating: 0.5, count: 50 * 20), right = [Float](repeating: 0.25, count: 20 * 20)
    let shapes: [(Bool, Bool, Int, Int, Int)] = [
        (false, true, 50, 20, 2), (false, true, 50, 20, 20), (false, true, 50, 2, 20),  // forward x·Wᵀ
        (false, false, 50, 20, 2), (true, false, 2, 20, 50),  // layer 3: ḡ·W, ḡᵀ·h
        (false, false, 50, 20, 20), (true, false, 20, 20, 50),  // layer 2
        (true, false, 20, 2, 50),  // layer 1: weight only
    ]
    let tg = bestThreadCPUTime(repeats: 5) {
        for _ in 0..<iterations {
            for (ta, tb, m, n, k) in shapes {
                cblas_sgemm(
                    CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, blasint(m),
                    blasint(n), blasint(k), 1, left, blasint(ta ? m : k), right, blasint(tb ? k : n), 0, &c, blasint(n))
            }
        }
    } / Double(iterations)
    report("  of which: its 8 GEMMs as raw cblas_sgemm calls", "\(fmt(tg * 1e6, 2)) µs")
    // Vector-Jacobian product of the vector field alone, the adjoint method's inner operation.
    let a = Tensor<Float>(randomNormal: [50, 2], using: &generator)
    func vjp() {
        let tape = Tape<Float>()
        let p = tape.variables([x] + parameters)
        let h1 = elu(linear(p[0], weight: p[1], bias: p[2]))
        let h2 = elu(linear(h1, weight: p[3], bias: p[4]))
        let y = linear(h2, weight: p[5], bias: p[6])
        blackHole(tape.gradients(of: y, seed: a, wrt: p))
    }
    let tv = bestThreadCPUTime(repeats: 5) { for _ in 0..<iterations { vjp() } } / Double(iterations)
    report("MLP vector field: value + VJP wrt state and parameters", "\(fmt(tv * 1e6, 2)) µs per call")
}

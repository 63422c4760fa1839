// adjoint-bench: one training step (forward solve + backward pass) of the MNIST-size HBNODE vector field
// with one gradient method per process, so that getrusage's peak RSS belongs to that method alone.
//
//   swift run -c release --package-path Packages/Adjoint adjoint-bench --method backsolve [--batch 64]
//       [--channels 5] [--hidden 50] [--size 28] [--end 1] [--tol 1e-4] [--repeats 2]
//
// Field (the heavy-ball form of the official code, MNIST sizes): h' = −m, m' = f(t, h) − sigmoid(ω)·m, with
// f(t, z) = C3([R(C2([R(C1([z, t])), t])), t]): 1×1 conv (d+1 → n), ReLU, 3×3 conv pad 1 (n+1 → n), ReLU,
// 1×1 conv (n+1 → d); t enters as a constant channel. The state is the TensorList [h, m] with
// h, m of shape [batch, d, size, size] (the reference stacks them as [batch, 2, d, size, size]).
// The loss cotangent is a fixed random tensor on h(T), standing in for the classifier's gradient.
import Adjoint
import Foundation
import ODESolvers
import Tensors

#if canImport(Glibc)
import Glibc
#endif

struct Arguments {
    var method = "backsolve"
    var batch = 64, channels = 5, hidden = 50, size = 28
    var end = 1.0, tol = 1e-4
    var repeats = 2

    init(_ arguments: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < arguments.count else {
                fputs("missing value after \(arguments[i - 1])\n", stderr)
                exit(2)
            }
            return arguments[i]
        }
        func number<Value: LosslessStringConvertible>() -> Value {
            let text = value()
            guard let parsed = Value(text) else {
                fputs("adjoint-bench: \(arguments[i - 1]) needs a number, got '\(text)'\n", stderr)
                exit(2)
            }
            return parsed
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--method": method = value()
            case "--batch": batch = number()
            case "--channels": channels = number()
            case "--hidden": hidden = number()
            case "--size": size = number()
            case "--end": end = number()
            case "--tol": tol = number()
            case "--repeats": repeats = number()
            case "--help", "-h":
                print("""
                    usage: adjoint-bench [--method backsolve|seminorm|direct|checkpointed] [--batch 64] [--channels 5]
                                         [--hidden 50] [--size 28] [--end 1] [--tol 1e-4] [--repeats 2]
                      Release-build forward + backward time and NFE of one gradient method on a convolutional
                      heavy-ball field of the MNIST shape (batch × 2·channels × size × size, hidden channels).
                    """)
                exit(0)
            default:
                fputs("adjoint-bench: unknown argument \(arguments[i]) (see --help)\n", stderr)
                exit(2)
            }
            i += 1
        }
    }

    var gradient: GradientMethod {
        switch method {
        case "backsolve": return .backsolve()
        case "seminorm": return .backsolve(AdjointSolveOptions(norm: .seminorm))
        case "direct": return .direct
        case "checkpointed": return .checkpointed()
        default:
            fputs("unknown method \(method) (backsolve, seminorm, direct, checkpointed)\n", stderr)
            exit(2)
        }
    }
}

/// A small deterministic generator (SplitMix64) for weights and inputs.
struct Generator {
    var state: UInt64
    mutating func uniform() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(Double(z >> 11) / Double(1 << 53))
    }
    /// PyTorch's default conv init: U(−1/√fan_in, 1/√fan_in).
    mutating func tensor(_ shape: [Int], bound: Float) -> Tensor<Float> {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in (2 * uniform() - 1) * bound })
    }
}

func heavyBallField(channels d: Int, hidden n: Int, generator: inout Generator) -> TapeVectorField<TensorList<Float>> {
    func conv(_ input: Int, _ output: Int, _ k: Int) -> [Tensor<Float>] {
        let bound = 1 / Float(input * k * k).squareRoot()
        return [generator.tensor([output, input, k, k], bound: bound), generator.tensor([output], bound: bound)]
    }
    let parameters = [Tensor<Float>([-3])] + conv(d + 1, n, 1) + conv(n + 1, n, 3) + conv(n + 1, d, 1)
    return TapeVectorField(parameters: parameters) { t, y, p in
        let (h, m) = (y[0], y[1])
        func withTime(_ z: Variable<Float>) -> Variable<Float> {
            var shape = z.shape
            shape[1] = 1
            return Variable.concatenate([z, Variable(constant: Tensor(repeating: Float(t), shape: shape))], axis: 1)
        }
        var z = conv2d(withTime(h), weight: p[1], bias: p[2]).relu()
        z = conv2d(withTime(z), weight: p[3], bias: p[4], padding: 1).relu()
        let force = conv2d(withTime(z), weight: p[5], bias: p[6])
        let gamma = p[0].sigmoid().reshaped([1, 1, 1, 1])
        return [-m, force - m * gamma]
    }
}

func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
}

/// User + system CPU seconds of the whole process (the machine is shared, so wall time alone misleads).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func openBLASCore() -> String {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_get_corename") else { return "unknown" }
    typealias CoreName = @convention(c) () -> UnsafePointer<CChar>
    return String(cString: unsafeBitCast(symbol, to: CoreName.self)())
}

let arguments = Arguments(CommandLine.arguments)
var generator = Generator(state: 2021)
let field = heavyBallField(channels: arguments.channels, hidden: arguments.hidden, generator: &generator)
let shape = [arguments.batch, arguments.channels, arguments.size, arguments.size]
let y0 = TensorList([generator.tensor(shape, bound: 1), generator.tensor(shape, bound: 0.1)])
let cotangent = TensorList([generator.tensor(shape, bound: 1e-3), Tensor<Float>(zeros: shape)])
let stateBytes = 2 * shape.reduce(1, *) * MemoryLayout<Float>.size

print("adjoint-bench: method \(arguments.method), state 2×\(shape), hidden \(arguments.hidden), "
      + "T \(arguments.end), rtol = atol = \(arguments.tol), OpenBLAS core \(openBLASCore()), "
      + "threads \(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "default")")
for repeatIndex in 0..<arguments.repeats {
    let start = Date()
    let cpuStart = cpuSeconds()
    let forward = try solveWithGradient(
        field, y0: y0, times: [0, arguments.end], controller: .adaptive(rtol: arguments.tol, atol: arguments.tol),
        gradient: arguments.gradient)
    let forwardSeconds = Date().timeIntervalSince(start)
    let result = try forward.backward(cotangents: [nil, cotangent])
    let totalSeconds = Date().timeIntervalSince(start)
    let cpu = cpuSeconds() - cpuStart
    let held = (forward.solution.states.count + forward.solution.steps.count) * stateBytes
    let f = forward.statistics, b = result.statistics
    print(String(
        format: "step %d: %.2f s wall, %.2f s CPU (forward %.2f s, backward %.2f s wall); NFE forward %d (%d accepted, %d rejected), "
            + "backward %d (%d accepted, %d rejected); states held %.1f MB; peak RSS %.0f MB; |dL/dω| %.3e",
        repeatIndex, totalSeconds, cpu, forwardSeconds, totalSeconds - forwardSeconds, f.functionEvaluations,
        f.acceptedSteps, f.rejectedSteps, b.functionEvaluations, b.acceptedSteps, b.rejectedSteps,
        Double(held) / 1e6, peakResidentMegabytes(), Double(abs(result.parameters[0].scalars[0]))))
}

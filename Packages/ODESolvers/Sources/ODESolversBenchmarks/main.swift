// odesolvers-bench: how much time the solver spends outside the vector field.
//
// 1. A 2-D linear system (harmonic oscillator, Double): overhead per step = (solve time − NFE × time of
//    one field call, measured alone in a loop) / steps.
// 2. An MNIST-size state (Tensor<Float> 64x5x28x28): time inside the field is measured by wrapping it
//    with a clock; the share outside is (solve − inside) / solve. Two fields: a cheap elementwise one
//    (the worst case for the share) and the MNIST HBNODE-shaped conv net (1x1 5→50, ReLU, 3x3 50→50,
//    ReLU, 1x1 50→5; without the time channel).
// Times are the thread's CPU time (best of several runs) unless ODESOLVERS_BENCH_CLOCK=wall; run the conv
// section with OPENBLAS_NUM_THREADS=1 so that all of its work is on the measured thread.
//
// Run: swift run -c release --package-path Packages/ODESolvers odesolvers-bench
import Foundation
import ODESolvers
import Tensors

/// OpenBLAS's kernel name, looked up at run time (the library is loaded through Tensors).
func openBLASCoreName() -> String {
    guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "openblas_get_corename") else {
        return "unknown (openblas_get_corename not found)"
    }
    typealias CoreName = @convention(c) () -> UnsafePointer<CChar>?
    let function = unsafeBitCast(symbol, to: CoreName.self)
    return function().map { String(cString: $0) } ?? "unknown"
}

/// The clock: CPU time of this thread by default, so that other processes sharing the two cores do not
/// inflate the figures; `ODESOLVERS_BENCH_CLOCK=wall` selects wall time (needed when the field runs
/// multi-threaded BLAS, whose worker threads this clock does not see).
let useWallClock = ProcessInfo.processInfo.environment["ODESOLVERS_BENCH_CLOCK"] == "wall"

@inline(__always)
func now() -> Double {
    var spec = timespec()
    clock_gettime(useWallClock ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = now()
    try body()
    return now() - start
}

/// Best of `repeats` runs of `body`.
func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var result = Double.infinity
    for _ in 0..<repeats { result = min(result, try seconds(body)) }
    return result
}

/// Sections to run: any of `linear`, `elementwise`, `conv` as arguments; none runs all.
let requested = Set(CommandLine.arguments.dropFirst())
let sections: Set<String> = ["linear", "elementwise", "conv"]
if requested.contains("--help") || requested.contains("-h") {
    print("""
        usage: odesolvers-bench [linear] [elementwise] [conv]
          Release-build solver throughput: a 2-D linear system (solver overhead per step), elementwise
          fields of growing size and a convolutional field; NFE and time per step. No section runs all.
        Run with `swift run -c release --package-path Packages/ODESolvers odesolvers-bench`.
        """)
    exit(0)
}
if let unknown = requested.subtracting(sections).sorted().first {
    FileHandle.standardError.write(Data("odesolvers-bench: unknown section \(unknown); known: linear, elementwise, conv (see --help)\n".utf8))
    exit(2)
}
func wants(_ section: String) -> Bool { requested.isEmpty || requested.contains(section) }

let environment = ProcessInfo.processInfo.environment
print("odesolvers-bench  (OpenBLAS core: \(openBLASCoreName()), OPENBLAS_CORETYPE=\(environment["OPENBLAS_CORETYPE"] ?? "unset"), OPENBLAS_NUM_THREADS=\(environment["OPENBLAS_NUM_THREADS"] ?? "unset"), clock: \(useWallClock ? "wall" : "thread CPU time"))")

// MARK: 1. 2-D linear system

if wants("linear") {
    let field: (Double, Tensor<Double>) throws -> Tensor<Double> = { _, y in
        y.withUnsafeBufferPointer { p in Tensor(shape: [2], scalars: [p[1], -p[0] - 0.1 * p[1]]) }
    }
    let y0 = Tensor<Double>([1, 0])
    var sink = 0.0
    let calls = 2_000_000
    let fieldTime = try best(3) {
        var y = y0
        for _ in 0..<calls { y = try field(0, y) }
        sink += y.scalars[0]
    } / Double(calls)
    for (name, method) in [("dopri5", ButcherTableau.dopri5), ("tsit5", .tsit5), ("bosh3", .bosh3)] {
        var statistics = SolverStatistics()
        let solveTime = try best(7) {
            let solution = try solve(field, y0: y0, times: [0, 2000], method: method,
                                     controller: .adaptive(rtol: 1e-8, atol: 1e-8))
            statistics = solution.statistics
            sink += solution.finalState.scalars[0]
        }
        let steps = Double(statistics.attemptedSteps)
        let overhead = (solveTime - Double(statistics.functionEvaluations) * fieldTime) / steps
        print(String(format: "2-D linear, %@ adaptive 1e-8: %d steps, NFE %d, field %.0f ns/call, solve %.0f ns/step, overhead outside the field %.0f ns/step",
                     name, statistics.attemptedSteps, statistics.functionEvaluations, fieldTime * 1e9,
                     solveTime / steps * 1e9, overhead * 1e9))
    }
    var fixedStatistics = SolverStatistics()
    let fixedTime = try best(5) {
        let solution = try solve(field, y0: y0, times: [0, 2000], method: .rk4, controller: .fixed(dt: 0.01))
        fixedStatistics = solution.statistics
        sink += solution.finalState.scalars[0]
    }
    let fixedSteps = Double(fixedStatistics.acceptedSteps)
    print(String(format: "2-D linear, rk4 fixed dt 0.01: %d steps, solve %.0f ns/step, overhead outside the field %.0f ns/step",
                 fixedStatistics.acceptedSteps, fixedTime / fixedSteps * 1e9,
                 (fixedTime - Double(fixedStatistics.functionEvaluations) * fieldTime) / fixedSteps * 1e9))
    if sink == 42 { print(sink) }
}

// MARK: 2. MNIST-size state

/// Runs `solve` with `field` wrapped in a clock; returns (solve seconds, field seconds, statistics).
func measureShare(
    _ field: @escaping (Double, Tensor<Float>) throws -> Tensor<Float>, y0: Tensor<Float>, tolerance: Double,
    end: Double, repeats: Int
) throws -> (Double, Double, SolverStatistics) {
    var bestTotal = Double.infinity, bestInside = 0.0
    var statistics = SolverStatistics()
    for _ in 0..<repeats {
        var inside = 0.0
        let timed: (Double, Tensor<Float>) throws -> Tensor<Float> = { t, y in
            let start = now()
            let out = try field(t, y)
            inside += now() - start
            return out
        }
        var solution: Solution<Tensor<Float>>? = nil
        let total = try seconds {
            solution = try solve(timed, y0: y0, times: [0, end], controller: .adaptive(rtol: tolerance, atol: tolerance))
        }
        if total < bestTotal {
            bestTotal = total
            bestInside = inside
            statistics = solution!.statistics
        }
    }
    return (bestTotal, bestInside, statistics)
}

if wants("elementwise") || wants("conv") {
    var generator = SeededGenerator(seed: 7)
    let shape = [64, 5, 28, 28]
    let count = shape.reduce(1, *)
    let y0 = Tensor<Float>(shape: shape, scalars: (0..<count).map { _ in generator.nextUnitInterval(Float.self) })

    let elementwise: (Double, Tensor<Float>) throws -> Tensor<Float> = { _, y in
        var out = y
        out.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = -0.5 * p[i] + 0.1 }
        }
        return out
    }
    if wants("elementwise") {
    let (total, inside, statistics) = try measureShare(elementwise, y0: y0, tolerance: 1e-7, end: 10, repeats: 7)
    let steps = Double(statistics.attemptedSteps)
    print(String(format: "MNIST-size 64x5x28x28 Float, elementwise field (-0.5y+0.1), dopri5 1e-7: %d steps, NFE %d, field %.1f µs/call, solver outside the field %.1f µs/step = %.1f%% of the solve",
                 statistics.attemptedSteps, statistics.functionEvaluations,
                 inside / Double(statistics.functionEvaluations) * 1e6, (total - inside) / steps * 1e6,
                 100 * (total - inside) / total))
    }

    func weight(_ shape: [Int]) -> Tensor<Float> {
        let fanIn = shape[1] * shape[2] * shape[3]
        let bound = 1 / Float(fanIn).squareRoot()
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
            (2 * generator.nextUnitInterval(Float.self) - 1) * bound * 0.3
        })
    }
    let w1 = weight([50, 5, 1, 1]), w2 = weight([50, 50, 3, 3]), w3 = weight([5, 50, 1, 1])
    let b50 = Tensor<Float>(zeros: [50]), b5 = Tensor<Float>(zeros: [5])
    let convField: (Double, Tensor<Float>) throws -> Tensor<Float> = { _, y in
        var h = conv2d(y, weight: w1, bias: b50)
        h.withUnsafeMutableBufferPointer { p in for i in p.indices where p[i] < 0 { p[i] = 0 } }
        var h2 = conv2d(h, weight: w2, bias: b50, padding: 1)
        h2.withUnsafeMutableBufferPointer { p in for i in p.indices where p[i] < 0 { p[i] = 0 } }
        return conv2d(h2, weight: w3, bias: b5)
    }
    if wants("conv") {
    let (cTotal, cInside, cStatistics) = try measureShare(convField, y0: y0, tolerance: 1e-4, end: 1, repeats: 2)
    let cSteps = Double(cStatistics.attemptedSteps)
    print(String(format: "MNIST-size 64x5x28x28 Float, HBNODE-shaped conv field, dopri5 1e-4: %d steps, NFE %d, field %.2f ms/call, solver outside the field %.1f µs/step = %.2f%% of the solve",
                 cStatistics.attemptedSteps, cStatistics.functionEvaluations,
                 cInside / Double(cStatistics.functionEvaluations) * 1e3, (cTotal - cInside) / cSteps * 1e6,
                 100 * (cTotal - cInside) / cTotal))
    }
}

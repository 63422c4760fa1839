import Foundation
import ODESolvers
import Testing
import Tensors

/// Sums buffers between two threads that call it in lock step: the in-process stand-in for an
/// all-reduce over two processes.
final class TwoPartySum: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Double] = []
    private var result: [Double] = []
    private var arrived = 0
    private var generation = 0

    func sum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        condition.lock()
        defer { condition.unlock() }
        if arrived == 0 {
            pending = Array(buffer)
            arrived = 1
            let mine = generation
            while generation == mine { condition.wait() }
        } else {
            precondition(pending.count == buffer.count, "TwoPartySum: \(pending.count) vs \(buffer.count) elements")
            result = zip(pending, buffer).map { $0 + $1 }
            arrived = 0
            generation += 1
            condition.broadcast()
        }
        for i in buffer.indices { buffer[i] = result[i] }
    }
}

/// The two threads' results (each thread writes its own slot).
final class TwoResults<R>: @unchecked Sendable { var values: [R?] = [nil, nil] }

/// Runs `body(0)` and `body(1)` on two threads and returns both results.
func onTwoThreads<R: Sendable>(_ body: @escaping @Sendable (Int) -> R) -> [R] {
    let box = TwoResults<R>(), group = DispatchGroup()
    for party in 0..<2 {
        group.enter()
        let thread = Thread {
            let value = body(party)
            box.values[party] = value
            group.leave()
        }
        thread.start()
    }
    group.wait()
    return box.values.map { $0! }
}

@Suite("A state split over processes takes the steps of the whole state (NormReduction)")
struct NormReductionTests {
    /// `y_i' = −r_i·y_i + sin(3t)` per element (split over processes) and `q' = Σ_i y_i²` (a quadrature over
    /// the elements, like a parameter adjoint: each process integrates its elements' share).
    static func field(rates: [Double]) -> @Sendable (Double, TensorList<Double>) throws -> TensorList<Double> {
        { t, s in
            let y = s[0].scalars
            var dy = y
            var dq = 0.0
            for i in y.indices {
                dy[i] = -rates[i] * y[i] + sin(3 * t)
                dq += y[i] * y[i]
            }
            return TensorList([Tensor(shape: [y.count], scalars: dy), Tensor([dq])])
        }
    }

    static let rates: [Double] = [0.5, 8, 1.5, 30, 2, 0.1, 12, 4]
    static let start: [Double] = [1, -2, 0.5, 3, -1, 2, 0.25, -0.75]

    static func solveWhole(_ norm: ErrorNorm) throws -> Solution<TensorList<Double>> {
        var options = SolveOptions()
        options.norm = norm
        return try solve(field(rates: rates), y0: TensorList([Tensor(start), Tensor([0.0])]), times: [0, 0.7, 2],
                         controller: .adaptive(rtol: 1e-6, atol: 1e-8), options: options)
    }

    static func solveHalves(_ norm: ErrorNorm, summed: [Int]) -> [Solution<TensorList<Double>>] {
        let sum = TwoPartySum()
        return onTwoThreads { party in
            let range = party == 0 ? 0..<3 : 3..<8  // unequal halves: the counts must be summed too
            var options = SolveOptions()
            options.norm = norm
            options.normReduction = NormReduction(summedComponents: summed) { sum.sum($0) }
            return try! solve(field(rates: Array(rates[range])),
                              y0: TensorList([Tensor(Array(start[range])), Tensor([0.0])]), times: [0, 0.7, 2],
                              controller: .adaptive(rtol: 1e-6, atol: 1e-8), options: options)
        }
    }

    @Test("full norm: the same NFE, accepted and rejected steps, initial step and states", arguments: [true, false])
    func fullNorm(measureQuadrature: Bool) throws {
        let norm: ErrorNorm = measureQuadrature ? .rms : .components([0])
        let whole = try Self.solveWhole(norm)
        let parts = Self.solveHalves(norm, summed: [1])
        for part in parts {
            #expect(part.statistics.functionEvaluations == whole.statistics.functionEvaluations)
            #expect(part.statistics.acceptedSteps == whole.statistics.acceptedSteps)
            #expect(part.statistics.rejectedSteps == whole.statistics.rejectedSteps)
            #expect(abs(part.statistics.initialStepSize - whole.statistics.initialStepSize) <= 1e-12 * whole.statistics.initialStepSize)
        }
        #expect(whole.statistics.rejectedSteps > 0)
        for k in whole.states.indices {
            let joined = parts[0].states[k][0].scalars + parts[1].states[k][0].scalars
            for (a, b) in zip(joined, whole.states[k][0].scalars) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b))) }
            let q = parts[0].states[k][1].scalars[0] + parts[1].states[k][1].scalars[0]
            #expect(abs(q - whole.states[k][1].scalars[0]) <= 1e-12 * max(1, abs(q)))
        }
    }

    @Test("each part alone, without the reduction, takes other steps than the whole state")
    func withoutReductionDiffers() throws {
        let whole = try Self.solveWhole(.rms)
        let first = try solve(Self.field(rates: Array(Self.rates[0..<3])),
                              y0: TensorList([Tensor(Array(Self.start[0..<3])), Tensor([0.0])]), times: [0, 0.7, 2],
                              controller: .adaptive(rtol: 1e-6, atol: 1e-8))
        #expect(first.statistics.functionEvaluations != whole.statistics.functionEvaluations)
    }

    @Test("a summed component treated as split (its squares summed) changes the steps")
    func summedComponentMatters() throws {
        let whole = try Self.solveWhole(.rms)
        let parts = Self.solveHalves(.rms, summed: [])
        #expect(parts[0].statistics.functionEvaluations != whole.statistics.functionEvaluations
                    || parts[0].statistics.initialStepSize != whole.statistics.initialStepSize)
    }
}

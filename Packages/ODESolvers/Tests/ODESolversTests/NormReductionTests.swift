import Foundation
import ODESolvers
import Testing
import Tensors
import TensorTestSupport

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
        let group = InProcessGroup(size: 2)
        return group.run { party in
            let range = party == 0 ? 0..<3 : 3..<8  // unequal halves: the counts must be summed too
            var options = SolveOptions()
            options.norm = norm
            options.normReduction = NormReduction(summedComponents: summed) { group.allReduce($0, rank: party, combine: +) }
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

import Adjoint
import ODESolvers
import Tensors
import TensorTestSupport
import Testing

/// A batch split over two parties (threads standing in for processes) with the forward solve's
/// ``NormReduction``: the backward solves take the steps of the whole batch, and the parties' parameter
/// gradients sum to the whole batch's.
@Suite struct SplitBatchTests {
    static let batch = 6, dimension = 3

    static func rows(_ range: Range<Int>) -> Tensor<Double> {
        var generator = SplitMix(seed: 11)
        // Rows of growing size, so that the first rows alone need other steps than the whole batch.
        let all = generator.tensor([batch, dimension], scale: 1.5)
            .scalars.enumerated().map { $0.element * (0.2 + 2 * Double($0.offset / dimension)) }
        return Tensor(shape: [range.count, dimension], scalars: Array(all[(range.lowerBound * dimension)..<(range.upperBound * dimension)]))
    }

    /// Forward and backward of `L = Σ y(1)·c` over `range`'s rows; returns (forward NFE, backward NFE,
    /// ∂L/∂θ, ∂L/∂y0).
    static func run(_ range: Range<Int>, gradient: GradientMethod, reduction: NormReduction?) throws
        -> (forward: Int, backward: Int, parameters: [Double], initial: [Double])
    {
        let field = Fields.mlp(dimension: dimension, hidden: 5, seed: 3)
        var options = SolveOptions()
        options.normReduction = reduction
        let forward = try solveWithGradient(
            field, y0: rows(range), times: [0, 1], controller: .adaptive(rtol: 1e-5, atol: 1e-7), options: options,
            gradient: gradient)
        let cotangent = Tensor(shape: [range.count, dimension], scalars: ((range.lowerBound * dimension)..<(range.upperBound * dimension)).map { Double($0 % 5) - 1.7 })
        let result = try forward.backward(cotangents: [nil, cotangent])
        return (forward.statistics.functionEvaluations, result.statistics.functionEvaluations,
                result.parameters.flatMap(\.scalars), result.initialState.scalars)
    }

    @Test(arguments: ["backsolve full", "backsolve seminorm", "checkpointed full"])
    func splitEqualsWhole(name: String) throws {
        let gradient: GradientMethod = switch name {
        case "backsolve full": .backsolve()
        case "backsolve seminorm": .backsolve(AdjointSolveOptions(norm: .seminorm))
        default: .checkpointed()
        }
        let whole = try Self.run(0..<Self.batch, gradient: gradient, reduction: nil)
        let group = InProcessGroup(size: 2)
        let parts = group.run { rank in
            let range = rank == 0 ? 0..<2 : 2..<Self.batch
            return try! Self.run(range, gradient: gradient, reduction: NormReduction { group.allReduce($0, rank: rank, combine: +) })
        }
        for part in parts {
            #expect(part.forward == whole.forward, "\(name) forward NFE")
            #expect(part.backward == whole.backward, "\(name) backward NFE")
        }
        let summed = zip(parts[0].parameters, parts[1].parameters).map { $0 + $1 }
        for (a, b) in zip(summed, whole.parameters) { #expect(abs(a - b) <= 1e-8 * max(1, abs(b)), "\(name) ∂L/∂θ") }
        for (a, b) in zip(parts[0].initial + parts[1].initial, whole.initial) { #expect(abs(a - b) <= 1e-8 * max(1, abs(b)), "\(name) ∂L/∂y0") }
        // Without the reduction the first party alone takes other backward steps: the test can fail.
        let alone = try Self.run(0..<2, gradient: gradient, reduction: nil)
        #expect(alone.backward != whole.backward || alone.forward != whole.forward)
    }
}

import Testing
import Tensors
@testable import NeuralODEModels
import Experiments

/// A training step's tape must be freed when the step ends: a pullback that captured a variable would
/// keep the tape (and every intermediate tensor on it) alive forever, one tape per step.
@Suite struct TapeReleaseTests {
    static let solver = SolverConfiguration(method: .rk4, controller: .fixed(dt: 0.5), gradient: .direct)

    /// Runs `body` on a fresh tape, differentiates its output with respect to `parameters`, and returns
    /// a weak reference to the tape (nil once everything from the step is gone).
    static func tapeAfterStep(
        _ parameters: [Tensor<Double>], _ body: ([Variable<Double>]) throws -> Variable<Double>
    ) throws -> (tape: Tape<Double>?, finite: Bool) {
        weak var weakTape: Tape<Double>?
        let finite: Bool = try {
            let tape = Tape<Double>()
            weakTape = tape
            let p = tape.variables(parameters)
            let loss = try body(p)
            return tape.gradients(of: loss, wrt: p).allSatisfy(\.isFinite)
        }()
        return (weakTape, finite)
    }

    @Test func solveAndRecurrentTapesAreFreed() throws {
        let model: ContinuousDepthModel<Double> = ExperimentModels.pointCloud(.hbnode, seed: 1)
        let points = Tensor<Double>(shape: [2, 2], scalars: [0.1, 0.2, -0.3, 0.4])
        let block = try Self.tapeAfterStep(model.parameters.values) { p in
            Losses.meanSquaredError(try model(Variable(constant: points), p, solver: Self.solver, log: SolveLog()), Tensor(zeros: [2, 1]))
        }
        #expect(block.finite)
        #expect(block.tape == nil)

        let recurrent: ODERNNModel<Double> = ExperimentModels.walker2D(.hbnode, seed: 1)
        let sequence = SequenceBatch(
            observations: [Tensor<Double>(ones: [2, 17]), Tensor<Double>(zeros: [2, 17])], gaps: [[1, 1], [1, 2]])
        let listener = GradientListener<Double>(slots: 3)
        let hybrid = try Self.tapeAfterStep(recurrent.parameters.values) { p in
            let run = try recurrent.trajectory(sequence, p, solver: Self.solver, log: SolveLog(), listener: listener)
            return recurrent.predictions(run, p).sum()
        }
        #expect(hybrid.finite)
        #expect(hybrid.tape == nil)
        #expect(listener.norms.contains { $0 > 0 })
    }
}

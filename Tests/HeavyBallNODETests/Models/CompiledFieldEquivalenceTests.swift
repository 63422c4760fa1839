import Testing
import Tensors
@testable import NeuralODEModels
import Experiments

/// The compiled dense fields (``FieldEvaluation/automatic``) against the tape path on every family of every
/// experiment with dense fields, in Double, through whole losses with the backsolve adjoint and an
/// adaptive solver: the same NFE forward and backward, and every gradient within 1e-6 relative (of the
/// tensor's largest entry). The image models' convolutional fields run on the tape either way.
@Suite struct CompiledFieldEquivalenceTests {
    static func solver(_ evaluation: FieldEvaluation) -> SolverConfiguration {
        var solver = SolverConfiguration(tolerance: 1e-6)
        solver.evaluation = evaluation
        return solver
    }

    /// Runs `loss` on both paths and compares.
    static func expectEquivalent(
        _ parameters: ParameterStore<Double>, sourceLocation: SourceLocation = #_sourceLocation,
        _ loss: (SolverConfiguration, [Variable<Double>], SolveLog) throws -> Variable<Double>
    ) throws {
        let fast = try lossAndGradients(at: parameters) { p, log in try loss(solver(.automatic), p, log) }
        let tape = try lossAndGradients(at: parameters) { p, log in try loss(solver(.tape), p, log) }
        #expect(fast.log.forwardEvaluations == tape.log.forwardEvaluations, sourceLocation: sourceLocation)
        #expect(fast.log.backwardEvaluations == tape.log.backwardEvaluations, sourceLocation: sourceLocation)
        #expect(Swift.abs(fast.loss - tape.loss) <= 1e-12 * Swift.max(Swift.abs(tape.loss), 1), sourceLocation: sourceLocation)
        for (k, (a, b)) in zip(fast.gradients, tape.gradients).enumerated() {
            let scale = Swift.max(b.scalars.map(Swift.abs).max() ?? 0, 1e-12)
            let difference = zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(difference <= 1e-6 * scale, "\(parameters.names[k]): \(difference) of \(scale)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ModelFamily.allCases)
    func pointCloud(_ family: ModelFamily) throws {
        let model: ContinuousDepthModel<Double> = ExperimentModels.pointCloud(family, seed: 3)
        var g = SeededGenerator(seed: 1)
        let points = Tensor<Double>(randomNormal: [20, 2], using: &g)
        let labels = Tensor<Double>(randomNormal: [20, 1], using: &g)
        try Self.expectEquivalent(model.parameters) { solver, p, log in
            Losses.meanSquaredError(try model(Variable(constant: points), p, solver: solver, log: log), labels)
        }
    }

    @Test(arguments: ModelFamily.allCases)
    func silverbox(_ family: ModelFamily) throws {
        let forcing = SampledSignal(values: [0.5, -1, 2, 4, 1], reading: .referenceExtrapolation)
        let model: ContinuousDepthModel<Double> = ExperimentModels.silverbox(family, seed: 1, forcing: forcing)
        let x = Tensor<Double>(shape: [3, 1], scalars: [0.2, -0.4, 0.7])
        try Self.expectEquivalent(model.parameters) { solver, p, log in
            // The output's width depends on the family (ANODE keeps its augmented channel), so the loss is
            // its squared norm.
            let y = try model(Variable(constant: x), p, solver: solver, log: log)
            return (y * y).sum()
        }
    }

    @Test(arguments: ModelFamily.allCases)
    func planeVibration(_ family: ModelFamily) throws {
        var model: ODERNNModel<Double> = ExperimentModels.planeVibration(family, seed: 2, preShrink: 0.5, windowLength: 4)
        model.forecastSteps = 3
        // The finite-difference tests' sequence: T = 4, B = 2, irregular per-sample gaps.
        let data = RecurrentGradientTests.batch(channels: 5)
        var g = SeededGenerator(seed: 18)
        let z = Tensor<Double>(randomNormal: [3, 2, 5], using: &g)
        let y = Tensor<Double>(randomNormal: [4, 2, 5], using: &g)
        let x = Tensor<Double>(shape: [4, 2, 5], scalars: data.observations.flatMap(\.scalars))
        try Self.expectEquivalent(model.parameters) { solver, p, log in
            let run = try model.trajectory(data, p, solver: solver, log: log)
            let initial = model.stackedOutputs((0..<4).map { run.rnnStates[$0]! }, p)
            return planeVibrationLoss(
                predict: model.predictions(run, p), y: y, initial: initial, x: x,
                forecast: model.stackedOutputs(run.forecastStates, p), z: z)
        }
    }

    @Test(arguments: ModelFamily.allCases)
    func walker2D(_ family: ModelFamily) throws {
        let model: ODERNNModel<Double> = ExperimentModels.walker2D(family, seed: 2)
        let data = RecurrentGradientTests.batch(channels: 17)
        var g = SeededGenerator(seed: 19)
        let y = Tensor<Double>(randomNormal: [4, 2, 17], using: &g)
        try Self.expectEquivalent(model.parameters) { solver, p, log in
            Losses.meanSquaredError(model.predictions(try model.trajectory(data, p, solver: solver, log: log), p), y)
        }
    }
}

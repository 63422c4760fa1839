import ODESolvers
import Testing
import Tensors
@testable import NeuralODEModels
import Experiments

/// Gradients through ODE-RNN hybrids over a short irregular sequence (a chain of solves, jumps, the IC
/// map, the output layer and, for plane vibration, the forecast solve) against finite differences.
@Suite struct RecurrentGradientTests {
    static let exact = SolverConfiguration(method: .rk4, controller: .fixed(dt: 0.5), gradient: .direct)

    /// T = 4 observations of C channels for B = 2 samples, with per-sample irregular gaps.
    static func batch(channels: Int) -> SequenceBatch<Double> {
        var g = SeededGenerator(seed: 17)
        let observations = (0..<4).map { _ in Tensor<Double>(randomNormal: [2, channels], using: &g) }
        return SequenceBatch(observations: observations, gaps: [[1, 2], [2, 1], [1, 1], [3, 1]])
    }

    @Test(arguments: ModelFamily.allCases)
    func planeVibrationLossGradient(_ family: ModelFamily) throws {
        var model: ODERNNModel<Double> = ExperimentModels.planeVibration(family, seed: 2, preShrink: 0.5, windowLength: 4)
        model.forecastSteps = 3
        let data = Self.batch(channels: 5)
        var g = SeededGenerator(seed: 18)
        let z = Tensor<Double>(randomNormal: [3, 2, 5], using: &g)
        let y = Tensor<Double>(randomNormal: [4, 2, 5], using: &g)
        let x = Tensor<Double>(shape: [4, 2, 5], scalars: data.observations.flatMap(\.scalars))
        let log = try checkLossGradients(model.parameters, perTensor: 2) { p, log in
            let run = try model.trajectory(data, p, solver: Self.exact, log: log)
            let initial = model.stackedOutputs((0..<4).map { run.rnnStates[$0]! }, p)
            return planeVibrationLoss(
                predict: model.predictions(run, p), y: y, initial: initial, x: x,
                forecast: model.stackedOutputs(run.forecastStates, p), z: z)
        }
        // 4 gap solves over s ∈ [0, 1] and 1 forecast solve over [0, 2], 2 RK4 steps (8 NFE) per unit.
        #expect(log.forwardSolves == 5)
        #expect(log.forwardEvaluations == 4 * 8 + 2 * 8)
        #expect(log.backwardSolves == 5)
    }

    @Test(arguments: [ModelFamily.node, .anode, .ghbnode])
    func walkerLossGradient(_ family: ModelFamily) throws {
        let model: ODERNNModel<Double> = ExperimentModels.walker2D(family, seed: 6)
        let data = Self.batch(channels: 17)
        var g = SeededGenerator(seed: 19)
        let y = Tensor<Double>(randomNormal: [4, 2, 17], using: &g)
        _ = try checkLossGradients(model.parameters, perTensor: 2) { p, log in
            Losses.meanSquaredError(model.predictions(try model.trajectory(data, p, solver: Self.exact, log: log), p), y)
        }
    }

    @Test func sonodeIgnoresGapsAsTheReferenceDoes() throws {
        // The reference SONODE cell integrates every gap over unit time; HBNODE does not.
        func predictions(_ model: ODERNNModel<Double>, gaps: [[Double]]) throws -> [Double] {
            var data = Self.batch(channels: 17)
            data.gaps = gaps
            let p = model.parameters.values.map { Variable(constant: $0) }
            return model.predictions(try model.trajectory(data, p, solver: Self.exact, log: SolveLog()), p).value.scalars
        }
        let short = Array(repeating: [0.5, 0.5], count: 4), long = Array(repeating: [2.0, 2.0], count: 4)
        let sonode: ODERNNModel<Double> = ExperimentModels.walker2D(.sonode, seed: 6)
        #expect(try predictions(sonode, gaps: short) == predictions(sonode, gaps: long))
        var fixed = sonode
        fixed.scalesTime = true
        #expect(try predictions(fixed, gaps: short) != predictions(fixed, gaps: long))
        let hb: ODERNNModel<Double> = ExperimentModels.walker2D(.hbnode, seed: 6)
        #expect(try predictions(hb, gaps: short) != predictions(hb, gaps: long))
    }

    @Test func modeBPredictionLagsOneObservation() throws {
        // In mode B prediction i has not seen x[i]: changing the last observation leaves every
        // prediction unchanged; in mode A, and in mode B's aligned variant, it changes the last one only.
        let node: ODERNNModel<Double> = ExperimentModels.walker2D(.node, seed: 6)
        let hb: ODERNNModel<Double> = ExperimentModels.walker2D(.hbnode, seed: 6)
        var data = Self.batch(channels: 17)
        func outputs(_ model: ODERNNModel<Double>, _ batch: SequenceBatch<Double>, aligned: Bool = false) throws -> [Double] {
            let p = model.parameters.values.map { Variable(constant: $0) }
            return model.predictions(try model.trajectory(batch, p, solver: Self.exact, log: SolveLog()), p, aligned: aligned).value.scalars
        }
        let nodeBefore = try outputs(node, data), alignedBefore = try outputs(node, data, aligned: true), hbBefore = try outputs(hb, data)
        data.observations[3] = data.observations[3].map { $0 + 1 }
        #expect(try outputs(node, data) == nodeBefore)
        let alignedAfter = try outputs(node, data, aligned: true), hbAfter = try outputs(hb, data)
        for (before, after) in [(hbBefore, hbAfter), (alignedBefore, alignedAfter)] {
            #expect(Array(after[..<(3 * 34)]) == Array(before[..<(3 * 34)]))
            #expect(Array(after[(3 * 34)...]) != Array(before[(3 * 34)...]))
        }
    }
}

@Suite struct GradientListenerTests {
    /// The listener's ∂L/∂h_rnn[T−1] for a last-step loss equals the gradient of the same tail computed
    /// from a fresh leaf; the placeholder slot T stays zero, and earlier slots are reached.
    @Test func listenerRecordsExactStateGradients() throws {
        let model: ODERNNModel<Double> = ExperimentModels.walker2D(.hbnode, seed: 8)
        let data = RecurrentGradientTests.batch(channels: 17)
        var g = SeededGenerator(seed: 20)
        let yLast = Tensor<Double>(randomNormal: [2, 17], using: &g)
        let solver = RecurrentGradientTests.exact
        let listener = GradientListener<Double>(slots: 5)
        let tape = Tape<Double>()
        let p = tape.variables(model.parameters.values)
        let run = try model.trajectory(data, p, solver: solver, log: SolveLog(), listener: listener)
        let loss = Losses.meanSquaredError(model.decode(run.odeStates[4]!, p), yLast)
        _ = tape.gradients(of: loss, wrt: p)
        let norms = listener.norms
        #expect(norms[4] == 0)
        #expect(norms[0..<4].allSatisfy { $0 > 0 })

        let tail = Tape<Double>()
        let leaf = tail.variable(run.rnnStates[3]!.value)
        let q = model.parameters.values.map { Variable(constant: $0) }
        let flowed = try ODEBlock.solve(model.field, from: leaf, parameters: q, times: [0, 1],
                                        sampleScale: data.gaps[3], solver: solver, log: SolveLog())[1]
        let expected = tail.gradients(of: Losses.meanSquaredError(model.decode(flowed, q), yLast), wrt: [leaf])[0]
        let recorded = listener.cotangents[3]!
        for (a, b) in zip(recorded.scalars, expected.scalars) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b))) }
    }
}

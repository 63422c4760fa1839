@testable import Experiments
import NeuralODEModels
import Tensors
import Testing

/// The Fig. 3 gradient listener wiring of Section 4 on a tiny synthetic Walker-shaped batch.
@Suite struct Section4Fig3Tests {
    /// A batch of `b` windows of `steps` steps with 17 channels, deterministic values, unit gaps / 64.
    func batch(b: Int, steps: Int) -> WalkerExperiment.Batch {
        var generator = SeededGenerator(seed: 11)
        let observations = (0..<steps).map { _ in Tensor<Float>(randomUniform: [b, 17], lowerBound: -1, upperBound: 1, using: &generator) }
        let y = Tensor<Float>(randomUniform: [steps, b, 17], lowerBound: -1, upperBound: 1, using: &generator)
        let gaps = (0..<steps).map { _ in [Double](repeating: 1.0 / 64, count: b) }
        return WalkerExperiment.Batch(sequences: SequenceBatch(observations: observations, gaps: gaps), y: y)
    }

    /// The last-step loss is the MSE of the last slice of the full prediction stack, in both modes.
    @Test(arguments: [ModelFamily.node, .hbnode])
    func lastStepLossMatchesLastPrediction(family: ModelFamily) throws {
        let model: ODERNNModel<Float> = ExperimentModels.walker2D(family, seed: 0)
        let data = batch(b: 2, steps: 4)
        let p = model.parameters.values.map { Variable(constant: $0) }
        let trajectory = try model.trajectory(data.sequences, p, solver: SolverConfiguration(tolerance: 1e-7), log: SolveLog())
        let all = model.predictions(trajectory, p).value.scalars
        let count = 2 * 17, last = Array(all[(3 * count)..<(4 * count)]), target = Array(data.y.scalars[(3 * count)..<(4 * count)])
        let expected = zip(last, target).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / Double(count)
        let loss = Double(Fig3Experiment.lastStepLoss(model, trajectory, p, data.y).value.scalars[0])
        #expect(abs(loss - expected) <= 1e-5 * max(1, expected), "\(family): \(loss) vs \(expected)")
    }

    /// The listener sees no gradient at the placeholders and a positive one where the loss reaches.
    @Test func listenerNormsHavePlaceholderZeros() throws {
        let data = [batch(b: 2, steps: 4)]
        let node = try Fig3Experiment.listenerNorms(ExperimentModels.walker2D(.node, seed: 0), batches: data, solver: SolverConfiguration(tolerance: 1e-7))
        let hb = try Fig3Experiment.listenerNorms(ExperimentModels.walker2D(.hbnode, seed: 0), batches: data, solver: SolverConfiguration(tolerance: 1e-7))
        #expect(node.count == 5 && hb.count == 5)
        #expect(node[0] == 0 && node[4] == 0 && node[3] > 0 && node[1] > 0, "ODE-RNN norms \(node)")
        #expect(hb[4] == 0 && hb[0] > 0 && hb[3] > 0, "HBNODE-RNN norms \(hb)")
        #expect(Fig3Experiment.retention([Double](repeating: 2, count: 65)) == 1)
    }
}

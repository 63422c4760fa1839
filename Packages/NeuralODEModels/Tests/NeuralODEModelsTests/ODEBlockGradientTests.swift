import Testing
import Tensors
import TensorTestSupport
@testable import NeuralODEModels

/// Gradients through whole models built from this package's pieces (IC map → solve(s) → decoder) against
/// finite differences, in Double, with the direct method on a fixed RK4 grid, whose gradient is the exact
/// derivative of the computed loss. The paper's own configurations are tested at the repository root.
@Suite struct ODEBlockGradientTests {
    static let exact = SolverConfiguration(method: .rk4, controller: .fixed(dt: 0.25), gradient: .direct)

    /// A GHBNODE field around `net` with a learned ω, a tanh gate and ξ = softplus(trainable corr), so every
    /// heavy-ball ingredient is differentiated; `net` must already be registered in `store` from `start` on.
    static func heavyBall(_ net: Sequential, since start: Int, store: inout ParameterStore<Double>) -> ContinuousDepthField {
        let omega = ScalarParameter("omega", initialValue: -1, frozen: false, store: &store)
        let corr = ScalarParameter("corr", initialValue: 0.4, frozen: false, store: &store)
        let settings = HeavyBallSettings(damping: .learned(omega: omega, epsilon: 1), restoring: .softplus(corr), gate: .tanh)
        return ContinuousDepthField(
            dynamics: .heavyBall(settings), network: net, parameterIDs: (start..<store.tensorCount).map(ParameterID.init(index:)))
    }

    @Test func continuousDepthModel() {
        var store = ParameterStore<Double>()
        var rng = SeededGenerator(seed: 3)
        let velocity = Sequential.mlp("initial", widths: [2, 3, 2], activation: .tanh, store: &store, rng: &rng)
        let start = store.tensorCount
        let net = Sequential.mlp("net", widths: [2, 5, 2], activation: .elu(alpha: 1), store: &store, rng: &rng)
        let field = Self.heavyBall(net, since: start, store: &store)
        let decoder = Sequential([.linear(Linear("decoder", 2, 1, store: &store, rng: &rng))])
        let model = ContinuousDepthModel(
            name: "ghbnode", family: .ghbnode, parameters: store, initialCondition: .learnedVelocity(velocity),
            field: field, decoder: decoder)
        let points = Tensor<Double>(shape: [3, 2], scalars: [0.3, -0.2, -0.7, 0.6, 0.1, 0.9])
        let log = SolveLog()
        expectGradientsMatch(at: [points] + store.values, tolerance: 1e-5) { v in
            // A failed solve here is a test failure: `try!` stops the test with the error.
            try! model(v[0], Array(v[1...]), solver: Self.exact, log: log)
        }
        #expect(log.forwardEvaluations > 0 && log.backwardEvaluations > 0)
    }

    @Test(arguments: [RecurrentMode.updateThenEvolve, .evolveThenUpdate])
    func recurrentModel(_ mode: RecurrentMode) {
        let (n, channels) = (3, 2)
        var store = ParameterStore<Double>()
        var rng = SeededGenerator(seed: 4)
        let start = store.tensorCount
        let net = Sequential.mlp("net", widths: [n, n], activation: .identity, store: &store, rng: &rng)
        let field = Self.heavyBall(net, since: start, store: &store)
        let cell = RecurrentCell.pairedLinearResidual(
            position: Linear("cell.position", n, 2 * n, store: &store, rng: &rng),
            momentum: Linear("cell.momentum", n, 2 * n, store: &store, rng: &rng),
            input: Linear("cell.input", channels, 2 * n, store: &store, rng: &rng))
        let output = Linear("output", n, channels, store: &store, rng: &rng)
        let model = ODERNNModel(
            name: "ghbnode-rnn", family: .ghbnode, parameters: store, initialCondition: .zeros(stateShape: [2, n]),
            initialInput: .firstObservation, field: field, cell: cell, output: output, mode: mode, scalesTime: true,
            forecastSteps: 0)
        var g = SeededGenerator(seed: 5)
        let observations = (0..<3).map { _ in Tensor<Double>(randomNormal: [2, channels], using: &g) }
        let sequence = SequenceBatch(observations: observations, gaps: [[1, 2], [0.5, 1], [2, 1]])
        expectGradientsMatch(at: store.values, tolerance: 1e-5) { p in
            model.predictions(try! model.trajectory(sequence, p, solver: Self.exact, log: SolveLog()), p)
        }
    }
}

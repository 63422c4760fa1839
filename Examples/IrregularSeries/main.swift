// irregular-series-example: one-step-ahead forecasting of irregularly sampled noisy sine waves with an
// ODE-RNN and an HBNODE-RNN: between observations the hidden state flows for the (per-sample) gap, at each
// observation a recurrent cell updates it, and a linear read-out predicts the next value.
//
//   swift run -c release irregular-series-example [--iterations 200]
import Foundation
import NeuralODEModels
import Tensors

if CommandLine.arguments.contains("--help") {
    print("usage: irregular-series-example [--iterations N]\n  Trains an ODE-RNN and an HBNODE-RNN on irregularly sampled sine waves; prints train and test MSE and NFE.")
    exit(0)
}
let iterations: Int = {
    guard let i = CommandLine.arguments.firstIndex(of: "--iterations") else { return 200 }
    guard i + 1 < CommandLine.arguments.count, let n = Int(CommandLine.arguments[i + 1]), n > 0 else {
        FileHandle.standardError.write(Data("irregular-series-example: --iterations needs a positive integer\n".utf8))
        exit(2)
    }
    return n
}()

/// `count` sequences of `steps + 1` noisy samples of sin(ω t + φ) at exponentially distributed gaps
/// (mean 0.3): the inputs are samples 0…T−1 with the gaps to the next sample, the targets samples 1…T.
func sines(count: Int, steps: Int, rng: inout SeededGenerator) -> (batch: SequenceBatch<Float>, targets: Tensor<Float>) {
    var values = [[Float]](repeating: [], count: count), gaps = [[Double]](repeating: [], count: count)
    for b in 0..<count {
        let omega = Double.random(in: 1...2, using: &rng), phase = Double.random(in: 0...(2 * .pi), using: &rng)
        var t = 0.0
        for _ in 0...steps {
            values[b].append(Float(sin(omega * t + phase) + 0.05 * Double.random(in: -1...1, using: &rng)))
            let gap = -0.3 * log(Double.random(in: 0.05...1, using: &rng))
            gaps[b].append(gap)
            t += gap
        }
    }
    let observations = (0..<steps).map { i in Tensor<Float>(shape: [count, 1], scalars: (0..<count).map { values[$0][i] }) }
    let gapRows = (0..<steps).map { i in (0..<count).map { gaps[$0][i] } }
    let targets = Tensor<Float>(shape: [steps, count, 1], scalars: (1...steps).flatMap { i in (0..<count).map { values[$0][i] } })
    return (SequenceBatch(observations: observations, gaps: gapRows), targets)
}

/// An ODE-RNN (NODE flow, residual linear cell) or an HBNODE-RNN (heavy-ball flow, paired cell) with a
/// hidden state of 16 and a field of one tanh layer.
func model(heavyBall: Bool, seed: UInt64) -> ODERNNModel<Float> {
    var store = ParameterStore<Float>()
    var rng = SeededGenerator(seed: seed)
    let n = 16
    let start = store.tensorCount
    let net = Sequential.mlp("field", widths: [n, n, n], activation: .tanh, store: &store, rng: &rng)
    let field: ContinuousDepthField
    let cell: RecurrentCell
    if heavyBall {
        let settings = HeavyBallSettings.hbnode(store: &store)
        field = ContinuousDepthField(dynamics: .heavyBall(settings), network: net, parameterIDs: Array(store.ids[start...]))
        cell = .pairedLinearResidual(position: Linear("cell.h", n, 2 * n, store: &store, rng: &rng),
                                     momentum: Linear("cell.m", n, 2 * n, store: &store, rng: &rng),
                                     input: Linear("cell.x", 1, 2 * n, store: &store, rng: &rng))
    } else {
        field = ContinuousDepthField(dynamics: .firstOrder, network: net, parameterIDs: Array(store.ids[start...]))
        cell = .linearResidual(hidden: Linear("cell.h", n, n, store: &store, rng: &rng), input: Linear("cell.x", 1, n, store: &store, rng: &rng))
    }
    let output = Linear("output", n, 1, store: &store, rng: &rng)
    return ODERNNModel(
        name: heavyBall ? "HBNODE-RNN" : "ODE-RNN", family: heavyBall ? .hbnode : .node, parameters: store,
        initialCondition: .zeros(stateShape: heavyBall ? [2, n] : [n]), initialInput: .firstObservation, field: field,
        cell: cell, output: output, mode: .updateThenEvolve, scalesTime: true, forecastSteps: 0)
}

var rng = SeededGenerator(seed: 5)
let (train, trainTargets) = sines(count: 32, steps: 20, rng: &rng)
let (test, testTargets) = sines(count: 32, steps: 20, rng: &rng)
let solver = SolverConfiguration.dopri5(rtol: 1e-3, atol: 1e-3)
for heavyBall in [false, true] {
    var m = model(heavyBall: heavyBall, seed: 1)
    var adam = Adam<Float>(learningRate: 0.01)
    var last: StepReport?
    for iteration in 0..<iterations {
        let structure = m                       // the loss reads the structure; the step updates the store
        last = try trainingStep(parameters: &m.parameters, optimizer: &adam, learningRate: 0.01, clipNorm: 1, iteration: iteration) { p, log in
            let path = try structure.trajectory(train, p, solver: solver, log: log)
            return Losses.meanSquaredError(structure.predictions(path, p), trainTargets)
        }
    }
    let constants = m.parameters.values.map { Variable(constant: $0) }
    let log = SolveLog()
    let testMSE = Losses.meanSquaredError(m.predictions(try m.trajectory(test, constants, solver: solver, log: log), constants), testTargets)
    guard let last else { continue }
    print(String(format: "%@: %d parameters, train MSE %.4f, test MSE %.4f after %d iterations, NFE per step %d/%d",
                 m.name, m.parameterCount, last.loss, Double(testMSE.value.scalars[0]), iterations,
                 last.forwardEvaluations, last.backwardEvaluations))
}

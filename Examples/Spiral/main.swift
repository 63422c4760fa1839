// spiral-example: fit a 2-D spiral trajectory with a NODE and with an HBNODE (same network, same
// optimiser, same solver), print loss and forward/backward NFE as training goes, and draw the fits.
//
//   swift run -c release spiral-example [--iterations 300] [--output spiral.png]
//
// The true dynamics are the damped rotation y' = y·A with A = [[-0.1, -1], [1, -0.1]] from y(0) = (2, 0),
// observed at 60 times on [0, 10] (one and a half turns). Each model learns a field whose trajectory from
// the same start matches them.
import Foundation
import Metrics
import NeuralODEModels
import ODESolvers
import Tensors

func option(_ name: String, default value: String) -> String {
    let arguments = CommandLine.arguments
    guard let i = arguments.firstIndex(of: name) else { return value }
    guard i + 1 < arguments.count else { fail("\(name) needs a value") }
    return arguments[i + 1]
}
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("spiral-example: \(message)\n".utf8))
    exit(2)
}
if CommandLine.arguments.contains("--help") {
    print("usage: spiral-example [--iterations N] [--output spiral.png]\n  Fits a 2-D spiral with a NODE and an HBNODE; prints loss and NFE, draws the fits.")
    exit(0)
}
guard let iterations = Int(option("--iterations", default: "300")), iterations > 0 else { fail("--iterations needs a positive integer") }
let output = URL(fileURLWithPath: option("--output", default: "spiral.png"))

// The data: one trajectory of the true system.
let times = (0..<60).map { 10.0 * Double($0) / 59 }
let a = Tensor<Float>(shape: [2, 2], scalars: [-0.1, -1, 1, -0.1])
let truth = try solve({ _, y in y.matmul(a) }, y0: Tensor<Float>(shape: [1, 2], scalars: [2, 0]), times: times,
                      controller: .adaptive(rtol: 1e-7, atol: 1e-9)).states
let observed = Tensor.stack(truth)                                  // [60, 1, 2]

/// A two-layer tanh network 2 → 32 → 2 registered in `store`; returns it as a closure of tape ops.
func network(_ store: inout ParameterStore<Float>, _ rng: inout SeededGenerator) -> TapeField<Float> {
    let w1 = store.register("w1", Tensor<Float>(randomNormal: [2, 32], using: &rng) * 0.3)
    let b1 = store.register("b1", Tensor<Float>(zeros: [32]))
    let w2 = store.register("w2", Tensor<Float>(randomNormal: [32, 2], using: &rng) * 0.3)
    let b2 = store.register("b2", Tensor<Float>(zeros: [2]))
    return { _, y, p in (y.matmul(p[w1.index]) + p[b1.index]).tanh().matmul(p[w2.index]) + p[b2.index] }
}

struct Fit {
    var name: String
    var store = ParameterStore<Float>()
    var field: TapeField<Float>
    var initialState: (Variable<Float>, [Variable<Float>]) -> Variable<Float>
    var position: (Variable<Float>) -> Variable<Float>
}
var rng = SeededGenerator(seed: 7)
var node = ParameterStore<Float>()
let nodeField = network(&node, &rng)
var hb = ParameterStore<Float>()
let hbNetwork = network(&hb, &rng)
let settings = HeavyBallSettings.hbnode(store: &hb)
// A second-order model needs its initial momentum too: the true curve starts moving at once, while a zero
// momentum would start it at rest. It is learned, like the paper's HBNODE initial conditions.
let momentum0 = hb.register("m0", Tensor<Float>(zeros: [1, 2]))
var fits = [
    Fit(name: "NODE", store: node, field: nodeField, initialState: { y, _ in y }, position: { $0 }),
    Fit(name: "HBNODE", store: hb, field: HeavyBall.field(hbNetwork, settings),
        initialState: { y, p in HeavyBall.state(position: y, momentum: p[momentum0.index]) }, position: { HeavyBall.position($0) }),
]

let solver = SolverConfiguration.dopri5(rtol: 1e-5, atol: 1e-5)
let y0 = Variable(constant: truth[0])
print("family iteration   loss      NFE forward/backward")
for index in fits.indices {
    var adam = Adam<Float>(learningRate: 0.01)
    let fit = fits[index]
    for iteration in 0..<iterations {
        let report = try trainingStep(parameters: &fits[index].store, optimizer: &adam, learningRate: 0.01, iteration: iteration) { p, _ in
            let states = try odeint(fit.field, fit.initialState(y0, p), times, parameters: p, solver: solver)
            let predicted = Variable.stack(states.map(fit.position))
            return (predicted - observed).abs().mean()
        }
        if iteration % 50 == 0 || iteration == iterations - 1 {
            print("\(fit.name) \(iteration)".padding(toLength: 14, withPad: " ", startingAt: 0)
                  + String(format: "loss %.4f   NFE %d/%d", report.loss, report.forwardEvaluations, report.backwardEvaluations))
        }
    }
}

// The fits after training, beside the truth.
var figure = Figure(rows: 1, columns: 1, panelWidth: 480, panelHeight: 420, title: "spiral: truth and fits after \(iterations) iterations")
figure[0, 0].xLabel = "y1"
figure[0, 0].yLabel = "y2"
figure[0, 0].plot(truth.map { Double($0.scalars[0]) }, truth.map { Double($0.scalars[1]) }, label: "truth", color: .black, lineWidth: 2)
for fit in fits {
    let constants = fit.store.values.map { Variable(constant: $0) }
    let states = try odeint(fit.field, fit.initialState(y0, constants), times, parameters: constants, solver: solver, log: SolveLog())
    let path = states.map { fit.position($0).value }
    figure[0, 0].plot(path.map { Double($0.scalars[0]) }, path.map { Double($0.scalars[1]) }, label: fit.name, style: .dashed)
}
try figure.write(to: output)
print("wrote \(output.path)")

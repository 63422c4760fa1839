// mnist-example: a small HBNODE image classifier trained on a subset of MNIST, written with the packages'
// public API only: Datasets for the data, a convolutional field as a closure of tape operations wrapped
// by HeavyBall.field, odeint for the differentiable solve, trainingStep with Adam.
//
//   make data                                   # once: fetches MNIST into Datasets/
//   swift run -c release mnist-example [--train 1000] [--test 500] [--epochs 2] [--data DIR]
import Datasets
import Foundation
import Metrics
import NeuralODEModels
import Tensors

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let i = arguments.firstIndex(of: name) else { return nil }
    guard i + 1 < arguments.count else { fail("\(name) needs a value") }
    return arguments[i + 1]
}
func count(_ name: String, default value: Int) -> Int {
    guard let text = option(name) else { return value }
    guard let n = Int(text), n > 0 else { fail("\(name) needs a positive integer, got '\(text)'") }
    return n
}
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("mnist-example: \(message)\n".utf8))
    exit(2)
}
if CommandLine.arguments.contains("--help") {
    print("usage: mnist-example [--train N] [--test N] [--epochs N] [--data DIR]\n  Trains a small HBNODE classifier on N MNIST images and reports test accuracy and NFE.")
    exit(0)
}
let trainCount = count("--train", default: 1000), testCount = count("--test", default: 500), epochs = count("--epochs", default: 2)
let root = DataDirectory.repositoryRoot(containing: FileManager.default.currentDirectoryPath + "/.") ?? FileManager.default.currentDirectoryPath
guard let folder = option("--data") ?? DataDirectory.locate(repositoryRoot: root, containing: "mnist") else {
    fail("MNIST not found in \(DataDirectory.candidates(repositoryRoot: root)); run `make data` or pass --data DIR")
}
let train = try MNIST.load(directory: folder + "/mnist", split: .train)
let test = try MNIST.load(directory: folder + "/mnist", split: .test)

// Parameters: a 1×1 convolution lifting the image to 4 channels (the initial position; momentum starts
// at 0), the field's two 3×3 convolutions with the time appended as a channel, and a linear classifier.
let channels = 4, hidden = 8
var store = ParameterStore<Float>()
var rng = SeededGenerator(seed: 3)
func weights(_ name: String, _ shape: [Int]) -> ParameterID {
    let fanIn = Float(shape.dropFirst().reduce(1, *))
    return store.register(name, Tensor<Float>(randomNormal: shape, using: &rng) * (1 / fanIn.squareRoot()))
}
let lift = weights("lift", [channels, 1, 1, 1])
let w1 = weights("field.w1", [hidden, channels + 1, 3, 3]), b1 = store.register("field.b1", Tensor(zeros: [hidden]))
let w2 = weights("field.w2", [channels, hidden + 1, 3, 3]), b2 = store.register("field.b2", Tensor(zeros: [channels]))
let wc = weights("classifier.w", [10, channels * 28 * 28]), bc = store.register("classifier.b", Tensor(zeros: [10]))
let settings = HeavyBallSettings.hbnode(store: &store)
let network: TapeField<Float> = { t, h, p in
    let inner = conv2d(h, weight: p[w1.index], bias: p[b1.index], padding: 1, appendingConstantChannel: Float(t)).relu()
    return conv2d(inner, weight: p[w2.index], bias: p[b2.index], padding: 1, appendingConstantChannel: Float(t))
}
let field = HeavyBall.field(network, settings)
let solver = SolverConfiguration.dopri5(rtol: 1e-3, atol: 1e-3)

/// Class scores `[B, 10]` of a batch of images `[B, 1, 28, 28]`.
func logits(_ images: Tensor<Float>, _ p: [Variable<Float>], log: SolveLog? = nil) throws -> Variable<Float> {
    let h0 = conv2d(Variable(constant: images), weight: p[lift.index])
    let states = try odeint(field, HeavyBall.state(position: h0), [0, 1], parameters: p, solver: solver, log: log)
    let h1 = HeavyBall.position(states[1])
    return linear(h1.reshaped([images.shape[0], channels * 28 * 28]), weight: p[wc.index], bias: p[bc.index])
}

print("HBNODE classifier: \(store.parameterCount) parameters, \(trainCount) training and \(testCount) test images")
var adam = Adam<Float>(learningRate: 1e-3)
var images = Tensor<Float>(zeros: [1]), labels: [Int] = []
let sampler = BatchSampler(count: min(trainCount, train.count), batchSize: 50, shuffle: true, seed: 0)
var iteration = 0
for epoch in 0..<epochs {
    var losses = RunningStatistics(), nfe = NFECounts()
    let started = Date()
    for batch in sampler.batches(epoch: epoch) {
        train.gather(batch, into: &images, labels: &labels)
        let batchLabels = labels, batchImages = images
        let report = try trainingStep(parameters: &store, optimizer: &adam, learningRate: 1e-3, clipNorm: 10, iteration: iteration) { p, _ in
            Losses.crossEntropy(try logits(batchImages, p), labels: batchLabels)
        }
        iteration += 1
        losses.add(report.loss)
        nfe = nfe + NFECounts(forward: report.forwardEvaluations, backward: report.backwardEvaluations)
    }
    // Test accuracy with the trained parameters (no tape needed: constants in, constants out).
    var correct = 0
    let constants = store.values.map { Variable(constant: $0) }
    for start in stride(from: 0, to: min(testCount, test.count), by: 100) {
        test.gather(start..<min(start + 100, testCount, test.count), into: &images, labels: &labels)
        let scores = try logits(images, constants, log: SolveLog()).value
        let predicted = Evaluation.argmaxRows(scores.scalars.map(Double.init), columns: 10)
        correct += zip(predicted, labels).filter { $0 == $1 }.count
    }
    let batches = Double(sampler.batchesPerEpoch)
    print(String(format: "epoch %d: train loss %.3f, NFE per batch %.1f/%.1f, test accuracy %.1f %%, %.0f s", epoch + 1, losses.mean,
                 Double(nfe.forward) / batches, Double(nfe.backward) / batches, 100 * Double(correct) / Double(min(testCount, test.count)),
                 Date().timeIntervalSince(started)))
}

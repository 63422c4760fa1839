import Foundation
import Testing
import TensorTestSupport
import NeuralODEModels
import Tensors

/// The code of the "Getting started" article
/// (`Sources/NeuralODEModels/NeuralODEModels.docc/GettingStarted.md`), line for line, so that the article
/// cannot show code that does not compile. This test mirrors the article: change both together.
@Suite struct GettingStartedTests {
    @Test func articleExample() throws {
        // Data: 32 points in the plane; the target is 1 inside the unit circle and −1 outside.
        var rng = SeededGenerator(seed: 0)
        let points = Tensor<Float>(randomNormal: [32, 2], using: &rng)
        let labels = Tensor<Float>(shape: [32, 1], scalars: (0..<32).map { i in
            let (x, y) = (points.scalars[2 * i], points.scalars[2 * i + 1])
            return x * x + y * y < 1 ? 1 : -1
        })

        // HBNODE: h' = m, m' = −γm + f(h), with f a small MLP and γ = sigmoid(ω) learned.
        var store = ParameterStore<Float>()
        let velocity = Sequential.mlp("initial", widths: [2, 16, 2], activation: .tanh, store: &store, rng: &rng)
        let fieldStart = store.tensorCount
        let network = Sequential.mlp("field", widths: [2, 16, 2], activation: .tanh, store: &store, rng: &rng)
        let omega = ScalarParameter("omega", initialValue: -3, frozen: false, store: &store)
        let field = ContinuousDepthField(
            dynamics: .heavyBall(HeavyBallSettings(damping: .learned(omega: omega, epsilon: 1), restoring: .none, gate: .identity)),
            network: network, parameterIDs: (fieldStart..<store.tensorCount).map(ParameterID.init(index:)))
        let decoder = Sequential([.linear(Linear("decoder", 2, 1, store: &store, rng: &rng))])
        var model = ContinuousDepthModel(name: "hbnode", family: .hbnode, parameters: store,
                                         initialCondition: .learnedVelocity(velocity), field: field, decoder: decoder)
        print("\(model.parameterCount) parameters in \(model.parameters.tensorCount) tensors")

        // Training: Adam on every parameter; dopri5 at tolerance 1e-3 with the backsolve adjoint.
        var adam = Adam<Float>(learningRate: 0.01)
        let solver = SolverConfiguration(tolerance: 1e-3, gradient: .backsolve())
        let inputs = Variable(constant: points)
        var losses: [Double] = []
        for step in 0..<20 {
            let frozen = model   // the loss reads this copy; trainingStep updates model.parameters
            let report = try trainingStep(parameters: &model.parameters, optimizer: &adam, learningRate: 0.01,
                                          iteration: step) { p, log in
                Losses.meanSquaredError(try frozen(inputs, p, solver: solver, log: log), labels)
            }
            losses.append(report.loss)
            print("step \(step): loss \(report.loss), NFE forward \(report.forwardEvaluations), backward \(report.backwardEvaluations)")
        }
        let predictions = try model.predict(points, solver: solver)   // no tape: inference only
        print(predictions.shape)                                       // [32, 1]

        #expect(model.parameterCount == 2 * 16 + 16 + 16 * 2 + 2 + 2 * 16 + 16 + 16 * 2 + 2 + 1 + 2 + 1)
        #expect(losses.count == 20)
        #expect(losses.allSatisfy { $0.isFinite })
        #expect(losses.last! < losses.first!)
        #expect(predictions.shape == [32, 1])
        #expect(adam.step == 20)
    }

    /// Every line of the Swift code of the article and of the package README appears in this package's
    /// tests, so neither can show code that does not compile.
    @Test func articleCodeIsThisTestsCode() throws {
        try expectDocumentedCodeIsTested(["Sources/NeuralODEModels/NeuralODEModels.docc/GettingStarted.md", "README.md"])
    }
}

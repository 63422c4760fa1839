import Foundation
import Testing
import TensorTestSupport
import Adjoint
import ODESolvers
import Tensors

/// The code of the "Getting started" article (`Sources/Adjoint/Adjoint.docc/GettingStarted.md`), line for
/// line, so that the article cannot show code that does not compile. This test mirrors the article:
/// change both together.
@Suite struct GettingStartedTests {
    @Test func articleExample() throws {
        // y' = −θ·y with a trainable rate θ, a one-element tensor broadcast over the state.
        let theta = Tensor<Double>([0.5])
        let field = TapeVectorField<Tensor<Double>>(parameters: [theta]) { t, y, p in
            [-(p[0] * y[0])]
        }
        let y0 = Tensor<Double>([1, 2])
        let target = Tensor<Double>([0.2, 0.4])

        // L = ½‖y(1) − target‖², so the cotangent at t = 1 is ∂L/∂y(1) = y(1) − target.
        var rateGradients: [String: Double] = [:]
        let methods: [(String, GradientMethod)] = [("backsolve", .backsolve()), ("direct", .direct), ("checkpointed", .checkpointed())]
        for (name, method) in methods {
            let forward = try solveWithGradient(field, y0: y0, times: [0, 1],
                                                controller: .adaptive(rtol: 1e-8, atol: 1e-10), gradient: method)
            let residual = forward.states[1] - target
            let loss = 0.5 * residual.dot(residual)
            let gradients = try forward.backward(cotangents: [nil, residual])   // nil: the loss does not read y(0)
            rateGradients[name] = gradients.parameters[0].scalars[0]
            print("\(name): L = \(loss), ∂L/∂θ = \(gradients.parameters[0].scalars[0]), ∂L/∂y0 = \(gradients.initialState.scalars)")
            print("  NFE forward \(forward.statistics.functionEvaluations), backward \(gradients.statistics.functionEvaluations)")
        }

        // Closed form: y(1) = y0·e^{−θ}, ∂L/∂θ = −Σ (y(1) − target)·y(1).
        let y1 = y0.scalars.map { $0 * exp(-0.5) }
        let expected = -zip(y1, target.scalars).reduce(0.0) { $0 + ($1.0 - $1.1) * $1.0 }
        #expect(rateGradients.count == 3)
        for (name, gradient) in rateGradients {
            #expect(abs(gradient - expected) < 1e-6, "\(name): \(gradient) vs \(expected)")
        }
    }

    /// Every line of the Swift code of the article and of the package README appears in this package's
    /// tests, so neither can show code that does not compile.
    @Test func articleCodeIsThisTestsCode() throws {
        try expectDocumentedCodeIsTested(["Sources/Adjoint/Adjoint.docc/GettingStarted.md", "README.md"])
    }
}

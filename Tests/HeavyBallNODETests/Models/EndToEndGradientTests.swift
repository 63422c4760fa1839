import Adjoint
import ODESolvers
import Testing
import Tensors
@testable import NeuralODEModels
import Experiments

/// Gradients through whole models (IC map → solve(s) → decoder → loss) against finite differences, in
/// Double, with the direct (discretise-then-optimise) method on a fixed RK4 grid, whose gradient is the
/// exact derivative of the computed loss.
@Suite struct EndToEndGradientTests {
    static let exact = SolverConfiguration(method: .rk4, controller: .fixed(dt: 0.25), gradient: .direct)

    /// Three 2-D points with ±1 labels.
    static let points = Tensor<Double>(shape: [3, 2], scalars: [0.3, -0.2, -0.7, 0.6, 0.1, 0.9])
    static let labels = Tensor<Double>(shape: [3, 1], scalars: [-1, 1, 1])

    /// A point-cloud model; for GHBNODE the gate is tanh and ξ = softplus(trainable corr), so every
    /// heavy-ball ingredient is exercised.
    static func pointCloudModel(_ family: ModelFamily) -> ContinuousDepthModel<Double> {
        var model: ContinuousDepthModel<Double> = ExperimentModels.pointCloud(family, seed: 3)
        // Shrink the decoder so hardtanh(−1, 1) is not saturated.
        for name in ["decoder.weight", "decoder.bias"] {
            let k = model.parameters.names.firstIndex(of: name)!
            model.parameters.values[k].scale(by: 0.3)
        }
        if family == .ghbnode, case .heavyBall(var settings) = model.field.dynamics {
            let corr = ScalarParameter("field.corr", initialValue: 0.4, frozen: false, store: &model.parameters)
            settings.gate = .tanh
            settings.restoring = .softplus(corr)
            model.field.dynamics = .heavyBall(settings)
            model.field.parameterIDs.append(corr.id)
        }
        return model
    }

    @Test(arguments: ModelFamily.allCases)
    func pointCloudFamilies(_ family: ModelFamily) throws {
        let model = Self.pointCloudModel(family)
        let log = try checkLossGradients(model.parameters) { p, log in
            Losses.meanSquaredError(try model(Variable(constant: Self.points), p, solver: Self.exact, log: log), Self.labels)
        }
        #expect(log.forwardEvaluations == 16)  // 4 RK4 steps of 4 stages
        #expect(log.backwardEvaluations > 0)
    }

    @Test(arguments: [ModelFamily.sonode, .hbnode])
    func imageFamiliesWithTimeChannel(_ family: ModelFamily) throws {
        let model: ContinuousDepthModel<Double> = ExperimentModels.image(.mnist, family, seed: 4, imageSize: 3)
        var g = SeededGenerator(seed: 9)
        let images = Tensor<Double>(randomUniform: [2, 1, 3, 3], using: &g)
        _ = try checkLossGradients(model.parameters, perTensor: 1, floor: 1e-3) { p, log in
            Losses.crossEntropy(try model(Variable(constant: images), p, solver: Self.exact, log: log), labels: [3, 7])
        }
    }

    /// Backsolve, direct and checkpointed adaptive gradients agree (each approximates the exact gradient
    /// of the continuous problem to about the tolerance).
    @Test func gradientMethodsAgreeOnHBNODE() throws {
        let model = Self.pointCloudModel(.hbnode)
        func gradients(_ method: GradientMethod) throws -> (grads: [Tensor<Double>], log: SolveLog) {
            let solver = SolverConfiguration(tolerance: 1e-10, gradient: method)
            let result = try lossAndGradients(at: model.parameters) { p, log in
                Losses.meanSquaredError(try model(Variable(constant: Self.points), p, solver: solver, log: log), Self.labels)
            }
            return (result.gradients, result.log)
        }
        let reference = try gradients(.direct)
        let scale = reference.grads.map { $0.scalars.map(abs).max()! }.max()!
        for method in [GradientMethod.backsolve(), .checkpointed()] {
            let other = try gradients(method)
            #expect(other.log.backwardEvaluations > 0)
            for (a, b) in zip(reference.grads, other.grads) {
                for (x, y) in zip(a.scalars, b.scalars) { #expect(abs(x - y) <= 1e-6 * scale) }
            }
        }
    }
}

@Suite struct SolveFailureTests {
    @Test func stepBudgetGivesATypedErrorNamingModelAndTime() {
        let model = EndToEndGradientTests.pointCloudModel(.hbnode)
        let solver = SolverConfiguration(tolerance: 1e-12, maxSteps: 1)
        do {
            _ = try model.predict(EndToEndGradientTests.points, solver: solver)
            Issue.record("a one-step budget at tol 1e-12 should not suffice")
        } catch {
            guard case .forwardSolveFailed(let name, let time, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(name == "pointCloud-hbnode" && time == 0)
            #expect(error.description.contains("pointCloud-hbnode") && error.description.contains("t = 0.0"))
        }
    }
}

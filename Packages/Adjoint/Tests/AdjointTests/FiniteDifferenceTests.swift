import Adjoint
import ODESolvers
import Tensors
import Testing

/// Every gradient method against central finite differences at rtol = atol = 1e-10, with a loss that
/// reads several output times.
@Suite struct FiniteDifferenceTests {
    func check<State: TensorListConvertible>(_ harness: GradientHarness<State>, label: String) throws where State.Scalar == Double {
        let reference = try harness.finiteDifferences()
        for (name, method) in allMethods {
            let (gradient, backward, forward) = try harness.gradient(method)
            let error = relativeError(gradient, reference)
            print("\(label) \(name): relative error \(error), NFE forward \(forward.functionEvaluations) backward \(backward.functionEvaluations)")
            #expect(error <= 1e-6, "\(label) \(name): relative error \(error)")
            #expect(backward.functionEvaluations > 0)
        }
    }

    @Test func tanhMLP() throws {
        var generator = SplitMix(seed: 7)
        let harness = GradientHarness<Tensor<Double>>(
            field: Fields.mlp(dimension: 2, hidden: 3, seed: 1), y0: generator.tensor([2, 2], scale: 1),
            times: [0, 0.3, 0.7, 1.0],
            weights: [nil, generator.tensor([2, 2], scale: 1), nil, generator.tensor([2, 2], scale: 1)])
        try check(harness, label: "mlp")
    }

    @Test func heavyBall() throws {
        var generator = SplitMix(seed: 11)
        let state = TensorList([generator.tensor([2, 2], scale: 1), generator.tensor([2, 2], scale: 1)])
        let weight = TensorList([generator.tensor([2, 2], scale: 1), generator.tensor([2, 2], scale: 1)])
        let harness = GradientHarness<TensorList<Double>>(
            field: Fields.hbnode(dimension: 2, seed: 2), y0: state, times: [0, 0.5, 1.0],
            weights: [nil, weight, nil])
        try check(harness, label: "hbnode")
    }

    @Test func generalizedHeavyBall() throws {
        var generator = SplitMix(seed: 13)
        let state = TensorList([generator.tensor([2, 2], scale: 1), generator.tensor([2, 2], scale: 1)])
        let weight = TensorList([generator.tensor([2, 2], scale: 1), generator.tensor([2, 2], scale: 1)])
        let harness = GradientHarness<TensorList<Double>>(
            field: Fields.ghbnode(dimension: 2, seed: 3), y0: state, times: [0, 0.25, 0.6, 1.0],
            weights: [weight, nil, weight, nil])
        try check(harness, label: "ghbnode")
    }

    /// Decreasing output times integrate backwards; every method must handle the negative direction.
    @Test func backwardsInTime() throws {
        var generator = SplitMix(seed: 19)
        let harness = GradientHarness<Tensor<Double>>(
            field: Fields.mlp(dimension: 2, hidden: 3, seed: 12), y0: generator.tensor([1, 2], scale: 1),
            times: [1.0, 0.6, -0.2], weights: [nil, generator.tensor([1, 2], scale: 1), generator.tensor([1, 2], scale: 1)])
        try check(harness, label: "mlp backwards")
    }

    @Test func outputTimeGradients() throws {
        var generator = SplitMix(seed: 17)
        let harness = GradientHarness<Tensor<Double>>(
            field: Fields.mlp(dimension: 2, hidden: 3, seed: 4), y0: generator.tensor([1, 2], scale: 1),
            times: [0, 0.5, 1.0], weights: [generator.tensor([1, 2], scale: 1), generator.tensor([1, 2], scale: 1), nil])
        let reference = try harness.timeFiniteDifferences()
        for (name, method) in allMethods {
            let forward = try solveWithGradient(
                harness.field, y0: harness.y0, times: harness.times, controller: harness.controller, gradient: method)
            let result = try forward.backward(cotangents: harness.cotangents(forward.states), timeGradients: true)
            let error = relativeError(try #require(result.times), reference)
            #expect(error <= 1e-6, "\(name): time-gradient relative error \(error)")
        }
    }
}

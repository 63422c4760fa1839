import Testing
import Tensors
@testable import NeuralODEModels

@Suite struct OptimizerTests {
    @Test func adamMatchesPyTorchUpdateOnTwoSteps() {
        var store = ParameterStore<Double>()
        _ = store.register("p", Tensor([1.0]))
        var adam = Adam<Double>(learningRate: 0.1)
        adam.update(&store, gradients: [Tensor([0.5])])
        // Step 1: m̂ = g, v̂ = g², so the move is lr·g/(|g| + ε).
        #expect(abs(store.values[0].scalars[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-15)
        let p1 = store.values[0].scalars[0]
        adam.update(&store, gradients: [Tensor([-0.25])])
        let m = 0.9 * 0.05 + 0.1 * -0.25, v = 0.999 * 0.00025 + 0.001 * 0.0625
        let expected = p1 - (0.1 / (1 - 0.81)) * m / ((v).squareRoot() / (1 - 0.998001).squareRoot() + 1e-8)
        #expect(abs(store.values[0].scalars[0] - expected) < 1e-14)
        #expect(adam.step == 2)
    }

    @Test func adamMinimisesAQuadratic() {
        var store = ParameterStore<Double>()
        _ = store.register("x", Tensor([3.0, -2.0]))
        var adam = Adam<Double>(learningRate: 0.05)
        for _ in 0..<500 {
            adam.update(&store, gradients: [store.values[0].map { 2 * $0 }])
        }
        #expect(store.values[0].scalars.allSatisfy { abs($0) < 1e-2 })
    }

    @Test func clippingScalesToTheGlobalNorm() {
        var grads = [Tensor<Double>([3, 0]), Tensor<Double>([4])]
        let norm = clipGradientNorm(&grads, maxNorm: 1)
        #expect(abs(norm - 5) < 1e-12)
        let clipped = grads.reduce(0.0) { $0 + $1.squaredNorm }.squareRoot()
        #expect(abs(clipped - 5 / (5 + 1e-6)) < 1e-12)
        var small = [Tensor<Double>([0.3])]
        clipGradientNorm(&small, maxNorm: 1)
        #expect(small[0].scalars == [0.3])
    }

    @Test func schedules() {
        let stepped = LearningRateSchedule.step(initial: 1e-3, every: 1000, factor: 0.95)
        #expect(stepped.rate(at: 999) == 1e-3)
        #expect(abs(stepped.rate(at: 7840) - 1e-3 * Double.pow(0.95, 7)) < 1e-18)
        let phases = LearningRateSchedule.piecewise(starts: [0, 50], rates: [1e-3, 3e-3])
        #expect(phases.rate(at: 49) == 1e-3 && phases.rate(at: 50) == 3e-3)
        #expect(phases.startsNewPhase(at: 50) && !phases.startsNewPhase(at: 0) && !phases.startsNewPhase(at: 51))
    }
}

@Suite struct SGDTests {
    /// PyTorch's torch.optim.SGD on p = [1, −2] with gradients g₁ = [0.5, 1], g₂ = [−1, 0.25], lr 0.1.
    func run(_ optimizer: SGD<Double>) -> [Double] {
        var store = ParameterStore<Double>()
        _ = store.register("p", Tensor<Double>([1, -2]))
        var sgd = optimizer
        sgd.update(&store, gradients: [Tensor([0.5, 1])])
        sgd.update(&store, gradients: [Tensor([-1, 0.25])])
        return store.values[0].scalars
    }

    @Test func plainMomentumNesterovAndWeightDecayFollowPyTorch() {
        func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 } }
        // Plain: p − 0.1·(g₁ + g₂).
        #expect(close(run(SGD(learningRate: 0.1)), [1.05, -2.125]))
        // Momentum 0.9: v₁ = g₁, v₂ = 0.9·g₁ + g₂ = [−0.55, 1.15]; p = p − 0.1·(v₁ + v₂).
        #expect(close(run(SGD(learningRate: 0.1, momentum: 0.9)), [1.005, -2.215]))
        // Nesterov: steps g₁ + 0.9·v₁ = [0.95, 1.9] and g₂ + 0.9·v₂ = [−1.495, 1.285].
        #expect(close(run(SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)), [1.0545, -2.3185]))
        // Weight decay 0.1 adds 0.1·p to each gradient: [0.6, 0.8] at p₀, giving p₁ = [0.94, −2.08]; then
        // [−0.906, 0.042] at p₁.
        #expect(close(run(SGD(learningRate: 0.1, weightDecay: 0.1)), [1.0306, -2.0842]))
    }

    @Test func trainingStepTakesAnyOptimizer() throws {
        var store = ParameterStore<Double>()
        let w = store.register("w", Tensor<Double>([2]))
        var sgd = SGD<Double>(learningRate: 0.25)
        for _ in 0..<20 {
            _ = try trainingStep(parameters: &store, optimizer: &sgd, learningRate: 0.25) { p, _ in (p[w.index] * p[w.index]).sum() }
        }
        #expect(abs(store.values[0].scalars[0]) < 1e-5)
    }
}

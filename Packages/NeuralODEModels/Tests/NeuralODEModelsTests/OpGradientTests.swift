import Testing
import Tensors
import TensorTestSupport
@testable import NeuralODEModels

/// Finite-difference checks of the layers and model-specific ops built on the Tensor package's ops.
@Suite struct OpGradientTests {
    func random(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var g = SeededGenerator(seed: seed)
        return Tensor(randomNormal: shape, using: &g)
    }

    @Test func linearLayerWithEveryActivation() {
        // The layers dispatch to the Tensor package's ops (which test their own pullbacks); this checks
        // the dispatch: parameters reach the right op, and each activation's value is PyTorch's.
        let activations: [Activation] = [.identity, .relu, .leakyReLU(slope: 0.3), .elu(alpha: 1), .tanh, .sigmoid, .softplus, .hardtanh(min: -0.5, max: 0.5)]
        var store = ParameterStore<Double>()
        var rng = SeededGenerator(seed: 2)
        let layer = Linear("l", 4, 5, store: &store, rng: &rng)
        for (k, activation) in activations.enumerated() {
            expectGradientsMatch(at: [random([3, 4], seed: 1)] + store.values, tolerance: 1e-5, seed: UInt64(k)) { v in
                activation(layer(v[0], Array(v[1...])))
            }
            let x = random([7], seed: UInt64(30 + k))
            #expect(activation(x).scalars.enumerated().allSatisfy { i, y in abs(y - activation.value(x.scalars[i])) < 1e-12 })
        }
    }

    @Test func convolutionWithTimeChannel() {
        var store = ParameterStore<Double>()
        var rng = SeededGenerator(seed: 4)
        let conv = Conv2d("c", 3, 2, kernelSize: 3, padding: 1, appendsTimeChannel: true, store: &store, rng: &rng)
        expectGradientsMatch(at: [random([2, 2, 4, 3], seed: 5)] + store.values, tolerance: 1e-5) { v in
            conv(v[0], time: 0.7, Array(v[1...]))
        }
    }

    @Test func sampleScalingAndLosses() {
        expectGradientsMatch(at: [random([3, 2, 2], seed: 11)], tolerance: 1e-6) { v in
            ContinuousDepthField.scaleSamples(v[0], by: [0.5, 2, -1])
        }
        let scaled = ContinuousDepthField.scaleSamples(Variable(constant: Tensor<Double>(ones: [2, 3])), by: [2, -1])
        #expect(scaled.value.scalars == [2, 2, 2, -1, -1, -1])
        // Equal counts in another layout compare elementwise in row-major order, as the reference's MSELoss.
        let target = random([6], seed: 13)
        expectGradientsMatch(at: [random([3, 2], seed: 14)], tolerance: 1e-6) { v in Losses.meanSquaredError(v[0], target) }
        let p = random([3, 2], seed: 14)
        let expected = zip(p.scalars, target.scalars).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 6
        #expect(abs(Losses.meanSquaredError(Variable(constant: p), target).value.scalars[0] - expected) < 1e-12)
    }

    @Test func heavyBallFieldMatchesEquations() {
        // h' = tanh(m), m' = −γm + f(h) − ξh with γ = sigmoid(ω), ξ = softplus(corr), checked elementwise.
        var store = ParameterStore<Double>()
        var rng = SeededGenerator(seed: 21)
        let net = Sequential.mlp("f", widths: [3, 3], activation: .identity, store: &store, rng: &rng)
        let omega = ScalarParameter("omega", initialValue: -1, frozen: false, store: &store)
        let corr = ScalarParameter("corr", initialValue: 0.3, frozen: false, store: &store)
        let field = ContinuousDepthField(
            dynamics: .heavyBall(HeavyBallSettings(damping: .learned(omega: omega, epsilon: 1), restoring: .softplus(corr), gate: .tanh)),
            network: net, parameterIDs: (0..<store.tensorCount).map(ParameterID.init(index:)))
        let z = random([2, 2, 3], seed: 22)
        let p = store.values.map { Variable(constant: $0) }
        let dz = field(0, Variable(constant: z), p).value
        let fh = net(Variable(constant: Tensor(shape: [2, 3], scalars: [0, 1, 2, 6, 7, 8].map { z.scalars[$0] })), p).value
        let gamma = 1 / (1 + Double.exp(1.0)), xi = Double.log(1 + Double.exp(0.3))
        for b in 0..<2 {
            for i in 0..<3 {
                let h = z[b, 0, i], m = z[b, 1, i]
                #expect(abs(dz[b, 0, i] - Double.tanh(m)) < 1e-12)
                #expect(abs(dz[b, 1, i] - (-gamma * m + fh[b, i] - xi * h)) < 1e-12)
            }
        }
        expectGradientsMatch(at: [z] + store.values, tolerance: 1e-6) { v in field(0.3, v[0], Array(v[1...]), sampleScale: [0.5, 1.5]) }
    }
}

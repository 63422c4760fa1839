import ComplexModule
import Testing
import Tensors
@testable import NeuralODEModels

/// Paper Prop. 4: the eigenvalues of the linearised (G)HBNODE adjoint, integrated over [t, T], pair up
/// with each pair summing to (t − T)·γ.
@Suite struct PropositionFourTests {
    @Test(arguments: [1, 3, 8, 20])
    func randomJacobians(_ n: Int) throws {
        var g = SeededGenerator(seed: UInt64(100 + n))
        for trial in 0..<3 {
            let j = Tensor<Double>(randomNormal: [n, n], using: &g)
            let gamma = 0.05 + 2 * g.nextUnitInterval(Double.self)
            let xi = trial == 0 ? 0 : 3 * g.nextUnitInterval(Double.self)
            // HBNODE gate (σ' = 1) on the first trial, a tanh gate's derivative 1 − tanh² after that.
            let gate = (0..<n).map { _ in trial == 0 ? 1.0 : 1 - Double.pow(Double.tanh(2 * g.nextUnitInterval(Double.self) - 1), 2) }
            let m = HeavyBallSpectrum.linearisedField(jacobian: j, gamma: gamma, xi: xi, gateDerivative: gate)
            // M itself: pairs sum to −γ.
            let onM = HeavyBallSpectrum.pair(try eigenvalues(of: m), sum: -gamma)
            #expect(onM.maxResidual < 1e-8 * Swift.max(1, Double(n)), "n = \(n), trial \(trial): residual \(onM.maxResidual)")
            // The integrated adjoint operator (t − T)·A with A = −Mᵀ: pairs sum to (t − T)·γ.
            let (t, horizon) = (0.25, 1.0 + Double(trial))
            var integrated = HeavyBallSpectrum.adjointGenerator(m)
            integrated.scale(by: t - horizon)
            let values = try eigenvalues(of: integrated)
            #expect(values.count == 2 * n)
            let result = HeavyBallSpectrum.pair(values, sum: (t - horizon) * gamma)
            #expect(result.pairs.count == n)
            #expect(result.maxResidual < 1e-8 * Swift.max(1, Double(n)) * (horizon - t), "n = \(n), trial \(trial): residual \(result.maxResidual)")
        }
    }

    @Test func pairingDetectsAWrongSum() throws {
        // A negative control: the same spectrum does not pair to a different sum.
        var g = SeededGenerator(seed: 7)
        let m = HeavyBallSpectrum.linearisedField(jacobian: Tensor(randomNormal: [4, 4], using: &g), gamma: 0.5, xi: 0, gateDerivative: [1, 1, 1, 1])
        let result = HeavyBallSpectrum.pair(try eigenvalues(of: m), sum: -0.7)
        #expect(result.maxResidual > 0.1)
    }

    @Test(arguments: [ModelFamily.hbnode, .ghbnode])
    func jacobianOfARandomHeavyBallField(_ family: ModelFamily) throws {
        // A linear field Linear(24, 24) on h and an ELU MLP on 2-D points, with ω = −3 (γ = σ(−3)) and, for
        // GHBNODE, a tanh gate and a trainable ξ = softplus(corr).
        func heavyBall(widths: [Int], activation: Activation, seed: UInt64) -> (ContinuousDepthField, ParameterStore<Double>) {
            var store = ParameterStore<Double>()
            var rng = SeededGenerator(seed: seed)
            let net = Sequential.mlp("net", widths: widths, activation: activation, store: &store, rng: &rng)
            let omega = ScalarParameter("omega", initialValue: -3, frozen: false, store: &store)
            let restoring: Restoring = family == .ghbnode
                ? .softplus(ScalarParameter("corr", initialValue: 0.5, frozen: false, store: &store)) : .none
            let settings = HeavyBallSettings(damping: .learned(omega: omega, epsilon: 1), restoring: restoring,
                                             gate: family == .ghbnode ? .tanh : .identity)
            let ids = (0..<store.tensorCount).map(ParameterID.init(index:))
            return (ContinuousDepthField(dynamics: .heavyBall(settings), network: net, parameterIDs: ids), store)
        }
        let linear = heavyBall(widths: [24, 24], activation: .identity, seed: 31)
        let mlp = heavyBall(widths: [2, 14, 14, 2], activation: .elu(alpha: 1), seed: 32)
        for (field, store, n) in [(linear.0, linear.1, 24), (mlp.0, mlp.1, 2)] {
            var g = SeededGenerator(seed: 33)
            let z = Tensor<Double>(randomNormal: [1, 2, n], using: &g)
            let jacobian = HeavyBallSpectrum.fieldJacobian(field, at: z, parameters: store)
            guard case .heavyBall(let settings) = field.dynamics else { Issue.record("not a heavy-ball field"); return }
            let gamma = settings.damping(store.values.map { Variable(constant: $0) }).value.scalars[0]
            #expect(abs(gamma - 1 / (1 + Double.exp(3))) < 1e-12)
            let (t, horizon) = (0.0, 1.0)
            var integrated = HeavyBallSpectrum.adjointGenerator(jacobian)
            integrated.scale(by: t - horizon)
            let result = HeavyBallSpectrum.pair(try eigenvalues(of: integrated), sum: (t - horizon) * gamma)
            #expect(result.maxResidual < 1e-9, "\(family) n = \(n): residual \(result.maxResidual)")
        }
    }
}

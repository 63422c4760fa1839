import Adjoint
import ODESolvers
import Testing
import Tensors
@testable import NeuralODEModels

/// The compiled dense fields against the tape path they replace, in Double: values and VJPs of single
/// evaluations for every dynamics, activation and wrapper option, and whole solves with their gradients
/// (same NFE). The finite-difference checks of ODEBlockGradientTests run on the compiled path too, since
/// it is the default.
@Suite struct DenseVectorFieldTests {
    /// A field with `dynamics` around an MLP of `widths` (and optionally a forcing input), its store and state shape.
    struct Case: CustomStringConvertible {
        var description: String
        var field: ContinuousDepthField
        var store: [Tensor<Double>]
        var stateShape: [Int]
    }

    static func makeCase(
        _ name: String, dynamics: (inout ParameterStore<Double>) -> ContinuousDepthField.Dynamics, widths: [Int],
        activation: Activation, stateShape: [Int], forcing: Bool = false
    ) -> Case {
        var store = ParameterStore<Double>()
        var rng = SeededGenerator(seed: 11)
        _ = store.register("unrelated", Tensor<Double>(ones: [3]))  // the field's ids need not start at 0
        let start = store.tensorCount
        var net = Sequential.mlp("net", widths: widths, activation: activation, store: &store, rng: &rng)
        if forcing {
            net = Sequential([.appendSignal(SampledSignal(values: [0.5, -1, 2, 0.25]))]
                + Sequential.mlp("forced", widths: [widths[0] + 1, widths[0]], activation: .identity, store: &store, rng: &rng).layers
                + net.layers)
        }
        let dynamicsValue = dynamics(&store)
        let field = ContinuousDepthField(
            dynamics: dynamicsValue, network: net, parameterIDs: (start..<store.tensorCount).map(ParameterID.init(index:)))
        return Case(description: name, field: field, store: store.values, stateShape: stateShape)
    }

    static let activations: [Activation] = [
        .identity, .relu, .leakyReLU(slope: 0.1), .elu(alpha: 1), .tanh, .sigmoid, .softplus, .hardtanh(min: -0.5, max: 0.5),
    ]

    static var cases: [Case] {
        var cases = [Case]()
        for activation in activations {
            cases.append(makeCase("NODE \(activation)", dynamics: { _ in .firstOrder }, widths: [3, 11, 9, 3], activation: activation, stateShape: [7, 3]))
        }
        cases.append(makeCase("SONODE", dynamics: { _ in .secondOrder }, widths: [6, 13, 3], activation: .elu(alpha: 1), stateShape: [5, 2, 3]))
        cases.append(makeCase("forced NODE", dynamics: { _ in .firstOrder }, widths: [2, 5, 2], activation: .tanh, stateShape: [4, 2], forcing: true))
        let heavyBall: [(String, (inout ParameterStore<Double>) -> HeavyBallSettings)] = [
            ("HBNODE learned γ", { store in
                HeavyBallSettings(damping: .learned(omega: ScalarParameter("omega", initialValue: -1, frozen: false, store: &store), epsilon: 0.7),
                                  restoring: .none, gate: .identity) }),
            ("GHBNODE softplus ξ, tanh gate", { store in
                HeavyBallSettings(damping: .learned(omega: ScalarParameter("omega", initialValue: 0.5, frozen: false, store: &store), epsilon: 1),
                                  restoring: .softplus(ScalarParameter("corr", initialValue: 0.4, frozen: false, store: &store)), gate: .tanh) }),
            ("HBNODE raw ξ, hardtanh gate", { store in
                HeavyBallSettings(damping: .learned(omega: ScalarParameter("omega", initialValue: -3, frozen: false, store: &store), epsilon: 1),
                                  restoring: .raw(ScalarParameter("corr", initialValue: 1, frozen: false, store: &store)), gate: .hardtanh(min: -0.3, max: 0.3)) }),
            ("frozen ω and corr", { store in
                HeavyBallSettings(damping: .learned(omega: ScalarParameter("omega", initialValue: -2, frozen: true, store: &store), epsilon: 1),
                                  restoring: .softplus(ScalarParameter("corr", initialValue: 0, frozen: true, store: &store)), gate: .identity) }),
            ("constant γ and ξ", { _ in HeavyBallSettings(damping: .constant(0.3), restoring: .constant(2), gate: .identity) }),
        ]
        for (name, settings) in heavyBall {
            cases.append(makeCase(name, dynamics: { .heavyBall(settings(&$0)) }, widths: [4, 10, 4], activation: .relu, stateShape: [6, 2, 4]))
        }
        // A batch and widths above the small-kernel limit, so the BLAS branch is exercised too.
        cases.append(makeCase("wide NODE", dynamics: { _ in .firstOrder }, widths: [70, 90, 70], activation: .tanh, stateShape: [80, 70]))
        return cases
    }

    static func maxRelativeDifference(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
        precondition(a.shape == b.shape, "compared shapes \(a.shape) and \(b.shape)")
        let scale = Swift.max(a.scalars.map(Swift.abs).max() ?? 0, 1e-300)
        return zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    @Test(arguments: cases)
    func evaluationsMatchTheTape(_ c: Case) throws {
        var g = SeededGenerator(seed: 12)
        let z = Tensor<Double>(randomNormal: c.stateShape, using: &g)
        let a = Tensor<Double>(randomNormal: c.stateShape, using: &g)
        let scale = (0..<c.stateShape[0]).map { Double($0) * 0.3 + 0.4 }
        for sampleScale in [nil, scale] {
            let tape = ODEBlock.vectorField(c.field, parameters: c.store.map { Variable(constant: $0) }, sampleScale: sampleScale)
            let dense = try #require(DenseVectorField(c.field, store: c.store, stateShape: c.stateShape, sampleScale: sampleScale))
            #expect(dense.parameters == tape.parameters)
            for t in [0.0, 1.3] {
                #expect(Self.maxRelativeDifference(try dense(t, z), try tape(t, z)) < 1e-13)
                let fast = try dense.vectorJacobianProduct(t, z, cotangent: a)
                let reference = try tape.vectorJacobianProduct(t, z, cotangent: a)
                #expect(Self.maxRelativeDifference(fast.value, reference.value) < 1e-13)
                #expect(Self.maxRelativeDifference(fast.state, reference.state) < 1e-13)
                #expect(fast.parameters.count == reference.parameters.count)
                for (p, q) in zip(fast.parameters, reference.parameters) {
                    #expect(p.shape == q.shape)
                    #expect(Self.maxRelativeDifference(p, q) < 1e-12, "\(c)")
                }
            }
        }
    }

    @Test func convolutionalAndReshapingFieldsStayOnTheTape() {
        var store = ParameterStore<Double>()
        var rng = SeededGenerator(seed: 1)
        let conv = Sequential.timeConvolutionField("f", inChannels: 1, hidden: 2, outChannels: 1, store: &store, rng: &rng)
        let field = ContinuousDepthField(dynamics: .firstOrder, network: conv, parameterIDs: (0..<store.tensorCount).map(ParameterID.init(index:)))
        #expect(DenseVectorField(field, store: store.values, stateShape: [2, 1, 4, 4]) == nil)
        let mlp = Sequential.mlp("g", widths: [3, 3], activation: .identity, store: &store, rng: &rng)
        let flat = ContinuousDepthField(dynamics: .heavyBall(HeavyBallSettings(damping: .constant(0), restoring: .none, gate: .identity)),
                                        network: mlp, parameterIDs: [])
        #expect(DenseVectorField(flat, store: store.values, stateShape: [2, 3]) == nil, "a heavy-ball state must be [B, 2, F]")
    }

    /// Whole training gradients through `ODEBlock.solve` on both paths, with an adaptive solver and the
    /// backsolve adjoint: same NFE, gradients within 1e-9 relative.
    @Test(arguments: cases)
    func solvesMatchTheTape(_ c: Case) throws {
        var g = SeededGenerator(seed: 13)
        let z0 = Tensor<Double>(randomNormal: c.stateShape, using: &g)
        let scale = (0..<c.stateShape[0]).map { 1 + 0.1 * Double($0) }
        func run(_ evaluation: FieldEvaluation) throws -> (gradients: [Tensor<Double>], forward: Int, backward: Int) {
            var solver = SolverConfiguration(tolerance: 1e-6)
            solver.evaluation = evaluation
            let tape = Tape<Double>()
            let p = tape.variables(c.store)
            let z = tape.variable(z0)
            let log = SolveLog()
            let states = try ODEBlock.solve(c.field, from: z, parameters: p, times: [0, 0.5, 1], sampleScale: scale, solver: solver, log: log)
            let loss = (states[1] * states[1]).sum() + (states[2] * states[1]).sum()
            let gradients = tape.gradients(of: loss, wrt: [z] + p)
            return (gradients, log.forwardEvaluations, log.backwardEvaluations)
        }
        let fast = try run(.automatic), reference = try run(.tape)
        #expect(fast.forward == reference.forward && fast.backward == reference.backward, "\(c)")
        for (a, b) in zip(fast.gradients, reference.gradients) {
            #expect(Self.maxRelativeDifference(a, b) < 1e-9, "\(c)")
        }
    }
}

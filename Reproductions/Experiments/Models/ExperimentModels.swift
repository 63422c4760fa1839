import NeuralODEModels
import Tensors

/// Named model configurations for every experiment of the paper, composed from the NeuralODEModels
/// package: the reference architectures, initial conditions, damping/restoring/gate settings (as-run
/// values) and PyTorch default initialisation from a seeded generator. How the models are
/// solved is not part of a model: each experiment's configuration carries its `SolverConfiguration`.
public enum ExperimentModels {
    /// The indices registered in `store` since `start`.
    static func ids<Scalar>(since start: Int, _ store: ParameterStore<Scalar>) -> [ParameterID] {
        (start..<store.tensorCount).map(ParameterID.init(index:))
    }

    /// The field of `family` around `network`, whose parameters start at index `start`: first order (NODE,
    /// ANODE), second order (SONODE), or heavy ball with a trainable ω (init −3, ε = 1) followed by
    /// whatever `restoring` registers, and GHBNODE's `gate` (HBNODE: identity). The registration order is the
    /// reference's, which the parameter counts and checkpoints rely on.
    static func field<Scalar>(
        _ family: ModelFamily, network: Sequential, since start: Int, store: inout ParameterStore<Scalar>,
        gate: Activation = .tanh, restoring: (inout ParameterStore<Scalar>) -> Restoring
    ) -> ContinuousDepthField {
        let dynamics: ContinuousDepthField.Dynamics
        switch family {
        case .node, .anode: dynamics = .firstOrder
        case .sonode: dynamics = .secondOrder
        case .hbnode, .ghbnode:
            let omega = ScalarParameter("field.omega", initialValue: -3, frozen: false, store: &store)
            dynamics = .heavyBall(HeavyBallSettings(
                damping: .learned(omega: omega, epsilon: 1), restoring: restoring(&store), gate: family == .ghbnode ? gate : .identity))
        }
        return ContinuousDepthField(dynamics: dynamics, network: network, parameterIDs: ids(since: start, store))
    }

    /// Point-cloud models (§3.1): ELU MLP fields, t ∈ [0, 1], decoder hardtanh(−1,1)∘Linear.
    /// SONODE registers the reference's unused ω (it counts in the 528).
    public static func pointCloud<Scalar: TensorScalar>(_ family: ModelFamily, seed: UInt64) -> ContinuousDepthModel<Scalar> {
        var rng = SeededGenerator(seed: seed)
        var store = ParameterStore<Scalar>()
        let elu = Activation.elu(alpha: 1)
        let ic: InitialCondition
        let field: ContinuousDepthField
        let decoderInput: Int
        switch family {
        case .node, .anode:
            let width = family == .node ? 2 : 3
            ic = family == .node ? .identity : .zeroAugmented(count: 1)
            let start = store.tensorCount
            let net = Sequential.mlp("field.net", widths: [width, 20, 20, width], activation: elu, store: &store, rng: &rng)
            field = ContinuousDepthField(dynamics: .firstOrder, network: net, parameterIDs: ids(since: start, store))
            decoderInput = width
        case .sonode:
            ic = .learnedVelocity(Sequential.mlp("initial", widths: [2, 13, 13, 2], activation: .hardtanh(min: -5, max: 5), store: &store, rng: &rng))
            let start = store.tensorCount
            let net = Sequential.mlp("field.net", widths: [4, 13, 13, 2], activation: elu, store: &store, rng: &rng)
            _ = ScalarParameter("field.unusedOmega", initialValue: -3, frozen: false, store: &store)
            field = ContinuousDepthField(dynamics: .secondOrder, network: net, parameterIDs: ids(since: start, store))
            decoderInput = 2
        case .hbnode, .ghbnode:
            ic = .learnedVelocity(Sequential.mlp("initial", widths: [2, 14, 14, 2], activation: .hardtanh(min: -5, max: 5), store: &store, rng: &rng))
            let start = store.tensorCount
            let net = Sequential.mlp("field.net", widths: [2, 14, 14, 2], activation: elu, store: &store, rng: &rng)
            let omega = ScalarParameter("field.omega", initialValue: -3, frozen: false, store: &store)
            // Point-cloud "GHBNODE" is HBNODE + restoring r = 2 with no gate.
            let settings = HeavyBallSettings(
                damping: .learned(omega: omega, epsilon: 1),
                restoring: family == .ghbnode ? .constant(2) : .none, gate: .identity)
            field = ContinuousDepthField(dynamics: .heavyBall(settings), network: net, parameterIDs: ids(since: start, store))
            decoderInput = 2
        }
        let decoder = Sequential([
            .linear(Linear("decoder", decoderInput, 1, store: &store, rng: &rng)),
            .activation(.hardtanh(min: -1, max: 1)),
        ])
        return ContinuousDepthModel(
            name: PaperExperiment.pointCloud.modelName(family), family: family, parameters: store, initialCondition: ic,
            field: field, decoder: decoder)
    }

    /// The image experiments' learned initial-condition network (§1.4): 1×1 conv c→n, LeakyReLU(0.3),
    /// 3×3 conv (padding 1) n→n, LeakyReLU(0.3), 1×1 conv n→out.
    static func imageInitialNetwork<Scalar: TensorScalar>(
        inChannels c: Int, hidden n: Int, outChannels: Int, store: inout ParameterStore<Scalar>, rng: inout SeededGenerator
    ) -> Sequential {
        let leaky = Activation.leakyReLU(slope: 0.3)
        return Sequential([
            .conv2d(Conv2d("initial.conv1", c, n, kernelSize: 1, store: &store, rng: &rng)),
            .activation(leaky),
            .conv2d(Conv2d("initial.conv2", n, n, kernelSize: 3, padding: 1, store: &store, rng: &rng)),
            .activation(leaky),
            .conv2d(Conv2d("initial.conv3", n, outChannels, kernelSize: 1, store: &store, rng: &rng)),
        ])
    }

    /// MNIST (§3.2, Table 2) or CIFAR-10 (§3.3) models: time-channel conv field, classifier on the
    /// flattened position. Settings as run: MNIST HB ξ = frozen raw 0, GHB ξ = raw 2.0 trainable with
    /// tanh; CIFAR HB no ξ, GHB ξ = 1.5 constant with tanh. `imageSize` may be reduced for tests (the
    /// parameter count then changes only in the classifier).
    /// With `version: .finalCode`, MNIST uses ξ = softplus(corr): HB corr −100 frozen (ξ ≈ 0), GHB corr 2.0
    /// trainable (ξ₀ ≈ 2.127).
    public static func image<Scalar: TensorScalar>(
        _ experiment: PaperExperiment, _ family: ModelFamily, seed: UInt64, imageSize: Int? = nil, version: ReferenceVersion = .asRun
    ) -> ContinuousDepthModel<Scalar> {
        precondition(experiment == .mnist || experiment == .cifar10, "image(): \(experiment) is not an image experiment")
        let isMNIST = experiment == .mnist
        let c = isMNIST ? 1 : 3
        let side = imageSize ?? (isMNIST ? 28 : 32)
        // (state channels d, hidden width n) per family (the reference architectures).
        let (d, n): (Int, Int)
        switch (isMNIST, family) {
        case (true, .node): (d, n) = (1, 92)
        case (true, .anode): (d, n) = (6, 64)
        case (true, .sonode), (true, .hbnode): (d, n) = (5, 50)
        case (true, .ghbnode): (d, n) = (6, 45)
        case (false, .node): (d, n) = (3, 125)
        case (false, .anode): (d, n) = (13, 64)
        case (false, .sonode): (d, n) = (12, 50)
        case (false, .hbnode), (false, .ghbnode): (d, n) = (12, 51)
        }
        var rng = SeededGenerator(seed: seed)
        var store = ParameterStore<Scalar>()
        var ic = InitialCondition.identity
        if family == .anode { ic = .zeroAugmented(count: d - c) }
        if family.isSecondOrder {
            ic = .learnedAugmentedSplit(imageInitialNetwork(inChannels: c, hidden: n, outChannels: 2 * d - c, store: &store, rng: &rng), stateChannels: d)
        }
        let start = store.tensorCount
        let fieldInput = family == .sonode ? 2 * d : d
        let net = Sequential.timeConvolutionField("field.net", inChannels: fieldInput, hidden: n, outChannels: d, store: &store, rng: &rng)
        let field = Self.field(family, network: net, since: start, store: &store) { store in
            guard isMNIST else { return family == .ghbnode ? .constant(1.5) : .none }
            let trainable = family == .ghbnode
            switch version {
            case .asRun:
                return .raw(ScalarParameter("field.corr", initialValue: trainable ? 2 : 0, frozen: !trainable, store: &store))
            case .finalCode:
                return .softplus(ScalarParameter("field.corr", initialValue: trainable ? 2 : -100, frozen: !trainable, store: &store))
            }
        }
        let decoder = Sequential([.linear(Linear("classifier", d * side * side, 10, store: &store, rng: &rng))])
        return ContinuousDepthModel(
            name: experiment.modelName(family), family: family, parameters: store, initialCondition: ic, field: field,
            decoder: decoder)
    }

    /// Plane-vibration ODE-RNN hybrids (§3.4): ReLU MLP fields, linear residual cells, IC from the
    /// flattened 64×5 window, mode A with an 8-step forecast. As run, every parameter
    /// (ω and corr included) is multiplied by `preShrink` = 0.01 after initialisation (§5 item 5).
    /// With `version: .finalCode`, HB/GHB use ξ = softplus(corr), corr init 0 trainable.
    public static func planeVibration<Scalar: TensorScalar>(
        _ family: ModelFamily, seed: UInt64, preShrink: Double = 0.01, windowLength: Int = 64, channels: Int = 5,
        version: ReferenceVersion = .asRun
    ) -> ODERNNModel<Scalar> {
        var rng = SeededGenerator(seed: seed)
        var store = ParameterStore<Scalar>()
        let flat = windowLength * channels
        let n: Int
        let ic: InitialCondition
        switch family {
        case .node:
            n = 21
            ic = .learned(Sequential([.linear(Linear("initial", flat, n, store: &store, rng: &rng))]), stateShape: [n])
        case .anode:
            n = 27
            ic = .learnedThenZeros(Sequential([.linear(Linear("initial", flat, channels, store: &store, rng: &rng))]), zeros: n - channels)
        case .sonode, .hbnode, .ghbnode:
            n = family == .sonode ? 19 : 20
            ic = .learned(Sequential([.linear(Linear("initial", flat, 2 * n, store: &store, rng: &rng))]), stateShape: [2, n])
        }
        let start = store.tensorCount
        let widths: [Int]
        switch family {
        case .node, .anode: widths = [n, 3 * n, 4 * n, n]
        case .sonode: widths = [2 * n, 2 * n, n, n]
        case .hbnode, .ghbnode: widths = [n, n, n, n]
        }
        let net = Sequential.mlp("field.net", widths: widths, activation: .relu, store: &store, rng: &rng)
        let field = Self.field(family, network: net, since: start, store: &store) { store in
            let corr = ScalarParameter("field.corr", initialValue: 0, frozen: false, store: &store)
            return version == .asRun ? .raw(corr) : .softplus(corr)
        }
        let cell: RecurrentCell
        if family.isSecondOrder {
            cell = .pairedLinearResidual(
                position: Linear("cell.position", n, 2 * n, store: &store, rng: &rng),
                momentum: Linear("cell.momentum", n, 2 * n, store: &store, rng: &rng),
                input: Linear("cell.input", channels, 2 * n, store: &store, rng: &rng))
        } else {
            cell = .linearResidual(
                hidden: Linear("cell.hidden", n, n, store: &store, rng: &rng),
                input: Linear("cell.input", channels, n, store: &store, rng: &rng))
        }
        let output = Linear("output", n, channels, store: &store, rng: &rng)
        if preShrink != 1 { store.scaleAll(by: Scalar(preShrink)) }
        return ODERNNModel(
            name: PaperExperiment.planeVibration.modelName(family), family: family, parameters: store, initialCondition: ic,
            initialInput: .flattenedSequence, field: field, cell: cell, output: output, mode: .updateThenEvolve,
            scalesTime: family != .sonode, forecastSteps: 8)
    }

    /// Walker2D ODE-RNN hybrids (§3.5): linear fields, tanh-MLP cells, n = 24 (SONODE 23).
    /// NODE/ANODE run mode B (outputs `h_rnn[0…63]`), the second-order families mode A; as run, HB and
    /// GHB use ξ = raw corr (init 1, trainable).
    /// With `version: .finalCode`, HBNODE uses ξ = softplus(0) = ln 2 frozen and GHBNODE ξ = softplus(corr),
    /// corr init 1 trainable.
    public static func walker2D<Scalar: TensorScalar>(
        _ family: ModelFamily, seed: UInt64, channels: Int = 17, version: ReferenceVersion = .asRun
    ) -> ODERNNModel<Scalar> {
        var rng = SeededGenerator(seed: seed)
        var store = ParameterStore<Scalar>()
        let n = family == .sonode ? 23 : 24
        var ic = InitialCondition.zeros(stateShape: family.isSecondOrder ? [2, n] : [n])
        if family == .anode {
            ic = .learnedThenZeros(Sequential([.linear(Linear("initial", channels, 5, store: &store, rng: &rng))]), zeros: n - 5)
        }
        let start = store.tensorCount
        let net = Sequential.mlp("field.net", widths: family == .sonode ? [2 * n, n] : [n, n], activation: .identity, store: &store, rng: &rng)
        let field = Self.field(family, network: net, since: start, store: &store) { store in
            switch (version, family) {
            case (.asRun, _): return .raw(ScalarParameter("field.corr", initialValue: 1, frozen: false, store: &store))
            case (.finalCode, .hbnode): return .softplus(ScalarParameter("field.corr", initialValue: 0, frozen: true, store: &store))
            default: return .softplus(ScalarParameter("field.corr", initialValue: 1, frozen: false, store: &store))
            }
        }
        let cell: RecurrentCell
        if family.isSecondOrder {
            cell = .pairedResidual(Sequential.mlp("cell", widths: [2 * n + channels, 2 * n, 2 * n, 2 * n], activation: .tanh, store: &store, rng: &rng))
        } else {
            cell = .replace(Sequential.mlp("cell", widths: [n + channels, 3 * n, 2 * n, n], activation: .tanh, store: &store, rng: &rng))
        }
        let output = Linear("output", n, channels, store: &store, rng: &rng)
        return ODERNNModel(
            name: PaperExperiment.walker2D.modelName(family), family: family, parameters: store, initialCondition: ic,
            initialInput: .firstObservation, field: field, cell: cell, output: output,
            mode: family.isSecondOrder ? .updateThenEvolve : .evolveThenUpdate,
            scalesTime: family != .sonode, forecastSteps: 0)
    }

    /// Silverbox models (§3.6): `f(t, z) = Linear([flatten(z), V1(t)] → out)` with no hidden layer, state
    /// from the first output sample `x₀` (`[B, 1]`). Second-order states start at `[x₀, w]`
    /// with w a learned scalar. HBNODE: ξ = softplus(−100) frozen (≈ 0), identity gate; GHBNODE:
    /// ξ = softplus(0) = ln 2 frozen, gate hardtanh(−5, 5) (the final code; the only version of this script).
    public static func silverbox<Scalar: TensorScalar>(_ family: ModelFamily, seed: UInt64, forcing: SampledSignal) -> ContinuousDepthModel<Scalar> {
        var rng = SeededGenerator(seed: seed)
        var store = ParameterStore<Scalar>()
        var ic = InitialCondition.identity
        if family == .anode { ic = .zeroAugmented(count: 1) }
        if family.isSecondOrder { ic = .learnedConstantVelocity(Linear("initial", 1, 1, bias: false, store: &store, rng: &rng)) }
        let start = store.tensorCount
        let (inputs, outputs): (Int, Int)
        switch family {
        case .node: (inputs, outputs) = (1, 1)
        case .anode: (inputs, outputs) = (2, 2)
        case .sonode: (inputs, outputs) = (2, 1)
        case .hbnode, .ghbnode: (inputs, outputs) = (1, 1)
        }
        let net = Sequential([.appendSignal(forcing), .linear(Linear("field.net", inputs + 1, outputs, store: &store, rng: &rng))])
        let field = Self.field(family, network: net, since: start, store: &store, gate: .hardtanh(min: -5, max: 5)) { store in
            .softplus(ScalarParameter("field.corr", initialValue: family == .ghbnode ? 0 : -100, frozen: true, store: &store))
        }
        return ContinuousDepthModel(
            name: PaperExperiment.silverbox.modelName(family), family: family, parameters: store, initialCondition: ic,
            field: field, decoder: Sequential([]))
    }
}

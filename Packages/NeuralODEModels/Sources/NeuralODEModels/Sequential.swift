import Tensors

/// One stage of a ``Sequential`` network.
public enum Layer: Sendable, Equatable {
    /// A fully connected layer on `[B, in]`.
    case linear(Linear)
    /// A convolution on `[B, C, H, W]` (optionally with the time channel).
    case conv2d(Conv2d)
    /// A pointwise nonlinearity.
    case activation(Activation)
    /// Reshape every sample to the given per-sample shape (the batch axis is kept).
    case reshape([Int])
    /// Append one feature equal to the signal at the current time to `[B, F]` (a forcing input).
    case appendSignal(SampledSignal)
}

/// A feed-forward composition of layers; the time argument reaches the time-channel convolutions.
public struct Sequential: Sendable, Equatable {
    /// The stages, applied first to last.
    public var layers: [Layer]

    /// Creates the composition.
    public init(_ layers: [Layer]) { self.layers = layers }

    /// Applies every stage in order.
    @inlinable
    public func callAsFunction<Scalar>(_ x: Variable<Scalar>, time t: Double = 0, _ parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        var y = x
        for layer in layers {
            switch layer {
            case .linear(let l): y = l(y, parameters)
            case .conv2d(let c): y = c(y, time: t, parameters)
            case .activation(let a): y = a(y)
            case .reshape(let shape): y = y.reshaped([y.shape[0]] + shape)
            case .appendSignal(let signal):
                let column = Variable(constant: Tensor<Scalar>(repeating: Scalar(signal(t)), shape: [y.shape[0], 1]))
                y = Variable.concatenate([y.reshaped([y.shape[0], -1]), column], axis: 1)
            }
        }
        return y
    }

    /// A multilayer perceptron `Linear(w₀,w₁) φ Linear(w₁,w₂) φ … Linear(w_{k−1},w_k)` with the activation
    /// between layers (not after the last), registering `name.0`, `name.2`, … like `nn.Sequential`.
    public static func mlp<Scalar: TensorScalar>(
        _ name: String, widths: [Int], activation: Activation,
        store: inout ParameterStore<Scalar>, rng: inout SeededGenerator
    ) -> Sequential {
        precondition(widths.count >= 2, "mlp \(name) needs at least two widths, got \(widths)")
        var layers = [Layer]()
        for i in 0..<(widths.count - 1) {
            if i > 0 { layers.append(.activation(activation)) }
            layers.append(.linear(Linear("\(name).\(2 * i)", widths[i], widths[i + 1], store: &store, rng: &rng)))
        }
        return Sequential(layers)
    }

    /// A convolutional vector field for images with time as an extra channel before every convolution:
    /// `C3([R(C2([R(C1([z,t])), t])), t])` with C1 a 1×1 conv (inChannels+1 → hidden), C2 a 3×3 conv with
    /// padding 1 (hidden+1 → hidden), C3 a 1×1 conv (hidden+1 → outChannels) and R the activation
    /// (ReLU by default).
    public static func timeConvolutionField<Scalar: TensorScalar>(
        _ name: String, inChannels: Int, hidden: Int, outChannels: Int, activation: Activation = .relu,
        store: inout ParameterStore<Scalar>, rng: inout SeededGenerator
    ) -> Sequential {
        Sequential([
            .conv2d(Conv2d("\(name).conv1", inChannels + 1, hidden, kernelSize: 1, appendsTimeChannel: true, store: &store, rng: &rng)),
            .activation(activation),
            .conv2d(Conv2d("\(name).conv2", hidden + 1, hidden, kernelSize: 3, padding: 1, appendsTimeChannel: true, store: &store, rng: &rng)),
            .activation(activation),
            .conv2d(Conv2d("\(name).conv3", hidden + 1, outChannels, kernelSize: 1, appendsTimeChannel: true, store: &store, rng: &rng)),
        ])
    }
}

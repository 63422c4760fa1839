import Tensors

/// A stride-1 2-D convolution with PyTorch layouts and default initialisation (U(±1/√(C_in·k·k)) for
/// weight and bias).
///
/// With `appendsTimeChannel`, the layer convolves its input with a constant channel equal to the current
/// time t appended (a time-dependent convolutional vector field, like torchdiffeq's `ConcatConv2d`);
/// `inChannels` then counts that extra channel, as the weight does.
public struct Conv2d: Sendable, Equatable {
    /// The weight `[C_out, C_in, k, k]`.
    public let weight: ParameterID
    /// The bias `[C_out]`.
    public let bias: ParameterID
    /// Input channels, the time channel included when ``appendsTimeChannel``.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// Kernel extent (square).
    public let kernelSize: Int
    /// Zero padding on each side.
    public let padding: Int
    /// Whether a constant channel equal to t is appended to the input.
    public let appendsTimeChannel: Bool

    /// Registers `name.weight` and `name.bias` in `store`.
    public init<Scalar: TensorScalar>(
        _ name: String, _ inChannels: Int, _ outChannels: Int, kernelSize: Int, padding: Int = 0,
        appendsTimeChannel: Bool = false, store: inout ParameterStore<Scalar>, rng: inout SeededGenerator
    ) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.padding = padding
        self.appendsTimeChannel = appendsTimeChannel
        let fanIn = inChannels * kernelSize * kernelSize
        weight = store.register("\(name).weight", uniformTensor([outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn, rng: &rng))
        bias = store.register("\(name).bias", uniformTensor([outChannels], fanIn: fanIn, rng: &rng))
    }

    /// Applies the convolution to `x: [B, C, H, W]` at time `t`. The time channel is never materialised:
    /// the convolution folds it into a per-pixel bias (`appendingConstantChannel`).
    @inlinable
    public func callAsFunction<Scalar>(_ x: Variable<Scalar>, time t: Double, _ parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        Tensors.conv2d(
            x, weight: parameters[weight.index], bias: parameters[bias.index], padding: padding,
            appendingConstantChannel: appendsTimeChannel ? Scalar(t) : nil)
    }
}

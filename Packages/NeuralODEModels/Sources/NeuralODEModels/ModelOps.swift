import Tensors

/// The names under which this package first offered its differentiable ops, before the Tensor package
/// had them. Each now forwards to the Tensor package's op with the same maths and gradient (so there is
/// one implementation, tested there); new code should call those directly.
public enum ModelOps {
    /// `x·Wᵀ + b` (PyTorch layout); the Tensor package's `linear` (one GEMM node).
    @available(*, deprecated, message: "use Tensors.linear(_:weight:bias:)")
    @inlinable
    public static func linear<Scalar>(_ x: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>?) -> Variable<Scalar> {
        Tensors.linear(x, weight: weight, bias: bias)
    }

    /// Elementwise `a + b`.
    @available(*, deprecated, message: "use +")
    @inlinable
    public static func add<Scalar>(_ a: Variable<Scalar>, _ b: Variable<Scalar>) -> Variable<Scalar> { a + b }

    /// Elementwise `a + α·b` for a constant α.
    @available(*, deprecated, message: "use a + alpha * b")
    @inlinable
    public static func add<Scalar>(_ a: Variable<Scalar>, _ b: Variable<Scalar>, scaledBy alpha: Scalar) -> Variable<Scalar> {
        a + alpha * b
    }

    /// `α·x` for a constant α.
    @available(*, deprecated, message: "use alpha * x")
    @inlinable
    public static func scale<Scalar>(_ x: Variable<Scalar>, by alpha: Scalar) -> Variable<Scalar> { alpha * x }

    /// `s·x` for a one-element variable `s` (broadcasting product).
    @available(*, deprecated, message: "use x * s (broadcasting)")
    @inlinable
    public static func scale<Scalar>(_ x: Variable<Scalar>, byScalar s: Variable<Scalar>) -> Variable<Scalar> { x * s }

    /// Multiplies sample `b` (the leading axis) by the constant `factors[b]`.
    @available(*, deprecated, message: "use ContinuousDepthField.scaleSamples(_:by:)")
    @inlinable
    public static func scaleSamples<Scalar>(_ x: Variable<Scalar>, by factors: [Scalar]) -> Variable<Scalar> {
        ContinuousDepthField.scaleSamples(x, by: factors)
    }

    /// A view with another shape.
    @available(*, deprecated, message: "use Variable.reshaped(_:)")
    @inlinable
    public static func reshape<Scalar>(_ x: Variable<Scalar>, _ shape: [Int]) -> Variable<Scalar> { x.reshaped(shape) }

    /// Concatenation along `axis`.
    @available(*, deprecated, message: "use Variable.concatenate(_:axis:)")
    @inlinable
    public static func concat<Scalar>(_ parts: [Variable<Scalar>], axis: Int) -> Variable<Scalar> {
        Variable.concatenate(parts, axis: axis)
    }

    /// The sub-tensor with indices `range` along `axis`.
    @available(*, deprecated, message: "use Variable.slice(axis:range:)")
    @inlinable
    public static func slice<Scalar>(_ x: Variable<Scalar>, axis: Int, _ range: Range<Int>) -> Variable<Scalar> {
        x.slice(axis: axis, range: range)
    }

    /// Sum of all elements.
    @available(*, deprecated, message: "use Variable.sum()")
    @inlinable
    public static func sum<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> { x.sum() }

    /// Mean squared error against a constant target of the same element count.
    @available(*, deprecated, message: "use Losses.meanSquaredError(_:_:) or Tensors.mseLoss(_:_:)")
    @inlinable
    public static func meanSquaredError<Scalar>(_ prediction: Variable<Scalar>, _ target: Tensor<Scalar>) -> Variable<Scalar> {
        Losses.meanSquaredError(prediction, target)
    }

    /// Softmax cross-entropy of logits `[B, K]`, averaged over the batch.
    @available(*, deprecated, message: "use Tensors.softmaxCrossEntropy(logits:labels:)")
    @inlinable
    public static func softmaxCrossEntropy<Scalar>(_ logits: Variable<Scalar>, labels: [Int]) -> Variable<Scalar> {
        Tensors.softmaxCrossEntropy(logits: logits, labels: labels)
    }

    /// 2-D convolution, stride 1, zero padding, PyTorch layouts; the Tensor package's `conv2d`.
    @available(*, deprecated, message: "use Tensors.conv2d(_:weight:bias:padding:)")
    @inlinable
    public static func conv2d<Scalar>(
        _ x: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>?, padding: Int
    ) -> Variable<Scalar> {
        Tensors.conv2d(x, weight: weight, bias: bias, padding: padding)
    }
}

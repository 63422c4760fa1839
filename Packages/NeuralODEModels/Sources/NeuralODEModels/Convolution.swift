import Tensors

extension ModelOps {
    /// 2-D convolution, stride 1, zero padding `padding`, PyTorch layouts: `x: [B, C_in, H, W]`,
    /// `weight: [C_out, C_in, k, k]`, `bias: [C_out]`.
    ///
    /// The kernels are the Tensor package's `Convolution2D` (im2col into one reused buffer + GEMM per
    /// sample, the 1×1 case without unrolling); they are `@inlinable`, so calling them from here keeps them
    /// specialised for Float. Gradients are computed only for tracked operands.
    @inlinable
    public static func conv2d<Scalar>(
        _ x: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>?, padding: Int
    ) -> Variable<Scalar> {
        let xv = x.value, wv = weight.value
        let pad = (height: padding, width: padding)
        let y = Convolution2D.forward(input: xv, weight: wv, bias: bias?.value, padding: pad)
        let needX = x.isTracked, needW = weight.isTracked, needB = bias?.isTracked ?? false
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        return Variable.record(y, inputs: inputs) { g in
            var grads = [
                needX ? Convolution2D.inputGradient(outputGradient: g, weight: wv, inputShape: xv.shape, padding: pad) : Tensor(zeros: [0]),
                needW ? Convolution2D.weightGradient(outputGradient: g, input: xv, weightShape: wv.shape, padding: pad) : Tensor(zeros: [0]),
            ]
            if inputs.count == 3 { grads.append(needB ? Convolution2D.biasGradient(outputGradient: g) : Tensor(zeros: [0])) }
            return grads
        }
    }
}

import RealModule

/// Layer maths as single differentiable operations: `linear` (one GEMM with the bias folded in) and
/// `conv2d` (im2col + GEMM, both backward passes through GEMM).

/// `x·Wᵀ + b` for constants: `x [B, in]`, `weight [out, in]` (PyTorch layout), `bias [out]` → `[B, out]`.
@inlinable
public func linear<Scalar>(_ x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil) -> Tensor<Scalar> {
    _require(x.rank == 2, "linear: input must be [batch, in], got shape \(x.shape)")
    _require(weight.rank == 2, "linear: weight must be [out, in], got shape \(weight.shape)")
    _require(
        x.shape[1] == weight.shape[1],
        "linear: input shape \(x.shape) has \(x.shape[1]) features but weight shape \(weight.shape) expects \(weight.shape[1])")
    let batch = x.shape[0], inFeatures = x.shape[1], outFeatures = weight.shape[0]
    if let bias {
        _require(
            bias.shape == [outFeatures],
            "linear: bias shape \(bias.shape) does not match weight shape \(weight.shape) (expected [\(outFeatures)])")
    }
    return Tensor(_shape: [batch, outFeatures]) { out, total in
        if let bias {
            bias.withUnsafeBufferPointer { b in
                for row in 0..<batch { (out + row * outFeatures).initialize(from: b.baseAddress!, count: outFeatures) }
            }
        } else {
            out.initialize(repeating: 0, count: total)
        }
        guard inFeatures > 0 else { return }
        x.withUnsafeBufferPointer { px in
            weight.withUnsafeBufferPointer { pw in
                Scalar.gemm(
                    transposeA: false, transposeB: true, m: batch, n: outFeatures, k: inFeatures,
                    alpha: 1, a: px.baseAddress!, lda: inFeatures, b: pw.baseAddress!, ldb: inFeatures,
                    beta: 1, c: out, ldc: outFeatures)
            }
        }
    }
}

/// A fully connected layer as one tape node: `x [B, in]`, `weight [out, in]`, optional `bias [out]` →
/// `x·Wᵀ + b` of shape `[B, out]`. Pullback: `∂x = ḡ·W`, `∂W = ḡᵀ·x` (one GEMM each), `∂b = Σ_rows ḡ`.
@inlinable
public func linear<Scalar>(_ x: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>? = nil) -> Variable<Scalar> {
    let xv = x.value, wv = weight.value
    let y = linear(xv, weight: wv, bias: bias?.value)
    let needX = x.isTracked, needW = weight.isTracked, needB = bias?.isTracked ?? false
    let outFeatures = wv.shape[0]
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    let hasBias = bias != nil  // captured instead of `inputs`: a pullback must not capture variables (see Tape)
    return Variable.record(y, inputs: inputs) { g in
        var result: [Tensor<Scalar>] = [
            needX ? g.matmul(wv) : ._noGradient,
            needW ? g.matmul(xv, transposeSelf: true) : ._noGradient,
        ]
        if hasBias { result.append(needB ? g.sum(toShape: [outFeatures]) : ._noGradient) }
        return result
    }
}

/// 2-D convolution as one tape node (cross-correlation like PyTorch's `Conv2d`), NCHW, stride 1:
/// `input [N, C, H, W]`, `weight [O, C, KH, KW]`, optional `bias [O]`, zero `padding` on every side →
/// `[N, O, H+2p−KH+1, W+2p−KW+1]`.
///
/// `appendingConstantChannel: t` convolves `[input, t]` (a channel equal to `t` appended, as a neural
/// ODE's time-dependent convolution does) with `weight [O, C + 1, KH, KW]`, without materialising the
/// concatenation; `t` itself gets no gradient. `algorithm` picks im2col or Winograd (``ConvolutionAlgorithm``;
/// by default whichever is faster for the shape); see ``Convolution2D``.
@inlinable
public func conv2d<Scalar>(
    _ input: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>? = nil, padding: Int = 0,
    appendingConstantChannel value: Scalar? = nil, algorithm: ConvolutionAlgorithm = .automatic
) -> Variable<Scalar> {
    let xv = input.value, wv = weight.value
    let pad = (height: padding, width: padding)
    let y = Convolution2D.forward(
        input: xv, weight: wv, bias: bias?.value, padding: pad, constantChannel: value, algorithm: algorithm)
    let needX = input.isTracked, needW = weight.isTracked, needB = bias?.isTracked ?? false
    let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
    let hasBias = bias != nil  // captured instead of `inputs`: a pullback must not capture variables (see Tape)
    return Variable.record(y, inputs: inputs) { g in
        let grads = Convolution2D.backward(
            outputGradient: g, input: xv, weight: wv, padding: pad, constantChannel: value, algorithm: algorithm,
            wrt: (needX, needW, needB))
        var result: [Tensor<Scalar>] = [grads.input ?? ._noGradient, grads.weight ?? ._noGradient]
        if hasBias { result.append(grads.bias ?? ._noGradient) }
        return result
    }
}

// MARK: Losses

/// Mean squared error `mean((prediction − target)²)` over all elements, a rank-0 variable. Shapes must
/// match exactly (no broadcasting, so a `[B]` vs `[B, 1]` mix-up stops instead of silently averaging
/// a `[B, B]` matrix).
@inlinable
public func mseLoss<Scalar>(_ prediction: Variable<Scalar>, _ target: Variable<Scalar>) -> Variable<Scalar> {
    _require(
        prediction.shape == target.shape,
        "mseLoss: prediction shape \(prediction.shape) does not match target shape \(target.shape)")
    let diff = prediction.value._zipMap(target.value) { $0 - $1 }
    let n = Scalar(Swift.max(diff.count, 1))
    let loss = diff.dot(diff) / n
    let needP = prediction.isTracked, needT = target.isTracked
    return Variable.record(Tensor(loss), inputs: [prediction, target]) { g in
        let scale = 2 * g.scalar / n
        return [needP ? diff * scale : ._noGradient, needT ? diff * (-scale) : ._noGradient]
    }
}

/// Mean squared error against a constant target.
@inlinable
public func mseLoss<Scalar>(_ prediction: Variable<Scalar>, _ target: Tensor<Scalar>) -> Variable<Scalar> {
    mseLoss(prediction, Variable(constant: target))
}

/// Softmax cross-entropy with integer class labels, averaged over the batch: `logits [B, K]`,
/// `labels` of count `B` with values in `0..<K`. Uses log-sum-exp with the row maximum subtracted, so
/// large logits do not overflow. Pullback: `(softmax(logits) − onehot(labels)) / B`.
@inlinable
public func softmaxCrossEntropy<Scalar>(logits: Variable<Scalar>, labels: [Int]) -> Variable<Scalar> {
    let z = logits.value
    _require(z.rank == 2, "softmaxCrossEntropy: logits must be [batch, classes], got shape \(z.shape)")
    let batch = z.shape[0], classes = z.shape[1]
    _require(
        labels.count == batch,
        "softmaxCrossEntropy: \(labels.count) labels for logits of shape \(z.shape)")
    _require(
        labels.allSatisfy { $0 >= 0 && $0 < classes },
        "softmaxCrossEntropy: a label is outside 0..<\(classes) for logits of shape \(z.shape)")
    _require(batch > 0, "softmaxCrossEntropy: empty batch, logits shape \(z.shape)")
    let logProbabilities = z.logSoftmax()
    var total: Scalar = 0
    logProbabilities.withUnsafeBufferPointer { lp in
        for (row, label) in labels.enumerated() { total -= lp[row * classes + label] }
    }
    let b = Scalar(batch)
    return logits._unary(Tensor(total / b)) { g in
        let scale = g.scalar / b
        var grad = logProbabilities
        grad.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = Scalar.elementExp(p[i]) * scale }
            for (row, label) in labels.enumerated() { p[row * classes + label] -= scale }
        }
        return grad
    }
}

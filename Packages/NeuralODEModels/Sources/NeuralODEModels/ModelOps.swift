import RealModule
import Tensors

/// The differentiable tensor operations the models need, each recorded on the tape with an exact
/// pullback. They live in this namespace (rather than as `Variable` extensions) so that they never
/// clash with operations of the same name that the Tensor package may add.
public enum ModelOps {
    /// `x·Wᵀ + b` for `x: [B, in]`, `W: [out, in]` (PyTorch layout), `b: [out]`.
    @inlinable
    public static func linear<Scalar>(_ x: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>?) -> Variable<Scalar> {
        let xv = x.value, w = weight.value
        precondition(xv.rank == 2 && w.rank == 2 && xv.shape[1] == w.shape[1], "linear: input \(xv.shape) does not fit weight \(w.shape)")
        var y = xv.matmul(w, transposeOther: true)
        let batch = xv.shape[0], out = w.shape[0]
        if let bias {
            precondition(bias.shape == [out], "linear: bias shape \(bias.shape) does not match weight \(w.shape)")
            y.withUnsafeMutableBufferPointer { ys in
                bias.value.withUnsafeBufferPointer { bs in
                    for r in 0..<batch { for c in 0..<out { ys[r * out + c] += bs[c] } }
                }
            }
        }
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        return Variable.record(y, inputs: inputs) { g in
            var grads = [g.matmul(w), g.matmul(xv, transposeSelf: true)]
            if bias != nil {
                var gb = Tensor<Scalar>(zeros: [out])
                g.withUnsafeBufferPointer { gs in
                    gb.withUnsafeMutableBufferPointer { bs in
                        for r in 0..<batch { for c in 0..<out { bs[c] += gs[r * out + c] } }
                    }
                }
                grads.append(gb)
            }
            return grads
        }
    }

    /// Elementwise `a + b` (same shapes).
    @inlinable
    public static func add<Scalar>(_ a: Variable<Scalar>, _ b: Variable<Scalar>) -> Variable<Scalar> {
        var y = a.value
        y.addScaled(b.value, by: 1)
        return Variable.record(y, inputs: [a, b]) { g in [g, g] }
    }

    /// Elementwise `a + α·b` (same shapes, α a constant).
    @inlinable
    public static func add<Scalar>(_ a: Variable<Scalar>, _ b: Variable<Scalar>, scaledBy alpha: Scalar) -> Variable<Scalar> {
        var y = a.value
        y.addScaled(b.value, by: alpha)
        return Variable.record(y, inputs: [a, b]) { g in
            var gb = g
            gb.scale(by: alpha)
            return [g, gb]
        }
    }

    /// `α·x` for a constant α.
    @inlinable
    public static func scale<Scalar>(_ x: Variable<Scalar>, by alpha: Scalar) -> Variable<Scalar> {
        var y = x.value
        y.scale(by: alpha)
        return Variable.record(y, inputs: [x]) { g in
            var gx = g
            gx.scale(by: alpha)
            return [gx]
        }
    }

    /// `s·x` where `s` is a one-element variable (a trainable scalar such as γ or ξ).
    @inlinable
    public static func scale<Scalar>(_ x: Variable<Scalar>, byScalar s: Variable<Scalar>) -> Variable<Scalar> {
        precondition(s.value.count == 1, "scale(byScalar:): the scale must have one element, got shape \(s.shape)")
        let sv = s.value.scalars[0], xv = x.value
        var y = xv
        y.scale(by: sv)
        return Variable.record(y, inputs: [x, s]) { g in
            var gx = g
            gx.scale(by: sv)
            return [gx, Tensor(shape: s.shape, scalars: [g.dot(xv)])]
        }
    }

    /// Multiplies sample `b` (the leading axis) by the constant `factors[b]` (per-sample time scaling).
    @inlinable
    public static func scaleSamples<Scalar>(_ x: Variable<Scalar>, by factors: [Scalar]) -> Variable<Scalar> {
        let batch = x.shape[0]
        precondition(factors.count == batch, "scaleSamples: \(factors.count) factors for shape \(x.shape)")
        func apply(_ t: Tensor<Scalar>) -> Tensor<Scalar> {
            var r = t
            let inner = t.count / Swift.max(batch, 1)
            r.withUnsafeMutableBufferPointer { rs in
                for b in 0..<batch { for i in 0..<inner { rs[b * inner + i] *= factors[b] } }
            }
            return r
        }
        return Variable.record(apply(x.value), inputs: [x]) { g in [apply(g)] }
    }

    /// A view with another shape (same elements).
    @inlinable
    public static func reshape<Scalar>(_ x: Variable<Scalar>, _ shape: [Int]) -> Variable<Scalar> {
        let original = x.shape
        return Variable.record(x.value.reshaped(shape), inputs: [x]) { g in [g.reshaped(original)] }
    }

    /// Concatenation along `axis`; all other extents must agree.
    @inlinable
    public static func concat<Scalar>(_ parts: [Variable<Scalar>], axis: Int) -> Variable<Scalar> {
        precondition(!parts.isEmpty, "concat: no parts")
        let first = parts[0].shape
        let outer = first[..<axis].reduce(1, *), inner = first[(axis + 1)...].reduce(1, *)
        for p in parts {
            precondition(p.shape.count == first.count && Array(p.shape[..<axis]) == Array(first[..<axis])
                && Array(p.shape[(axis + 1)...]) == Array(first[(axis + 1)...]),
                "concat along axis \(axis): shapes \(parts.map(\.shape)) disagree off that axis")
        }
        let widths = parts.map { $0.shape[axis] * inner }
        let total = widths.reduce(0, +)
        var shape = first
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        var scalars = [Scalar]()
        scalars.reserveCapacity(outer * total)
        for o in 0..<outer {
            for (k, p) in parts.enumerated() {
                p.value.withUnsafeBufferPointer { ps in
                    scalars.append(contentsOf: ps[(o * widths[k])..<((o + 1) * widths[k])])
                }
            }
        }
        let shapes = parts.map(\.shape)
        return Variable.record(Tensor(shape: shape, scalars: scalars), inputs: parts) { g in
            var grads = shapes.map { [Scalar](repeating: 0, count: $0.reduce(1, *)) }
            g.withUnsafeBufferPointer { gs in
                var offset = 0
                for o in 0..<outer {
                    for k in widths.indices {
                        for i in 0..<widths[k] { grads[k][o * widths[k] + i] = gs[offset + i] }
                        offset += widths[k]
                    }
                }
            }
            return zip(shapes, grads).map { Tensor(shape: $0, scalars: $1) }
        }
    }

    /// The sub-tensor with indices `range` along `axis`.
    @inlinable
    public static func slice<Scalar>(_ x: Variable<Scalar>, axis: Int, _ range: Range<Int>) -> Variable<Scalar> {
        let shape = x.shape
        precondition(axis < shape.count && range.lowerBound >= 0 && range.upperBound <= shape[axis],
                     "slice: range \(range) out of bounds for axis \(axis) of \(shape)")
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        let full = shape[axis] * inner, width = range.count * inner, start = range.lowerBound * inner
        var outShape = shape
        outShape[axis] = range.count
        var scalars = [Scalar]()
        scalars.reserveCapacity(outer * width)
        x.value.withUnsafeBufferPointer { xs in
            for o in 0..<outer { scalars.append(contentsOf: xs[(o * full + start)..<(o * full + start + width)]) }
        }
        return Variable.record(Tensor(shape: outShape, scalars: scalars), inputs: [x]) { g in
            var gx = Tensor<Scalar>(zeros: shape)
            g.withUnsafeBufferPointer { gs in
                gx.withUnsafeMutableBufferPointer { xs in
                    for o in 0..<outer { for i in 0..<width { xs[o * full + start + i] = gs[o * width + i] } }
                }
            }
            return [gx]
        }
    }

    /// Sum of all elements, as a rank-0 variable.
    @inlinable
    public static func sum<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> {
        let shape = x.shape
        let total = x.value.scalars.reduce(0, +)
        return Variable.record(Tensor(total), inputs: [x]) { g in [Tensor(repeating: g.scalars[0], shape: shape)] }
    }

    /// Mean squared error over all elements against a constant target (PyTorch `MSELoss()`).
    @inlinable
    public static func meanSquaredError<Scalar>(_ prediction: Variable<Scalar>, _ target: Tensor<Scalar>) -> Variable<Scalar> {
        precondition(prediction.value.count == target.count, "meanSquaredError: prediction \(prediction.shape) vs target \(target.shape)")
        var diff = prediction.value
        diff.addScaled(target.reshaped(prediction.shape), by: -1)
        let n = Scalar(diff.count)
        let loss = diff.squaredNorm / n
        return Variable.record(Tensor(loss), inputs: [prediction]) { g in
            var gp = diff
            gp.scale(by: 2 * g.scalars[0] / n)
            return [gp]
        }
    }

    /// Softmax cross-entropy of logits `[B, K]` against class labels, averaged over the batch.
    @inlinable
    public static func softmaxCrossEntropy<Scalar>(_ logits: Variable<Scalar>, labels: [Int]) -> Variable<Scalar> {
        let shape = logits.shape
        precondition(shape.count == 2 && shape[0] == labels.count, "softmaxCrossEntropy: logits \(shape) for \(labels.count) labels")
        let batch = shape[0], classes = shape[1]
        var probabilities = logits.value
        var loss: Scalar = 0
        probabilities.withUnsafeMutableBufferPointer { ps in
            for b in 0..<batch {
                let row = b * classes
                precondition(labels[b] >= 0 && labels[b] < classes, "softmaxCrossEntropy: label \(labels[b]) outside 0..<\(classes)")
                var maximum = ps[row]
                for k in 1..<classes { maximum = Swift.max(maximum, ps[row + k]) }
                var total: Scalar = 0
                for k in 0..<classes { ps[row + k] = Scalar.exp(ps[row + k] - maximum); total += ps[row + k] }
                for k in 0..<classes { ps[row + k] /= total }
                loss -= Scalar.log(ps[row + labels[b]])
            }
        }
        return Variable.record(Tensor(loss / Scalar(batch)), inputs: [logits]) { g in
            var gl = probabilities
            let scale = g.scalars[0] / Scalar(batch)
            gl.withUnsafeMutableBufferPointer { ps in
                for b in 0..<batch { ps[b * classes + labels[b]] -= 1 }
                for i in ps.indices { ps[i] *= scale }
            }
            return [gl]
        }
    }
}

import RealModule

/// 2-D convolution (cross-correlation, as in PyTorch), NCHW, stride 1, zero padding, through im2col + GEMM.
///
/// For one image the input patches are unrolled into `cols: [C·KH·KW, OH·OW]`; then
/// - forward: `y[n] = W[O, C·KH·KW] · cols (+ b)`,
/// - weight gradient: `∂W += ḡ[n] · colsᵀ` (accumulated over the batch in the GEMM's `beta`),
/// - input gradient: `∂cols = Wᵀ · ḡ[n]`, folded back onto the image (col2im).
/// A 1x1 kernel without padding skips the unrolling (`cols` is the image itself).
public enum Convolution2D {
    /// Static description of one convolution's extents.
    public struct Geometry: Equatable, Sendable {
        public var batch, inChannels, height, width: Int
        public var outChannels, kernelHeight, kernelWidth: Int
        public var paddingHeight, paddingWidth: Int

        /// Output height `H + 2p − KH + 1`.
        @inlinable public var outHeight: Int { height + 2 * paddingHeight - kernelHeight + 1 }
        /// Output width `W + 2p − KW + 1`.
        @inlinable public var outWidth: Int { width + 2 * paddingWidth - kernelWidth + 1 }
        /// The output shape `[N, O, OH, OW]`.
        @inlinable var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
        /// Rows of the unrolled patch matrix, `C·KH·KW`.
        @inlinable public var patchSize: Int { inChannels * kernelHeight * kernelWidth }
        /// Whether the unrolled patch matrix is the image itself (1x1 kernel, no padding).
        @inlinable public var isPointwise: Bool {
            kernelHeight == 1 && kernelWidth == 1 && paddingHeight == 0 && paddingWidth == 0
        }
        /// Multiply-adds × 2 of the forward pass.
        @inlinable public var forwardFLOPs: Double {
            2 * Double(batch) * Double(outChannels) * Double(outHeight * outWidth) * Double(patchSize)
        }

        /// Checks and reads the geometry off an input `[N, C, H, W]` and a weight `[O, C, KH, KW]`.
        @inlinable
        public init(input: [Int], weight: [Int], padding: (height: Int, width: Int)) {
            _require(input.count == 4, "conv2d: input must be [N, C, H, W], got shape \(input)")
            _require(weight.count == 4, "conv2d: weight must be [O, C, KH, KW], got shape \(weight)")
            _require(
                input[1] == weight[1],
                "conv2d: input shape \(input) has \(input[1]) channels but weight shape \(weight) expects \(weight[1])")
            _require(padding.height >= 0 && padding.width >= 0, "conv2d: negative padding \(padding)")
            batch = input[0]
            inChannels = input[1]
            height = input[2]
            width = input[3]
            outChannels = weight[0]
            kernelHeight = weight[2]
            kernelWidth = weight[3]
            paddingHeight = padding.height
            paddingWidth = padding.width
            _require(
                outHeight >= 1 && outWidth >= 1,
                "conv2d: kernel of weight shape \(weight) is larger than padded input shape \(input)")
        }
    }

    /// Walks the unrolled patch matrix `[C·KH·KW, OH·OW]` one output row at a time: `body(column, image,
    /// lo, hi)` gets the offset `column` of the row's `OW` entries in the patch matrix and the offset
    /// `image` such that entry `column + ox` is the image element `image + ox` for `ox` in `lo..<hi`;
    /// the entries outside `lo..<hi` fall on the horizontal padding. `image` is `nil` when the whole row
    /// falls on padding.
    ///
    /// ``im2col(_:image:cols:)`` (gather) and ``col2imAdd(_:cols:image:)`` (scatter-add) are this one
    /// walk, so the two stay each other's adjoint; the closure runs once per row and keeps its element
    /// loop, which is what vectorises.
    @inlinable @inline(__always)
    static func _forEachPatchRow(
        _ g: Geometry, _ body: (_ column: Int, _ image: Int?, _ lo: Int, _ hi: Int) -> Void
    ) {
        let oh = g.outHeight, ow = g.outWidth, h = g.height, w = g.width
        let ph = g.paddingHeight, pw = g.paddingWidth
        var row = 0
        for c in 0..<g.inChannels {
            let plane = c * h * w
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    // Output columns whose input column `ox + kj − pw` lies inside the image.
                    let lo = Swift.max(0, pw - kj), hi = Swift.min(ow, w + pw - kj)
                    let shift = kj - pw
                    for oy in 0..<oh {
                        let iy = oy + ki - ph
                        let inside = iy >= 0 && iy < h && hi > lo
                        body(row + oy * ow, inside ? plane + iy * w + shift : nil, lo, hi)
                    }
                    row += oh * ow
                }
            }
        }
    }

    /// Unrolls one image `[C, H, W]` into `cols [C·KH·KW, OH·OW]` (zeros where the patch hits padding).
    @inlinable
    public static func im2col<Scalar: TensorScalar>(
        _ g: Geometry, image x: UnsafePointer<Scalar>, cols: UnsafeMutablePointer<Scalar>
    ) {
        let ow = g.outWidth
        _forEachPatchRow(g) { column, image, lo, hi in
            let dst = cols + column
            guard let image else {
                dst.update(repeating: 0, count: ow)
                return
            }
            let src = x + image
            for ox in 0..<lo { dst[ox] = 0 }
            for ox in lo..<hi { dst[ox] = src[ox] }
            for ox in hi..<ow { dst[ox] = 0 }
        }
    }

    /// Adds the columns `cols [C·KH·KW, OH·OW]` back onto an image gradient `[C, H, W]` (the adjoint of
    /// ``im2col(_:image:cols:)``).
    @inlinable
    public static func col2imAdd<Scalar: TensorScalar>(
        _ g: Geometry, cols: UnsafePointer<Scalar>, image x: UnsafeMutablePointer<Scalar>
    ) {
        _forEachPatchRow(g) { column, image, lo, hi in
            guard let image else { return }
            let src = cols + column, dst = x + image
            for ox in lo..<hi { dst[ox] += src[ox] }
        }
    }

    /// Calls `body(n, patches)` for every image `n` of `input` with its patch matrix `[C·KH·KW, OH·OW]`
    /// for the GEMM: the image itself for a pointwise convolution, otherwise the image unrolled into one
    /// scratch buffer that every image reuses (so `patches` is valid only during its call).
    @inlinable
    static func _forEachImagePatches<Scalar: TensorScalar>(
        _ g: Geometry, input: Tensor<Scalar>, _ body: (_ n: Int, _ patches: UnsafePointer<Scalar>) -> Void
    ) {
        let inImage = g.inChannels * g.height * g.width
        var cols = g.isPointwise ? [] : [Scalar](repeating: 0, count: g.patchSize * g.outHeight * g.outWidth)
        input.withUnsafeBufferPointer { x in
            cols.withUnsafeMutableBufferPointer { c in
                for n in 0..<g.batch {
                    let image = x.baseAddress! + n * inImage
                    if g.isPointwise {
                        body(n, image)
                    } else {
                        im2col(g, image: image, cols: c.baseAddress!)
                        body(n, UnsafePointer(c.baseAddress!))
                    }
                }
            }
        }
    }

    /// Stops unless a pullback's output cotangent has the output's shape.
    @inlinable
    static func _requireCotangentShape(_ shape: [Int], _ g: Geometry) {
        _require(
            shape == g.outputShape,
            "conv2d pullback: cotangent shape \(shape) does not match output shape \(g.outputShape)")
    }

    /// Forward pass: `input [N, C, H, W]`, `weight [O, C, KH, KW]`, optional `bias [O]` → `[N, O, OH, OW]`.
    @inlinable
    public static func forward<Scalar: TensorScalar>(
        input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>?, padding: (height: Int, width: Int)
    ) -> Tensor<Scalar> {
        let g = Geometry(input: input.shape, weight: weight.shape, padding: padding)
        if let bias {
            _require(
                bias.shape == [g.outChannels],
                "conv2d: bias shape \(bias.shape) does not match weight shape \(weight.shape) (expected [\(g.outChannels)])")
        }
        let ohw = g.outHeight * g.outWidth, k = g.patchSize, o = g.outChannels, outImage = o * ohw
        return Tensor(_shape: g.outputShape) { out, total in
            if let bias {
                bias.withUnsafeBufferPointer { b in
                    for n in 0..<g.batch {
                        for c in 0..<o { (out + n * outImage + c * ohw).initialize(repeating: b[c], count: ohw) }
                    }
                }
            } else {
                out.initialize(repeating: 0, count: total)
            }
            if k == 0 { return }
            weight.withUnsafeBufferPointer { wt in
                _forEachImagePatches(g, input: input) { n, patches in
                    Scalar.gemm(
                        transposeA: false, transposeB: false, m: o, n: ohw, k: k,
                        alpha: 1, a: wt.baseAddress!, lda: k, b: patches, ldb: ohw,
                        beta: 1, c: out + n * outImage, ldc: ohw)
                }
            }
        }
    }

    /// Input gradient: `∂input` from the output cotangent `[N, O, OH, OW]`.
    @inlinable
    public static func inputGradient<Scalar: TensorScalar>(
        outputGradient grad: Tensor<Scalar>, weight: Tensor<Scalar>, inputShape: [Int],
        padding: (height: Int, width: Int)
    ) -> Tensor<Scalar> {
        let g = Geometry(input: inputShape, weight: weight.shape, padding: padding)
        _requireCotangentShape(grad.shape, g)
        let ohw = g.outHeight * g.outWidth, k = g.patchSize, o = g.outChannels
        let inImage = g.inChannels * g.height * g.width, outImage = o * ohw
        var cols = g.isPointwise ? [] : [Scalar](repeating: 0, count: k * ohw)
        return Tensor(_shape: inputShape) { dx, total in
            dx.initialize(repeating: 0, count: total)
            if k == 0 || o == 0 { return }
            grad.withUnsafeBufferPointer { gy in
                weight.withUnsafeBufferPointer { wt in
                    cols.withUnsafeMutableBufferPointer { c in
                        for n in 0..<g.batch {
                            let target = g.isPointwise ? dx + n * inImage : c.baseAddress!
                            Scalar.gemm(
                                transposeA: true, transposeB: false, m: k, n: ohw, k: o,
                                alpha: 1, a: wt.baseAddress!, lda: k, b: gy.baseAddress! + n * outImage, ldb: ohw,
                                beta: 0, c: target, ldc: ohw)
                            if !g.isPointwise {
                                col2imAdd(g, cols: UnsafePointer(c.baseAddress!), image: dx + n * inImage)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Weight gradient `∂W [O, C, KH, KW]` from the input and the output cotangent.
    @inlinable
    public static func weightGradient<Scalar: TensorScalar>(
        outputGradient grad: Tensor<Scalar>, input: Tensor<Scalar>, weightShape: [Int],
        padding: (height: Int, width: Int)
    ) -> Tensor<Scalar> {
        let g = Geometry(input: input.shape, weight: weightShape, padding: padding)
        _requireCotangentShape(grad.shape, g)
        let ohw = g.outHeight * g.outWidth, k = g.patchSize, o = g.outChannels, outImage = o * ohw
        return Tensor(_shape: weightShape) { dw, total in
            dw.initialize(repeating: 0, count: total)
            if ohw == 0 { return }
            grad.withUnsafeBufferPointer { gy in
                _forEachImagePatches(g, input: input) { n, patches in
                    Scalar.gemm(
                        transposeA: false, transposeB: true, m: o, n: k, k: ohw,
                        alpha: 1, a: gy.baseAddress! + n * outImage, lda: ohw, b: patches, ldb: ohw,
                        beta: 1, c: dw, ldc: k)
                }
            }
        }
    }

    /// Bias gradient `[O]`: the cotangent summed over batch and space.
    @inlinable
    public static func biasGradient<Scalar: TensorScalar>(outputGradient grad: Tensor<Scalar>) -> Tensor<Scalar> {
        _require(grad.rank == 4, "conv2d pullback: cotangent must be [N, O, OH, OW], got \(grad.shape)")
        return grad.sum(toShape: [1, grad.shape[1], 1, 1]).reshaped([grad.shape[1]])
    }
}

/// 2-D convolution of constant tensors (no tape): `input [N, C, H, W]`, `weight [O, C, KH, KW]`,
/// optional `bias [O]`, stride 1, zero `padding` on every side → `[N, O, H+2p−KH+1, W+2p−KW+1]`.
@inlinable
public func conv2d<Scalar>(
    _ input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil, padding: Int = 0
) -> Tensor<Scalar> {
    Convolution2D.forward(input: input, weight: weight, bias: bias, padding: (padding, padding))
}

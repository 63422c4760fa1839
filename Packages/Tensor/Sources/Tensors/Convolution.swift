import RealModule

/// 2-D convolution (cross-correlation, as in PyTorch), NCHW, stride 1, zero padding, through im2col + GEMM.
///
/// For one image the input patches are unrolled into `cols: [C·KH·KW, OH·OW]`; then
/// - forward: `y[n] = W[O, C·KH·KW] · cols (+ b)`,
/// - weight gradient: `∂W += ḡ[n] · colsᵀ` (accumulated over the batch in the GEMM's `beta`),
/// - input gradient: `∂cols = Wᵀ · ḡ[n]`, folded back onto the image (col2im).
/// A 1x1 kernel without padding skips the unrolling (`cols` is the image itself).
///
/// 3×3 kernels run through Winograd F(4×4, 3×3) instead when that is faster (see
/// ``ConvolutionAlgorithm``); im2col stays the exact reference, selectable per call.
public enum Convolution2D {
    /// Static description of one convolution's extents.
    public struct Geometry: Equatable, Sendable {
        public var batch, inChannels, height, width: Int
        public var outChannels, kernelHeight, kernelWidth: Int
        public var paddingHeight, paddingWidth: Int
        /// Input channels of the weight: ``inChannels`` plus one when a constant channel is appended to
        /// the input (see ``Convolution2D/forward(input:weight:bias:padding:constantChannel:algorithm:)``).
        public var weightChannels: Int

        /// Output height `H + 2p − KH + 1`.
        @inlinable public var outHeight: Int { height + 2 * paddingHeight - kernelHeight + 1 }
        /// Output width `W + 2p − KW + 1`.
        @inlinable public var outWidth: Int { width + 2 * paddingWidth - kernelWidth + 1 }
        /// The output shape `[N, O, OH, OW]`.
        @inlinable var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
        /// Elements of one output channel's filter, `weightChannels·KH·KW` (the weight's row stride).
        @inlinable public var weightRowStride: Int { weightChannels * kernelHeight * kernelWidth }
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

        /// Checks and reads the geometry off an input `[N, C, H, W]` and a weight `[O, C, KH, KW]`
        /// (`[O, C + 1, KH, KW]` with `constantChannel`).
        @inlinable
        public init(input: [Int], weight: [Int], padding: (height: Int, width: Int), constantChannel: Bool = false) {
            _require(input.count == 4, "conv2d: input must be [N, C, H, W], got shape \(input)")
            _require(weight.count == 4, "conv2d: weight must be [O, C, KH, KW], got shape \(weight)")
            let extra = constantChannel ? 1 : 0
            _require(
                input[1] + extra == weight[1],
                "conv2d: input shape \(input) has \(input[1]) channels\(constantChannel ? " plus a constant channel" : "") but weight shape \(weight) expects \(weight[1])")
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
            weightChannels = weight[1]
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

    /// Calls `body(part, n, patches)` for every image `n` of `input` with its patch matrix
    /// `[C·KH·KW, OH·OW]` for the GEMM: the image itself for a pointwise convolution, otherwise the image
    /// unrolled into a scratch buffer that the images of one part reuse (so `patches` is valid only during
    /// its call). The batch is split into `parts` contiguous parts (default ``_imageParts(_:)``), run over
    /// the workers concurrently, each with OpenBLAS single-threaded (see ``_WinogradConvolution``), so `body`
    /// must only write what belongs to its image or its part.
    @inlinable
    static func _forEachImagePatches<Scalar: TensorScalar>(
        _ g: Geometry, input: Tensor<Scalar>, parts: Int? = nil,
        _ body: (_ part: Int, _ n: Int, _ patches: UnsafePointer<Scalar>) -> Void
    ) {
        let inImage = g.inChannels * g.height * g.width
        input.withUnsafeBufferPointer { x in
            _forEachImagePart(g, parts: parts) { part, images in
                var cols = g.isPointwise ? [] : [Scalar](repeating: 0, count: g.patchSize * g.outHeight * g.outWidth)
                cols.withUnsafeMutableBufferPointer { c in
                    for n in images {
                        let image = x.baseAddress! + n * inImage
                        if g.isPointwise {
                            body(part, n, image)
                        } else {
                            im2col(g, image: image, cols: c.baseAddress!)
                            body(part, n, UnsafePointer(c.baseAddress!))
                        }
                    }
                }
            }
        }
    }

    /// How many parts the im2col passes split the batch into: one per worker (``tensorWorkerCount``), at
    /// most one per image.
    @inlinable
    static func _imageParts(_ g: Geometry) -> Int { Swift.max(1, Swift.min(tensorWorkerCount, g.batch)) }

    /// Runs `body(part, images)` for `parts` (default ``_imageParts(_:)``) contiguous ranges of the batch,
    /// spread over ``_imageParts(_:)`` concurrent workers, with OpenBLAS computing each call on the calling
    /// thread.
    @inlinable
    static func _forEachImagePart(_ g: Geometry, parts: Int? = nil, _ body: (_ part: Int, _ images: Range<Int>) -> Void) {
        let workers = _imageParts(g)
        forEachBatchPart(g.batch, parts: parts ?? workers, workers: workers, body)
    }

    /// Stops unless a pullback's output cotangent has the output's shape.
    @inlinable
    static func _requireCotangentShape(_ shape: [Int], _ g: Geometry) {
        _require(
            shape == g.outputShape,
            "conv2d pullback: cotangent shape \(shape) does not match output shape \(g.outputShape)")
    }

    /// The algorithm that runs a convolution of geometry `g`: ``ConvolutionAlgorithm/automatic`` takes
    /// Winograd for 3×3 kernels whose channel counts and output size make the transform-domain products
    /// worth their transforms (at least 8 input and 8 output channels, an output of at least 4×4), im2col
    /// otherwise.
    @inlinable
    public static func resolvedAlgorithm(_ algorithm: ConvolutionAlgorithm, for g: Geometry) -> ConvolutionAlgorithm {
        let isThreeByThree = g.kernelHeight == 3 && g.kernelWidth == 3
        switch algorithm {
        case .im2col:
            return .im2col
        case .winograd:
            _require(isThreeByThree, "conv2d: the Winograd algorithm needs a 3x3 kernel, got \(g.kernelHeight)x\(g.kernelWidth)")
            return g.inChannels > 0 && g.outChannels > 0 && g.batch > 0 ? .winograd : .im2col
        case .automatic:
            let worthIt = isThreeByThree && g.inChannels >= 8 && g.outChannels >= 8 && g.outHeight >= 4 && g.outWidth >= 4
            return worthIt && g.batch > 0 ? .winograd : .im2col
        }
    }

    /// The response to an appended input channel that is `value` everywhere inside the image (zero on the
    /// padding): `value` times the sum of that channel's weights that fall inside the image at each output
    /// pixel. Away from the border every weight does, so the response is one number per output channel
    /// (`interior [O]`, added like a bias) plus a correction on the border pixels (`border [O, OH, OW]`,
    /// zero inside, added by ``_addBorderCorrection(_:_:to:)``). Convolving the constant channel costs
    /// this, not a copy of the input with the channel appended.
    @inlinable
    static func _constantChannelResponse<Scalar: TensorScalar>(
        _ g: Geometry, weight: UnsafePointer<Scalar>, value: Scalar
    ) -> (interior: [Scalar], border: [Scalar]) {
        let oh = g.outHeight, ow = g.outWidth, kh = g.kernelHeight, kw = g.kernelWidth
        var interior = [Scalar](repeating: 0, count: g.outChannels)
        var border = [Scalar](repeating: 0, count: g.outChannels * oh * ow)
        let rows = _interiorRows(g), cols = _interiorColumns(g)
        for o in 0..<g.outChannels {
            let filter = weight + o * g.weightRowStride + g.inChannels * kh * kw
            var total: Scalar = 0
            for k in 0..<(kh * kw) { total += filter[k] }
            interior[o] = value * total
            for y in 0..<oh {
                for x in 0..<ow where !(rows.contains(y) && cols.contains(x)) {
                    var sum: Scalar = 0
                    for ki in 0..<kh where (0..<g.height).contains(y + ki - g.paddingHeight) {
                        for kj in 0..<kw where (0..<g.width).contains(x + kj - g.paddingWidth) {
                            sum += filter[ki * kw + kj]
                        }
                    }
                    border[(o * oh + y) * ow + x] = value * (sum - total)
                }
            }
        }
        return (interior, border)
    }

    /// Output rows whose kernel window lies inside the image vertically.
    @inlinable
    static func _interiorRows(_ g: Geometry) -> Range<Int> {
        let lo = Swift.min(g.paddingHeight, g.outHeight)
        return lo..<Swift.max(lo, Swift.min(g.outHeight, g.height + g.paddingHeight - g.kernelHeight + 1))
    }

    /// Output columns whose kernel window lies inside the image horizontally.
    @inlinable
    static func _interiorColumns(_ g: Geometry) -> Range<Int> {
        let lo = Swift.min(g.paddingWidth, g.outWidth)
        return lo..<Swift.max(lo, Swift.min(g.outWidth, g.width + g.paddingWidth - g.kernelWidth + 1))
    }

    /// Adds the border part of a constant channel's response (zero off the border) to every image of `y`,
    /// visiting only the border pixels.
    @inlinable
    static func _addBorderCorrection<Scalar: TensorScalar>(
        _ g: Geometry, _ border: UnsafePointer<Scalar>, to y: UnsafeMutablePointer<Scalar>
    ) {
        let oh = g.outHeight, ow = g.outWidth, plane = oh * ow
        let rows = _interiorRows(g), cols = _interiorColumns(g)
        for n in 0..<g.batch {
            for o in 0..<g.outChannels {
                let dst = y + (n * g.outChannels + o) * plane, src = border + o * plane
                for row in 0..<oh {
                    let line = row * ow
                    if rows.contains(row) {
                        for x in 0..<cols.lowerBound { dst[line + x] += src[line + x] }
                        for x in cols.upperBound..<ow { dst[line + x] += src[line + x] }
                    } else {
                        for x in 0..<ow { dst[line + x] += src[line + x] }
                    }
                }
            }
        }
    }

    /// The output cotangent summed over the batch, `[O, OH, OW]` (for the bias and constant-channel
    /// gradients).
    @inlinable
    static func _batchSum<Scalar: TensorScalar>(_ g: Geometry, _ grad: UnsafePointer<Scalar>) -> [Scalar] {
        let plane = g.outChannels * g.outHeight * g.outWidth
        var sum = [Scalar](repeating: 0, count: plane)
        sum.withUnsafeMutableBufferPointer { s in
            for n in 0..<g.batch { Scalar.axpy(count: plane, alpha: 1, x: grad + n * plane, y: s.baseAddress!) }
        }
        return sum
    }

    /// Forward pass: `input [N, C, H, W]`, `weight [O, C, KH, KW]`, optional `bias [O]` → `[N, O, OH, OW]`.
    ///
    /// With `constantChannel: t` the input is convolved as if a channel equal to `t` inside the image were
    /// appended to it (the time channel of a neural ODE's convolutional vector field, like torchdiffeq's
    /// `ConcatConv2d`), and `weight` is `[O, C + 1, KH, KW]`; the channel is folded into the bias
    /// instead of being copied. `algorithm` picks the method (``resolvedAlgorithm(_:for:)``); every
    /// choice computes the same convolution up to rounding.
    @inlinable
    public static func forward<Scalar: TensorScalar>(
        input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>?, padding: (height: Int, width: Int),
        constantChannel value: Scalar? = nil, algorithm: ConvolutionAlgorithm = .automatic
    ) -> Tensor<Scalar> {
        let g = Geometry(input: input.shape, weight: weight.shape, padding: padding, constantChannel: value != nil)
        if let bias {
            _require(
                bias.shape == [g.outChannels],
                "conv2d: bias shape \(bias.shape) does not match weight shape \(weight.shape) (expected [\(g.outChannels)])")
        }
        let ohw = g.outHeight * g.outWidth, k = g.patchSize, o = g.outChannels, outImage = o * ohw
        let response = value.map { v in weight.withUnsafeBufferPointer { _constantChannelResponse(g, weight: $0.baseAddress!, value: v) } }
        // The per-channel part of the bias: the bias plus the constant channel's interior response.
        var channelBias = bias?.scalars
        if let response {
            channelBias = channelBias.map { zip($0, response.interior).map { $0 + $1 } } ?? response.interior
        }
        var output: Tensor<Scalar>
        if resolvedAlgorithm(algorithm, for: g) == .winograd {
            let winograd = _WinogradConvolution<Scalar>(g)
            let filters = [Scalar](unsafeUninitializedCapacity: 36 * o * g.inChannels) { u, count in
                weight.withUnsafeBufferPointer { winograd.transformFilters($0.baseAddress!, into: u.baseAddress!) }
                count = 36 * o * g.inChannels
            }
            output = Tensor(_shape: g.outputShape) { out, _ in
                input.withUnsafeBufferPointer { x in
                    filters.withUnsafeBufferPointer { u in
                        channelBias.withOptionalPointer { b in
                            (response?.border).withOptionalPointer { e in
                                winograd.forward(input: x.baseAddress!, filters: u.baseAddress!, channelBias: b, borderBias: e, output: out)
                            }
                        }
                    }
                }
            }
        } else {
            output = Tensor(_shape: g.outputShape) { out, total in
                if let channelBias {
                    for n in 0..<g.batch {
                        for c in 0..<o { (out + n * outImage + c * ohw).initialize(repeating: channelBias[c], count: ohw) }
                    }
                } else {
                    out.initialize(repeating: 0, count: total)
                }
                if k == 0 { return }
                weight.withUnsafeBufferPointer { wt in
                    _forEachImagePatches(g, input: input) { _, n, patches in
                        Scalar.gemm(
                            transposeA: false, transposeB: false, m: o, n: ohw, k: k,
                            alpha: 1, a: wt.baseAddress!, lda: g.weightRowStride, b: patches, ldb: ohw,
                            beta: 1, c: out + n * outImage, ldc: ohw)
                    }
                }
            }
        }
        if let response, resolvedAlgorithm(algorithm, for: g) == .im2col {
            // (The Winograd output transform adds the border part itself, on the edge tiles.)
            output.withUnsafeMutableBufferPointer { out in
                response.border.withUnsafeBufferPointer { _addBorderCorrection(g, $0.baseAddress!, to: out.baseAddress!) }
            }
        }
        return output
    }

    /// The cotangents of a convolution's operands; `nil` for those not asked for.
    public struct Gradients<Scalar: TensorScalar> {
        /// `∂input [N, C, H, W]`.
        public var input: Tensor<Scalar>?
        /// `∂weight`, the weight's shape (the constant channel's slice included).
        public var weight: Tensor<Scalar>?
        /// `∂bias [O]`.
        public var bias: Tensor<Scalar>?

        @inlinable
        init(input: Tensor<Scalar>?, weight: Tensor<Scalar>?, bias: Tensor<Scalar>?) {
            self.input = input
            self.weight = weight
            self.bias = bias
        }
    }

    /// The pullback of ``forward(input:weight:bias:padding:constantChannel:algorithm:)``: the cotangents
    /// of the input, weight and bias (each only when its flag in `wrt` is set) from the output cotangent.
    @inlinable
    public static func backward<Scalar: TensorScalar>(
        outputGradient grad: Tensor<Scalar>, input: Tensor<Scalar>, weight: Tensor<Scalar>,
        padding: (height: Int, width: Int), constantChannel value: Scalar? = nil,
        algorithm: ConvolutionAlgorithm = .automatic, wrt: (input: Bool, weight: Bool, bias: Bool)
    ) -> Gradients<Scalar> {
        let g = Geometry(input: input.shape, weight: weight.shape, padding: padding, constantChannel: value != nil)
        _requireCotangentShape(grad.shape, g)
        let o = g.outChannels, ohw = g.outHeight * g.outWidth, kh = g.kernelHeight, kw = g.kernelWidth
        let sums = wrt.bias || (wrt.weight && value != nil)
            ? grad.withUnsafeBufferPointer { _batchSum(g, $0.baseAddress!) } : nil
        var result = Gradients<Scalar>(input: nil, weight: nil, bias: nil)
        if let sums, wrt.bias {
            result.bias = Tensor(_shape: [o]) { b, _ in
                sums.withUnsafeBufferPointer { s in
                    for c in 0..<o {
                        var total: Scalar = 0
                        for p in 0..<ohw { total += s[c * ohw + p] }
                        b[c] = total
                    }
                }
            }
        }
        if resolvedAlgorithm(algorithm, for: g) == .winograd {
            let winograd = _WinogradConvolution<Scalar>(g)
            let filterCount = 36 * o * g.inChannels
            let filters = [Scalar](unsafeUninitializedCapacity: filterCount) { u, count in
                weight.withUnsafeBufferPointer { winograd.transformFilters($0.baseAddress!, into: u.baseAddress!) }
                count = filterCount
            }
            var filterGradient = wrt.weight ? [Scalar](repeating: 0, count: filterCount) : []
            func run(_ dx: UnsafeMutablePointer<Scalar>?) {
                input.withUnsafeBufferPointer { x in
                    grad.withUnsafeBufferPointer { dy in
                        filters.withUnsafeBufferPointer { u in
                            filterGradient.withUnsafeMutableBufferPointer { du in
                                winograd.backward(
                                    input: x.baseAddress!, filters: u.baseAddress!, outputGradient: dy.baseAddress!,
                                    inputGradient: dx, filterGradient: wrt.weight ? du.baseAddress! : nil)
                            }
                        }
                    }
                }
            }
            // The backward pass writes every element of the input gradient: no zero fill first.
            let inputGradient = wrt.input ? Tensor<Scalar>(_shape: input.shape) { dx, _ in run(dx) } : nil
            if !wrt.input { run(nil) }
            result.input = inputGradient
            if wrt.weight {
                result.weight = Tensor(_shape: weight.shape) { dw, total in
                    dw.initialize(repeating: 0, count: total)
                    filterGradient.withUnsafeBufferPointer { winograd.filterGradientAdd($0.baseAddress!, into: dw) }
                }
            }
        } else {
            if wrt.input { result.input = _im2colInputGradient(g, grad, weight) }
            if wrt.weight { result.weight = _im2colWeightGradient(g, grad, input) }
        }
        if let value, let sums, wrt.weight {
            // The constant channel's weights see `value` at every in-image position of their window.
            result.weight!.withUnsafeMutableBufferPointer { dw in
                sums.withUnsafeBufferPointer { s in
                    for c in 0..<o {
                        let slot = dw.baseAddress! + c * g.weightRowStride + g.inChannels * kh * kw
                        for ki in 0..<kh {
                            let rows = Swift.max(0, g.paddingHeight - ki)..<Swift.min(g.outHeight, g.height + g.paddingHeight - ki)
                            for kj in 0..<kw {
                                let cols = Swift.max(0, g.paddingWidth - kj)..<Swift.min(g.outWidth, g.width + g.paddingWidth - kj)
                                var total: Scalar = 0
                                for y in rows { for x in cols { total += s[c * ohw + y * g.outWidth + x] } }
                                slot[ki * kw + kj] = value * total
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Input gradient: `∂input` from the output cotangent `[N, O, OH, OW]`.
    @inlinable
    public static func inputGradient<Scalar: TensorScalar>(
        outputGradient grad: Tensor<Scalar>, weight: Tensor<Scalar>, inputShape: [Int],
        padding: (height: Int, width: Int), algorithm: ConvolutionAlgorithm = .automatic
    ) -> Tensor<Scalar> {
        let g = Geometry(input: inputShape, weight: weight.shape, padding: padding)
        _requireCotangentShape(grad.shape, g)
        if resolvedAlgorithm(algorithm, for: g) == .im2col { return _im2colInputGradient(g, grad, weight) }
        // The Winograd input gradient does not read the input's values.
        return backward(
            outputGradient: grad, input: Tensor(zeros: inputShape), weight: weight, padding: padding,
            algorithm: .winograd, wrt: (true, false, false)).input!
    }

    /// Weight gradient `∂W [O, C, KH, KW]` from the input and the output cotangent.
    @inlinable
    public static func weightGradient<Scalar: TensorScalar>(
        outputGradient grad: Tensor<Scalar>, input: Tensor<Scalar>, weightShape: [Int],
        padding: (height: Int, width: Int), algorithm: ConvolutionAlgorithm = .automatic
    ) -> Tensor<Scalar> {
        let g = Geometry(input: input.shape, weight: weightShape, padding: padding)
        _requireCotangentShape(grad.shape, g)
        if resolvedAlgorithm(algorithm, for: g) == .im2col { return _im2colWeightGradient(g, grad, input) }
        return backward(
            outputGradient: grad, input: input, weight: Tensor(zeros: weightShape), padding: padding,
            algorithm: .winograd, wrt: (false, true, false)).weight!
    }

    /// `∂input` through im2col: per image `∂cols = Wᵀ · ḡ[n]`, folded back onto the image (col2im).
    @inlinable
    static func _im2colInputGradient<Scalar: TensorScalar>(
        _ g: Geometry, _ grad: Tensor<Scalar>, _ weight: Tensor<Scalar>
    ) -> Tensor<Scalar> {
        let ohw = g.outHeight * g.outWidth, k = g.patchSize, o = g.outChannels
        let inImage = g.inChannels * g.height * g.width, outImage = o * ohw
        return Tensor(_shape: [g.batch, g.inChannels, g.height, g.width]) { dx, total in
            dx.initialize(repeating: 0, count: total)
            if k == 0 || o == 0 { return }
            grad.withUnsafeBufferPointer { gy in
                weight.withUnsafeBufferPointer { wt in
                    _forEachImagePart(g) { _, images in
                        var cols = g.isPointwise ? [] : [Scalar](repeating: 0, count: k * ohw)
                        cols.withUnsafeMutableBufferPointer { c in
                            for n in images {
                                let target = g.isPointwise ? dx + n * inImage : c.baseAddress!
                                Scalar.gemm(
                                    transposeA: true, transposeB: false, m: k, n: ohw, k: o,
                                    alpha: 1, a: wt.baseAddress!, lda: g.weightRowStride, b: gy.baseAddress! + n * outImage,
                                    ldb: ohw, beta: 0, c: target, ldc: ohw)
                                if !g.isPointwise {
                                    col2imAdd(g, cols: UnsafePointer(c.baseAddress!), image: dx + n * inImage)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `∂W` through im2col: `Σₙ ḡ[n] · colsᵀ` (the constant channel's slice, if any, left at zero).
    @inlinable
    static func _im2colWeightGradient<Scalar: TensorScalar>(
        _ g: Geometry, _ grad: Tensor<Scalar>, _ input: Tensor<Scalar>
    ) -> Tensor<Scalar> {
        let ohw = g.outHeight * g.outWidth, k = g.patchSize, o = g.outChannels, outImage = o * ohw
        // Fixed parts, whatever the workers: the sum's order, hence its bits, depend on the batch alone.
        let parts = batchReductionParts(g.batch), size = o * g.weightRowStride
        return Tensor(_shape: [o, g.weightChannels, g.kernelHeight, g.kernelWidth]) { dw, total in
            dw.initialize(repeating: 0, count: total)
            if ohw == 0 || k == 0 { return }
            // Every part but the first sums into its own buffer; the sums are added in part order.
            var partials = [Scalar](repeating: 0, count: (parts - 1) * size)
            partials.withUnsafeMutableBufferPointer { extra in
                grad.withUnsafeBufferPointer { gy in
                    _forEachImagePatches(g, input: input, parts: parts) { part, n, patches in
                        Scalar.gemm(
                            transposeA: false, transposeB: true, m: o, n: k, k: ohw,
                            alpha: 1, a: gy.baseAddress! + n * outImage, lda: ohw, b: patches, ldb: ohw,
                            beta: 1, c: part == 0 ? dw : extra.baseAddress! + (part - 1) * size, ldc: g.weightRowStride)
                    }
                }
                for part in 1..<Swift.max(parts, 1) {
                    Scalar.axpy(count: size, alpha: 1, x: extra.baseAddress! + (part - 1) * size, y: dw)
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

/// How a convolution is computed. Every choice gives the same result up to float rounding (Winograd's
/// relative error against im2col is about 1e-6 in Float on the image models' shapes).
public enum ConvolutionAlgorithm: Sendable, Equatable {
    /// Winograd for 3×3 kernels with enough channels, im2col otherwise
    /// (``Convolution2D/resolvedAlgorithm(_:for:)``).
    case automatic
    /// Unroll the patches and multiply (one GEMM per image and pass): any kernel size, the reference.
    case im2col
    /// Winograd F(4×4, 3×3) with transform-domain GEMMs: 3×3 kernels only, 4× fewer multiplications.
    case winograd
}

/// 2-D convolution of constant tensors (no tape): `input [N, C, H, W]`, `weight [O, C, KH, KW]`,
/// optional `bias [O]`, stride 1, zero `padding` on every side → `[N, O, H+2p−KH+1, W+2p−KW+1]`.
/// `appendingConstantChannel` and `algorithm` as for the differentiable `conv2d`.
@inlinable
public func conv2d<Scalar>(
    _ input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil, padding: Int = 0,
    appendingConstantChannel value: Scalar? = nil, algorithm: ConvolutionAlgorithm = .automatic
) -> Tensor<Scalar> {
    Convolution2D.forward(
        input: input, weight: weight, bias: bias, padding: (padding, padding), constantChannel: value, algorithm: algorithm)
}

extension Optional {
    /// Calls `body` with the array's element pointer, or `nil` when there is no array.
    @inlinable
    func withOptionalPointer<Element, Result>(_ body: (UnsafePointer<Element>?) -> Result) -> Result
    where Wrapped == [Element] {
        guard let array = self else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

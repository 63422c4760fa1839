import CSmallMatrixKernels

/// A stride-1 3×3 convolution through Winograd F(4×4, 3×3): all three passes (forward, input gradient,
/// weight gradient) as 36 transform-domain matrix products per chunk of images (``_Winograd``).
///
/// For a chunk of images with `T` output tiles of 4×4 (padded to a multiple of 8, one SIMD lane per tile):
/// - forward: `V[ξ] = Bᵀ d B` (input tiles), `M[ξ] = U[ξ] · V[ξ]` (36 GEMMs `[O, C]·[C, T]`),
///   `y = Aᵀ M A` plus the bias, scattered into the output;
/// - backward, the exact adjoint of that: `∂M = A ḡ Aᵀ`, `∂U[ξ] += ∂M[ξ] · V[ξ]ᵀ`,
///   `∂V[ξ] = U[ξ]ᵀ · ∂M[ξ]`, `∂d = B ∂V Bᵀ` scatter-added over the overlapping input tiles; the filter
///   gradient is `Gᵀ ∂U G` once at the end.
/// `V` and `M` are stored channel-major, `[C, 36, T]` and `[O, 36, T]` (each `V[ξ]` a matrix with leading
/// dimension `36·T`), so that the 36 transformed values of one channel's tiles land in one small region
/// instead of 36 streams a whole matrix apart. The forward transform of the input is recomputed in the backward pass rather than kept (it is cheap next
/// to the GEMMs, and keeping it would hold 2.25× the input per layer alive on the tape).
///
/// The batch is split into one contiguous range of images per worker (``tensorWorkerCount``), each run
/// end to end on its own thread (transforms and single-threaded GEMMs, with its own buffers), in chunks
/// sized so that one chunk's transform-domain buffers stay in cache. Only the filter gradient is shared:
/// each worker sums its own, and the sums are added in worker order.
///
/// In single precision on a CPU with AVX2 + FMA the tile transforms (everything but the GEMMs and the
/// padding copies) run on C kernels (`winograd_transforms.c`), which load a tile's rows as vectors and
/// transpose 8 tiles in registers instead of gathering scalars; the portable Swift transforms below stay
/// the fallback and the tests' reference.
@usableFromInline
struct _WinogradConvolution<Scalar: TensorScalar> {
    @usableFromInline typealias Lanes = SIMD8<Scalar>
    @usableFromInline let g: Convolution2D.Geometry
    @usableFromInline let tilesY: Int, tilesX: Int, tilesPerImage: Int
    @usableFromInline let paddedHeight: Int, paddedWidth: Int
    @usableFromInline let imagesPerChunk: Int
    @usableFromInline let workers: Int
    /// Whether the tile transforms run on the AVX2 + FMA kernels (``vectorKernelsAvailable``).
    @usableFromInline let vectorKernels: Bool

    /// True when the transforms of `Scalar` can run on the AVX2 + FMA kernels: Float on a CPU with both.
    @inlinable static var vectorKernelsAvailable: Bool { Scalar.self == Float.self && SmallMatrixMultiply.hasAVX2 }

    /// Transform-domain bytes (`V` and `M`) per chunk that keep a chunk's working set in the L3 cache.
    @usableFromInline static var defaultChunkBytes: Int { 6 << 20 }

    /// Plans the tiles of `g`; `chunkBytes` bounds the transform-domain buffers of one chunk of images
    /// (at least one image per chunk). `vectorKernels` false keeps the portable transforms (the tests'
    /// reference); true needs ``vectorKernelsAvailable``.
    @inlinable
    init(_ g: Convolution2D.Geometry, chunkBytes: Int = defaultChunkBytes, vectorKernels: Bool = vectorKernelsAvailable) {
        precondition(!vectorKernels || Self.vectorKernelsAvailable, "Winograd: the AVX2 transforms need Float on an AVX2 + FMA CPU")
        self.vectorKernels = vectorKernels
        precondition(g.kernelHeight == 3 && g.kernelWidth == 3, "Winograd F(4x4,3x3) needs a 3x3 kernel, got \(g)")
        self.g = g
        tilesY = (g.outHeight + 3) / 4
        tilesX = (g.outWidth + 3) / 4
        tilesPerImage = tilesY * tilesX
        paddedHeight = 4 * tilesY + 2
        paddedWidth = 4 * tilesX + 2
        let bytesPerImage = 36 * (g.inChannels + g.outChannels) * tilesPerImage * MemoryLayout<Scalar>.stride
        imagesPerChunk = Swift.max(1, Swift.min(g.batch, chunkBytes / Swift.max(1, bytesPerImage)))
        workers = tensorWorkerCount
    }

    @inlinable var paddedPlane: Int { paddedHeight * paddedWidth }

    /// The tiles of one chunk, one entry per SIMD lane (a multiple of 8); lanes past `count` are padding.
    @usableFromInline
    struct Tiles {
        /// Number of real tiles.
        @usableFromInline var count: Int
        /// Lanes, `count` rounded up to a multiple of 8.
        @usableFromInline var lanes: Int
        /// Offset of the tile's 6×6 window in the chunk's padded input, channel 0.
        @usableFromInline var paddedBase: [Int]
        /// Offset of the tile's 4×4 output block in the chunk's output, channel 0.
        @usableFromInline var outputBase: [Int]
        /// Offset of the tile's output block within one output plane.
        @usableFromInline var pixelBase: [Int]
        /// Rows and columns of the output block inside the output (4 except at the bottom and right
        /// edges; 0 for padding lanes).
        @usableFromInline var rows: [Int], cols: [Int]
        /// Whether the tile's output block reaches outside the interior, where every kernel window lies
        /// inside the image (there a constant channel's response has its border part).
        @usableFromInline var isEdge: [Bool]

        @inlinable
        init(_ w: _WinogradConvolution, images: Int) {
            let g = w.g
            count = images * w.tilesPerImage
            lanes = (count + 7) / 8 * 8
            paddedBase = [Int](repeating: 0, count: lanes)
            outputBase = paddedBase
            pixelBase = paddedBase
            isEdge = [Bool](repeating: false, count: lanes)
            rows = paddedBase
            cols = paddedBase
            let ohw = g.outHeight * g.outWidth
            let interiorRows = Convolution2D._interiorRows(g), interiorColumns = Convolution2D._interiorColumns(g)
            for t in 0..<count {
                let n = t / w.tilesPerImage, r = t % w.tilesPerImage, ty = r / w.tilesX, tx = r % w.tilesX
                paddedBase[t] = n * g.inChannels * w.paddedPlane + 4 * ty * w.paddedWidth + 4 * tx
                pixelBase[t] = 4 * ty * g.outWidth + 4 * tx
                outputBase[t] = n * g.outChannels * ohw + pixelBase[t]
                rows[t] = Swift.min(4, g.outHeight - 4 * ty)
                cols[t] = Swift.min(4, g.outWidth - 4 * tx)
                let top = 4 * ty, left = 4 * tx, bottom = top + rows[t], right = left + cols[t]
                isEdge[t] = !(interiorRows.contains(top) && bottom <= interiorRows.upperBound
                    && interiorColumns.contains(left) && right <= interiorColumns.upperBound)
            }
        }
    }

    // MARK: Filters

    /// `U [36, O, C]` from `weight [O, weightChannels, 3, 3]` (only the first `C` input channels).
    @inlinable
    func transformFilters(_ weight: UnsafePointer<Scalar>, into u: UnsafeMutablePointer<Scalar>) {
        let o = g.outChannels, c = g.inChannels, stride = o * c, rowStride = g.weightChannels * 9
        for oc in 0..<o {
            for ic in 0..<c {
                _Winograd<Scalar>.filter(weight + oc * rowStride + ic * 9, into: u + oc * c + ic, stride: stride)
            }
        }
    }

    /// `∂weight [O, weightChannels, 3, 3] += Gᵀ ∂U G` for the first `C` input channels.
    @inlinable
    func filterGradientAdd(_ du: UnsafePointer<Scalar>, into dw: UnsafeMutablePointer<Scalar>) {
        let o = g.outChannels, c = g.inChannels, stride = o * c, rowStride = g.weightChannels * 9
        for oc in 0..<o {
            for ic in 0..<c {
                _Winograd<Scalar>.filterAdjointAdd(du + oc * c + ic, stride: stride, into: dw + oc * rowStride + ic * 9)
            }
        }
    }

    // MARK: Passes

    /// The buffers one worker's chunks reuse (from the scratch pool, so repeated calls reuse memory).
    @usableFromInline
    struct Workspace {
        @usableFromInline let padded: UnsafeMutablePointer<Scalar>
        @usableFromInline let input: UnsafeMutablePointer<Scalar>
        @usableFromInline let output: UnsafeMutablePointer<Scalar>
        @usableFromInline let counts: (padded: Int, input: Int, output: Int)

        @inlinable
        init(_ w: _WinogradConvolution) {
            let lanes = (w.imagesPerChunk * w.tilesPerImage + 7) / 8 * 8
            // The vector kernels read and write the padded rows 8 wide: 8 elements of slack after the last plane.
            counts = (w.imagesPerChunk * w.g.inChannels * w.paddedPlane + 8, 36 * w.g.inChannels * lanes, 36 * w.g.outChannels * lanes)
            let size = MemoryLayout<Scalar>.stride
            padded = _ScratchPool.shared.take(bytes: counts.padded * size).bindMemory(to: Scalar.self, capacity: counts.padded)
            input = _ScratchPool.shared.take(bytes: counts.input * size).bindMemory(to: Scalar.self, capacity: counts.input)
            output = _ScratchPool.shared.take(bytes: counts.output * size).bindMemory(to: Scalar.self, capacity: counts.output)
        }

        @inlinable
        func deallocate() {
            let size = MemoryLayout<Scalar>.stride
            _ScratchPool.shared.give(UnsafeMutableRawPointer(padded), bytes: counts.padded * size)
            _ScratchPool.shared.give(UnsafeMutableRawPointer(input), bytes: counts.input * size)
            _ScratchPool.shared.give(UnsafeMutableRawPointer(output), bytes: counts.output * size)
        }
    }

    /// Splits the batch into `parts` contiguous ranges of images (default: one per worker) and runs
    /// `body(part, images)` for each, the parts spread over the workers concurrently, with OpenBLAS
    /// single-threaded inside (each worker's GEMMs run on its own core, with no synchronisation between the
    /// 36 small products of a chunk).
    @inlinable
    func forEachWorkerBatch(parts: Int? = nil, _ body: (_ part: Int, _ images: Range<Int>) -> Void) {
        forEachBatchPart(g.batch, parts: parts ?? concurrentWorkers, workers: concurrentWorkers, body)
    }

    /// The number of workers ``forEachWorkerBatch(parts:_:)`` runs at once: at most one per image.
    @inlinable var concurrentWorkers: Int { Swift.max(1, Swift.min(workers, g.batch)) }

    /// `y [N, O, OH, OW] = conv(x) + bias`, the bias per channel (`channelBias [O]`) plus, when given, a
    /// per-pixel part that is zero away from the output's border (`borderBias [O, OH, OW]`, read only for
    /// the edge tiles).
    @inlinable
    func forward(
        input x: UnsafePointer<Scalar>, filters u: UnsafePointer<Scalar>,
        channelBias: UnsafePointer<Scalar>?, borderBias: UnsafePointer<Scalar>? = nil, output y: UnsafeMutablePointer<Scalar>
    ) {
        let c = g.inChannels, o = g.outChannels
        let inImage = c * g.height * g.width, outImage = o * g.outHeight * g.outWidth
        forEachWorkerBatch { _, images in
            let work = Workspace(self)
            defer { work.deallocate() }
            var first = images.lowerBound
            while first < images.upperBound {
                let count = Swift.min(imagesPerChunk, images.upperBound - first)
                let tiles = Tiles(self, images: count)
                pad(x + first * inImage, images: count, into: work.padded)
                transformInput(work.padded, tiles, into: work.input)
                for xi in 0..<36 {
                    Scalar.gemm(
                        transposeA: false, transposeB: false, m: o, n: tiles.lanes, k: c,
                        alpha: 1, a: u + xi * o * c, lda: c, b: work.input + xi * tiles.lanes, ldb: 36 * tiles.lanes,
                        beta: 0, c: work.output + xi * tiles.lanes, ldc: 36 * tiles.lanes)
                }
                transformOutput(work.output, tiles, channelBias: channelBias, borderBias: borderBias, into: y + first * outImage)
                first += count
            }
        }
    }

    /// The adjoint of ``forward(input:filters:channelBias:borderBias:output:)`` without the bias: from the
    /// output cotangent `dy [N, O, OH, OW]`, writes `dx [N, C, H, W]` when given and sets the filter
    /// cotangent `du [36, O, C]` when given (`x` is needed only for `du`).
    @inlinable
    func backward(
        input x: UnsafePointer<Scalar>, filters u: UnsafePointer<Scalar>, outputGradient dy: UnsafePointer<Scalar>,
        inputGradient dx: UnsafeMutablePointer<Scalar>?, filterGradient du: UnsafeMutablePointer<Scalar>?
    ) {
        let c = g.inChannels, o = g.outChannels
        let inImage = c * g.height * g.width, outImage = o * g.outHeight * g.outWidth
        // The filter cotangent is summed per part, every part but the first into its own buffer, and the
        // parts are added in order. The parts are fixed by the batch alone (not one per worker), so the
        // sum's order, hence its bits, are the same on any number of workers.
        let filterCount = 36 * o * c, parts = batchReductionParts(g.batch)
        let partialBytes = (parts - 1) * filterCount * MemoryLayout<Scalar>.stride
        let partials = du == nil || parts == 1
            ? nil : _ScratchPool.shared.take(bytes: partialBytes).bindMemory(to: Scalar.self, capacity: (parts - 1) * filterCount)
        defer { partials.map { _ScratchPool.shared.give(UnsafeMutableRawPointer($0), bytes: partialBytes) } }
        forEachWorkerBatch(parts: parts) { part, images in
            let work = Workspace(self)
            defer { work.deallocate() }
            let filterGradient = du.map { part == 0 ? $0 : partials! + (part - 1) * filterCount }
            var first = images.lowerBound
            while first < images.upperBound {
                let count = Swift.min(imagesPerChunk, images.upperBound - first)
                let tiles = Tiles(self, images: count)
                if filterGradient != nil {
                    pad(x + first * inImage, images: count, into: work.padded)
                    transformInput(work.padded, tiles, into: work.input)
                }
                transformOutputGradient(dy + first * outImage, tiles, into: work.output)
                for xi in 0..<36 {
                    let dmXi = work.output + xi * tiles.lanes, vXi = work.input + xi * tiles.lanes, ld = 36 * tiles.lanes
                    if let filterGradient {
                        Scalar.gemm(
                            transposeA: false, transposeB: true, m: o, n: c, k: tiles.lanes,
                            alpha: 1, a: dmXi, lda: ld, b: vXi, ldb: ld,
                            beta: first == images.lowerBound ? 0 : 1, c: filterGradient + xi * o * c, ldc: c)
                    }
                    if dx != nil {
                        // ∂V overwrites V: V[ξ] is not read again once ∂U[ξ] has it.
                        Scalar.gemm(
                            transposeA: true, transposeB: false, m: c, n: tiles.lanes, k: o,
                            alpha: 1, a: u + xi * o * c, lda: c, b: dmXi, ldb: ld,
                            beta: 0, c: vXi, ldc: ld)
                    }
                }
                if let dx {
                    transformInputGradient(work.input, tiles, images: count, into: work.padded)
                    unpad(work.padded, images: count, into: dx + first * inImage)
                }
                first += count
            }
        }
        if let du, let partials {
            // Each element adds its parts in part order, so splitting the elements over the workers keeps the bits.
            parallelRanges(filterCount, workers: concurrentWorkers) { range in
                for part in 1..<parts {
                    Scalar.axpy(count: range.count, alpha: 1, x: partials + (part - 1) * filterCount + range.lowerBound, y: du + range.lowerBound)
                }
            }
        }
    }

    // MARK: Kernels

    /// Copies `images` images `[C, H, W]` into the padded planes `[C, paddedHeight, paddedWidth]` with the
    /// image at row/column offset (padding), zeros elsewhere.
    @inlinable
    func pad(_ x: UnsafePointer<Scalar>, images: Int, into p: UnsafeMutablePointer<Scalar>) {
        let h = g.height, w = g.width, ph = g.paddingHeight, pw = g.paddingWidth, pwid = paddedWidth
        let plane = paddedPlane
        do {
            for index in 0..<(images * g.inChannels) {
                let src = x + index * h * w, dst = p + index * plane
                dst.update(repeating: 0, count: ph * pwid)
                for row in 0..<h {
                    let line = dst + (ph + row) * pwid
                    line.update(repeating: 0, count: pw)
                    (line + pw).update(from: src + row * w, count: w)
                    (line + pw + w).update(repeating: 0, count: pwid - pw - w)
                }
                (dst + (ph + h) * pwid).update(repeating: 0, count: (paddedHeight - ph - h) * pwid)
            }
        }
    }

    /// The adjoint of ``pad(_:images:into:)``: the image part of each padded plane.
    @inlinable
    func unpad(_ p: UnsafePointer<Scalar>, images: Int, into x: UnsafeMutablePointer<Scalar>) {
        let h = g.height, w = g.width, ph = g.paddingHeight, pw = g.paddingWidth, pwid = paddedWidth
        let plane = paddedPlane
        do {
            for index in 0..<(images * g.inChannels) {
                let src = p + index * plane + ph * pwid + pw, dst = x + index * h * w
                for row in 0..<h { (dst + row * w).update(from: src + row * pwid, count: w) }
            }
        }
    }

    /// `V [C, 36, lanes]`: every 6×6 input tile of every channel, transformed.
    @inlinable
    func transformInput(_ p: UnsafePointer<Scalar>, _ tiles: Tiles, into v: UnsafeMutablePointer<Scalar>) {
        let c = g.inChannels, lanes = tiles.lanes, plane = paddedPlane, pwid = paddedWidth
        tiles.paddedBase.withUnsafeBufferPointer { base in
            if vectorKernels {
                hb_winograd_input_avx2(.float(p), c, plane, pwid, base.baseAddress!, lanes, .float(v))
                return
            }
            do { let channels = 0..<c
                withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { scratch in
                    let s = scratch.baseAddress!
                    for ic in channels {
                        let source = p + ic * plane
                        for group in stride(from: 0, to: lanes, by: 8) {
                            let p0 = source + base[group], p1 = source + base[group + 1]
                            let p2 = source + base[group + 2], p3 = source + base[group + 3]
                            let p4 = source + base[group + 4], p5 = source + base[group + 5]
                            let p6 = source + base[group + 6], p7 = source + base[group + 7]
                            for i in 0..<6 {
                                for j in 0..<6 {
                                    let k = i * pwid + j
                                    s[6 * i + j] = Lanes(p0[k], p1[k], p2[k], p3[k], p4[k], p5[k], p6[k], p7[k])
                                }
                            }
                            _Winograd<Scalar>.input2D(s)
                            let target = UnsafeMutableRawPointer(v + ic * 36 * lanes + group)
                            let xiStride = lanes * MemoryLayout<Scalar>.stride
                            for xi in 0..<36 {
                                target.storeBytes(of: s[xi], toByteOffset: xi * xiStride, as: Lanes.self)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of ``transformInput(_:_:into:)``: `∂V [C, 36, lanes]` → the padded input cotangent
    /// (overwritten; overlapping tiles add up).
    @inlinable
    func transformInputGradient(
        _ dv: UnsafePointer<Scalar>, _ tiles: Tiles, images: Int, into dp: UnsafeMutablePointer<Scalar>
    ) {
        let c = g.inChannels, lanes = tiles.lanes, plane = paddedPlane, pwid = paddedWidth
        let count = tiles.count
        tiles.paddedBase.withUnsafeBufferPointer { base in
            if vectorKernels {
                hb_winograd_input_gradient_avx2(.float(dv), c, images, plane, pwid, base.baseAddress!, lanes, count, .float(dp))
                return
            }
            do { let channels = 0..<c
                withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { scratch in
                    let s = scratch.baseAddress!
                    let xiStride = lanes * MemoryLayout<Scalar>.stride
                    for ic in channels {
                        for n in 0..<images { (dp + (n * c + ic) * plane).update(repeating: 0, count: plane) }
                        let target = dp + ic * plane
                        for group in stride(from: 0, to: lanes, by: 8) {
                            let source = UnsafeRawPointer(dv + ic * 36 * lanes + group)
                            for xi in 0..<36 { s[xi] = source.loadUnaligned(fromByteOffset: xi * xiStride, as: Lanes.self) }
                            _Winograd<Scalar>.inputAdjoint2D(s)
                            for lane in 0..<Swift.min(8, count - group) {
                                let d = target + base[group + lane]
                                for i in 0..<6 {
                                    for j in 0..<6 { d[i * pwid + j] += s[6 * i + j][lane] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `y = Aᵀ M A` (+ bias) scattered into the output `[images, O, OH, OW]`.
    @inlinable
    func transformOutput(
        _ m: UnsafePointer<Scalar>, _ tiles: Tiles, channelBias: UnsafePointer<Scalar>?, borderBias: UnsafePointer<Scalar>?,
        into y: UnsafeMutablePointer<Scalar>
    ) {
        let o = g.outChannels, lanes = tiles.lanes, ow = g.outWidth, ohw = g.outHeight * g.outWidth
        let count = tiles.count
        tiles.outputBase.withUnsafeBufferPointer { outputBase in
          tiles.pixelBase.withUnsafeBufferPointer { pixelBase in
            tiles.rows.withUnsafeBufferPointer { rows in
                tiles.cols.withUnsafeBufferPointer { cols in
                  tiles.isEdge.withUnsafeBufferPointer { isEdge in
                    if vectorKernels {
                        hb_winograd_output_avx2(
                            .float(m), o, lanes, count, outputBase.baseAddress!, pixelBase.baseAddress!, rows.baseAddress!,
                            cols.baseAddress!, isEdge.baseAddress!, ohw, ow, channelBias.map { UnsafePointer<Float>.float($0) },
                            borderBias.map { UnsafePointer<Float>.float($0) }, .float(y))
                        return
                    }
                    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { scratch in
                        let s = scratch.baseAddress!
                        let xiStride = lanes * MemoryLayout<Scalar>.stride
                        for oc in 0..<o {
                            let b = Lanes(repeating: channelBias?[oc] ?? 0)
                            for group in stride(from: 0, to: lanes, by: 8) {
                                let source = UnsafeRawPointer(m + oc * 36 * lanes + group)
                                for xi in 0..<36 {
                                    s[xi] = source.loadUnaligned(fromByteOffset: xi * xiStride, as: Lanes.self)
                                }
                                _Winograd<Scalar>.output2D(s)
                                for i in 0..<4 {
                                    for j in 0..<4 { s[6 * i + j] += b }
                                }
                                for lane in 0..<Swift.min(8, count - group) {
                                    let t = group + lane
                                    let d = y + outputBase[t] + oc * ohw
                                    let r = rows[t], k = cols[t]
                                    if let borderBias, isEdge[t] {
                                        let e = borderBias + oc * ohw + pixelBase[t]
                                        for i in 0..<r {
                                            for j in 0..<k { d[i * ow + j] = s[6 * i + j][lane] + e[i * ow + j] }
                                        }
                                    } else if r == 4 && k == 4 {
                                        for i in 0..<4 {
                                            let line = d + i * ow
                                            line[0] = s[6 * i][lane]
                                            line[1] = s[6 * i + 1][lane]
                                            line[2] = s[6 * i + 2][lane]
                                            line[3] = s[6 * i + 3][lane]
                                        }
                                    } else {
                                        for i in 0..<r {
                                            for j in 0..<k { d[i * ow + j] = s[6 * i + j][lane] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                  }
                }
            }
          }
        }
    }

    /// The adjoint of the output transform: `∂M [O, 36, lanes] = A ḡ Aᵀ` from the output cotangent
    /// `[images, O, OH, OW]` (zero outside the output and in padding lanes).
    @inlinable
    func transformOutputGradient(_ dy: UnsafePointer<Scalar>, _ tiles: Tiles, into dm: UnsafeMutablePointer<Scalar>) {
        let o = g.outChannels, lanes = tiles.lanes, ow = g.outWidth, ohw = g.outHeight * g.outWidth
        let count = tiles.count
        tiles.outputBase.withUnsafeBufferPointer { outputBase in
            tiles.rows.withUnsafeBufferPointer { rows in
                tiles.cols.withUnsafeBufferPointer { cols in
                    if vectorKernels {
                        hb_winograd_output_gradient_avx2(
                            .float(dy), o, lanes, count, outputBase.baseAddress!, rows.baseAddress!, cols.baseAddress!, ohw, ow,
                            .float(dm))
                        return
                    }
                    do { let channels = 0..<o
                        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { scratch in
                            let s = scratch.baseAddress!
                            let xiStride = lanes * MemoryLayout<Scalar>.stride
                            for oc in channels {
                                for group in stride(from: 0, to: lanes, by: 8) {
                                    for k in 0..<36 { s[k] = .zero }
                                    for lane in 0..<Swift.min(8, count - group) {
                                        let t = group + lane
                                        let src = dy + outputBase[t] + oc * ohw
                                        let r = rows[t], k = cols[t]
                                        for i in 0..<r {
                                            for j in 0..<k { s[6 * i + j][lane] = src[i * ow + j] }
                                        }
                                    }
                                    _Winograd<Scalar>.outputAdjoint2D(s)
                                    let target = UnsafeMutableRawPointer(dm + oc * 36 * lanes + group)
                                    for xi in 0..<36 {
                                        target.storeBytes(of: s[xi], toByteOffset: xi * xiStride, as: Lanes.self)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension UnsafePointer where Pointee == Float {
    /// `p` as a `Float` pointer, for the single-precision C kernels (called only when `T` is `Float`).
    @inlinable
    static func float<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> { UnsafeRawPointer(p).assumingMemoryBound(to: Float.self) }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// `p` as a `Float` pointer, for the single-precision C kernels (called only when `T` is `Float`).
    @inlinable
    static func float<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}

import Tensors

extension ModelOps {
    /// 2-D convolution, stride 1, zero padding `padding`, PyTorch layouts: `x: [B, C_in, H, W]`,
    /// `weight: [C_out, C_in, k, k]`, `bias: [C_out]`. Computed per sample as one GEMM on an im2col
    /// matrix; the pullback is two GEMMs and a col2im scatter per sample.
    @inlinable
    public static func conv2d<Scalar>(
        _ x: Variable<Scalar>, weight: Variable<Scalar>, bias: Variable<Scalar>?, padding: Int
    ) -> Variable<Scalar> {
        let xs = x.shape, ws = weight.shape
        precondition(xs.count == 4 && ws.count == 4 && xs[1] == ws[1] && ws[2] == ws[3],
                     "conv2d: input \(xs) does not fit weight \(ws) (need [B,C,H,W] and [O,C,k,k])")
        let batch = xs[0], cin = xs[1], height = xs[2], width = xs[3]
        let cout = ws[0], k = ws[2]
        let oh = height + 2 * padding - k + 1, ow = width + 2 * padding - k + 1
        precondition(oh > 0 && ow > 0, "conv2d: kernel \(k) with padding \(padding) too large for \(xs)")
        let rows = cin * k * k, spatial = oh * ow
        let w2 = weight.value.reshaped([cout, rows])
        let xv = x.value

        // cols[r, s] for r = (c, i, j), s = (y, x) in the output grid.
        func im2col(_ b: Int) -> Tensor<Scalar> {
            var cols = Tensor<Scalar>(zeros: [rows, spatial])
            xv.withUnsafeBufferPointer { src in
                cols.withUnsafeMutableBufferPointer { dst in
                    let base = b * cin * height * width
                    for c in 0..<cin { for i in 0..<k { for j in 0..<k {
                        let r = (c * k + i) * k + j
                        for oy in 0..<oh {
                            let iy = oy + i - padding
                            if iy < 0 || iy >= height { continue }
                            for ox in 0..<ow {
                                let ix = ox + j - padding
                                if ix < 0 || ix >= width { continue }
                                dst[r * spatial + oy * ow + ox] = src[base + (c * height + iy) * width + ix]
                            }
                        }
                    } } }
                }
            }
            return cols
        }

        var output = [Scalar]()
        output.reserveCapacity(batch * cout * spatial)
        var allCols = [Tensor<Scalar>]()
        allCols.reserveCapacity(batch)
        for b in 0..<batch {
            let cols = im2col(b)
            var y = w2.matmul(cols)
            if let bias {
                y.withUnsafeMutableBufferPointer { ys in
                    bias.value.withUnsafeBufferPointer { bs in
                        for o in 0..<cout { for s in 0..<spatial { ys[o * spatial + s] += bs[o] } }
                    }
                }
            }
            output.append(contentsOf: y.scalars)
            allCols.append(cols)
        }
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        let result = Tensor(shape: [batch, cout, oh, ow], scalars: output)
        return Variable.record(result, inputs: inputs) { g in
            var gx = Tensor<Scalar>(zeros: xs)
            var gw = Tensor<Scalar>(zeros: [cout, rows])
            var gb = Tensor<Scalar>(zeros: [cout])
            for b in 0..<batch {
                let gslice = Tensor(shape: [cout, spatial], scalars: Array(g.scalars[(b * cout * spatial)..<((b + 1) * cout * spatial)]))
                gw.addScaled(gslice.matmul(allCols[b], transposeOther: true), by: 1)
                let gcols = w2.matmul(gslice, transposeSelf: true)
                gcols.withUnsafeBufferPointer { src in
                    gx.withUnsafeMutableBufferPointer { dst in
                        let base = b * cin * height * width
                        for c in 0..<cin { for i in 0..<k { for j in 0..<k {
                            let r = (c * k + i) * k + j
                            for oy in 0..<oh {
                                let iy = oy + i - padding
                                if iy < 0 || iy >= height { continue }
                                for ox in 0..<ow {
                                    let ix = ox + j - padding
                                    if ix < 0 || ix >= width { continue }
                                    dst[base + (c * height + iy) * width + ix] += src[r * spatial + oy * ow + ox]
                                }
                            }
                        } } }
                    }
                }
                if bias != nil {
                    gslice.withUnsafeBufferPointer { gs in
                        gb.withUnsafeMutableBufferPointer { bs in
                            for o in 0..<cout { for s in 0..<spatial { bs[o] += gs[o * spatial + s] } }
                        }
                    }
                }
            }
            var grads = [gx, gw.reshaped(ws)]
            if bias != nil { grads.append(gb) }
            return grads
        }
    }
}

/// The transforms of Winograd's minimal filtering algorithm F(4×4, 3×3) (Lavin & Gray, "Fast Algorithms
/// for Convolutional Neural Networks", 2016), with interpolation points 0, ±1, ±2 and ∞.
///
/// One 6×6 input tile `d` and a 3×3 filter `g` give the 4×4 output tile
/// `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A`, 36 multiplications instead of the direct algorithm's 144. Summed
/// over input channels, the 36 elementwise products become 36 independent matrix products (one per
/// transform-domain point ξ), which is what makes the algorithm fast: ``WinogradConvolution`` runs them
/// as SGEMMs. The backward passes use the exact adjoints of these linear maps (`Gᵀ · G`, `B · Bᵀ`,
/// `A · Aᵀ`), so the gradients are those of the computed forward, not of a different rounding of it.
///
/// Every transform works on `SIMD8` vectors whose lanes are eight independent tiles, so each is a fixed
/// sequence of vector adds and scales; the 2-D transforms apply the 1-D ones to the columns, then the rows,
/// of a 6×6 (or 4×4, 3×3) block stored row-major in `s`.
@usableFromInline
enum _Winograd<Scalar: TensorScalar> {
    @usableFromInline typealias Lanes = SIMD8<Scalar>

    /// `Bᵀ d` for one column or row: 6 → 6.
    @inlinable @inline(__always)
    static func input1D(_ s: UnsafeMutablePointer<Lanes>, _ stride: Int) {
        let d0 = s[0], d1 = s[stride], d2 = s[2 * stride], d3 = s[3 * stride], d4 = s[4 * stride], d5 = s[5 * stride]
        let t1 = d4 - 4 * d2, t2 = d3 - 4 * d1
        let t3 = d4 - d2, t4 = 2 * (d3 - d1)
        s[0] = 4 * d0 - 5 * d2 + d4
        s[stride] = t1 + t2
        s[2 * stride] = t1 - t2
        s[3 * stride] = t3 + t4
        s[4 * stride] = t3 - t4
        s[5 * stride] = 4 * d1 - 5 * d3 + d5
    }

    /// `B v`, the adjoint of ``input1D(_:_:)``: 6 → 6.
    @inlinable @inline(__always)
    static func inputAdjoint1D(_ s: UnsafeMutablePointer<Lanes>, _ stride: Int) {
        let v0 = s[0], v1 = s[stride], v2 = s[2 * stride], v3 = s[3 * stride], v4 = s[4 * stride], v5 = s[5 * stride]
        let a = v1 - v2, b = v1 + v2, c = v3 - v4, e = v3 + v4
        s[0] = 4 * v0
        s[stride] = -4 * a - 2 * c + 4 * v5
        s[2 * stride] = -5 * v0 - 4 * b - e
        s[3 * stride] = a + 2 * c - 5 * v5
        s[4 * stride] = v0 + b + e
        s[5 * stride] = v5
    }

    /// `Aᵀ m` for one column or row: 6 → 4 (written to the first four slots).
    @inlinable @inline(__always)
    static func output1D(_ s: UnsafeMutablePointer<Lanes>, _ stride: Int) {
        let m0 = s[0], m1 = s[stride], m2 = s[2 * stride], m3 = s[3 * stride], m4 = s[4 * stride], m5 = s[5 * stride]
        let s1 = m1 + m2, s2 = m1 - m2, s3 = m3 + m4, s4 = m3 - m4
        s[0] = m0 + s1 + s3
        s[stride] = s2 + 2 * s4
        s[2 * stride] = s1 + 4 * s3
        s[3 * stride] = s2 + 8 * s4 + m5
    }

    /// `A y`, the adjoint of ``output1D(_:_:)``: 4 → 6 (reads the first four slots, writes six).
    @inlinable @inline(__always)
    static func outputAdjoint1D(_ s: UnsafeMutablePointer<Lanes>, _ stride: Int) {
        let y0 = s[0], y1 = s[stride], y2 = s[2 * stride], y3 = s[3 * stride]
        let even = y0 + y2, odd = y1 + y3, even4 = y0 + 4 * y2, odd8 = 2 * y1 + 8 * y3
        s[0] = y0
        s[stride] = even + odd
        s[2 * stride] = even - odd
        s[3 * stride] = even4 + odd8
        s[4 * stride] = even4 - odd8
        s[5 * stride] = y3
    }

    /// `V = Bᵀ d B` in place on a row-major 6×6 block.
    @inlinable @inline(__always)
    static func input2D(_ s: UnsafeMutablePointer<Lanes>) {
        for j in 0..<6 { input1D(s + j, 6) }
        for i in 0..<6 { input1D(s + 6 * i, 1) }
    }

    /// `B v Bᵀ` in place on a row-major 6×6 block (the adjoint of ``input2D(_:)``).
    @inlinable @inline(__always)
    static func inputAdjoint2D(_ s: UnsafeMutablePointer<Lanes>) {
        for i in 0..<6 { inputAdjoint1D(s + 6 * i, 1) }
        for j in 0..<6 { inputAdjoint1D(s + j, 6) }
    }

    /// `Y = Aᵀ M A` in place: a row-major 6×6 block becomes a 4×4 block in rows 0…3, columns 0…3
    /// (row stride still 6).
    @inlinable @inline(__always)
    static func output2D(_ s: UnsafeMutablePointer<Lanes>) {
        for j in 0..<6 { output1D(s + j, 6) }
        for i in 0..<4 { output1D(s + 6 * i, 1) }
    }

    /// `A y Aᵀ` in place (the adjoint of ``output2D(_:)``): a 4×4 block in rows 0…3, columns 0…3 of a
    /// row-major 6×6 block becomes the full 6×6 block.
    @inlinable @inline(__always)
    static func outputAdjoint2D(_ s: UnsafeMutablePointer<Lanes>) {
        for i in 0..<4 { outputAdjoint1D(s + 6 * i, 1) }
        for j in 0..<6 { outputAdjoint1D(s + j, 6) }
    }

    /// `G v` for one column or row of a filter: 3 → 6.
    @inlinable @inline(__always)
    static func filter1D(_ a: Scalar, _ b: Scalar, _ c: Scalar) -> (Scalar, Scalar, Scalar, Scalar, Scalar, Scalar) {
        (a / 4, -(a + b + c) / 6, -(a - b + c) / 6, a / 24 + b / 12 + c / 6, a / 24 - b / 12 + c / 6, c)
    }

    /// `Gᵀ v`, the adjoint of ``filter1D(_:_:_:)``: 6 → 3.
    @inlinable @inline(__always)
    static func filterAdjoint1D(
        _ v0: Scalar, _ v1: Scalar, _ v2: Scalar, _ v3: Scalar, _ v4: Scalar, _ v5: Scalar
    ) -> (Scalar, Scalar, Scalar) {
        let plus12 = v1 + v2, plus34 = v3 + v4
        return (v0 / 4 - plus12 / 6 + plus34 / 24, (v2 - v1) / 6 + (v3 - v4) / 12, -plus12 / 6 + plus34 / 6 + v5)
    }

    /// `U = G g Gᵀ` for one 3×3 filter `g` (row-major, contiguous) into 36 values spaced `stride` apart.
    /// Scalar code: filters are transformed once per call, not per tile.
    @inlinable
    static func filter(_ g: UnsafePointer<Scalar>, into u: UnsafeMutablePointer<Scalar>, stride: Int) {
        // Columns of G g, then each row of (G g) times Gᵀ.
        let c0 = filter1D(g[0], g[3], g[6]), c1 = filter1D(g[1], g[4], g[7]), c2 = filter1D(g[2], g[5], g[8])
        @inline(__always) func row(_ i: Int, _ a: Scalar, _ b: Scalar, _ c: Scalar) {
            let r = filter1D(a, b, c), base = 6 * i
            u[base * stride] = r.0
            u[(base + 1) * stride] = r.1
            u[(base + 2) * stride] = r.2
            u[(base + 3) * stride] = r.3
            u[(base + 4) * stride] = r.4
            u[(base + 5) * stride] = r.5
        }
        row(0, c0.0, c1.0, c2.0)
        row(1, c0.1, c1.1, c2.1)
        row(2, c0.2, c1.2, c2.2)
        row(3, c0.3, c1.3, c2.3)
        row(4, c0.4, c1.4, c2.4)
        row(5, c0.5, c1.5, c2.5)
    }

    /// `g += Gᵀ U G` (the adjoint of ``filter(_:into:stride:)``): 36 values spaced `stride` apart → a
    /// row-major 3×3 filter.
    @inlinable
    static func filterAdjointAdd(_ u: UnsafePointer<Scalar>, stride: Int, into g: UnsafeMutablePointer<Scalar>) {
        // Each row of U times G, then Gᵀ times each column of the 6×3 result.
        @inline(__always) func row(_ i: Int) -> (Scalar, Scalar, Scalar) {
            let base = 6 * i
            return filterAdjoint1D(
                u[base * stride], u[(base + 1) * stride], u[(base + 2) * stride],
                u[(base + 3) * stride], u[(base + 4) * stride], u[(base + 5) * stride])
        }
        let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3), r4 = row(4), r5 = row(5)
        let k0 = filterAdjoint1D(r0.0, r1.0, r2.0, r3.0, r4.0, r5.0)
        let k1 = filterAdjoint1D(r0.1, r1.1, r2.1, r3.1, r4.1, r5.1)
        let k2 = filterAdjoint1D(r0.2, r1.2, r2.2, r3.2, r4.2, r5.2)
        g[0] += k0.0; g[3] += k0.1; g[6] += k0.2
        g[1] += k1.0; g[4] += k1.1; g[7] += k1.2
        g[2] += k2.0; g[5] += k2.1; g[8] += k2.2
    }
}

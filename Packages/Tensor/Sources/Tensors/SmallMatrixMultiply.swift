import CSmallMatrixKernels

/// Matrix products too small for BLAS: register-blocked SIMD loops in Swift.
///
/// OpenBLAS spends about a microsecond per call on dispatch, packing and thread checks, which is more
/// than the arithmetic of a 50×20×20 product. The dense vector fields of the small models run several such
/// products per evaluation, so they call these loops instead and keep BLAS for large shapes
/// (``prefersSmallKernel(m:n:k:)`` says which).
///
/// Single-precision padded products run on AVX2 + FMA kernels (C, compiled for that target alone) when
/// the CPU has them; everything else runs on the portable SIMD loops below, which the baseline x86-64
/// build turns into SSE code.
public enum SmallMatrixMultiply {
    /// True when the CPU runs the AVX2 + FMA single-precision kernels.
    public static let hasAVX2: Bool = hb_small_kernels_have_avx2()

    /// Columns per SIMD register block.
    public static let blockWidth = 8

    /// `n` rounded up to a multiple of ``blockWidth``: the row length a padded operand needs so that every
    /// column block is a full vector.
    @inlinable
    public static func paddedCount(_ n: Int) -> Int { (n + blockWidth - 1) / blockWidth * blockWidth }

    /// True when these loops beat a BLAS call for `C[m, n] = A[m, k]·B[k, n]`: the vector width of the
    /// product stays within a few register blocks, where BLAS's per-call cost dominates and its packing buys
    /// nothing (measured with `tensor-bench`, section "small GEMM").
    @inlinable
    public static func prefersSmallKernel(m: Int, n: Int, k: Int) -> Bool {
        n <= 64 && k <= 64 || m * n * k <= 64 * 64 * 64
    }

    /// `C ← (accumulate ? C : 0) + A·B` with `A[i, p] = a[i·aRowStride + p·aColumnStride]` (so a transposed
    /// operand is a stride swap, not a copy), `B[p, j] = b[p·ldb + j]` and `C[i, j] = c[i·ldc + j]`.
    ///
    /// Columns go in blocks of ``blockWidth`` vectors, rows in blocks of four, with the `k × 8` panel of `B`
    /// reused from L1 across every row block. With `padded` true the last partial column block is computed
    /// as a full one, so `B`'s and `C`'s rows must then hold ``paddedCount(_:)`` readable and writable
    /// elements (the extra columns of `C` receive products of `B`'s padding); otherwise the remaining
    /// columns are computed one by one.
    @inlinable
    public static func multiply<Scalar: TensorScalar>(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Scalar>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Scalar>, ldb: Int,
        c: UnsafeMutablePointer<Scalar>, ldc: Int,
        accumulate: Bool, padded: Bool = false
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "SmallMatrixMultiply: negative shape m \(m), n \(n), k \(k)")
        let vectorColumns = padded ? paddedCount(n) : n / blockWidth * blockWidth
        precondition(ldb >= vectorColumns && ldc >= vectorColumns, "SmallMatrixMultiply: ldb \(ldb), ldc \(ldc) below \(vectorColumns) columns")
        if Scalar.self == Float.self && padded && hasAVX2 {
            hb_small_sgemm_avx2(
                m, n, k, UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), aRowStride, aColumnStride,
                UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), ldb,
                UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc, accumulate)
            return
        }
        var j = 0
        while j < vectorColumns {
            var i = 0
            while i + 4 <= m {
                block4(k: k, a: a + i * aRowStride, aRowStride: aRowStride, aColumnStride: aColumnStride,
                       b: b + j, ldb: ldb, c: c + i * ldc + j, ldc: ldc, accumulate: accumulate)
                i += 4
            }
            while i < m {
                block1(k: k, a: a + i * aRowStride, aColumnStride: aColumnStride, b: b + j, ldb: ldb,
                       c: c + i * ldc + j, accumulate: accumulate)
                i += 1
            }
            j += blockWidth
        }
        guard j < n else { return }
        for i in 0..<m {
            let row = a + i * aRowStride
            for column in j..<n {
                var sum: Scalar = accumulate ? c[i * ldc + column] : 0
                for p in 0..<k { sum += row[p * aColumnStride] * b[p * ldb + column] }
                c[i * ldc + column] = sum
            }
        }
    }

    @inlinable @inline(__always)
    static func load<Scalar: TensorScalar>(_ p: UnsafePointer<Scalar>) -> SIMD8<Scalar> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Scalar>.self)
    }

    @inlinable @inline(__always)
    static func store<Scalar: TensorScalar>(_ v: SIMD8<Scalar>, _ p: UnsafeMutablePointer<Scalar>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Scalar>.self)
    }

    /// Four rows by one column block: four vector accumulators, one `B` load and four broadcasts per `p`.
    @inlinable @inline(__always)
    static func block4<Scalar: TensorScalar>(
        k: Int, a: UnsafePointer<Scalar>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Scalar>, ldb: Int, c: UnsafeMutablePointer<Scalar>, ldc: Int, accumulate: Bool
    ) {
        var c0 = SIMD8<Scalar>(), c1 = SIMD8<Scalar>(), c2 = SIMD8<Scalar>(), c3 = SIMD8<Scalar>()
        if accumulate {
            c0 = load(c)
            c1 = load(c + ldc)
            c2 = load(c + 2 * ldc)
            c3 = load(c + 3 * ldc)
        }
        // Running pointers: no index multiplication (and its overflow check) inside the loop.
        var pa = a, pb = b
        let a1 = aRowStride, a2 = 2 * aRowStride, a3 = 3 * aRowStride
        for _ in 0..<k {
            let row = load(pb)
            c0 += SIMD8(repeating: pa[0]) * row
            c1 += SIMD8(repeating: pa[a1]) * row
            c2 += SIMD8(repeating: pa[a2]) * row
            c3 += SIMD8(repeating: pa[a3]) * row
            pa += aColumnStride
            pb += ldb
        }
        store(c0, c)
        store(c1, c + ldc)
        store(c2, c + 2 * ldc)
        store(c3, c + 3 * ldc)
    }

    /// One row by one column block (the rows left over from the blocks of four).
    @inlinable @inline(__always)
    static func block1<Scalar: TensorScalar>(
        k: Int, a: UnsafePointer<Scalar>, aColumnStride: Int, b: UnsafePointer<Scalar>, ldb: Int,
        c: UnsafeMutablePointer<Scalar>, accumulate: Bool
    ) {
        var c0 = accumulate ? load(c) : SIMD8<Scalar>()
        var pa = a, pb = b
        for _ in 0..<k {
            c0 += SIMD8(repeating: pa[0]) * load(pb)
            pa += aColumnStride
            pb += ldb
        }
        store(c0, c)
    }
}

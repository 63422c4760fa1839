/// Matrix products through `cblas_?gemm`.
extension Tensor {
    /// The matrix product of two rank-2 tensors, optionally transposing either operand
    /// (`op(self)·op(other)`), computed by one GEMM call with no transposed copy.
    @inlinable
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        _require(rank == 2 && other.rank == 2, "matmul needs rank-2 operands, got \(shape) and \(other.shape)")
        let m = transposeSelf ? shape[1] : shape[0]
        let k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0]
        let n = transposeOther ? other.shape[0] : other.shape[1]
        _require(
            k == k2,
            "matmul: inner dimensions differ: \(shape)\(transposeSelf ? "ᵀ" : "") · \(other.shape)\(transposeOther ? "ᵀ" : "")")
        if m == 0 || n == 0 || k == 0 { return Tensor(zeros: [m, n]) }
        // GEMM with beta = 0 writes every element of C without reading it (BLAS semantics; OpenBLAS
        // stores zeros first), so the result need not be zeroed here as well.
        let result = Tensor(_shape: [m, n]) { c, _ in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    Scalar.gemm(
                        transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                        alpha: 1, a: a.baseAddress!, lda: shape[1], b: b.baseAddress!, ldb: other.shape[1],
                        beta: 0, c: c, ldc: n)
                }
            }
        }
        return result
    }
}

/// Differentiable matrix product.
extension Variable {
    /// `self · other` for rank-2 operands; pullback `(ḡ·otherᵀ, selfᵀ·ḡ)`, each one GEMM.
    @inlinable
    public func matmul(_ other: Variable) -> Variable {
        let a = value, b = other.value
        return Variable.record(a.matmul(b), inputs: [self, other]) { g in
            [g.matmul(b, transposeOther: true), a.matmul(g, transposeSelf: true)]
        }
    }
}

import Tensors

/// Calls `body` with the element buffers of all `tensors`, nesting one `withUnsafeBufferPointer` per
/// tensor so every pointer stays valid for the whole call.
@inlinable
func withTermPointers<Scalar: TensorScalar, R>(
    _ tensors: [Tensor<Scalar>], _ body: ([UnsafeBufferPointer<Scalar>]) throws -> R
) rethrows -> R {
    var collected: [UnsafeBufferPointer<Scalar>] = []
    collected.reserveCapacity(tensors.count)
    return try collectPointers(tensors, from: 0, into: &collected, body)
}

@inlinable
func collectPointers<Scalar: TensorScalar, R>(
    _ tensors: [Tensor<Scalar>], from index: Int, into collected: inout [UnsafeBufferPointer<Scalar>],
    _ body: ([UnsafeBufferPointer<Scalar>]) throws -> R
) rethrows -> R {
    if index == tensors.count { return try body(collected) }
    return try tensors[index].withUnsafeBufferPointer { pointer in
        collected.append(pointer)
        return try collectPointers(tensors, from: index + 1, into: &collected, body)
    }
}

/// `output ← baseCoefficient·base + Σ coefficients[j]·terms[j]`, in blocks small enough to stay in L1
/// so that each element of `output` is written to memory once however many terms there are.
@inlinable
func linearCombinationKernel<Scalar: TensorScalar>(
    output: UnsafeMutableBufferPointer<Scalar>, baseCoefficient: Scalar, base: UnsafeBufferPointer<Scalar>,
    coefficients: [Scalar], terms: [UnsafeBufferPointer<Scalar>]
) {
    let n = output.count
    guard n > 0, let out = output.baseAddress else { return }
    let blockSize = 512
    var start = 0
    while start < n {
        let end = min(start + blockSize, n)
        if baseCoefficient == 0 {
            for i in start..<end { out[i] = 0 }
        } else if baseCoefficient == 1 {
            let b = base.baseAddress!
            for i in start..<end { out[i] = b[i] }
        } else {
            let b = base.baseAddress!
            for i in start..<end { out[i] = baseCoefficient * b[i] }
        }
        for j in coefficients.indices {
            let alpha = coefficients[j]
            if alpha == 0 { continue }
            let term = terms[j].baseAddress!
            for i in start..<end { out[i] += alpha * term[i] }
        }
        start = end
    }
}

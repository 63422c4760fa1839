import Tensors

/// Calls `body` with the base addresses of the first `count` tensors, nesting one
/// `withUnsafeBufferPointer` per tensor so every pointer stays valid for the whole call. The pointer list
/// lives in stack-allocated scratch: this runs once per stage, so it must not touch the heap.
@inlinable
func withTermPointers<Scalar: TensorScalar, R>(
    _ tensors: [Tensor<Scalar>], count: Int, _ body: (UnsafeBufferPointer<UnsafePointer<Scalar>>) throws -> R
) rethrows -> R {
    try withUnsafeTemporaryAllocation(of: UnsafePointer<Scalar>.self, capacity: Swift.max(count, 1)) { scratch in
        try collectPointers(tensors, from: 0, count: count, into: scratch, body)
    }
}

@inlinable
func collectPointers<Scalar: TensorScalar, R>(
    _ tensors: [Tensor<Scalar>], from index: Int, count: Int, into scratch: UnsafeMutableBufferPointer<UnsafePointer<Scalar>>,
    _ body: (UnsafeBufferPointer<UnsafePointer<Scalar>>) throws -> R
) rethrows -> R {
    if index == count { return try body(UnsafeBufferPointer(rebasing: scratch[0..<count])) }
    return try tensors[index].withUnsafeBufferPointer { pointer in
        // An empty tensor may have no base address; the kernel never reads it then.
        scratch[index] = UnsafePointer(pointer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Scalar>.alignment)!)
        return try collectPointers(tensors, from: index + 1, count: count, into: scratch, body)
    }
}

/// `output ← baseCoefficient·base + Σ coefficients[j]·terms[j]`, in blocks small enough to stay in L1
/// so that each element of `output` is written to memory once however many terms there are.
@inlinable
func linearCombinationKernel<Scalar: TensorScalar>(
    output: UnsafeMutableBufferPointer<Scalar>, baseCoefficient: Scalar, base: UnsafeBufferPointer<Scalar>,
    coefficients: [Scalar], terms: UnsafeBufferPointer<UnsafePointer<Scalar>>
) {
    let n = output.count
    guard n > 0, let out = output.baseAddress else { return }
    // Float on AVX2: the same per-element rounding in one pass, no store of `out` per term.
    if BufferKernels.hasVectorLinearCombination(Scalar.self) {
        return BufferKernels.linearCombination(
            into: out, count: n, baseCoefficient: baseCoefficient, base: base.baseAddress, coefficients: coefficients,
            terms: terms)
    }
    let blockSize = 1024
    var start = 0
    while start < n {
        let end = Swift.min(start + blockSize, n)
        if baseCoefficient == 0 {
            for i in start..<end { out[i] = 0 }
        } else if baseCoefficient == 1 {
            let b = base.baseAddress!
            for i in start..<end { out[i] = b[i] }
        } else {
            let b = base.baseAddress!
            for i in start..<end { out[i] = baseCoefficient * b[i] }
        }
        for j in 0..<coefficients.count {
            let alpha = coefficients[j]
            if alpha == 0 { continue }
            let term = terms[j]
            for i in start..<end { out[i] += alpha * term[i] }
        }
        start = end
    }
}

import CSmallMatrixKernels

/// Row copies and linear combinations over small contiguous buffers: the memory passes of the solvers'
/// stage combinations and the compiled vector fields.
///
/// For buffers of a few hundred elements the cost is per call and per row, not per byte: a `memmove` per
/// row of two to twenty floats, or a load and a store of the output per combination term. `Float` runs on
/// AVX2 loops (behind ``SmallMatrixMultiply/hasAVX2``, masked tails); everything else on the portable loops
/// here, which round identically (no fused multiply-adds in either), so results never depend on the CPU.
public enum BufferKernels {
    /// `destination[r·destinationStride + j] = source[r·sourceStride + j]` for `r < rows`, `j < width`;
    /// `sourceStride` 0 repeats one row. Touches no other element.
    @inlinable
    public static func copyRows<Scalar: TensorScalar>(
        from source: UnsafePointer<Scalar>, sourceStride: Int, to destination: UnsafeMutablePointer<Scalar>,
        destinationStride: Int, rows: Int, width: Int
    ) {
        if Scalar.self == Float.self && SmallMatrixMultiply.hasAVX2 {
            return hb_copy_rows_avx2(
                UnsafeMutableRawPointer(destination).assumingMemoryBound(to: Float.self), destinationStride,
                UnsafeRawPointer(source).assumingMemoryBound(to: Float.self), sourceStride, rows, width)
        }
        for r in 0..<rows { (destination + r * destinationStride).update(from: source + r * sourceStride, count: width) }
    }

    /// True when ``linearCombination(into:count:baseCoefficient:base:coefficients:terms:)`` runs the AVX2
    /// loop for `Scalar`; otherwise callers run their own portable loop.
    @inlinable
    public static func hasVectorLinearCombination<Scalar: TensorScalar>(_: Scalar.Type) -> Bool {
        Scalar.self == Float.self && SmallMatrixMultiply.hasAVX2
    }

    /// `output[i] = ((c·base[i] + a₀·t₀[i]) + a₁·t₁[i]) + …` for `i < count`, in that order, with
    /// `c·base[i]` taken as `0` for `c = 0` (then `base` may be nil) and `base[i]` for `c = 1`, and zero
    /// coefficients skipped: the
    /// rounding of one `output[i] += aⱼ·tⱼ[i]` pass per term, in one pass. `Float` with AVX2 only
    /// (``hasVectorLinearCombination(_:)``).
    @inlinable
    public static func linearCombination<Scalar: TensorScalar>(
        into output: UnsafeMutablePointer<Scalar>, count: Int, baseCoefficient: Scalar, base: UnsafePointer<Scalar>?,
        coefficients: [Scalar], terms: UnsafeBufferPointer<UnsafePointer<Scalar>>
    ) {
        precondition(hasVectorLinearCombination(Scalar.self), "BufferKernels.linearCombination: Float with AVX2 only")
        precondition(terms.count >= coefficients.count, "BufferKernels.linearCombination: \(coefficients.count) coefficients, \(terms.count) terms")
        coefficients.withUnsafeBufferPointer { c in
            hb_linear_combination_avx2(
                UnsafeMutableRawPointer(output).assumingMemoryBound(to: Float.self), count,
                unsafeBitCast(baseCoefficient, to: Float.self), base.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) },
                c.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) },
                terms.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<Float>?.self) }, coefficients.count)
        }
    }
}

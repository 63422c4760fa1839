/// Whole-tensor linear algebra used by solvers and optimisers: BLAS level-1 in place, no allocation.
extension Tensor {
    /// `self ← self + alpha·other` (BLAS axpy). Shapes must match exactly.
    @inlinable
    public mutating func addScaled(_ other: Tensor, by alpha: Scalar) {
        _require(shape == other.shape, "addScaled: shape \(shape) does not match \(other.shape)")
        let n = count
        other.scalars.withUnsafeBufferPointer { x in
            _scalars.withUnsafeMutableBufferPointer { y in
                Scalar.axpy(count: n, alpha: alpha, x: x.baseAddress!, y: y.baseAddress!)
            }
        }
    }

    /// `self ← alpha·self` (BLAS scal).
    @inlinable
    public mutating func scale(by alpha: Scalar) {
        let n = count
        _scalars.withUnsafeMutableBufferPointer { x in
            Scalar.scal(count: n, alpha: alpha, x: x.baseAddress!)
        }
    }

    /// Sets every element to zero, keeping the shape and the buffer.
    @inlinable
    public mutating func setZero() {
        _scalars.withUnsafeMutableBufferPointer { buffer in
            buffer.initialize(repeating: 0)
        }
    }

    /// Overwrites the elements with those of `other` without reallocating (shapes must match).
    @inlinable
    public mutating func assign(_ other: Tensor) {
        _require(shape == other.shape, "assign: shape \(shape) does not match \(other.shape)")
        other.scalars.withUnsafeBufferPointer { source in
            _scalars.withUnsafeMutableBufferPointer { target in
                _ = target.initialize(from: source)
            }
        }
    }

    /// `Σ selfᵢ·otherᵢ` over all elements (BLAS dot).
    @inlinable
    public func dot(_ other: Tensor) -> Scalar {
        _require(shape == other.shape, "dot: shape \(shape) does not match \(other.shape)")
        return scalars.withUnsafeBufferPointer { x in
            other.scalars.withUnsafeBufferPointer { y in
                Scalar.dot(count: count, x: x.baseAddress!, y: y.baseAddress!)
            }
        }
    }

    /// Sum of squares of all elements.
    @inlinable
    public var squaredNorm: Scalar { dot(self) }

    /// True when every element is finite (no NaN, no infinity).
    @inlinable
    public var isFinite: Bool {
        scalars.withUnsafeBufferPointer { buffer in
            var finite = true
            for value in buffer where !value.isFinite { finite = false; break }
            return finite
        }
    }
}

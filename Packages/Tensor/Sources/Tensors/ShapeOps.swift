import RealModule

/// Slicing, concatenation, stacking, transposition and axis permutation. All results are contiguous
/// copies made with block copies (one `memcpy`-like run per outer index).
extension Tensor {
    /// The elements with index in `range` along `axis` (other axes whole).
    @inlinable
    public func slice(axis: Int, range: Range<Int>) -> Tensor {
        let axis = _normalizedAxis(axis, "slice(axis:range:)")
        _require(
            range.lowerBound >= 0 && range.upperBound <= shape[axis],
            "slice(axis:range:): range \(range) out of bounds for axis \(axis) of shape \(shape)")
        if range.count == shape[axis] { return self }
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape[axis] = range.count
        let run = range.count * inner
        let stride = shape[axis] * inner
        let start = range.lowerBound * inner
        return Tensor(_shape: outShape) { out, _ in
            scalars.withUnsafeBufferPointer { x in
                let px = x.baseAddress!
                for o in 0..<outer {
                    (out + o * run).update(from: px + o * stride + start, count: run)
                }
            }
        }
    }

    /// The elements with index `range` along `axis`: `x.slice(axis: 1, range: 0..<3)`.
    @inlinable
    public func slice(axis: Int, range: ClosedRange<Int>) -> Tensor {
        slice(axis: axis, range: range.lowerBound..<(range.upperBound + 1))
    }

    /// Writes `source` into the positions `offset..<offset+source.shape[axis]` along `axis`.
    @inlinable
    public mutating func updateSlice(axis: Int, offset: Int, with source: Tensor) {
        let axis = _normalizedAxis(axis, "updateSlice(axis:offset:with:)")
        var expected = shape
        expected[axis] = source.rank == rank ? source.shape[axis] : -1
        _require(
            source.rank == rank && source.shape == expected && offset >= 0
                && offset + source.shape[axis] <= shape[axis],
            "updateSlice: source shape \(source.shape) does not fit shape \(shape) at offset \(offset) on axis \(axis)")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let run = source.shape[axis] * inner
        let stride = shape[axis] * inner
        let start = offset * inner
        source.scalars.withUnsafeBufferPointer { s in
            _scalars.withUnsafeMutableBufferPointer { d in
                guard run > 0 else { return }
                for o in 0..<outer {
                    (d.baseAddress! + o * stride + start).update(from: s.baseAddress! + o * run, count: run)
                }
            }
        }
    }

    /// Joins tensors along an existing `axis`; all other extents must agree.
    @inlinable
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        _require(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let axis = first._normalizedAxis(axis, "concatenate")
        var outShape = first.shape
        outShape[axis] = 0
        for t in tensors {
            var a = t.shape, b = first.shape
            _require(a.count == b.count, "concatenate: shapes \(first.shape) and \(t.shape) differ in rank")
            a[axis] = 0
            b[axis] = 0
            _require(a == b, "concatenate along axis \(axis): shapes \(first.shape) and \(t.shape) differ off the axis")
            outShape[axis] += t.shape[axis]
        }
        if tensors.count == 1 { return first }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let outRun = outShape[axis] * inner
        return Tensor(_shape: outShape) { out, _ in
            var offset = 0
            for t in tensors {
                let run = t.shape[axis] * inner
                t.scalars.withUnsafeBufferPointer { s in
                    if run > 0 {
                        for o in 0..<outer {
                            (out + o * outRun + offset).initialize(from: s.baseAddress! + o * run, count: run)
                        }
                    }
                }
                offset += run
            }
        }
    }

    /// Stacks same-shaped tensors along a new `axis` (0...rank).
    @inlinable
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        _require(!tensors.isEmpty, "stack: no tensors")
        let shape = tensors[0].shape
        let axis = axis < 0 ? axis + shape.count + 1 : axis
        _require(axis >= 0 && axis <= shape.count, "stack: axis out of range for shape \(shape)")
        var expanded = shape
        expanded.insert(1, at: axis)
        let parts = tensors.map { t -> Tensor in
            _require(t.shape == shape, "stack: shapes \(shape) and \(t.shape) differ")
            return t.reshaped(expanded)
        }
        return concatenate(parts, axis: axis)
    }

    /// The transpose of a rank-2 tensor (blocked copy).
    @inlinable
    public func transposed() -> Tensor {
        _require(rank == 2, "transposed() needs a rank-2 tensor, shape is \(shape)")
        let rows = shape[0], cols = shape[1]
        return Tensor(_shape: [cols, rows]) { out, _ in
            scalars.withUnsafeBufferPointer { x in
                let block = 32
                var i0 = 0
                while i0 < rows {
                    let i1 = Swift.min(i0 + block, rows)
                    var j0 = 0
                    while j0 < cols {
                        let j1 = Swift.min(j0 + block, cols)
                        for i in i0..<i1 {
                            for j in j0..<j1 { out[j * rows + i] = x[i * cols + j] }
                        }
                        j0 = j1
                    }
                    i0 = i1
                }
            }
        }
    }

    /// Axes reordered: result axis `k` is input axis `permutation[k]` (like `torch.permute`).
    @inlinable
    public func permuted(_ permutation: [Int]) -> Tensor {
        _require(
            permutation.count == rank && Set(permutation) == Set(0..<rank),
            "permuted: \(permutation) is not a permutation of the axes of shape \(shape)")
        if permutation == Array(0..<rank) { return self }
        if rank == 2 { return transposed() }
        let inStrides = strides
        let outShape = permutation.map { shape[$0] }
        let srcStrides = permutation.map { inStrides[$0] }
        let r = rank
        return Tensor(_shape: outShape) { out, n in
            scalars.withUnsafeBufferPointer { x in
                let inner = outShape[r - 1], innerStride = srcStrides[r - 1]
                var index = [Int](repeating: 0, count: r)
                var offset = 0
                var o = 0
                while o < n {
                    for i in 0..<inner { out[o + i] = x[offset + i * innerStride] }
                    o += inner
                    var axis = r - 2
                    while axis >= 0 {
                        index[axis] += 1
                        offset += srcStrides[axis]
                        if index[axis] < outShape[axis] { break }
                        offset -= srcStrides[axis] * outShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }

    /// The inverse of a permutation (for `permuted`'s pullback).
    @inlinable
    static func _inversePermutation(_ permutation: [Int]) -> [Int] {
        var inverse = [Int](repeating: 0, count: permutation.count)
        for (k, p) in permutation.enumerated() { inverse[p] = k }
        return inverse
    }
}

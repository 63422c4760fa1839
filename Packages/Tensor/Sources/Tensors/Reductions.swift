import RealModule

/// Sums, means and maxima over all elements or along axes. Axes may be negative (counted from the end).
extension Tensor {
    /// `axis` made non-negative and checked against the rank.
    @inlinable
    func _normalizedAxis(_ axis: Int, rank r: Int? = nil, _ name: StaticString) -> Int {
        let r = r ?? rank
        let a = axis < 0 ? axis + r : axis
        _require(a >= 0 && a < r, "\(name): axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// Normalised, sorted, duplicate-free axes.
    @inlinable
    func _normalizedAxes(_ axes: [Int], _ name: StaticString) -> [Int] {
        let normalized = axes.map { _normalizedAxis($0, name) }
        let sorted = Array(Set(normalized)).sorted()
        _require(sorted.count == normalized.count, "\(name): repeated axis in \(axes) for shape \(shape)")
        return sorted
    }

    /// The shape after reducing `axes` (sorted), with them kept as 1 or dropped.
    @inlinable
    func _reducedShape(_ axes: [Int], keepDims: Bool) -> [Int] {
        var result: [Int] = []
        for axis in 0..<rank {
            if axes.contains(axis) {
                if keepDims { result.append(1) }
            } else {
                result.append(shape[axis])
            }
        }
        return result
    }

    // MARK: Over all elements

    /// Sum of all elements.
    @inlinable
    public func sum() -> Scalar {
        scalars.withUnsafeBufferPointer { p in p.isEmpty ? 0 : _contiguousSum(p.baseAddress!, p.count) }
    }

    /// Mean of all elements.
    @inlinable
    public func mean() -> Scalar {
        _require(count > 0, "mean of an empty tensor of shape \(shape)")
        return sum() / Scalar(count)
    }

    /// Largest element (NaN if any element is NaN).
    @inlinable
    public func max() -> Scalar {
        _require(count > 0, "max of an empty tensor of shape \(shape)")
        return scalars.withUnsafeBufferPointer { p in
            var m = p[0]
            for v in p where v > m || v.isNaN { m = v; if v.isNaN { break } }
            return m
        }
    }

    /// Smallest element.
    @inlinable
    public func min() -> Scalar { -(-self).max() }

    // MARK: Along axes

    /// Sum along `axes`; reduced axes are kept with extent 1 when `keepDims` is true.
    @inlinable
    public func sum(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let axes = _normalizedAxes(axes, "sum(alongAxes:)")
        let kept = _reducedShape(axes, keepDims: true)
        var result = sum(toShape: kept)
        if !keepDims { result._shape = _reducedShape(axes, keepDims: false) }
        return result
    }

    /// Sum along one axis.
    @inlinable
    public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        sum(alongAxes: [axis], keepDims: keepDims)
    }

    /// Mean along `axes`.
    @inlinable
    public func mean(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let normalized = _normalizedAxes(axes, "mean(alongAxes:)")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        _require(n > 0, "mean(alongAxes:) over an empty axis of shape \(shape)")
        var result = sum(alongAxes: normalized, keepDims: keepDims)
        result.scale(by: 1 / Scalar(n))
        return result
    }

    /// Mean along one axis.
    @inlinable
    public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        mean(alongAxes: [axis], keepDims: keepDims)
    }

    /// Maximum along one axis, with the flat position (within the axis) of the first maximum of each run.
    @inlinable
    func _maxWithIndices(alongAxis axis: Int) -> (values: Tensor, indices: [Int32]) {
        let axis = _normalizedAxis(axis, "max(alongAxis:)")
        let n = shape[axis]
        _require(n > 0, "max(alongAxis:) over an empty axis of shape \(shape)")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape[axis] = 1
        var indices = [Int32](repeating: 0, count: outer * inner)
        let values = Tensor(_shape: outShape) { out, _ in
            scalars.withUnsafeBufferPointer { x in
                indices.withUnsafeMutableBufferPointer { idx in
                    for o in 0..<outer {
                        let base = o * n * inner
                        let po = out + o * inner
                        let pi = idx.baseAddress! + o * inner
                        for i in 0..<inner { po[i] = x[base + i] }
                        for k in 1..<Swift.max(n, 1) {
                            let row = base + k * inner
                            for i in 0..<inner where x[row + i] > po[i] {
                                po[i] = x[row + i]
                                pi[i] = Int32(k)
                            }
                        }
                    }
                }
            }
        }
        return (values, indices)
    }

    /// Maximum along `axes`.
    @inlinable
    public func max(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let axes = _normalizedAxes(axes, "max(alongAxes:)")
        var result = self
        for axis in axes { result = result._maxWithIndices(alongAxis: axis).values }
        if !keepDims { result._shape = _reducedShape(axes, keepDims: false) }
        return result
    }

    /// Maximum along one axis.
    @inlinable
    public func max(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        max(alongAxes: [axis], keepDims: keepDims)
    }

    /// Index of the (first) maximum along `axis`, row-major over the other axes.
    /// For `[batch, classes]` logits, `argmax(alongAxis: 1)` is the predicted class of each sample.
    @inlinable
    public func argmax(alongAxis axis: Int) -> [Int] {
        _maxWithIndices(alongAxis: axis).indices.map { Int($0) }
    }

    /// Softmax along the last axis (numerically stable), for example class probabilities from logits.
    @inlinable
    public func softmax() -> Tensor {
        _rowwiseSoftmax(log: false)
    }

    /// Log-softmax along the last axis, `(x − max) − log Σ exp(x − max)`, numerically stable.
    @inlinable
    public func logSoftmax() -> Tensor {
        _rowwiseSoftmax(log: true)
    }

    @inlinable
    func _rowwiseSoftmax(log: Bool) -> Tensor {
        _require(rank >= 1, "softmax needs rank ≥ 1, shape is \(shape)")
        let k = shape[rank - 1]
        let rows = k == 0 ? 0 : count / k
        return Tensor(_shape: shape) { out, _ in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    let base = r * k
                    var m = x[base]
                    for j in 1..<Swift.max(k, 1) where x[base + j] > m { m = x[base + j] }
                    var s: Scalar = 0
                    for j in 0..<k {
                        let e = Scalar.elementExp(x[base + j] - m)
                        out[base + j] = e
                        s += e
                    }
                    if log {
                        let logS = Scalar.log(s)
                        for j in 0..<k { out[base + j] = (x[base + j] - m) - logS }
                    } else {
                        let inverse = 1 / s
                        for j in 0..<k { out[base + j] *= inverse }
                    }
                }
            }
        }
    }
}

import RealModule

/// Differentiable reshaping, slicing, concatenation, stacking, transposition and reductions.
extension Variable {
    /// The same elements with another shape (one extent may be −1).
    @inlinable
    public func reshaped(_ newShape: [Int]) -> Variable {
        let original = shape
        return _unary(value.reshaped(newShape)) { g in g.reshaped(original) }
    }

    /// The elements with index in `range` along `axis`.
    @inlinable
    public func slice(axis: Int, range: Range<Int>) -> Variable {
        let original = shape
        let axis = value._normalizedAxis(axis, "slice(axis:range:)")
        return _unary(value.slice(axis: axis, range: range)) { g in
            if g.shape == original { return g }
            var full = Tensor<Scalar>(zeros: original)
            full.updateSlice(axis: axis, offset: range.lowerBound, with: g)
            return full
        }
    }

    /// Joins variables along an existing axis.
    @inlinable
    public static func concatenate(_ parts: [Variable], axis: Int) -> Variable {
        _require(!parts.isEmpty, "concatenate: no variables")
        let axis = parts[0].value._normalizedAxis(axis, "concatenate")
        let extents = parts.map { $0.shape[axis] }
        let needs = parts.map { $0.isTracked }
        let value = Tensor<Scalar>.concatenate(parts.map { $0.value }, axis: axis)
        return record(value, inputs: parts) { g in
            var offset = 0
            var result: [Tensor<Scalar>] = []
            result.reserveCapacity(extents.count)
            for (extent, need) in zip(extents, needs) {
                result.append(need ? g.slice(axis: axis, range: offset..<(offset + extent)) : ._noGradient)
                offset += extent
            }
            return result
        }
    }

    /// Stacks same-shaped variables along a new axis.
    @inlinable
    public static func stack(_ parts: [Variable], axis: Int = 0) -> Variable {
        _require(!parts.isEmpty, "stack: no variables")
        let shape = parts[0].shape
        let axis = axis < 0 ? axis + shape.count + 1 : axis
        _require(axis >= 0 && axis <= shape.count, "stack: axis out of range for shape \(shape)")
        var expanded = shape
        expanded.insert(1, at: axis)
        return concatenate(
            parts.map { v in
                _require(v.shape == shape, "stack: shapes \(shape) and \(v.shape) differ")
                return v.reshaped(expanded)
            }, axis: axis)
    }

    /// Transpose of a rank-2 variable.
    @inlinable
    public func transposed() -> Variable {
        _unary(value.transposed()) { g in g.transposed() }
    }

    /// Axes reordered: result axis `k` is input axis `permutation[k]`.
    @inlinable
    public func permuted(_ permutation: [Int]) -> Variable {
        let inverse = Tensor<Scalar>._inversePermutation(permutation)
        return _unary(value.permuted(permutation)) { g in g.permuted(inverse) }
    }

    /// Repeats broadcast axes up to `target` (pullback: sum back down).
    @inlinable
    public func broadcast(to target: [Int]) -> Variable {
        let original = shape
        return _unary(value.broadcast(to: target)) { g in g.sum(toShape: original) }
    }

    /// Sums down to `target` (the reverse of broadcasting; pullback: broadcast back up).
    @inlinable
    public func sum(toShape target: [Int]) -> Variable {
        let original = shape
        return _unary(value.sum(toShape: target)) { g in g.broadcast(to: original) }
    }

    // MARK: Reductions

    /// Sum of all elements, as a rank-0 variable.
    @inlinable
    public func sum() -> Variable {
        let original = shape
        return _unary(Tensor(value.sum())) { g in Tensor(repeating: g.scalar, shape: original) }
    }

    /// Mean of all elements, as a rank-0 variable.
    @inlinable
    public func mean() -> Variable {
        let original = shape, n = Scalar(value.count)
        return _unary(Tensor(value.mean())) { g in Tensor(repeating: g.scalar / n, shape: original) }
    }

    /// Sum along `axes` (reduced axes kept with extent 1 when `keepDims`).
    @inlinable
    public func sum(alongAxes axes: [Int], keepDims: Bool = false) -> Variable {
        let original = shape
        let normalized = value._normalizedAxes(axes, "sum(alongAxes:)")
        let kept = value._reducedShape(normalized, keepDims: true)
        return _unary(value.sum(alongAxes: normalized, keepDims: keepDims)) { g in
            g.reshaped(kept).broadcast(to: original)
        }
    }

    /// Sum along one axis.
    @inlinable
    public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Variable {
        sum(alongAxes: [axis], keepDims: keepDims)
    }

    /// Mean along `axes`.
    @inlinable
    public func mean(alongAxes axes: [Int], keepDims: Bool = false) -> Variable {
        let original = shape
        let normalized = value._normalizedAxes(axes, "mean(alongAxes:)")
        let kept = value._reducedShape(normalized, keepDims: true)
        let n = Scalar(normalized.reduce(1) { $0 * original[$1] })
        return _unary(value.mean(alongAxes: normalized, keepDims: keepDims)) { g in
            var result = g.reshaped(kept).broadcast(to: original)
            result.scale(by: 1 / n)
            return result
        }
    }

    /// Mean along one axis.
    @inlinable
    public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Variable {
        mean(alongAxes: [axis], keepDims: keepDims)
    }

    /// Maximum along one axis; the gradient flows to the first maximal element of each run.
    @inlinable
    public func max(alongAxis axis: Int, keepDims: Bool = false) -> Variable {
        let original = shape
        let axis = value._normalizedAxis(axis, "max(alongAxis:)")
        let (values, indices) = value._maxWithIndices(alongAxis: axis)
        let n = original[axis]
        let outer = original[..<axis].reduce(1, *)
        let inner = original[(axis + 1)...].reduce(1, *)
        var result = values
        if !keepDims { result._shape.remove(at: axis) }
        return _unary(result) { g in
            Tensor(_shape: original) { out, total in
                out.initialize(repeating: 0, count: total)
                g.withUnsafeBufferPointer { pg in
                    for o in 0..<outer {
                        for i in 0..<inner {
                            let k = Int(indices[o * inner + i])
                            out[(o * n + k) * inner + i] = pg[o * inner + i]
                        }
                    }
                }
            }
        }
    }

    /// Maximum along `axes` (one axis at a time; gradient to the first maximum).
    @inlinable
    public func max(alongAxes axes: [Int], keepDims: Bool = false) -> Variable {
        let normalized = value._normalizedAxes(axes, "max(alongAxes:)")
        var result = self
        for axis in normalized { result = result.max(alongAxis: axis, keepDims: true) }
        return keepDims ? result : result.reshaped(value._reducedShape(normalized, keepDims: false))
    }

    /// Maximum of all elements, as a rank-0 variable.
    @inlinable
    public func max() -> Variable {
        reshaped([-1]).max(alongAxis: 0)
    }
}

import RealModule

/// NumPy-style broadcasting: shapes are aligned at their trailing axes, and an axis of extent 1 (or a
/// missing leading axis) is repeated to match the other operand. Anything else is a shape mismatch and
/// stops with a message naming both shapes; nothing broadcasts silently in another way.
public enum Broadcast {
    /// The shape two operands broadcast to, or `nil` when they are incompatible.
    @inlinable
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let da = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let db = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            if da == db || db == 1 {
                result[axis] = da
            } else if da == 1 {
                result[axis] = db
            } else {
                return nil
            }
        }
        return result
    }

    /// Whether `shape` broadcasts to `target` (without `target` changing).
    @inlinable
    public static func canBroadcast(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        let offset = target.count - shape.count
        for axis in 0..<shape.count where shape[axis] != 1 && shape[axis] != target[axis + offset] {
            return false
        }
        return true
    }
}

/// The iteration layout of two operands over a common (broadcast) output shape, with axes of extent 1
/// dropped and adjacent axes merged wherever both operands are contiguous across them. A broadcast axis
/// has stride 0. After merging, the innermost stride of each operand is 0 or 1, so the inner loop is
/// contiguous or a repeated scalar.
@usableFromInline
struct _BroadcastLayout {
    @usableFromInline var extents: [Int]
    @usableFromInline var aStrides: [Int]
    @usableFromInline var bStrides: [Int]

    @inlinable
    init(output: [Int], a: [Int], b: [Int]) {
        let rank = output.count
        @inline(__always)
        func paddedStrides(_ shape: [Int]) -> [Int] {
            var strides = [Int](repeating: 0, count: rank)
            var step = 1
            var i = shape.count - 1
            while i >= 0 {
                let axis = rank - shape.count + i
                strides[axis] = shape[i] == 1 ? 0 : step
                step *= shape[i]
                i -= 1
            }
            return strides
        }
        let sa = paddedStrides(a), sb = paddedStrides(b)
        extents = []
        aStrides = []
        bStrides = []
        extents.reserveCapacity(rank)
        aStrides.reserveCapacity(rank)
        bStrides.reserveCapacity(rank)
        for axis in 0..<rank where output[axis] != 1 {
            let n = output[axis]
            if let last = extents.indices.last,
                aStrides[last] == sa[axis] * n, bStrides[last] == sb[axis] * n
            {
                extents[last] *= n
                aStrides[last] = sa[axis]
                bStrides[last] = sb[axis]
            } else {
                extents.append(n)
                aStrides.append(sa[axis])
                bStrides.append(sb[axis])
            }
        }
    }

    /// Calls `body(aOffset, bOffset, outOffset, innerCount, aInnerStride, bInnerStride)` once per inner run,
    /// outputs being contiguous in row-major output order.
    @inlinable @inline(__always)
    func forEachRun(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let rank = extents.count
        if rank == 0 {
            body(0, 0, 0, 1, 0, 0)
            return
        }
        let n = extents[rank - 1]
        let ia = aStrides[rank - 1], ib = bStrides[rank - 1]
        var outer = 1
        for axis in 0..<(rank - 1) { outer *= extents[axis] }
        if outer == 1 {
            body(0, 0, 0, n, ia, ib)
            return
        }
        var index = [Int](repeating: 0, count: rank - 1)
        var offA = 0, offB = 0, offOut = 0
        for _ in 0..<outer {
            body(offA, offB, offOut, n, ia, ib)
            offOut += n
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                offA += aStrides[axis]
                offB += bStrides[axis]
                if index[axis] < extents[axis] { break }
                offA -= aStrides[axis] * extents[axis]
                offB -= bStrides[axis] * extents[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

/// `out[i] = op(a[i], b[i])` over a broadcast layout. Inlined into each caller so that `op` is inlined.
@inlinable @inline(__always)
func _broadcastBinary<Scalar>(
    _ layout: _BroadcastLayout, _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>,
    _ out: UnsafeMutablePointer<Scalar>, _ op: (Scalar, Scalar) -> Scalar
) {
    layout.forEachRun { offA, offB, offOut, n, ia, ib in
        let pa = a + offA, pb = b + offB, po = out + offOut
        if ia == 1 && ib == 1 {
            for i in 0..<n { po[i] = op(pa[i], pb[i]) }
        } else if ia == 1 {
            let y = pb[0]
            for i in 0..<n { po[i] = op(pa[i], y) }
        } else if ib == 1 {
            let x = pa[0]
            for i in 0..<n { po[i] = op(x, pb[i]) }
        } else {
            let v = op(pa[0], pb[0])
            for i in 0..<n { po[i] = v }
        }
    }
}

/// Sum of `n` contiguous elements with four independent accumulators (Float sums do not vectorise on
/// their own because of strict FP ordering).
@inlinable @inline(__always)
func _contiguousSum<Scalar: TensorScalar>(_ p: UnsafePointer<Scalar>, _ n: Int) -> Scalar {
    var s0: Scalar = 0, s1: Scalar = 0, s2: Scalar = 0, s3: Scalar = 0
    var s4: Scalar = 0, s5: Scalar = 0, s6: Scalar = 0, s7: Scalar = 0
    var i = 0
    while i + 8 <= n {
        s0 += p[i]; s1 += p[i + 1]; s2 += p[i + 2]; s3 += p[i + 3]
        s4 += p[i + 4]; s5 += p[i + 5]; s6 += p[i + 6]; s7 += p[i + 7]
        i += 8
    }
    while i < n {
        s0 += p[i]
        i += 1
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

extension Tensor {
    /// Applies `op` elementwise with broadcasting. Shapes must be broadcast-compatible.
    @inlinable @inline(__always)
    func _broadcasting(_ other: Tensor, _ name: StaticString, _ op: (Scalar, Scalar) -> Scalar) -> Tensor {
        if shape == other.shape {
            let n = count
            let result = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
                scalars.withUnsafeBufferPointer { a in
                    other.scalars.withUnsafeBufferPointer { b in
                        for i in 0..<n { out[i] = op(a[i], b[i]) }
                    }
                }
                initialized = n
            }
            return Tensor(_uncheckedShape: shape, scalars: result)
        }
        guard let outShape = Broadcast.shape(shape, other.shape) else {
            _failure("\(name): shapes \(shape) and \(other.shape) do not broadcast")
        }
        let n = outShape.reduce(1, *)
        if n == 0 { return Tensor(zeros: outShape) }
        let layout = _BroadcastLayout(output: outShape, a: shape, b: other.shape)
        let result = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    _broadcastBinary(layout, a.baseAddress!, b.baseAddress!, out.baseAddress!, op)
                }
            }
            initialized = n
        }
        return Tensor(_uncheckedShape: outShape, scalars: result)
    }

    /// `self[i] = op(self[i], other[i])` in place, `other` broadcast to `self`'s shape.
    @inlinable @inline(__always)
    mutating func _broadcastingInPlace(_ other: Tensor, _ name: StaticString, _ op: (Scalar, Scalar) -> Scalar) {
        if shape == other.shape {
            let n = count
            other.scalars.withUnsafeBufferPointer { b in
                _scalars.withUnsafeMutableBufferPointer { a in
                    for i in 0..<n { a[i] = op(a[i], b[i]) }
                }
            }
            return
        }
        _require(
            Broadcast.canBroadcast(other.shape, to: shape),
            "\(name): shape \(other.shape) does not broadcast to \(shape)")
        if count == 0 { return }
        let layout = _BroadcastLayout(output: shape, a: shape, b: other.shape)
        other.scalars.withUnsafeBufferPointer { b in
            _scalars.withUnsafeMutableBufferPointer { a in
                let p = a.baseAddress!
                _broadcastBinary(layout, UnsafePointer(p), b.baseAddress!, p, op)
            }
        }
    }

    /// A tensor built with a known-valid shape (no element-count check).
    @inlinable
    init(_uncheckedShape shape: [Int], scalars: [Scalar]) {
        self._shape = shape
        self._scalars = scalars
    }

    /// A new tensor of `shape` whose elements are written by `body` (which must initialise all of them).
    @inlinable @inline(__always)
    init(_shape shape: [Int], filling body: (UnsafeMutablePointer<Scalar>, Int) -> Void) {
        let n = shape.reduce(1, *)
        let scalars = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
            if n > 0 { body(out.baseAddress!, n) }
            initialized = n
        }
        self.init(_uncheckedShape: shape, scalars: scalars)
    }

    /// Sums this tensor down to `target`, the reverse of broadcasting `target` up to `self.shape`
    /// (the pullback of a broadcast). Returns `self` unchanged when the shapes are equal.
    @inlinable
    public func sum(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        _require(
            Broadcast.canBroadcast(target, to: shape),
            "sum(toShape:): shape \(target) does not broadcast to \(shape)")
        if count == 0 { return Tensor(zeros: target) }
        // Fast path: only leading axes are reduced (a bias [N] of [B, N]): add up rows.
        let width = target.reduce(1, *)
        if width > 1, target.count <= rank, Array(shape.suffix(target.count)) == target {
            let rows = count / Swift.max(width, 1)
            return Tensor(_shape: target) { out, _ in
                scalars.withUnsafeBufferPointer { s in
                    let src = s.baseAddress!
                    out.initialize(from: src, count: width)
                    for row in 1..<Swift.max(rows, 1) {
                        let p = src + row * width
                        for i in 0..<width { out[i] += p[i] }
                    }
                }
            }
        }
        var result = Tensor(zeros: target)
        let layout = _BroadcastLayout(output: shape, a: shape, b: target)
        scalars.withUnsafeBufferPointer { s in
            result._scalars.withUnsafeMutableBufferPointer { t in
                let ps = s.baseAddress!, pt = t.baseAddress!
                layout.forEachRun { offS, offT, _, n, _, it in
                    let src = ps + offS, dst = pt + offT
                    if it == 1 {
                        for i in 0..<n { dst[i] += src[i] }
                    } else {
                        dst[0] += _contiguousSum(src, n)
                    }
                }
            }
        }
        return result
    }

    /// This tensor repeated along broadcast axes to `target`.
    @inlinable
    public func broadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        _require(
            Broadcast.canBroadcast(shape, to: target),
            "broadcast(to:): shape \(shape) does not broadcast to \(target)")
        var result = Tensor(zeros: target)
        result._broadcastingInPlace(self, "broadcast(to:)") { _, b in b }
        return result
    }
}

/// A dense, contiguous, row-major N-dimensional array with value semantics.
///
/// Storage is a Swift `Array`, so copies are cheap until one side is mutated (copy-on-write). Reshaping
/// never copies. Shapes are checked with checks that stop with a message naming both shapes in every build
/// configuration (unlike `precondition`, whose message `-O` drops): a shape mismatch
/// is a programmer error, not a recoverable one.
public struct Tensor<Scalar: TensorScalar>: Sendable {
    /// The extent of each axis, outermost first. A rank-0 tensor (a scalar) has shape `[]`.
    @inlinable public var shape: [Int] { _shape }
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)` always holds.
    @inlinable public var scalars: [Scalar] { _scalars }

    // Stored privately so that the element count can never change behind the shape's back, and
    // `@usableFromInline` so that inlinable kernels in other modules still reach the buffer directly.
    @usableFromInline var _shape: [Int]
    @usableFromInline var _scalars: [Scalar]

    /// Creates a tensor from its shape and its row-major elements.
    @inlinable
    public init(shape: [Int], scalars: [Scalar]) {
        _require(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
        _require(
            shape.reduce(1, *) == scalars.count,
            "Tensor shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self._shape = shape
        self._scalars = scalars
    }

    /// Creates a tensor of the given shape with every element equal to `value`.
    @inlinable
    public init(repeating value: Scalar, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    /// Creates a tensor of zeros.
    @inlinable
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// Creates a tensor of ones.
    @inlinable
    public init(ones shape: [Int]) { self.init(repeating: 1, shape: shape) }

    /// Creates a rank-0 tensor holding one value.
    @inlinable
    public init(_ value: Scalar) { self.init(shape: [], scalars: [value]) }

    /// Creates a rank-1 tensor from an array.
    @inlinable
    public init(_ values: [Scalar]) { self.init(shape: [values.count], scalars: values) }

    /// Creates a tensor of zeros with the same shape as `other`.
    @inlinable
    public init(zerosLike other: Tensor) { self.init(zeros: other.shape) }

    /// Number of axes.
    @inlinable public var rank: Int { shape.count }
    /// Number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The single element of a one-element tensor.
    @inlinable public var scalar: Scalar {
        _require(scalars.count == 1, "Tensor.scalar needs one element, shape is \(shape)")
        return scalars[0]
    }

    /// Row-major strides (in elements) for each axis.
    @inlinable public var strides: [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in (0..<shape.count).reversed() {
            result[axis] = step
            step *= shape[axis]
        }
        return result
    }

    /// Element access by a full multi-index.
    @inlinable
    public subscript(index: Int...) -> Scalar {
        get { scalars[flatIndex(index)] }
        set { _scalars[flatIndex(index)] = newValue }
    }

    @inlinable
    func flatIndex(_ index: [Int]) -> Int {
        _require(index.count == shape.count, "Index \(index) does not match rank of shape \(shape)")
        var flat = 0
        for axis in 0..<shape.count {
            _require(index[axis] >= 0 && index[axis] < shape[axis], "Index \(index) out of range for shape \(shape)")
            flat = flat * shape[axis] + index[axis]
        }
        return flat
    }

    /// The same elements viewed with another shape. One extent may be `-1` and is inferred. Never copies.
    @inlinable
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var result = self
        result.reshape(newShape)
        return result
    }

    /// Reshapes in place. One extent may be `-1` and is inferred.
    @inlinable
    public mutating func reshape(_ newShape: [Int]) {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            _require(known > 0 && count % known == 0, "Cannot reshape \(shape) to \(newShape)")
            resolved[unknown] = count / known
        }
        _require(resolved.reduce(1, *) == count, "Cannot reshape \(shape) to \(newShape)")
        _shape = resolved
    }

    /// Calls `body` with the contiguous elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the contiguous elements, mutable. The element count cannot change.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try _scalars.withUnsafeMutableBufferPointer(body)
    }

    /// Replaces every element with `transform(element)`, in place.
    @inlinable
    public mutating func apply(_ transform: (Scalar) -> Scalar) {
        _scalars.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = transform(buffer[i]) }
        }
    }

    /// A new tensor with `transform` applied to every element.
    @inlinable
    public func map(_ transform: (Scalar) -> Scalar) -> Tensor {
        var result = self
        result.apply(transform)
        return result
    }

    /// Converts the elements to another scalar type (for example Float → Double for gradient checks).
    @inlinable
    public func converted<Other: TensorScalar>(to _: Other.Type = Other.self) -> Tensor<Other> {
        Tensor<Other>(shape: shape, scalars: scalars.map { Other($0) })
    }
}

extension Tensor: Equatable {}
extension Tensor: Codable {
    enum CodingKeys: String, CodingKey { case shape, scalars }
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try container.decode([Int].self, forKey: .shape)
        let scalars = try container.decode([Scalar].self, forKey: .scalars)
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == scalars.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .scalars, in: container,
                debugDescription: "Tensor shape \(shape) does not match \(scalars.count) elements")
        }
        self.init(shape: shape, scalars: scalars)
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shape, forKey: .shape)
        try container.encode(scalars, forKey: .scalars)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor<\(Scalar.self)>(shape: \(shape), [\(preview)\(scalars.count > 8 ? ", …" : "")])"
    }
}

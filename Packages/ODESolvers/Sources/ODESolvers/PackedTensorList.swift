import Tensors

/// Several tensors stored back to back in one buffer, each still its own component of the error norm:
/// the same state as a ``TensorList`` of them (same norm, same step sequence), but every stage
/// combination, scaling and finiteness check is one pass over one buffer instead of one call, one term
/// array and one buffer per component.
///
/// The adjoint's augmented states `(y, a_y, a_θ…)` use it: with a dozen parameter tensors of a few hundred
/// elements each, the per-component bookkeeping of a ``TensorList`` cost more than the arithmetic.
public struct PackedTensorList<Scalar: TensorScalar>: ODEState, Equatable, Sendable {
    /// Every component's elements, in order, as one flat tensor.
    public var storage: Tensor<Scalar>
    /// The components' shapes.
    public let shapes: [[Int]]
    /// `offsets[i]..<offsets[i + 1]` are component `i`'s elements in ``storage``.
    public let offsets: [Int]

    /// Packs `components` (copied once).
    @inlinable
    public init(_ components: [Tensor<Scalar>]) {
        self.init(shapes: components.map(\.shape)) { buffer, offsets in
            for (i, component) in components.enumerated() {
                component.withUnsafeBufferPointer { source in
                    guard let base = source.baseAddress else { return }
                    (buffer.baseAddress! + offsets[i]).update(from: base, count: source.count)
                }
            }
        }
    }

    /// `factors[i]·components[i]` packed with `layout`'s shapes: building a packed derivative in one pass.
    @inlinable
    public init(layout: PackedTensorList, components: [Tensor<Scalar>], factors: [Scalar]) {
        precondition(
            components.count == layout.shapes.count && factors.count == components.count,
            "PackedTensorList: \(components.count) components and \(factors.count) factors for \(layout.shapes.count) shapes")
        for (i, component) in components.enumerated() {
            precondition(component.shape == layout.shapes[i], "PackedTensorList: component \(i) has shape \(component.shape), layout \(layout.shapes[i])")
        }
        self.init(shapes: layout.shapes, offsets: layout.offsets) { buffer, offsets in
            for (i, component) in components.enumerated() {
                let factor = factors[i], out = buffer.baseAddress! + offsets[i]
                component.withUnsafeBufferPointer { source in
                    if factor == 1 {
                        guard let base = source.baseAddress else { return }
                        out.update(from: base, count: source.count)
                    } else {
                        for j in source.indices { out[j] = factor * source[j] }
                    }
                }
            }
        }
    }

    /// A state with `layout`'s shapes whose elements `fill` writes into the zeroed buffer (offsets as
    /// ``offsets``).
    @inlinable
    public init(layout: PackedTensorList, fill: (UnsafeMutableBufferPointer<Scalar>) throws -> Void) rethrows {
        try self.init(shapes: layout.shapes, offsets: layout.offsets) { buffer, _ in try fill(buffer) }
    }

    @inlinable
    init(shapes: [[Int]], offsets: [Int]? = nil, fill: (UnsafeMutableBufferPointer<Scalar>, [Int]) throws -> Void) rethrows {
        let offsets = offsets ?? shapes.reduce(into: [0]) { $0.append($0.last! + $1.reduce(1, *)) }
        // Zeroed once rather than left uninitialised: `fill` may write only part of the buffer.
        let count = offsets.last!
        let scalars = try [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: 0)
            initialized = count
            try fill(buffer, offsets)
        }
        self.storage = Tensor(shape: [count], scalars: scalars)
        self.shapes = shapes
        self.offsets = offsets
    }

    /// Component `index` as a tensor of its shape (a copy).
    @inlinable
    public func component(_ index: Int) -> Tensor<Scalar> {
        storage.withUnsafeBufferPointer { buffer in
            Tensor(shape: shapes[index], scalars: Array(buffer[offsets[index]..<offsets[index + 1]]))
        }
    }

    /// Components `range` as tensors (copies).
    @inlinable
    public func components(_ range: Range<Int>) -> [Tensor<Scalar>] { range.map(component) }

    @inlinable public var componentCount: Int { shapes.count }
    @inlinable public var scalarCount: Int { storage.count }

    @inlinable
    public func withComponent<R>(_ index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]])) }
    }

    @inlinable
    public mutating func addScaled(_ other: PackedTensorList, by alpha: Scalar) {
        precondition(offsets == other.offsets, "PackedTensorList.addScaled: layouts differ")
        storage.addScaled(other.storage, by: alpha)
    }

    @inlinable public mutating func scale(by alpha: Scalar) { storage.scale(by: alpha) }

    @inlinable
    public func zerosLike() -> PackedTensorList {
        var zeros = self
        zeros.storage = Tensor(zeros: storage.shape)
        return zeros
    }

    @inlinable public var isFinite: Bool { storage.isFinite }

    /// One fused pass over the whole buffer (the combination is elementwise, so packing changes no value).
    @inlinable
    public mutating func assignLinearCombination(
        baseCoefficient: Scalar, base: PackedTensorList, coefficients: [Scalar], terms: [PackedTensorList]
    ) {
        precondition(offsets == base.offsets, "assignLinearCombination: packed layouts differ")
        storage.assignLinearCombination(
            baseCoefficient: baseCoefficient, base: base.storage, coefficients: coefficients,
            terms: terms.prefix(coefficients.count).map(\.storage))
    }
}

import Tensors

/// What a solver needs from a state: vector-space updates in place and access to its elements for the
/// error norm. A state is one or more *components* (contiguous buffers); the default error norm is the
/// maximum over components of each component's RMS, exactly as torchdiffeq does for tuple states.
///
/// `Tensor` is a one-component state; ``TensorList`` holds several (`[h, m]`, or the adjoint's
/// augmented state `(y, a_y, a_θ…)`).
public protocol ODEState {
    /// The element type.
    associatedtype Scalar: TensorScalar
    /// Number of components the error norm sees separately.
    var componentCount: Int { get }
    /// Total number of elements over all components.
    var scalarCount: Int { get }
    /// Calls `body` with the contiguous elements of component `index`.
    func withComponent<R>(_ index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R
    /// `self ← self + alpha·other` (same structure and shapes).
    mutating func addScaled(_ other: Self, by alpha: Scalar)
    /// `self ← alpha·self`.
    mutating func scale(by alpha: Scalar)
    /// A state of the same structure filled with zeros.
    func zerosLike() -> Self
    /// True when no element is NaN or infinite.
    var isFinite: Bool { get }
    /// `self ← baseCoefficient·base + Σ_j coefficients[j]·terms[j]` over the first `coefficients.count`
    /// terms, all of the same structure as `self`. Zero coefficients (including `baseCoefficient`) skip
    /// their term. The solvers build every stage input, error estimate and interpolant with it, so a
    /// conforming type that writes it as one fused pass into its existing buffers makes the solver's
    /// overhead one memory pass per stage. The default uses `addScaled`.
    mutating func assignLinearCombination(
        baseCoefficient: Scalar, base: Self, coefficients: [Scalar], terms: [Self])
}

extension ODEState {
    /// The unfused fallback: a copy of `base`, then one `addScaled` per non-zero term.
    @inlinable
    public mutating func assignLinearCombination(
        baseCoefficient: Scalar, base: Self, coefficients: [Scalar], terms: [Self]
    ) {
        precondition(
            coefficients.count <= terms.count,
            "assignLinearCombination: \(coefficients.count) coefficients for \(terms.count) terms")
        self = base
        if baseCoefficient != 1 { scale(by: baseCoefficient) }
        for j in coefficients.indices where coefficients[j] != 0 {
            addScaled(terms[j], by: coefficients[j])
        }
    }
}

extension Tensor: ODEState {
    @inlinable public var componentCount: Int { 1 }
    @inlinable public var scalarCount: Int { count }
    @inlinable
    public func withComponent<R>(_ index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        precondition(index == 0, "Tensor has one component, asked for component \(index)")
        return try withUnsafeBufferPointer(body)
    }
    @inlinable public func zerosLike() -> Tensor { Tensor(zeros: shape) }

    /// One fused, blocked pass over the elements (see ``ODEState/assignLinearCombination(baseCoefficient:base:coefficients:terms:)``).
    @inlinable
    public mutating func assignLinearCombination(
        baseCoefficient: Scalar, base: Tensor, coefficients: [Scalar], terms: [Tensor]
    ) {
        precondition(
            coefficients.count <= terms.count,
            "assignLinearCombination: \(coefficients.count) coefficients for \(terms.count) terms")
        precondition(shape == base.shape, "assignLinearCombination: shape \(shape) vs base \(base.shape)")
        for j in coefficients.indices {
            precondition(
                terms[j].shape == shape, "assignLinearCombination: shape \(shape) vs term \(j) \(terms[j].shape)")
        }
        base.withUnsafeBufferPointer { basePointer in
            withTermPointers(terms, count: coefficients.count) { termPointers in
                withUnsafeMutableBufferPointer { output in
                    linearCombinationKernel(
                        output: output, baseCoefficient: baseCoefficient, base: basePointer,
                        coefficients: coefficients, terms: termPointers)
                }
            }
        }
    }
}

/// A fixed list of tensors treated as one state: `[h, m]` for heavy-ball models, or an augmented
/// adjoint state. Each tensor is one component of the error norm.
public struct TensorList<Scalar: TensorScalar>: ODEState, Equatable, Sendable {
    /// The components, in order.
    public var components: [Tensor<Scalar>]

    /// Creates a list from its components.
    @inlinable public init(_ components: [Tensor<Scalar>]) { self.components = components }

    /// Component access.
    @inlinable public subscript(index: Int) -> Tensor<Scalar> {
        get { components[index] }
        set { components[index] = newValue }
    }

    @inlinable public var componentCount: Int { components.count }
    @inlinable public var scalarCount: Int { components.reduce(0) { $0 + $1.count } }

    @inlinable
    public func withComponent<R>(_ index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try components[index].withUnsafeBufferPointer(body)
    }

    @inlinable
    public mutating func addScaled(_ other: TensorList, by alpha: Scalar) {
        precondition(
            components.count == other.components.count,
            "TensorList.addScaled: \(components.count) components vs \(other.components.count)")
        for i in components.indices { components[i].addScaled(other.components[i], by: alpha) }
    }

    @inlinable
    public mutating func scale(by alpha: Scalar) {
        for i in components.indices { components[i].scale(by: alpha) }
    }

    @inlinable public func zerosLike() -> TensorList { TensorList(components.map { Tensor(zeros: $0.shape) }) }

    @inlinable public var isFinite: Bool { components.allSatisfy { $0.isFinite } }

    /// The fused pass of `Tensor`, component by component.
    @inlinable
    public mutating func assignLinearCombination(
        baseCoefficient: Scalar, base: TensorList, coefficients: [Scalar], terms: [TensorList]
    ) {
        precondition(
            base.components.count == components.count,
            "assignLinearCombination: \(components.count) components vs base \(base.components.count)")
        for j in coefficients.indices {
            precondition(
                terms[j].components.count == components.count,
                "assignLinearCombination: \(components.count) components vs term \(j) \(terms[j].components.count)")
        }
        for i in components.indices {
            components[i].assignLinearCombination(
                baseCoefficient: baseCoefficient, base: base.components[i], coefficients: coefficients,
                terms: coefficients.indices.map { terms[$0].components[i] })
        }
    }
}

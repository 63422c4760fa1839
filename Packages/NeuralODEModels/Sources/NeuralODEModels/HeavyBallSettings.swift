import Tensors

/// The damping γ of the heavy-ball families.
public enum Damping: Sendable, Equatable {
    /// γ = ε·sigmoid(ω) with ω a registered scalar (trainable, or frozen at its initial value). The
    /// reference uses ε = 1 and ω₀ = −3 (γ₀ ≈ 0.0474).
    case learned(omega: ScalarParameter, epsilon: Double)
    /// A constant γ, not a parameter.
    case constant(Double)

    /// γ as a `[1]` variable.
    @inlinable
    public func callAsFunction<Scalar>(_ parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        switch self {
        case .learned(let omega, let epsilon):
            return Scalar(epsilon) * Activation.sigmoid(omega(parameters))
        case .constant(let gamma):
            return Variable(constant: Tensor([Scalar(gamma)]))
        }
    }
}

/// The restoring coefficient ξ of the `−ξh` term (positive ξ pulls h back to 0).
///
/// The reference changed its meaning after the runs: as run, ξ = the raw value
/// of a scalar ("corr"); in the final code ξ = softplus(corr). Both are offered, each with a
/// trainable or frozen scalar, plus a plain constant (e.g. ξ = 2) that is not a
/// parameter.
public enum Restoring: Sendable, Equatable {
    /// No restoring term, and no registered parameter.
    case none
    /// A constant ξ, not a parameter.
    case constant(Double)
    /// ξ = corr (as-run semantics).
    case raw(ScalarParameter)
    /// ξ = softplus(corr) (final-code semantics).
    case softplus(ScalarParameter)

    /// ξ as a `[1]` variable, or nil when there is no term.
    @inlinable
    public func callAsFunction<Scalar>(_ parameters: [Variable<Scalar>]) -> Variable<Scalar>? {
        switch self {
        case .none: return nil
        case .constant(let xi): return Variable(constant: Tensor([Scalar(xi)]))
        case .raw(let corr): return corr(parameters)
        case .softplus(let corr): return Activation.softplus(corr(parameters))
        }
    }
}

/// What distinguishes HBNODE from GHBNODE: damping, restoring force and the gate σ on `h' = σ(m)`.
public struct HeavyBallSettings: Sendable, Equatable {
    /// γ.
    public var damping: Damping
    /// ξ.
    public var restoring: Restoring
    /// σ: identity for HBNODE; tanh or hardtanh(min, max) for GHBNODE.
    public var gate: Activation

    /// Bundles the three settings.
    public init(damping: Damping, restoring: Restoring, gate: Activation) {
        self.damping = damping
        self.restoring = restoring
        self.gate = gate
    }
}

import Tensors

/// The heavy-ball families around any network written as a closure of tape operations, so trying HBNODE
/// or GHBNODE on one's own problem is one line: `h' = σ(m)`, `m' = −γ·m + f(t, h) − ξ·h` on a stacked
/// state `[B, 2, …]` (position at index 0 of axis 1, momentum at index 1), the layout of
/// ``ContinuousDepthField``, whose equations these are.
///
/// ```swift
/// let settings = HeavyBallSettings.hbnode(store: &store)             // γ = sigmoid(ω), ω learned from −3
/// let field: TapeField<Float> = HeavyBall.field({ _, h, p in h.matmul(p[w.index]).tanh() }, settings)
/// let ys = try odeint(field, HeavyBall.state(position: x), [0, 1], parameters: p)
/// let h1 = HeavyBall.position(ys[1])
/// ```
public enum HeavyBall {
    /// The heavy-ball field of `network` (`f(t, h, parameters)`, which must keep the shape of `h`).
    /// `settings` reads its learned γ and ξ from the same parameter list as the network.
    public static func field<Scalar>(_ network: @escaping TapeField<Scalar>, _ settings: HeavyBallSettings) -> TapeField<Scalar> {
        { t, z, parameters in
            settings.derivative(of: z, parameters: parameters) { h in network(t, h, parameters) }
        }
    }

    /// The stacked state `[B, 2, …]` of a position `[B, …]` and a momentum of the same shape (zero when
    /// not given).
    public static func state<Scalar>(position: Variable<Scalar>, momentum: Variable<Scalar>? = nil) -> Variable<Scalar> {
        ContinuousDepthField.stack(position, momentum ?? Variable(constant: Tensor(zeros: position.shape)))
    }

    /// The position part `[B, …]` of a stacked state.
    public static func position<Scalar>(_ state: Variable<Scalar>) -> Variable<Scalar> { ContinuousDepthField.position(state) }

    /// The momentum part `[B, …]` of a stacked state.
    public static func momentum<Scalar>(_ state: Variable<Scalar>) -> Variable<Scalar> { ContinuousDepthField.velocity(state) }
}

extension HeavyBallSettings {
    /// HBNODE: a learned damping `γ = sigmoid(ω)` with `ω` registered in `store` under `name` (initially
    /// `omega`, −3 as in the paper's models: γ ≈ 0.047), no restoring term, no gate.
    public static func hbnode<Scalar>(store: inout ParameterStore<Scalar>, name: String = "omega", omega: Double = -3) -> HeavyBallSettings {
        HeavyBallSettings(
            damping: .learned(omega: ScalarParameter(name, initialValue: omega, frozen: false, store: &store), epsilon: 1),
            restoring: .none, gate: .identity)
    }

    /// GHBNODE: HBNODE's learned damping, the gate `h' = tanh(m)` and a constant restoring `ξ` (ln 2 by
    /// default, the paper's value).
    public static func ghbnode<Scalar>(
        store: inout ParameterStore<Scalar>, name: String = "omega", omega: Double = -3, restoring xi: Double = 0.6931471805599453
    ) -> HeavyBallSettings {
        var settings = hbnode(store: &store, name: name, omega: omega)
        settings.restoring = .constant(xi)
        settings.gate = .tanh
        return settings
    }
}

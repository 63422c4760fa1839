import Tensors

/// The right-hand side of one continuous-depth family around a user network f, in the paper's sign
/// convention.
///
/// **State layout.** First-order families (NODE, ANODE) use the plain state `z: [B, …]`. Second-order
/// families (SONODE, HBNODE, GHBNODE) use one *stacked* tensor `[B, 2, …]` with the position h at index
/// 0 and the velocity/momentum at index 1 of axis 1, exactly the reference layout of the reference code. One
/// tensor (rather than a `TensorList([h, m])`) keeps the solver's error norm the RMS over every element,
/// as in torchdiffeq, so step counts and NFEs are comparable with the reference logs.
///
/// **Equations** (f = the network, σ the gate, γ the damping, ξ the restoring coefficient):
/// - NODE/ANODE: `z' = f(t, z)`;
/// - SONODE: `h' = v`, `v' = f(t, [h, v])` with h and v concatenated along the channel/feature axis;
/// - HBNODE/GHBNODE: `h' = σ(m)`, `m' = −γ·m + f(t, h) − ξ·h` (paper eqs. 10 and 15).
///
/// **Mapping to the official code**, which integrates `h' = σ(−m_c)`, `m_c' = f_c(h) − γ·m_c + ξ·h`:
/// substitute `m = −m_c` and `f = −f_c` (σ odd). With f's symmetric initial distribution the two
/// parametrisations are the same model family, and a positive ξ is restoring in both.
public struct ContinuousDepthField: Sendable, Equatable {
    /// Which equations wrap the network.
    public enum Dynamics: Sendable, Equatable {
        /// `z' = f(t, z)` (NODE and ANODE).
        case firstOrder
        /// `h' = v, v' = f(t, [h, v])` (SONODE).
        case secondOrder
        /// `h' = σ(m), m' = −γm + f(t, h) − ξh` (HBNODE and GHBNODE).
        case heavyBall(HeavyBallSettings)
    }

    /// The equations.
    public var dynamics: Dynamics
    /// The user network f.
    public var network: Sequential
    /// The parameters the field reads (f's, and γ's and ξ's when learned), in store order: the list
    /// handed to the adjoint.
    public var parameterIDs: [ParameterID]

    /// Creates a field; `parameterIDs` must list every parameter the network and settings read.
    public init(dynamics: Dynamics, network: Sequential, parameterIDs: [ParameterID]) {
        self.dynamics = dynamics
        self.network = network
        self.parameterIDs = parameterIDs
    }

    /// `dz/dt` at `(t, z)`. `parameters` is the tape image of the whole store; `sampleScale`, when
    /// given, multiplies sample b's derivative by `sampleScale[b]` (per-sample time rescaling, §1.3).
    @inlinable
    public func callAsFunction<Scalar>(
        _ t: Double, _ z: Variable<Scalar>, _ parameters: [Variable<Scalar>], sampleScale: [Scalar]? = nil
    ) -> Variable<Scalar> {
        let derivative: Variable<Scalar>
        switch dynamics {
        case .firstOrder:
            derivative = network(z, time: t, parameters)
        case .secondOrder:
            let (shape, rest) = Self.splitShape(z.shape)
            let h = Self.position(z)
            // [B, 2, c, …] read as [B, 2c, …] is exactly the concatenation [h, v] along axis 1.
            let joined = z.reshaped([shape[0], 2 * (rest.first ?? 1)] + rest.dropFirst())
            let v = Self.velocity(z)
            let vDot = network(joined, time: t, parameters)
            precondition(vDot.shape == h.shape, "SONODE: f returned \(vDot.shape) for a position of shape \(h.shape)")
            derivative = Self.stack(v, vDot)
        case .heavyBall(let settings):
            derivative = settings.derivative(of: z, parameters: parameters) { h in network(h, time: t, parameters) }
        }
        precondition(derivative.shape == z.shape, "field: derivative shape \(derivative.shape) differs from state \(z.shape)")
        guard let sampleScale else { return derivative }
        return Self.scaleSamples(derivative, by: sampleScale)
    }

    /// `x` with sample b (the leading axis) multiplied by the constant `factors[b]` (per-sample time
    /// rescaling). The same maths as a broadcasting product with a `[B, 1, …]` constant, written as one
    /// contiguous scaling per sample because it runs on every field evaluation of the ODE-RNN hybrids
    /// (the general broadcast walk cost a tenth of a small ODE-RNN training step).
    @inlinable
    public static func scaleSamples<Scalar>(_ x: Variable<Scalar>, by factors: [Scalar]) -> Variable<Scalar> {
        let shape = x.shape
        precondition(!shape.isEmpty && factors.count == shape[0], "scaleSamples: \(factors.count) factors for shape \(shape)")
        // One read and one write per element: the result is written into fresh storage (no copy first).
        @inline(__always) func scaled(_ t: Tensor<Scalar>) -> Tensor<Scalar> {
            let n = t.count, inner = n / Swift.max(factors.count, 1)
            let scalars = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
                t.withUnsafeBufferPointer { source in
                    for (b, factor) in factors.enumerated() {
                        for i in (b * inner)..<((b + 1) * inner) { out[i] = source[i] * factor }
                    }
                }
                initialized = n
            }
            return Tensor(shape: t.shape, scalars: scalars)
        }
        return Variable.record(scaled(x.value), inputs: [x]) { g in [scaled(g)] }
    }

    /// `s·x` for a one-element `s` (γ or ξ): the broadcasting product's maths, with the pullback's
    /// `∂s = ⟨ḡ, x⟩` as one BLAS dot instead of a materialised `ḡ ⊙ x` summed down to `[1]`.
    @inlinable
    static func product<Scalar>(_ x: Variable<Scalar>, _ s: Variable<Scalar>) -> Variable<Scalar> {
        precondition(s.value.count == 1, "product: the scale must have one element, got shape \(s.shape)")
        let xv = x.value, sv = s.value.scalars[0], scaleShape = s.shape, needS = s.isTracked
        return Variable.record(xv * sv, inputs: [x, s]) { g in
            [g * sv, Tensor(shape: scaleShape, scalars: [needS ? g.dot(xv) : 0])]
        }
    }

    /// The batch-and-pair prefix `[B, 2]` and the per-sample trailing shape of a stacked state.
    @inlinable
    static func splitShape(_ shape: [Int]) -> ([Int], [Int]) {
        precondition(shape.count >= 3 && shape[1] == 2, "second-order state must be [B, 2, …], got \(shape)")
        return (Array(shape[..<2]), Array(shape[2...]))
    }

    /// The position part `[B, …]` of a stacked state `[B, 2, …]`.
    @inlinable
    public static func position<Scalar>(_ z: Variable<Scalar>) -> Variable<Scalar> {
        let (prefix, rest) = splitShape(z.shape)
        return z.slice(axis: 1, range: 0..<1).reshaped([prefix[0]] + rest)
    }

    /// The velocity/momentum part `[B, …]` of a stacked state `[B, 2, …]`.
    @inlinable
    public static func velocity<Scalar>(_ z: Variable<Scalar>) -> Variable<Scalar> {
        let (prefix, rest) = splitShape(z.shape)
        return z.slice(axis: 1, range: 1..<2).reshaped([prefix[0]] + rest)
    }

    /// Stacks position and velocity `[B, …]` into `[B, 2, …]`.
    @inlinable
    public static func stack<Scalar>(_ h: Variable<Scalar>, _ m: Variable<Scalar>) -> Variable<Scalar> {
        precondition(h.shape == m.shape, "stack: position \(h.shape) and velocity \(m.shape) differ")
        let s = h.shape
        let expanded = [s[0], 1] + s.dropFirst()
        return Variable.concatenate([h.reshaped(expanded), m.reshaped(expanded)], axis: 1)
    }
}

extension HeavyBallSettings {
    /// `[h', m']` at a stacked state `z = [B, 2, …]`: `h' = σ(m)`, `m' = −γ·m + force(h) − ξ·h`, with
    /// `force` the network at the current time. The one implementation of the heavy-ball equations,
    /// shared by ``ContinuousDepthField`` and ``HeavyBall/field(_:_:)``.
    @inlinable
    public func derivative<Scalar>(
        of z: Variable<Scalar>, parameters: [Variable<Scalar>], force network: (Variable<Scalar>) -> Variable<Scalar>
    ) -> Variable<Scalar> {
        let h = ContinuousDepthField.position(z), m = ContinuousDepthField.velocity(z)
        let hDot = gate(m)
        let force = network(h)
        precondition(force.shape == h.shape, "heavy ball: f returned \(force.shape) for a position of shape \(h.shape)")
        var mDot = force - ContinuousDepthField.product(m, damping(parameters))
        if let xi = restoring(parameters) {
            mDot = mDot - ContinuousDepthField.product(h, xi)
        }
        return ContinuousDepthField.stack(hDot, mDot)
    }
}

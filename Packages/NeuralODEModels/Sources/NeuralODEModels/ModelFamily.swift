/// The five continuous-depth model families of the paper.
public enum ModelFamily: String, Sendable, Codable, CaseIterable {
    /// Neural ODE `z' = f(t, z)`.
    case node
    /// Augmented neural ODE: a NODE on a state padded with zero or learned features.
    case anode
    /// Second-order neural ODE `h' = v, v' = f(h, v)`.
    case sonode
    /// Heavy-ball neural ODE (paper eq. 10).
    case hbnode
    /// Generalised heavy-ball neural ODE (paper eq. 15).
    case ghbnode

    /// Whether the state is the stacked position/velocity pair `[B, 2, …]`.
    public var isSecondOrder: Bool { self == .sonode || self == .hbnode || self == .ghbnode }

    /// The paper's name of the family (`NODE`, `ANODE`, `SONODE`, `HBNODE`, `GHBNODE`), for reports and figures.
    public var displayName: String { rawValue.uppercased() }
}

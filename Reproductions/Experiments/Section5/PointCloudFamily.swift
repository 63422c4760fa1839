/// The five continuous-depth families of the point-cloud experiment (spec §3.1), in the code's form.
public enum PointCloudFamily: String, CaseIterable, Codable, Sendable {
    /// `z' = f(z)`, z = x (2-D).
    case node = "NODE"
    /// `z' = f(z)`, z = [x, 0] (3-D).
    case anode = "ANODE"
    /// `h' = v`, `v' = f([h, v])`, v(0) = MLP(x); carries an unused ω like the notebook (+1 parameter).
    case sonode = "SONODE"
    /// `h' = −v`, `v' = f(h) − σ(ω)v`, v(0) = MLP(x).
    case hbnode = "HBNODE"
    /// The notebook's "GHBNODE": HBNODE plus a fixed restoring `+2h` in v' and no gate (spec §1.5).
    case ghbnode = "GHBNODE"

    /// Whether the state stacks a position and a velocity (rows `0..<B` are h, rows `B..<2B` are v).
    public var isSecondOrder: Bool { self == .sonode || self == .hbnode || self == .ghbnode }

    /// Width of the ODE state per point (the decoder reads the position part only for second order).
    public var stateWidth: Int { self == .anode ? 3 : 2 }

    /// Hidden width of f (and of the initial-velocity MLP), chosen by the notebooks to match ~525 params.
    public var hiddenWidth: Int {
        switch self {
        case .node, .anode: return 20
        case .sonode: return 13
        case .hbnode, .ghbnode: return 14
        }
    }

    /// The restoring coefficient r in `v' = f(h) − σ(ω)v + r·h` (0 for HBNODE, 2 for the notebook's GHBNODE).
    public var restoring: Float { self == .ghbnode ? 2 : 0 }

    /// The parameter count of the official code (spec §3.1), which the model must match.
    public var referenceParameterCount: Int {
        switch self {
        case .node: return 525
        case .anode: return 567
        case .sonode: return 528
        case .hbnode, .ghbnode: return 568
        }
    }
}

import NeuralODEModels

/// The experiments whose models are built here (the paper's Sections 2-5).
public enum PaperExperiment: String, Sendable, Codable, CaseIterable {
    /// 2-D nested spheres, 50 training points (§3.1).
    case pointCloud
    /// MNIST image classification (§3.2).
    case mnist
    /// CIFAR-10 image classification (§3.3).
    case cifar10
    /// Plane-vibration sequence modelling with ODE-RNN hybrids (§3.4).
    case planeVibration
    /// Walker2D kinematics with ODE-RNN hybrids (§3.5).
    case walker2D
    /// Silverbox initialisation test: forced linear fields, no training (§3.6).
    case silverbox

    /// The reference code's parameter count per family (what the tests check).
    public func referenceParameterCount(_ family: ModelFamily) -> Int {
        let counts: [ModelFamily: Int]
        switch self {
        case .pointCloud: counts = [.node: 525, .anode: 567, .sonode: 528, .hbnode: 568, .ghbnode: 568]
        case .mnist: counts = [.node: 85_316, .anode: 85_462, .sonode: 86_179, .hbnode: 85_931, .ghbnode: 85_235]
        case .cifar10: counts = [.node: 173_611, .anode: 172_452, .sonode: 171_635, .hbnode: 172_916, .ghbnode: 172_916]
        case .planeVibration: counts = [.node: 15_986, .anode: 16_730, .sonode: 16_649, .hbnode: 16_127, .ghbnode: 16_127]
        case .walker2D: counts = [.node: 8_729, .anode: 8_819, .sonode: 8_757, .hbnode: 8_899, .ghbnode: 8_899]
        case .silverbox: counts = [.node: 3, .anode: 8, .sonode: 5, .hbnode: 6, .ghbnode: 6]
        }
        return counts[family]!
    }

    /// `"<experiment>-<family>"`, the name stored in checkpoints.
    public func modelName(_ family: ModelFamily) -> String { "\(rawValue)-\(family.rawValue)" }
}

import NeuralODEModels

/// Numbers the official point-cloud notebooks saved (the outputs of their 100-run cells). They are
/// reference constants for the report's comparisons, never used to produce a measurement.
public enum PointCloudReference {
    /// Mean training MSE at iteration 300 over 100 runs.
    public static let finalTrainMSE: [ModelFamily: Double] = [.hbnode: 0.031, .ghbnode: 0.031, .sonode: 0.276]
    /// Mean test MSE over 100 runs.
    public static let testMSE: [ModelFamily: Double] = [.hbnode: 0.078, .ghbnode: 0.103, .sonode: 0.461]
    /// Share of the 100 runs that end at training MSE exactly 0 (76, 77 and 36 of 100).
    public static let zeroLossShare: [ModelFamily: Double] = [.hbnode: 0.76, .ghbnode: 0.77, .sonode: 0.36]
    /// SONODE's saved figure: mean forward and backward NFE at the last iteration (max 31.94
    /// and 46.58, curves rising from 14).
    public static let sonodeFinalNFE = (forward: 31.94, backward: 46.58)
    /// Where these numbers come from.
    public static let source = "official point-cloud notebooks' saved outputs"
}

import NeuralODEModels

/// What one seeded point-cloud training run measured.
public struct PointCloudRun: Codable, Sendable {
    /// Family.
    public var family: ModelFamily
    /// Seed of the initialisation.
    public var seed: UInt64
    /// Training MSE at each iteration (before that iteration's update, as the notebooks log it).
    public var losses: [Double]
    /// Forward NFE of each iteration.
    public var forwardNFE: [Int]
    /// Backward NFE of each iteration.
    public var backwardNFE: [Int]
    /// MSE on the 10 test points after training.
    public var testMSE: Double
    /// Wall-clock seconds of the run.
    public var seconds: Double
    /// Visualisation snapshots: iteration and the 120 points' positions at T (row-major `[120, d]`), with d.
    public var snapshots: [Snapshot]
    /// Set when the run stopped early (solver failure); the arrays then cover the completed iterations.
    public var failure: String?

    /// One snapshot of the visualisation points.
    public struct Snapshot: Codable, Sendable {
        /// Iteration after whose update the snapshot was taken (0 = before any update).
        public var iteration: Int
        /// Positions, row-major `[points, width]`.
        public var positions: [Float]
        /// Position width (2, or 3 for ANODE).
        public var width: Int
    }

    /// Training MSE logged at the last iteration.
    public var finalLoss: Double { losses.last ?? .nan }
}

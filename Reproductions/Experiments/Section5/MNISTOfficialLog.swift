import NeuralODEModels

/// What the official MNIST logs recorded after the first epoch (mean of their three final runs: dopri5 at
/// rtol = atol = 1e-4, Adam at 5e-4, batch 64, clip 10). Reference constants for the `full-epoch`
/// profile's comparison, never used to produce a measurement.
public enum MNISTOfficialLog {
    /// One family's epoch-1 row.
    public struct EpochOne: Sendable {
        /// Mean forward NFE per training batch.
        public var forwardNFE: Double
        /// Mean backward NFE per training batch.
        public var backwardNFE: Double
        /// Test accuracy after the epoch, in percent.
        public var testAccuracy: Double
        /// Mean training loss per batch.
        public var trainLoss: Double
    }

    /// Epoch-1 rows per family.
    public static let epochOne: [ModelFamily: EpochOne] = [
        .node: EpochOne(forwardNFE: 32.7, backwardNFE: 46.9, testAccuracy: 91.66, trainLoss: 0.395),
        .anode: EpochOne(forwardNFE: 25.8, backwardNFE: 41.9, testAccuracy: 95.22, trainLoss: 0.351),
        .sonode: EpochOne(forwardNFE: 22.9, backwardNFE: 26.0, testAccuracy: 95.08, trainLoss: 0.341),
        .hbnode: EpochOne(forwardNFE: 20.8, backwardNFE: 24.6, testAccuracy: 94.80, trainLoss: 0.346),
        .ghbnode: EpochOne(forwardNFE: 25.0, backwardNFE: 26.6, testAccuracy: 94.99, trainLoss: 0.344),
    ]

    /// Where these numbers come from.
    public static let source = "official MNIST logs, epoch 1, mean of 3 runs"

    /// Half-width of the accuracy comparison, in points: one run here against a three-run mean whose
    /// spread after one epoch is about half a point (NODE 0.57), plus the run-to-run spread of one run.
    public static let accuracyBand = 1.5
}

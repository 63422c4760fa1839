import NeuralODEModels

/// Settings of the point-cloud training.
public struct PointCloudSettings: Encodable, Sendable {
    /// Iterations (full-batch Adam steps); the paper uses 300.
    public var iterations: Int
    /// Adam learning rate (0.01).
    public var learningRate: Double
    /// How every forward and backward solve runs (the experiment passes the as-run rtol = atol = 1e-3).
    public var solver: SolverConfiguration
    /// Iterations at which the visualisation points are snapshotted (only for runs that record them).
    public var snapshotIterations: [Int]

    /// The notebooks' settings with `iterations` iterations and six evenly spread snapshots
    /// (0, 60, 120, 180, 240, 299 for 300 iterations).
    public init(iterations: Int, learningRate: Double = 0.01, solver: SolverConfiguration) {
        self.iterations = iterations
        self.learningRate = learningRate
        self.solver = solver
        snapshotIterations = Array(Set((0..<5).map { $0 * iterations / 5 } + [iterations - 1])).sorted()
    }
}

import Datasets
import Foundation
import NeuralODEModels
import Tensors

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

/// Point-cloud training on the package stack: `ExperimentModels.pointCloud`, full-batch `trainingStep` with
/// `Adam`, MSE of the decoder output (no clipping).
public enum PointCloudTraining {
    /// Trains `model` in place on `points` for `settings.iterations` full-batch Adam steps; `afterStep` sees
    /// each step's report and the updated model.
    public static func train(
        _ model: inout ContinuousDepthModel<Float>, on points: NestedSpheres.Points, settings: PointCloudSettings,
        afterStep: (_ iteration: Int, _ report: StepReport, _ model: ContinuousDepthModel<Float>) throws -> Void = { _, _, _ in }
    ) throws {
        var optimizer = Adam<Float>(learningRate: settings.learningRate)
        let solver = settings.solver, inputs = Variable<Float>(constant: points.points)
        for iteration in 0..<settings.iterations {
            // The loss closure reads the structure of the model as it was before this step's update.
            let structure = model
            let report = try trainingStep(
                parameters: &model.parameters, optimizer: &optimizer, learningRate: settings.learningRate,
                modelName: model.name, iteration: iteration
            ) { p, log in
                Losses.meanSquaredError(try structure(inputs, p, solver: solver, log: log), points.labels)
            }
            try afterStep(iteration, report, model)
        }
    }

    /// Trains `family` with initialisation `seed` on `data.train`; snapshots the visualisation points when
    /// `recordSnapshots`. `progress` is called after every iteration with (iteration, loss). A failed solve
    /// ends the run and is recorded in it.
    public static func train(
        family: ModelFamily, seed: UInt64, data: NestedSpheres.Reference, settings: PointCloudSettings,
        recordSnapshots: Bool, progress: (Int, Double) -> Void = { _, _ in }
    ) -> PointCloudRun {
        let start = Date()
        var model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: seed)
        var run = PointCloudRun(
            family: family, seed: seed, losses: [], forwardNFE: [], backwardNFE: [], testMSE: .nan, seconds: 0,
            snapshots: [], failure: nil)
        let solver = settings.solver
        do {
            try train(&model, on: data.train, settings: settings) { iteration, step, model in
                run.losses.append(step.loss)
                run.forwardNFE.append(step.forwardEvaluations)
                run.backwardNFE.append(step.backwardEvaluations)
                if recordSnapshots && settings.snapshotIterations.contains(iteration) {
                    let constants = model.parameters.values.map { Variable(constant: $0) }
                    let states = try model.trajectory(Variable(constant: data.visualisation.points), constants, solver: solver, log: SolveLog())
                    let position = model.readout(states.last!).value
                    run.snapshots.append(.init(iteration: iteration, positions: position.scalars, width: position.shape[1]))
                }
                progress(iteration, step.loss)
            }
            run.testMSE = meanSquaredDifference(try model.predict(data.test.points, solver: solver), data.test.labels)
        } catch {
            run.failure = "\(error)"
        }
        run.seconds = Date().timeIntervalSince(start)
        return run
    }
}

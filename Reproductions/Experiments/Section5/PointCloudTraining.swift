import Datasets
import Foundation
import NeuralODEModels
import Tensors

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

import Datasets
import Experiments
import NeuralODEModels
import Testing

@Suite struct TrainingTests {
    /// HBNODE on the point cloud, seed 1, 40 full-batch Adam iterations at the source notebook's settings
    /// (dopri5, tol 1e-7, backsolve adjoint, lr 0.01): the loss at least halves.
    @Test func hbnodeTrainingReducesTheLoss() throws {
        let data = try NestedSpheres.loadReference(csv: testDataLocator.url(for: "point_cloud/reference-pointcloud-2d.csv").path)
        var model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(.hbnode, seed: 1)
        var reports: [StepReport] = []
        try PointCloudTraining.train(&model, on: data.train, settings: PointCloudSettings(iterations: 40, solver: SolverConfiguration(tolerance: 1e-7))) {
            _, report, _ in reports.append(report)
        }
        let first = reports.first!.loss, last = reports.last!.loss
        #expect(last < first / 2, "loss \(first) → \(last)")
        // torchdiffeq NFE arithmetic: every dopri5 solve costs 2 + 6·(steps).
        #expect(reports.allSatisfy { hasDopri5Form($0.forwardEvaluations) && $0.backwardEvaluations > 0 })
    }
}

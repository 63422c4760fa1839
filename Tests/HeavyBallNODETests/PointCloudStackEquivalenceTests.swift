import Datasets
import Experiments
import Foundation
import NeuralODEModels
import Tensors
import Testing

/// The point-cloud experiment runs on the package stack (`ExperimentModels.pointCloud` + `ODEBlock` +
/// `trainingStep` + `Adam`). Before the switch, a test (commit b2eeb51) copied these seeded weights into the
/// retired private stack and found the same loss (to 1e-5), the same forward and backward NFE and the same
/// gradients over four Adam steps, with the documented sign conventions mapped (the heavy-ball families'
/// last field and initial-velocity layers change sign; `[2B, 2]` vs `[B, 2, 2]` states). The numbers below
/// were recorded there; they pin the stack the experiments now use.
@Suite struct PointCloudStackEquivalenceTests {
    /// (loss, forward NFE, backward NFE, gradient norm) of iterations 0…3, seed 5, rtol = atol = 1e-3, lr 0.01.
    static let recorded: [ModelFamily: [(Double, Int, Int, Double)]] = [
        .node: [(0.946373701095581, 14, 14, 0.24602266468320816), (0.9343823790550232, 14, 14, 0.1508014985838973),
                (0.9297709465026855, 14, 14, 0.16153024924292544), (0.9242384433746338, 14, 14, 0.16963886872455222)],
        .anode: [(1.3054931163787842, 14, 14, 1.1698507934559277), (1.1981250047683716, 14, 14, 0.8075760729424982),
                 (1.1303852796554565, 14, 14, 0.6103286599630694), (1.086653232574463, 14, 14, 0.5622356523643955)],
        .sonode: [(1.2308011054992676, 14, 14, 1.5384011933454873), (1.1019035577774048, 14, 14, 1.0925489845846215),
                  (1.0186185836791992, 14, 14, 0.6295638452721437), (0.9816489219665527, 14, 14, 0.27531867773773855)],
        .hbnode: [(1.6530996561050415, 14, 14, 1.6071612292806756), (1.4793888330459595, 14, 14, 1.2849656166188752),
                  (1.3388662338256836, 14, 14, 1.004498390815816), (1.2314066886901855, 14, 14, 0.7779652273345243)],
        .ghbnode: [(1.2629321813583374, 20, 14, 1.3710767807267128), (1.1408859491348267, 20, 14, 1.00076697402856),
                   (1.0551048517227173, 20, 14, 0.6261161649147814), (1.0050863027572632, 20, 14, 0.29645441208263656)],
    ]

    @Test(arguments: ModelFamily.allCases)
    func trainingStepsMatchTheRecordedPrivateStack(_ family: ModelFamily) throws {
        let data = try NestedSpheres.loadReference(csv: testDataLocator.url(for: "point_cloud/reference-pointcloud-2d.csv").path)
        var model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: 5)
        let settings = PointCloudSettings(iterations: 4, solver: SolverConfiguration(tolerance: 1e-3))
        let expected = try #require(Self.recorded[family])
        try PointCloudTraining.train(&model, on: data.train, settings: settings) { iteration, report, _ in
            let (loss, forward, backward, norm) = expected[iteration]
            // Float results across OpenBLAS kernels agree to about 1e-5 relative.
            #expect(abs(report.loss - loss) <= 1e-5 * loss, "\(family) iteration \(iteration): loss \(report.loss) vs \(loss)")
            #expect(report.forwardEvaluations == forward && report.backwardEvaluations == backward, "\(family) iteration \(iteration): NFE")
            #expect(abs(report.gradientNorm - norm) <= 1e-4 * norm, "\(family) iteration \(iteration): gradient norm \(report.gradientNorm) vs \(norm)")
        }
    }
}

import Datasets
import Experiments
import Foundation
import NeuralODEModels
import ReproductionKit
import Tensors
import Testing

/// The epoch loop shared by the plane-vibration, Walker2D and image experiments, on a tiny point cloud.
@Suite struct FamilyEpochTrainingTests {
    /// Raised by the loss to simulate a failed solve.
    struct SimulatedFailure: Error, CustomStringConvertible {
        var description: String { "simulated solver failure" }
    }

    /// Trains `families` for `epochs` epochs (one batch of 8 points each) in `root`; the loss throws on
    /// its `failOnCall`-th call for NODE.
    func train(_ families: [ModelFamily], epochs: Int, root: URL, resume: Bool = false, failOnCall: Int? = nil) throws -> FamilyEpochResults {
        let data = NestedSpheres.generate(innerCount: 4, outerCount: 4, seed: 3)
        let run = try RunDirectory(root: root.path, section: 9, experiment: "epochs")
        var nodeCalls = 0
        return try trainFamiliesByEpoch(
            label: "test", families: families, seed: 1, epochs: epochs, clipNorm: 1, batchesPerEpoch: 1,
            configuration: ["tiny point cloud"], run: run, resume: resume,
            makeModel: { family -> ContinuousDepthModel<Float> in ExperimentModels.pointCloud(family, seed: 1) },
            learningRate: { _ in .perEpochWithFreshPhases(.piecewise(starts: [0, 1], rates: [0.01, 0.005])) },
            batches: { _ in [data] },
            loss: { model, batch, p, log in
                if model.family == .node {
                    nodeCalls += 1
                    if nodeCalls == failOnCall { throw SimulatedFailure() }
                }
                let prediction = try model(Variable(constant: batch.points), p, solver: SolverConfiguration(tolerance: 1e-7), log: log)
                return (Losses.meanSquaredError(prediction, batch.labels), nil)
            },
            evaluate: { _, epoch, record in record.testLoss = Double(10 * epoch) },
            summary: { family, record in "\(family.rawValue) epoch \(record.epoch)" })
    }

    @Test func resumedRunMatchesAnUninterruptedOne() throws {
        let whole = try train([.hbnode], epochs: 3, root: temporaryFolder("epochs-whole"))
        let root = temporaryFolder("epochs-resumed")
        let first = try train([.hbnode], epochs: 2, root: root)
        #expect(first.histories[.hbnode]?.count == 2)
        let resumed = try train([.hbnode], epochs: 3, root: root, resume: true)
        let a = try #require(whole.histories[.hbnode]), b = try #require(resumed.histories[.hbnode])
        #expect(a.count == 3)
        #expect(a.map(\.trainLoss) == b.map(\.trainLoss))
        #expect(a.map(\.backwardNFE) == b.map(\.backwardNFE))
        #expect(a.map(\.epoch) == [0, 1, 2])
        #expect(a.map(\.testLoss) == [0, 10, 20])
        #expect(a.allSatisfy { $0.trainAccuracy == nil && $0.forwardNFE > 0 })
        #expect(a[2].trainLoss < a[0].trainLoss)
        #expect(whole.parameterCounts[.hbnode] == 568)
        #expect(whole.failures.isEmpty)
    }

    @Test func failedFamilyKeepsItsCompletedEpochsAndTheNextFamilyRuns() throws {
        let results = try train([.node, .hbnode], epochs: 2, root: temporaryFolder("epochs-failure"), failOnCall: 2)
        #expect(results.histories[.node]?.count == 1)
        #expect(results.failures[.node]?.contains("epoch 1: simulated solver failure") == true)
        #expect(results.histories[.hbnode]?.count == 2)
        #expect(results.failures[.hbnode] == nil)
        #expect(results.parameterCounts[.node] == 525)
    }
}

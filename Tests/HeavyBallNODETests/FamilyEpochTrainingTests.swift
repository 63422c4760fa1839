import Datasets
import Experiments
import Foundation
import NeuralODEModels
import ReproductionKit
import Tensors
import Testing

/// The epoch loop shared by the plane-vibration, Walker2D and image experiments, on a tiny point cloud.
@Suite struct FamilyEpochTrainingTests {
    /// A failure of the run itself (what a full disk or a kill is to the loop): it must stop the run.
    struct SimulatedKill: Error {}

    /// Trains `families` for `epochs` epochs of `batchesPerEpoch` batches (8 points in all) in `root`; the
    /// loss fails numerically on its `failOnCall`-th call for NODE and stops the run on its `killOnCall`-th
    /// call for any family. `checkpointInterval` 0 checkpoints after every batch.
    func train(
        _ families: [ModelFamily], epochs: Int, root: URL, resume: Bool = false, batchesPerEpoch: Int = 1,
        checkpointInterval: Double = defaultCheckpointInterval, failOnCall: Int? = nil, killOnCall: Int? = nil
    ) throws -> FamilyEpochResults {
        let parts = (0..<batchesPerEpoch).map { k in
            NestedSpheres.generate(innerCount: 4 / batchesPerEpoch, outerCount: 4 / batchesPerEpoch, seed: UInt32(3 + k))
        }
        let run = try RunDirectory(root: root.path, section: 9, experiment: "epochs")
        var nodeCalls = 0, calls = 0
        return try trainFamiliesByEpoch(
            label: "test", families: families, seed: 1, epochs: epochs, clipNorm: 1, batchesPerEpoch: batchesPerEpoch,
            configuration: ["tiny point cloud"], run: run, resume: resume, checkpointInterval: checkpointInterval,
            makeModel: { family -> ContinuousDepthModel<Float> in ExperimentModels.pointCloud(family, seed: 1) },
            learningRate: { _ in .perEpochWithFreshPhases(.piecewise(starts: [0, 1], rates: [0.01, 0.005])) },
            batches: { epoch in epoch % 2 == 0 ? parts : parts.reversed() },
            loss: { model, batch, p, log in
                calls += 1
                if calls == killOnCall { throw SimulatedKill() }
                if model.family == .node {
                    nodeCalls += 1
                    if nodeCalls == failOnCall {
                        throw ModelError.forwardSolveFailed(model: "node", time: 0, underlying: "simulated solver failure")
                    }
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
        #expect(results.failures[.node]?.contains("epoch 2: node: forward solve starting at t = 0.0 failed: simulated solver failure") == true)
        #expect(results.histories[.hbnode]?.count == 2)
        #expect(results.failures[.hbnode] == nil)
        #expect(results.parameterCounts[.node] == 525)
    }

    /// The final checkpoint of a family trained by ``train``.
    func finalCheckpoint(_ root: URL, _ family: ModelFamily) throws -> EpochCheckpoint {
        let run = try RunDirectory(root: root.path, section: 9, experiment: "epochs")
        let store = CheckpointStore<EpochCheckpoint>(
            run: run, name: "\(family.rawValue)-seed1", fingerprint: configurationFingerprint(["tiny point cloud"]))
        return try #require(try store.load())
    }

    @Test func killWithinAnEpochResumesBitIdentically() throws {
        let wholeRoot = temporaryFolder("epochs-within-whole")
        let whole = try train([.hbnode, .sonode], epochs: 2, root: wholeRoot, batchesPerEpoch: 4)
        let root = temporaryFolder("epochs-within-killed")
        // Killed at the third batch of HBNODE's second epoch (call 7), after checkpoints at every batch.
        #expect(throws: SimulatedKill.self) {
            try train([.hbnode, .sonode], epochs: 2, root: root, batchesPerEpoch: 4, checkpointInterval: 0, killOnCall: 7)
        }
        let killed = try finalCheckpoint(root, .hbnode)
        #expect(killed.completedEpochs == 1)
        #expect(killed.partialEpoch?.batchesDone == 2)
        let resumed = try train([.hbnode, .sonode], epochs: 2, root: root, resume: true, batchesPerEpoch: 4)
        for family in [ModelFamily.hbnode, .sonode] {
            let a = try #require(whole.histories[family]), b = try #require(resumed.histories[family])
            #expect(a.map(\.trainLoss) == b.map(\.trainLoss))
            #expect(a.map(\.forwardNFE) == b.map(\.forwardNFE))
            #expect(a.map(\.backwardNFE) == b.map(\.backwardNFE))
            #expect(try finalCheckpoint(wholeRoot, family).parameters == finalCheckpoint(root, family).parameters)
            #expect(try finalCheckpoint(root, family).partialEpoch == nil)
        }
        let rows = try String(contentsOf: root.appendingPathComponent("section-9/epochs/hbnode-epochs.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        #expect(rows == ["0", "1"])
    }

    @Test func resumeDropsALogRowWhoseCheckpointWasNeverWritten() throws {
        let root = temporaryFolder("epochs-orphan-row")
        _ = try train([.hbnode], epochs: 2, root: root)
        // A kill between an epoch's log row and its checkpoint leaves a row the checkpoint does not know.
        let folder = root.appendingPathComponent("section-9/epochs")
        for name in ["hbnode-epochs.csv", "hbnode-epochs.jsonl"] {
            let url = folder.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            try (text + text.split(separator: "\n").last! + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        _ = try train([.hbnode], epochs: 3, root: root, resume: true)
        for name in ["hbnode-epochs.csv", "hbnode-epochs.jsonl"] {
            let lines = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == (name.hasSuffix(".csv") ? 4 : 3), "\(name): \(lines)")
        }
    }

    @Test func aFailureOfTheRunItselfStopsTheRunInsteadOfEndingAFamily() throws {
        #expect(throws: SimulatedKill.self) {
            try train([.hbnode, .sonode], epochs: 1, root: temporaryFolder("epochs-io-failure"), killOnCall: 1)
        }
    }
}

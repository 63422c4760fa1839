import Experiments
import Foundation
import NeuralODEModels
import ReproductionKit
import Testing

/// A checkpoint that does not fit the model or the run is refused by name on `--resume`, never a crash.
@Suite struct CheckpointValidationTests {
    /// Trains HBNODE for two epochs, lets `edit` damage its checkpoint, and resumes.
    func resume(after edit: (inout EpochCheckpoint) -> Void, layout: String? = nil) throws -> ReproductionError? {
        let root = temporaryFolder("checkpoint-validation")
        defer { try? FileManager.default.removeItem(at: root) }
        let training = FamilyEpochTrainingTests()
        _ = try training.train([.hbnode], epochs: 2, root: root)
        let run = try RunDirectory(root: root.path, section: 9, experiment: "epochs")
        let fingerprint = configurationFingerprint(["tiny point cloud"])
        var checkpoint = try #require(try CheckpointStore<EpochCheckpoint>(run: run, name: "hbnode-seed1", fingerprint: fingerprint).load())
        edit(&checkpoint)
        try CheckpointStore<EpochCheckpoint>(run: run, name: "hbnode-seed1", fingerprint: fingerprint, layout: layout).save(checkpoint)
        do {
            _ = try training.train([.hbnode], epochs: 2, root: root, resume: true)
            return nil
        } catch let error as ReproductionError {
            return error
        }
    }

    @Test func parameterArrayOneElementShortIsRefused() throws {
        let error = try resume { $0.parameters[0].removeLast() }
        guard case let .badCheckpoint(path, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path.hasSuffix("hbnode-seed1.checkpoint.json"))
        #expect(reason.contains("parameter 0 has"), "got: \(reason)")
    }

    @Test func historyLongerThanTheRunIsRefused() throws {
        let error = try resume { checkpoint in
            checkpoint.history += checkpoint.history
            checkpoint.completedEpochs = checkpoint.history.count
        }
        guard case let .badCheckpoint(_, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.contains("4 epochs of history"), "got: \(reason)")
    }

    @Test func checkpointOfAnotherFormatOrModelLayoutIsRefused() throws {
        let error = try resume(after: { _ in }, layout: "epoch-checkpoint 1; hbnode; [2, 2]")
        guard case let .badCheckpoint(_, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.contains("epoch-checkpoint 1; hbnode; [2, 2]"), "got: \(reason)")
        #expect(reason.contains("epoch-checkpoint \(EpochCheckpoint.formatVersion); pointCloud-hbnode; [14, 2]"), "got: \(reason)")
    }

    @Test func intactCheckpointResumes() throws {
        #expect(try resume { _ in } == nil)
    }
}

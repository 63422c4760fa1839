import Testing
import Tensors
#if canImport(Glibc)
import Glibc
#endif
@testable import NeuralODEModels

@Suite struct CheckpointTests {
    func temporaryFolder() -> String {
        var template = Array("/tmp/hbnode-ckpt-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(cString: path!)
    }

    /// A few Adam steps on a point-cloud model with pseudo-gradients drawn from the state's generator.
    func advance(_ state: inout TrainingState<Float>, steps: Int) {
        for _ in 0..<steps {
            let grads = state.parameters.values.map { p in Tensor<Float>(randomNormal: p.shape, using: &state.rng) }
            state.optimizer.update(&state.parameters, gradients: grads)
            state.iteration += 1
        }
    }

    func freshState(_ family: ModelFamily = .hbnode) -> TrainingState<Float> {
        let model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: 5)
        return TrainingState(modelName: model.name, parameters: model.parameters, optimizer: Adam(learningRate: 0.01),
                             rng: SeededGenerator(seed: 11), iteration: 0)
    }

    @Test func resumeIsBitForBit() throws {
        let folder = temporaryFolder()
        var state = freshState()
        advance(&state, steps: 3)
        let path = folder + "/model.ckpt"
        try Checkpoint.save(state, to: path)
        var resumed = try Checkpoint.load(path, matching: freshState())
        #expect(resumed == state)
        advance(&state, steps: 4)
        advance(&resumed, steps: 4)
        #expect(resumed == state)
    }

    @Test func corruptTruncatedAndMismatchedFilesAreRejected() throws {
        let folder = temporaryFolder()
        var state = freshState()
        advance(&state, steps: 2)
        let path = folder + "/model.ckpt"
        try Checkpoint.save(state, to: path)
        let good = try AtomicFile.read(path)

        // Truncated.
        try AtomicFile.write(Array(good.prefix(good.count - 100)), to: folder + "/truncated.ckpt")
        #expect(throws: CheckpointError.self) { try Checkpoint.load(folder + "/truncated.ckpt", matching: freshState()) }
        // One flipped bit in the payload.
        var flipped = good
        flipped[good.count / 2] ^= 0x10
        do {
            _ = try Checkpoint.decode(flipped, path: "flipped", matching: freshState())
            Issue.record("a corrupt checkpoint loaded")
        } catch {
            guard case .checksumMismatch = error else { Issue.record("unexpected error \(error)"); return }
        }
        // Not a checkpoint at all.
        do {
            _ = try Checkpoint.decode(Array("hello".utf8), path: "text", matching: freshState())
            Issue.record("text loaded as a checkpoint")
        } catch {
            #expect(error == .notACheckpoint(path: "text"))
        }
        // Another model configuration: GHBNODE has the same shapes but another name.
        do {
            _ = try Checkpoint.load(path, matching: freshState(.ghbnode))
            Issue.record("loaded into the wrong model")
        } catch {
            #expect(error == .modelMismatch(path: path, expected: "pointCloud-ghbnode", found: "pointCloud-hbnode"))
            #expect(error.description.contains(path))
        }
        // Same name, other shapes.
        var reshaped = freshState()
        reshaped.parameters = ExperimentModels.pointCloud(.sonode, seed: 5).parameters
        do {
            _ = try Checkpoint.load(path, matching: reshaped)
            Issue.record("loaded into mismatched shapes")
        } catch {
            switch error {
            case .parameterCountMismatch, .parameterMismatch: break
            default: Issue.record("unexpected error \(error)")
            }
        }
        // A failed save (folder missing) throws and leaves the good file loadable.
        #expect(throws: CheckpointError.self) { try Checkpoint.save(state, to: folder + "/missing/model.ckpt") }
        #expect(try Checkpoint.load(path, matching: freshState()) == state)
        #expect(try AtomicFile.read(path) == good)
    }
}

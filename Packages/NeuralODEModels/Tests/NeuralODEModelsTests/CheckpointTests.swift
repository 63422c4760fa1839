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

    /// A small MLP with a trainable scalar, registered under `name`; `widths` changes the shapes.
    func freshState(_ name: String = "mlp-hbnode", widths: [Int] = [2, 6, 2]) -> TrainingState<Float> {
        var store = ParameterStore<Float>()
        var rng = SeededGenerator(seed: 5)
        _ = Sequential.mlp("net", widths: widths, activation: .elu(alpha: 1), store: &store, rng: &rng)
        _ = ScalarParameter("omega", initialValue: -3, frozen: false, store: &store)
        return TrainingState(modelName: name, parameters: store, optimizer: Adam(learningRate: 0.01),
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
        // Another model configuration: the same shapes under another name.
        do {
            _ = try Checkpoint.load(path, matching: freshState("mlp-ghbnode"))
            Issue.record("loaded into the wrong model")
        } catch {
            #expect(error == .modelMismatch(path: path, expected: "mlp-ghbnode", found: "mlp-hbnode"))
            #expect(error.description.contains(path))
        }
        // Same name, other shapes.
        var reshaped = freshState()
        reshaped.parameters = freshState(widths: [4, 5, 2]).parameters
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

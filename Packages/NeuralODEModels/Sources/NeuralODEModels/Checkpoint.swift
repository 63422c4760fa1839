import Tensors

/// Everything needed to resume training bit-for-bit: parameters, Adam state, RNG state and counters.
public struct TrainingState<Scalar: TensorScalar>: Sendable, Equatable {
    /// The model configuration's name (a checkpoint only loads into the same configuration).
    public var modelName: String
    /// The parameters.
    public var parameters: ParameterStore<Scalar>
    /// The optimiser, moments included.
    public var optimizer: Adam<Scalar>
    /// The generator that drives shuffling, sampling and initialisation.
    public var rng: SeededGenerator
    /// Completed iterations (or epochs; the caller decides).
    public var iteration: Int

    /// Bundles the parts.
    public init(modelName: String, parameters: ParameterStore<Scalar>, optimizer: Adam<Scalar>, rng: SeededGenerator, iteration: Int) {
        self.modelName = modelName
        self.parameters = parameters
        self.optimizer = optimizer
        self.rng = rng
        self.iteration = iteration
    }
}

/// Binary checkpoints: magic `HBNODECK`, format version, model name, scalar width, parameter names and
/// shapes, optimiser hyper-parameters and step, RNG words, iteration, then the raw parameter and moment
/// scalars, then a 64-bit FNV-1a checksum of everything before it. Doubles are stored as bit patterns and
/// tensors as their raw bytes, so a resumed run is bit-identical.
public enum Checkpoint {
    static let magic: [UInt8] = Array("HBNODECK".utf8)
    static let version = 1

    /// The encoded bytes of a training state.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func encode<Scalar>(_ state: TrainingState<Scalar>) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: magic)
        w.write(version)
        w.write(state.modelName)
        w.write(MemoryLayout<Scalar>.stride)
        w.write(state.parameters.tensorCount)
        for (name, value) in zip(state.parameters.names, state.parameters.values) {
            w.write(name)
            w.write(value.rank)
            for extent in value.shape { w.write(extent) }
        }
        let adam = state.optimizer
        w.write(adam.learningRate); w.write(adam.beta1); w.write(adam.beta2); w.write(adam.epsilon); w.write(adam.weightDecay)
        w.write(adam.step)
        w.write(adam.firstMoments.isEmpty ? 0 : 1)
        for word in state.rng.state { w.write(word) }
        w.write(state.iteration)
        for value in state.parameters.values { w.write(value) }
        for value in adam.firstMoments { w.write(value) }
        for value in adam.secondMoments { w.write(value) }
        w.write(fnv1a(w.bytes[...]))
        return w.bytes
    }

    /// Saves atomically (temporary file, fsync, rename): on any error the previous file is intact.
    public static func save<Scalar>(_ state: TrainingState<Scalar>, to path: String) throws(CheckpointError) {
        try AtomicFile.write(encode(state), to: path)
    }

    /// Loads a checkpoint written for the same configuration as `expected` (same model name, scalar
    /// type, parameter names and shapes) and returns the stored state. Nothing is modified on error.
    public static func load<Scalar>(_ path: String, matching expected: TrainingState<Scalar>) throws(CheckpointError) -> TrainingState<Scalar> {
        try decode(try AtomicFile.read(path), path: path, matching: expected)
    }

    /// Decodes bytes produced by ``encode(_:)``; `path` only labels errors.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func decode<Scalar>(_ bytes: [UInt8], path: String, matching expected: TrainingState<Scalar>) throws(CheckpointError) -> TrainingState<Scalar> {
        guard bytes.count >= magic.count, Array(bytes[..<magic.count]) == magic else { throw .notACheckpoint(path: path) }
        guard bytes.count >= magic.count + 8 + 8 else { throw .truncated(path: path, offset: bytes.count, needed: 16) }
        // Verify the checksum first, so truncation and corruption are reported as such.
        let body = bytes[..<(bytes.count - 8)]
        var tail = ByteReader(bytes: bytes, path: path, offset: bytes.count - 8)
        let stored = try tail.readUInt64()
        let computed = fnv1a(body)
        guard stored == computed else { throw .checksumMismatch(path: path, stored: stored, computed: computed) }

        var r = ByteReader(bytes: Array(body), path: path, offset: magic.count)
        let versionOffset = r.offset
        let fileVersion = try r.readInt()
        guard fileVersion == version else { throw .corruptHeader(path: path, offset: versionOffset, reason: "unknown format version \(fileVersion)") }
        let name = try r.readString()
        guard name == expected.modelName else { throw .modelMismatch(path: path, expected: expected.modelName, found: name) }
        let width = try r.readInt()
        guard width == MemoryLayout<Scalar>.stride else { throw .scalarTypeMismatch(path: path, expected: MemoryLayout<Scalar>.stride, found: width) }
        let count = try r.readInt()
        guard count == expected.parameters.tensorCount else {
            throw .parameterCountMismatch(path: path, expected: expected.parameters.tensorCount, found: count)
        }
        var shapes = [[Int]]()
        for k in 0..<count {
            let paramName = try r.readString()
            let rankOffset = r.offset
            let rank = try r.readInt()
            guard rank >= 0 && rank <= 8 else { throw .corruptHeader(path: path, offset: rankOffset, reason: "rank \(rank)") }
            var shape = [Int]()
            for _ in 0..<rank { shape.append(try r.readInt()) }
            let expectedName = expected.parameters.names[k], expectedShape = expected.parameters.values[k].shape
            guard paramName == expectedName && shape == expectedShape else {
                throw .parameterMismatch(path: path, index: k, expected: "\(expectedName) \(expectedShape)", found: "\(paramName) \(shape)")
            }
            shapes.append(shape)
        }
        var adam = Adam<Scalar>(
            learningRate: try r.readDouble(), beta1: try r.readDouble(), beta2: try r.readDouble(),
            epsilon: try r.readDouble(), weightDecay: try r.readDouble())
        let step = try r.readInt()
        let hasMoments = try r.readInt() != 0
        var words = [UInt64]()
        for _ in 0..<4 { words.append(try r.readUInt64()) }
        let rngOffset = r.offset
        guard words.contains(where: { $0 != 0 }) else { throw .corruptHeader(path: path, offset: rngOffset, reason: "all-zero generator state") }
        let iteration = try r.readInt()
        var parameters = expected.parameters
        for k in 0..<count { parameters.values[k] = try r.readTensor(shape: shapes[k]) }
        if hasMoments {
            var first = [Tensor<Scalar>](), second = [Tensor<Scalar>]()
            for k in 0..<count { first.append(try r.readTensor(shape: shapes[k])) }
            for k in 0..<count { second.append(try r.readTensor(shape: shapes[k])) }
            adam.restore(step: step, firstMoments: first, secondMoments: second)
        } else {
            adam.restore(step: step, firstMoments: [], secondMoments: [])
        }
        guard r.offset == body.count else {
            throw .corruptHeader(path: path, offset: r.offset, reason: "\(body.count - r.offset) unexpected trailing bytes")
        }
        var rng = SeededGenerator(seed: 0)
        rng.state = words
        return TrainingState(modelName: name, parameters: parameters, optimizer: adam, rng: rng, iteration: iteration)
    }
}

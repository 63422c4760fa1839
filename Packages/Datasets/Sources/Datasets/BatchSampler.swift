/// Splits `0..<count` into mini-batches of indices, optionally in a fresh seeded order every epoch.
///
/// Only an index permutation is shuffled; the data stay where they are, and each batch is gathered
/// (``ImageClassificationSet/gather(_:into:labels:)``, ``RowGather/gatherRows(_:from:into:)``) into a
/// buffer that the training loop reuses. The order depends only on the seed and the epoch number, so
/// a resumed run sees the same batches as an uninterrupted one.
public struct BatchSampler: Sendable {
    /// Number of examples.
    public let count: Int
    /// Examples per batch (the last batch may be shorter unless ``dropLast``).
    public let batchSize: Int
    /// Whether each epoch uses a fresh permutation (PyTorch `shuffle=True`) or file order.
    public let shuffle: Bool
    /// Whether a short last batch is dropped.
    public let dropLast: Bool
    /// The seed from which each epoch's permutation is derived.
    public let seed: UInt32

    /// Creates a sampler; `batchSize` must be positive.
    public init(count: Int, batchSize: Int, shuffle: Bool, seed: UInt32 = 0, dropLast: Bool = false) {
        precondition(count >= 0 && batchSize > 0, "BatchSampler needs count ≥ 0 and batchSize > 0, got \(count), \(batchSize)")
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
    }

    /// Batches per epoch.
    public var batchesPerEpoch: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The example order of `epoch`: the identity without shuffling, else a permutation seeded by
    /// `[seed, epoch]` (MT19937 `init_by_array`, so epochs are independent streams).
    public func order(epoch: Int) -> [Int] {
        var indices = Array(0..<count)
        if shuffle {
            var rng = NumpyRandomState(seedArray: [seed, UInt32(truncatingIfNeeded: epoch)])
            rng.shuffle(&indices)
        }
        return indices
    }

    /// The batches of `epoch`, each a slice of that epoch's order.
    public func batches(epoch: Int) -> [ArraySlice<Int>] {
        let indices = order(epoch: epoch)
        return (0..<batchesPerEpoch).map { b in
            indices[(b * batchSize)..<min((b + 1) * batchSize, count)]
        }
    }
}

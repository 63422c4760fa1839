/// Forward and backward numbers of function evaluations (NFE) of an ODE solve.
public struct NFECounts: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// Evaluations of the vector field during the forward solve.
    public var forward: Int
    /// Evaluations during the backward (adjoint) solve.
    public var backward: Int

    /// Creates counts.
    public init(forward: Int = 0, backward: Int = 0) {
        self.forward = forward
        self.backward = backward
    }

    /// Forward plus backward evaluations.
    public var total: Int { forward + backward }

    /// Component-wise sum.
    public static func + (lhs: NFECounts, rhs: NFECounts) -> NFECounts {
        NFECounts(forward: lhs.forward + rhs.forward, backward: lhs.backward + rhs.backward)
    }

    /// `"forward/backward"`, e.g. `"26/38"`.
    public var description: String { "\(forward)/\(backward)" }
}

/// One finished epoch's NFE figures.
public struct EpochNFE: Sendable, Equatable, Codable {
    /// Zero-based epoch index.
    public var epoch: Int
    /// Batches counted in the epoch.
    public var batches: Int
    /// Sum of the counts over the epoch's batches.
    public var total: NFECounts
    /// Mean forward NFE per batch (0 for an epoch without batches).
    public var meanForwardPerBatch: Double { batches == 0 ? 0 : Double(total.forward) / Double(batches) }
    /// Mean backward NFE per batch (0 for an epoch without batches).
    public var meanBackwardPerBatch: Double { batches == 0 ? 0 : Double(total.backward) / Double(batches) }
}

/// Counts forward and backward NFE per batch and per epoch, the figures the paper plots per epoch.
///
/// The solver reports evaluations as they happen (`addForward`/`addBackward`); the training loop closes
/// each batch with `endBatch()` and each epoch with `endEpoch()`, which appends to `history`. `Codable`, so
/// a checkpoint taken in the middle of an epoch continues the epoch's sums exactly.
public struct NFEMeter: Sendable, Equatable, Codable {
    /// Counts of the batch in progress.
    public private(set) var currentBatch = NFECounts()
    /// Counts of the most recently closed batch.
    public private(set) var lastBatch = NFECounts()
    /// Sum over the closed batches of the epoch in progress.
    public private(set) var currentEpoch = NFECounts()
    /// Closed batches in the epoch in progress.
    public private(set) var batchesInEpoch = 0
    /// Every closed epoch, oldest first.
    public private(set) var history: [EpochNFE] = []

    /// Creates an empty meter.
    public init() {}

    /// Records `count` forward evaluations in the current batch.
    public mutating func addForward(_ count: Int = 1) {
        precondition(count >= 0, "NFEMeter.addForward: negative count \(count)")
        currentBatch.forward += count
    }

    /// Records `count` backward evaluations in the current batch.
    public mutating func addBackward(_ count: Int = 1) {
        precondition(count >= 0, "NFEMeter.addBackward: negative count \(count)")
        currentBatch.backward += count
    }

    /// Closes the current batch, adds it to the epoch and returns its counts.
    @discardableResult
    public mutating func endBatch() -> NFECounts {
        let finished = currentBatch
        lastBatch = finished
        currentEpoch = currentEpoch + finished
        batchesInEpoch += 1
        currentBatch = NFECounts()
        return finished
    }

    /// Closes the current epoch, records it in `history` and returns it.
    ///
    /// Evaluations of a batch that was not closed with `endBatch()` are left in `currentBatch`: they
    /// belong to no batch yet, and silently folding them in would skew the per-batch means.
    @discardableResult
    public mutating func endEpoch() -> EpochNFE {
        let finished = EpochNFE(epoch: history.count, batches: batchesInEpoch, total: currentEpoch)
        history.append(finished)
        currentEpoch = NFECounts()
        batchesInEpoch = 0
        return finished
    }
}

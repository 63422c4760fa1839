/// Accumulates correct and total counts over the batches of an epoch, so the epoch accuracy is exact
/// even when the last batch is smaller than the others (averaging per-batch accuracies would not be).
public struct AccuracyMeter: Sendable, Equatable {
    /// Predictions that matched their label so far.
    public private(set) var correct = 0
    /// Predictions seen so far.
    public private(set) var total = 0

    /// Creates an empty meter.
    public init() {}

    /// The accuracy so far, or 0 before any prediction.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Adds a batch of class predictions.
    public mutating func add(predictions: [Int], labels: [Int]) {
        correct += Evaluation.correctCount(predictions: predictions, labels: labels)
        total += labels.count
    }

    /// Adds a batch of row-major `[batch, classCount]` scores.
    public mutating func add(scores: [Double], classCount: Int, labels: [Int]) {
        add(predictions: Evaluation.argmaxRows(scores, columns: classCount), labels: labels)
    }

    /// Forgets everything, for the next epoch.
    public mutating func reset() { self = AccuracyMeter() }
}

/// Running mean, variance, minimum and maximum of a stream of values (Welford's algorithm).
///
/// Welford's update avoids the catastrophic cancellation of the naive sum-of-squares formula, which
/// matters for losses that settle to a tiny spread around a large mean. Two partial statistics can be
/// merged (Chan et al.), so per-thread or per-seed accumulators combine exactly. `Codable`, so a
/// checkpoint taken in the middle of an epoch continues the statistics exactly.
public struct RunningStatistics: Sendable, Equatable, Codable {
    /// Number of values added.
    public private(set) var count = 0
    /// Mean of the values added, 0 when empty.
    public private(set) var mean = 0.0
    /// Sum of squared deviations from the mean (Welford's M2).
    public private(set) var sumOfSquaredDeviations = 0.0
    /// Smallest value added, +infinity when empty.
    public private(set) var minimum = Double.infinity
    /// Largest value added, -infinity when empty.
    public private(set) var maximum = -Double.infinity

    /// Creates empty statistics.
    public init() {}

    /// Creates statistics of the given values.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for value in values { add(value) }
    }

    /// Adds one value.
    public mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        sumOfSquaredDeviations += delta * (value - mean)
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
    }

    /// Adds every value of a sequence.
    public mutating func add<S: Sequence>(contentsOf values: S) where S.Element == Double {
        for value in values { add(value) }
    }

    /// Combines the statistics of another stream into this one, as if its values had been added here.
    public mutating func merge(_ other: RunningStatistics) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = count + other.count
        let delta = other.mean - mean
        mean += delta * Double(other.count) / Double(total)
        sumOfSquaredDeviations += other.sumOfSquaredDeviations
            + delta * delta * Double(count) * Double(other.count) / Double(total)
        count = total
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// Unbiased sample variance (divides by n - 1); 0 for fewer than two values.
    public var variance: Double { count < 2 ? 0 : sumOfSquaredDeviations / Double(count - 1) }
    /// Population variance (divides by n); 0 when empty.
    public var populationVariance: Double { count == 0 ? 0 : sumOfSquaredDeviations / Double(count) }
    /// Sample standard deviation, the square root of `variance`.
    public var standardDeviation: Double { variance.squareRoot() }
    /// Population standard deviation, the square root of `populationVariance`.
    public var populationStandardDeviation: Double { populationVariance.squareRoot() }
}

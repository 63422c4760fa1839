/// A result summarised over several seeds as mean ± sample standard deviation, the way the paper
/// reports its tables.
public struct MeanAndDeviation: Sendable, Equatable, CustomStringConvertible {
    /// Mean over the seeds.
    public var mean: Double
    /// Sample standard deviation over the seeds (n - 1 denominator), 0 for a single seed.
    public var standardDeviation: Double
    /// Number of seeds summarised.
    public var count: Int

    /// Summarises the per-seed values.
    public init(_ values: [Double]) {
        let statistics = RunningStatistics(values)
        self.init(mean: statistics.mean, standardDeviation: statistics.standardDeviation, count: statistics.count)
    }

    /// Creates a summary from already computed figures.
    public init(mean: Double, standardDeviation: Double, count: Int) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.count = count
    }

    /// `"mean ± std"` with the given number of digits after the decimal point.
    public func formatted(fractionDigits: Int = 3) -> String {
        "\(formatFixed(mean, fractionDigits: fractionDigits)) ± \(formatFixed(standardDeviation, fractionDigits: fractionDigits))"
    }

    /// `"mean ± std"` with three decimals.
    public var description: String { formatted() }
}

import Foundation

/// How data values map to positions along an axis.
public enum AxisScale: Sendable, Equatable {
    /// Positions proportional to the value.
    case linear
    /// Positions proportional to log10 of the value; non-positive values are not drawn.
    case log10

    /// The value in the axis' working space (identity or log10); `nil` for values this scale cannot
    /// show (NaN, infinities, and non-positive values on a log scale).
    public func transform(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch self {
        case .linear: return value
        case .log10: return value > 0 ? Foundation.log10(value) : nil
        }
    }

    /// The data value of a working-space coordinate.
    public func inverse(_ coordinate: Double) -> Double {
        switch self {
        case .linear: return coordinate
        case .log10: return Foundation.pow(10, coordinate)
        }
    }

    /// Limits in working space covering `values` with a 5 % margin on each side, or `nil` when no value
    /// can be shown. A single distinct value gets a unit-wide range around it so it is not on an edge.
    func automaticRange(_ values: [Double]) -> (low: Double, high: Double)? {
        var low = Double.infinity, high = -Double.infinity
        for value in values {
            guard let coordinate = transform(value) else { continue }
            low = min(low, coordinate)
            high = max(high, coordinate)
        }
        guard low <= high else { return nil }
        if high - low < 1e-12 * max(1, abs(low)) {
            let half = self == .linear && low != 0 ? abs(low) * 0.1 : 0.5
            return (low - half, high + half)
        }
        let margin = (high - low) * 0.05
        return (low - margin, high + margin)
    }
}

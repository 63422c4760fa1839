/// A scalar input signal sampled at t = 0, 1, 2, … and read at any time by linear interpolation: a forcing
/// input that a vector field receives as an extra feature (``Layer/appendSignal(_:)``).
public struct SampledSignal: Sendable, Equatable {
    /// How the signal is read between and beyond the samples.
    public enum Reading: String, Sendable, Equatable, Codable {
        /// Linear interpolation, clamped to the last sample beyond the end.
        case interpolate
        /// The reference code's behaviour: its index clamp uses the length of a (train, test) tuple, so for
        /// t ≥ 1 it returns `v[1] + (t − 1)·(v[2] − v[1])`, a linear extrapolation of the first three samples.
        case referenceExtrapolation
    }

    /// The samples `v[k]` at t = k.
    public var values: [Double]
    /// The reading rule.
    public var reading: Reading

    /// Creates a signal; at least three samples are needed for the reference rule.
    public init(values: [Double], reading: Reading = .interpolate) {
        precondition(values.count >= (reading == .interpolate ? 1 : 3), "SampledSignal: \(values.count) samples are too few for \(reading)")
        self.values = values
        self.reading = reading
    }

    /// The signal at time `t` (t ≥ 0).
    public func callAsFunction(_ t: Double) -> Double {
        switch reading {
        case .referenceExtrapolation where t >= 1:
            return values[1] + (t - 1) * (values[2] - values[1])
        case .interpolate, .referenceExtrapolation:
            let last = values.count - 1
            if t >= Double(last) { return values[last] }
            let k = Swift.max(0, Int(t.rounded(.down)))
            let fraction = t - Double(k)
            return values[k] + fraction * (values[k + 1] - values[k])
        }
    }
}

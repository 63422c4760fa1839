/// The forcing input V1(t) of the silverbox initialisation test (spec §3.6).
public struct SilverboxForcing: Sendable {
    /// How V1 is evaluated between and beyond samples.
    public enum Mode: String, Codable, Sendable {
        /// The official code's behaviour: its index clamp uses the length of a (train, test) tuple, so for
        /// t ≥ 1 it linearly extrapolates from samples 1 and 2 (`V1[1] + (t−1)(V1[2] − V1[1])`).
        case reference
        /// The intended behaviour: linear interpolation of the training series.
        case fixed
    }

    /// The (centred, ×100) training samples of V1.
    public var samples: [Double]
    /// Evaluation mode.
    public var mode: Mode

    /// A forcing over `samples` (at least 3 of them).
    public init(samples: [Double], mode: Mode) {
        precondition(samples.count >= 3, "SilverboxForcing needs at least 3 samples, got \(samples.count)")
        self.samples = samples
        self.mode = mode
    }

    /// V1(t).
    public func callAsFunction(_ t: Double) -> Double {
        let clampCount = mode == .reference ? 2 : samples.count
        // Same clamp as the code: the left index is at most clampCount − 1, the fraction is not clamped.
        let index = max(0, min(Int(t.rounded(.down)), clampCount - 1))
        let right = min(index + 1, samples.count - 1)
        let fraction = t - Double(index)
        return samples[index] + fraction * (samples[right] - samples[index])
    }
}

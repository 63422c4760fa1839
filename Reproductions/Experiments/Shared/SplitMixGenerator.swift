/// A small seeded generator (SplitMix64) for the reproductions' initialisations. It is local to the
/// reproductions so that a run's initial weights depend only on its seed and this file, not on another
/// package's generator while that package evolves.
public struct SplitMixGenerator: RandomNumberGenerator, Codable, Sendable, Equatable {
    /// The generator state.
    public private(set) var state: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [low, high) from the top 53 bits.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * (Double(next() >> 11) * 0x1.0p-53)
    }
}

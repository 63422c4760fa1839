import RealModule

/// A seeded, reproducible pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// The state is four `UInt64`s and is `Codable`, so a checkpoint can store it and a resumed run draws
/// exactly the numbers an uninterrupted one would. Not cryptographically secure.
public struct SeededGenerator: RandomNumberGenerator, Codable, Hashable, Sendable {
    /// The xoshiro256** state words.
    public var state: [UInt64] {
        get { [s0, s1, s2, s3] }
        set {
            _require(newValue.count == 4 && newValue.contains { $0 != 0 }, "SeededGenerator needs 4 words, not all zero")
            (s0, s1, s2, s3) = (newValue[0], newValue[1], newValue[2], newValue[3])
        }
    }

    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        @inline(__always) func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    enum CodingKeys: String, CodingKey { case state }
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let words = try container.decode([UInt64].self, forKey: .state)
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container, debugDescription: "SeededGenerator state must be 4 words, not all zero")
        }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
    }
}

extension RandomNumberGenerator {
    /// A uniform value in `[0, 1)` with every representable step of `Scalar`'s significand equally likely.
    @inlinable
    public mutating func nextUnitInterval<Scalar: TensorScalar>(_: Scalar.Type = Scalar.self) -> Scalar {
        let bits = Swift.min(Scalar.significandBitCount + 1, 64)
        let scale = Scalar(sign: .plus, exponent: Scalar.Exponent(-bits), significand: 1)
        return Scalar(next() >> UInt64(64 - bits)) * scale
    }
}

extension Tensor {
    /// Independent uniform samples in `[lowerBound, upperBound)`.
    @inlinable
    public init<G: RandomNumberGenerator>(
        randomUniform shape: [Int], lowerBound: Scalar = 0, upperBound: Scalar = 1, using generator: inout G
    ) {
        let width = upperBound - lowerBound
        self.init(_shape: shape) { out, n in
            for i in 0..<n { out[i] = lowerBound + width * generator.nextUnitInterval(Scalar.self) }
        }
    }

    /// Independent normal samples (Box–Muller, computed in `Double` then rounded to `Scalar`).
    @inlinable
    public init<G: RandomNumberGenerator>(
        randomNormal shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1, using generator: inout G
    ) {
        let mu = Double(mean), sigma = Double(standardDeviation)
        self.init(_shape: shape) { out, n in
            var i = 0
            while i < n {
                let u1 = 1 - generator.nextUnitInterval(Double.self)  // (0, 1]
                let u2 = generator.nextUnitInterval(Double.self)
                let radius = (-2 * Double.log(u1)).squareRoot()
                let angle = 2 * Double.pi * u2
                out[i] = Scalar(mu + sigma * radius * Double.cos(angle))
                if i + 1 < n { out[i + 1] = Scalar(mu + sigma * radius * Double.sin(angle)) }
                i += 2
            }
        }
    }

    /// PyTorch's default initialisation of `nn.Linear` and `nn.Conv2d` weights and biases: uniform in
    /// `±1/√fanIn`, where `fanIn` is the number of inputs feeding one output (`in` for a linear layer,
    /// `inChannels·kh·kw` for a convolution). The `kaiming_uniform_(a=√5)` PyTorch applies to weights
    /// has exactly this bound.
    @inlinable
    public init<G: RandomNumberGenerator>(pytorchDefaultInit shape: [Int], fanIn: Int, using generator: inout G) {
        _require(fanIn > 0, "pytorchDefaultInit: fanIn must be positive, got \(fanIn) for shape \(shape)")
        let bound = 1 / Scalar(fanIn).squareRoot()
        self.init(randomUniform: shape, lowerBound: -bound, upperBound: bound, using: &generator)
    }

    /// PyTorch default initialisation with the fan-in read off a weight shape: `[out, in]` for a linear
    /// layer, `[out, in, kh, kw]` for a convolution (fan-in = product of all but the first extent).
    @inlinable
    public init<G: RandomNumberGenerator>(pytorchDefaultInitWeight shape: [Int], using generator: inout G) {
        _require(shape.count >= 2, "pytorchDefaultInitWeight needs a weight shape [out, in, …], got \(shape)")
        self.init(pytorchDefaultInit: shape, fanIn: shape.dropFirst().reduce(1, *), using: &generator)
    }
}

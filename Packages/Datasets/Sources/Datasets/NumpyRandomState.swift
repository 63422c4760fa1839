import Foundation

/// A bit-exact re-implementation of the parts of NumPy's legacy `numpy.random.RandomState` (MT19937)
/// that the official data pipelines draw from: seeding, `random_sample`/`rand`, the legacy Gaussian,
/// bounded integers for `shuffle`/`permutation`, and `shuffle` itself.
///
/// Exactness matters because the Walker2D file split (`RandomState(125487).shuffle`) and its irregular
/// sampling mask (`RandomState(891374)`) decide which data the models see; any deviation would train
/// and evaluate on a different split than the paper.
public struct NumpyRandomState: Sendable {
    @usableFromInline static let stateSize = 624
    @usableFromInline var key: [UInt32]
    @usableFromInline var position: Int
    @usableFromInline var cachedGaussian: Double?

    /// `RandomState(seed)` for an integer seed: MT19937 `init_genrand`.
    public init(seed: UInt32) {
        key = [UInt32](repeating: 0, count: NumpyRandomState.stateSize)
        var value = seed
        for i in 0..<NumpyRandomState.stateSize {
            key[i] = value
            value = 1_812_433_253 &* (value ^ (value >> 30)) &+ UInt32(i + 1)
        }
        position = NumpyRandomState.stateSize
        cachedGaussian = nil
    }

    /// `RandomState([k0, k1, ...])` for an array seed: MT19937 `init_by_array`.
    public init(seedArray: [UInt32]) {
        precondition(!seedArray.isEmpty, "init_by_array needs at least one key word")
        self.init(seed: 19_650_218)
        let n = NumpyRandomState.stateSize
        var i = 1, j = 0
        for _ in 0..<max(n, seedArray.count) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >> 30)) &* 1_664_525)) &+ seedArray[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= n { key[0] = key[n - 1]; i = 1 }
            if j >= seedArray.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { key[0] = key[n - 1]; i = 1 }
        }
        key[0] = 0x8000_0000
        position = n
        cachedGaussian = nil
    }

    /// Regenerates the 624-word block (the MT19937 "twist").
    @usableFromInline
    mutating func twist() {
        let n = NumpyRandomState.stateSize, m = 397
        for i in 0..<n {
            let y = (key[i] & 0x8000_0000) | (key[(i + 1) % n] & 0x7fff_ffff)
            var next = key[(i + m) % n] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_b0df }
            key[i] = next
        }
        position = 0
    }

    /// The next raw 32-bit output (tempered).
    @inlinable
    public mutating func nextUInt32() -> UInt32 {
        if position >= NumpyRandomState.stateSize { twist() }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `random_sample()` / `rand()`: a double in [0, 1) with 53 random bits, `(a>>5 · 2^26 + b>>6) / 2^53`.
    @inlinable
    public mutating func randomSample() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// The legacy `standard_normal()`: Marsaglia's polar method, caching the second value of each pair.
    public mutating func standardNormal() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2 * randomSample() - 1
            x2 = 2 * randomSample() - 1
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1 || r2 == 0
        let f = (-2 * log(r2) / r2).squareRoot()
        cachedGaussian = f * x1
        return f * x2
    }

    /// A uniform integer in `0...max` by masked rejection sampling (`rk_interval` / `random_interval`):
    /// draw 32 bits (64 if `max` needs them), mask to the smallest covering power of two, retry if above.
    @inlinable
    public mutating func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        mask |= mask >> 32
        var value: UInt64
        if max <= 0xffff_ffff {
            repeat { value = UInt64(nextUInt32()) & mask } while value > max
        } else {
            repeat {
                let high = UInt64(nextUInt32()), low = UInt64(nextUInt32())
                value = ((high << 32) | low) & mask
            } while value > max
        }
        return value
    }

    /// The legacy in-place `shuffle`: Fisher–Yates from the back, `j = interval(i)` for i = n−1 … 1.
    @inlinable
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, through: 1, by: -1) {
            let j = Int(interval(UInt64(i)))
            array.swapAt(i, j)
        }
    }

    /// `permutation(n)`: a shuffled `0..<n`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var result = Array(0..<n)
        shuffle(&result)
        return result
    }
}

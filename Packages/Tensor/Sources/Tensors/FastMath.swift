import RealModule

/// Elementwise transcendental kernels used by the tensor ops.
///
/// `Double` (gradient checks) uses the C library. `Float` (training) uses branch-free Cephes-style
/// polynomial kernels that the compiler vectorises, about 10x faster than calling `expf`/`tanhf` per
/// element, with a relative error of a few `Float` ulps (≤ 3e-7 measured against `Double`). Special
/// values follow the C library: NaN propagates, `exp` overflows to +∞ and underflows to 0.
public protocol TensorElementFunctions {
    /// `eˣ`.
    static func elementExp(_ x: Self) -> Self
    /// `eˣ − 1`, accurate near 0.
    static func elementExpMinusOne(_ x: Self) -> Self
    /// `eˣ − 1` for `x ≤ 0` (ELU's negative branch); the result for positive `x` is unspecified.
    static func elementExpMinusOneNonPositive(_ x: Self) -> Self
    /// `tanh x`.
    static func elementTanh(_ x: Self) -> Self
}

extension Double: TensorElementFunctions {
    @inlinable @inline(__always) public static func elementExp(_ x: Double) -> Double { Double.exp(x) }
    @inlinable @inline(__always) public static func elementExpMinusOne(_ x: Double) -> Double { Double.expMinusOne(x) }
    @inlinable @inline(__always) public static func elementExpMinusOneNonPositive(_ x: Double) -> Double {
        Double.expMinusOne(x)
    }
    @inlinable @inline(__always) public static func elementTanh(_ x: Double) -> Double { Double.tanh(x) }
}

extension Float: TensorElementFunctions {
    /// `2ⁿ·p(r)` with `x = n·ln2 + r`, `|r| ≤ ln2/2`; Cephes `expf` polynomial.
    @inlinable @inline(__always)
    public static func elementExp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.33654), 88.72283)
        // Round x·log2(e) to nearest with the 1.5·2²³ trick (no libm call, vectorises on SSE2).
        let shifter: Float = 12_582_912
        let t = clamped * 1.442_695_04 + shifter
        let n = t - shifter
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * r * r + r + 1
        // 2ⁿ from the integer in t's low mantissa bits; n ∈ [-126, 128], and 2¹²⁸ is split in two.
        let k = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000
        let half = k >> 1
        let scaleA = Float(bitPattern: UInt32(bitPattern: (half &+ 127) << 23))
        let scaleB = Float(bitPattern: UInt32(bitPattern: ((k &- half) &+ 127) << 23))
        var result = y * scaleA * scaleB
        result = x < -87.33654 ? 0 : result
        result = x > 88.72283 ? .infinity : result
        return x != x ? x : result
    }

    /// `eˣ − 1` with the same reduction as ``elementExp(_:)``: `eʳ − 1 = r + r²·P(r)` has no cancellation,
    /// and `2ⁿ(eʳ − 1) + (2ⁿ − 1)` is exact for `n = 0`, so small arguments keep full relative accuracy.
    @inlinable @inline(__always)
    public static func elementExpMinusOne(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -88), 88.72283)
        let shifter: Float = 12_582_912
        let t = clamped * 1.442_695_04 + shifter
        let n = t - shifter
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let q = p * r * r + r  // eʳ − 1
        let k = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000
        let half = k >> 1
        let scaleA = Float(bitPattern: UInt32(bitPattern: (half &+ 127) << 23))
        let scaleB = Float(bitPattern: UInt32(bitPattern: ((k &- half) &+ 127) << 23))
        let scale = scaleA * scaleB  // finite unless k = 128, where `large` is used
        let moderate = scale * q + (scale - 1)
        let large = (scaleA * (q + 1)) * scaleB - 1
        var result = k > 24 ? large : moderate
        result = x > 88.72283 ? .infinity : result
        return x != x ? x : result
    }

    /// `eˣ − 1` for `x ≤ 0`: as ``elementExpMinusOne(_:)`` with `x` clamped to `[-17.5, 0]` (below −17.5
    /// the result rounds to −1), so `2ⁿ` needs no overflow handling: about half the work.
    @inlinable @inline(__always)
    public static func elementExpMinusOneNonPositive(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -17.5), 0)
        let shifter: Float = 12_582_912
        let t = clamped * 1.442_695_04 + shifter
        let n = t - shifter
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let q = p * r * r + r
        let k = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000
        let scale = Float(bitPattern: UInt32(bitPattern: (k &+ 127) << 23))
        return scale * q + (scale - 1)
    }

    /// Cephes `tanhf`: an odd polynomial for `|x| < 0.625`, `1 − 2/(e²ˣ + 1)` beyond.
    @inlinable @inline(__always)
    public static func elementTanh(_ x: Float) -> Float {
        let z = x * x
        var p: Float = -5.704_988_727_45e-3
        p = p * z + 2.063_908_879_54e-2
        p = p * z - 5.373_971_555_31e-2
        p = p * z + 1.333_144_220_36e-1
        p = p * z - 3.333_328_194_22e-1
        let small = p * z * x + x
        let a = Swift.min(Swift.abs(x), 44)
        let e = elementExp(2 * a)
        var large = 1 - 2 / (e + 1)
        large = x < 0 ? -large : large
        return Swift.abs(x) < 0.625 ? small : large
    }
}

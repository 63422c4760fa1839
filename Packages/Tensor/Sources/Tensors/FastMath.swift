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
    /// `2ⁿ·eʳ` with `x = n·ln2 + r`, `|r| ≤ ln2/2` (``_expReduction(_:)``).
    @inlinable @inline(__always)
    public static func elementExp(_ x: Float) -> Float {
        let (q, k) = _expReduction(Swift.min(Swift.max(x, -87.33654), 88.72283))
        let (scaleA, scaleB) = _splitPowerOfTwo(k)
        var result = (q + 1) * scaleA * scaleB
        result = x < -87.33654 ? 0 : result
        result = x > 88.72283 ? .infinity : result
        return x != x ? x : result
    }

    /// `eˣ − 1` with the same reduction as ``elementExp(_:)``: `eʳ − 1 = r + r²·P(r)` has no cancellation,
    /// and `2ⁿ(eʳ − 1) + (2ⁿ − 1)` is exact for `n = 0`, so small arguments keep full relative accuracy.
    @inlinable @inline(__always)
    public static func elementExpMinusOne(_ x: Float) -> Float {
        let (q, k) = _expReduction(Swift.min(Swift.max(x, -88), 88.72283))
        let (scaleA, scaleB) = _splitPowerOfTwo(k)
        // `scaleA · scaleB` is finite unless k = 128, where `large` applies the factors one at a time.
        let moderate = _scaledExpMinusOne(q, scale: scaleA * scaleB)
        let large = (scaleA * (q + 1)) * scaleB - 1
        var result = k > 24 ? large : moderate
        result = x > 88.72283 ? .infinity : result
        return x != x ? x : result
    }

    /// `eˣ − 1` for `x ≤ 0`: as ``elementExpMinusOne(_:)`` with `x` clamped to `[-17.5, 0]` (below −17.5
    /// the result rounds to −1), so `2ⁿ` is one normal power and needs no overflow handling: about half
    /// the work.
    @inlinable @inline(__always)
    public static func elementExpMinusOneNonPositive(_ x: Float) -> Float {
        let (q, k) = _expReduction(Swift.min(Swift.max(x, -17.5), 0))
        return _scaledExpMinusOne(q, scale: _powerOfTwo(k))
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

    // MARK: The shared exponential kernel

    /// Cody–Waite reduction `x = n·ln2 + r`, `|r| ≤ ln2/2`, and the Cephes `expf` polynomial:
    /// returns `q = eʳ − 1 = r + r²·P(r)` and `n`.
    ///
    /// `x` must already be clamped by the caller to where `n` fits its scaling (each caller clamps to its
    /// own range). Returning `eʳ − 1` rather than `eʳ` lets the `expm1` variants avoid cancellation near 0;
    /// `exp` adds the 1 back, which rounds exactly as the undivided `p·r·r + r + 1` did.
    @inlinable @inline(__always)
    static func _expReduction(_ x: Float) -> (expMinusOneOfRemainder: Float, exponent: Int32) {
        // Round x·log2(e) to nearest with the 1.5·2²³ trick (no libm call, vectorises on SSE2).
        let shifter: Float = 12_582_912
        let t = x * 1.442_695_04 + shifter
        let n = t - shifter
        // ln2 in two parts, so that n·ln2 is subtracted without rounding error.
        let r = (x - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        // n as an integer from t's low mantissa bits (t's exponent is fixed by the shifter).
        let k = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000
        return (p * r * r + r, k)
    }

    /// `2ᵏ` for `k ∈ [-126, 127]`, built directly in the exponent field.
    @inlinable @inline(__always)
    static func _powerOfTwo(_ k: Int32) -> Float {
        Float(bitPattern: UInt32(bitPattern: (k &+ 127) << 23))
    }

    /// `2ᵏ` as two normal factors for `k ∈ [-126, 128]`: `2¹²⁸` itself overflows, but `k = 128` only
    /// occurs at the top of the clamped range, where `eʳ < 1` and `eʳ · 2⁶⁴ · 2⁶⁴` is finite.
    @inlinable @inline(__always)
    static func _splitPowerOfTwo(_ k: Int32) -> (Float, Float) {
        let half = k >> 1
        return (_powerOfTwo(half), _powerOfTwo(k &- half))
    }

    /// `2ⁿ·(eʳ − 1) + (2ⁿ − 1) = 2ⁿ·eʳ − 1`, exact in its last step for `n = 0`.
    @inlinable @inline(__always)
    static func _scaledExpMinusOne(_ q: Float, scale: Float) -> Float {
        scale * q + (scale - 1)
    }
}

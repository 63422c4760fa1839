/// Sum of `(x_i / (atol + rtol·max(|y0_i|, |y1_i|)))²` over one buffer (`y1` optional).
///
/// Accumulated in Double, four lanes at a time (a strict serial float sum does not vectorise). A
/// non-finite element of `y0`/`y1` makes the result NaN (the `0·y` terms), so the caller's finiteness
/// test on the ratio also covers the new state without another pass over memory.
@inlinable
func scaledSquareSum<Scalar: BinaryFloatingPoint>(
    _ x: UnsafeBufferPointer<Scalar>, y0: UnsafeBufferPointer<Scalar>, y1: UnsafeBufferPointer<Scalar>?,
    rtol: Double, atol: Double
) -> Double {
    let n = x.count
    if n == 0 { return 0 }
    let y1 = y1 ?? y0
    let atolV = SIMD4<Double>(repeating: atol), rtolV = SIMD4<Double>(repeating: rtol)
    var sum = SIMD4<Double>(repeating: 0)
    var poison = SIMD4<Double>(repeating: 0)
    var i = 0
    while i + 4 <= n {
        let xv = SIMD4<Double>(Double(x[i]), Double(x[i + 1]), Double(x[i + 2]), Double(x[i + 3]))
        let a = SIMD4<Double>(Double(y0[i]), Double(y0[i + 1]), Double(y0[i + 2]), Double(y0[i + 3]))
        let b = SIMD4<Double>(Double(y1[i]), Double(y1[i + 1]), Double(y1[i + 2]), Double(y1[i + 3]))
        // Lane-wise max(|a|, |b|) written out: the generic `pointwiseMax` is not inlined across modules.
        let m = SIMD4<Double>(
            Swift.max(Swift.abs(a[0]), Swift.abs(b[0])), Swift.max(Swift.abs(a[1]), Swift.abs(b[1])),
            Swift.max(Swift.abs(a[2]), Swift.abs(b[2])), Swift.max(Swift.abs(a[3]), Swift.abs(b[3])))
        let v = xv / (atolV + rtolV * m)
        sum += v * v
        poison += 0 * a + 0 * b
        i += 4
    }
    var total = sum.sum() + poison.sum()
    while i < n {
        let a = Double(y0[i]), b = Double(y1[i])
        let v = Double(x[i]) / (atol + rtol * Swift.max(Swift.abs(a), Swift.abs(b)))
        total += v * v + 0 * a + 0 * b
        i += 1
    }
    return total
}

/// Mean of `(x_i / (atol + rtol·max(|y0_i|, |y1_i|)))²` over one component (`y1` optional).
@inlinable
func scaledMeanSquare<Scalar: BinaryFloatingPoint>(
    _ x: UnsafeBufferPointer<Scalar>, y0: UnsafeBufferPointer<Scalar>, y1: UnsafeBufferPointer<Scalar>?,
    rtol: Double, atol: Double
) -> Double {
    x.isEmpty ? 0 : scaledSquareSum(x, y0: y0, y1: y1, rtol: rtol, atol: atol) / Double(x.count)
}

/// torchdiffeq's error norm: the maximum over the measured components of the RMS of
/// `x / (atol + rtol·max(|y0|, |y1|))`. NaN when anything involved is not finite.
@inlinable
func scaledNorm<State: ODEState>(
    _ x: State, y0: State, y1: State?, rtol: Double, atol: Double, components: [Int]
) -> Double {
    var result = 0.0
    for index in components {
        let meanSquare: Double = x.withComponent(index) { xp in
            y0.withComponent(index) { y0p in
                if let y1 = y1 {
                    return y1.withComponent(index) { y1p in
                        scaledMeanSquare(xp, y0: y0p, y1: y1p, rtol: rtol, atol: atol)
                    }
                }
                return scaledMeanSquare(xp, y0: y0p, y1: nil, rtol: rtol, atol: atol)
            }
        }
        if !meanSquare.isFinite { return .nan }
        result = Swift.max(result, meanSquare.squareRoot())
    }
    return result
}

/// True when every element of the components not in `measured` is finite (the measured ones are covered
/// by the NaN-poisoned norm).
@inlinable
func unmeasuredComponentsAreFinite<State: ODEState>(_ state: State, measured: [Int]) -> Bool {
    if measured.count == state.componentCount { return true }
    for index in 0..<state.componentCount where !measured.contains(index) {
        let finite = state.withComponent(index) { buffer -> Bool in
            for value in buffer where !value.isFinite { return false }
            return true
        }
        if !finite { return false }
    }
    return true
}

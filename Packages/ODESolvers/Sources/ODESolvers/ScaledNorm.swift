/// Mean of `(x_i / (atol + rtol·max(|y0_i|, |y1_i|)))²` over one component (`y1` optional).
///
/// Accumulated in Double with four partial sums (a strict serial float sum does not vectorise). A
/// non-finite element of `y0`/`y1` makes the result NaN (the `0·m` term), so the caller's finiteness
/// test on the ratio also covers the new state without another pass over memory.
@inlinable
func scaledMeanSquare<Scalar: BinaryFloatingPoint>(
    _ x: UnsafeBufferPointer<Scalar>, y0: UnsafeBufferPointer<Scalar>, y1: UnsafeBufferPointer<Scalar>?,
    rtol: Double, atol: Double
) -> Double {
    let n = x.count
    if n == 0 { return 0 }
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var poison = 0.0
    if let y1 = y1 {
        for i in 0..<n {
            let m = Swift.max(Swift.abs(Double(y0[i])), Swift.abs(Double(y1[i])))
            let v = Double(x[i]) / (atol + rtol * m)
            poison += 0 * m
            switch i & 3 {
            case 0: s0 += v * v
            case 1: s1 += v * v
            case 2: s2 += v * v
            default: s3 += v * v
            }
        }
    } else {
        for i in 0..<n {
            let m = Swift.abs(Double(y0[i]))
            let v = Double(x[i]) / (atol + rtol * m)
            poison += 0 * m
            switch i & 3 {
            case 0: s0 += v * v
            case 1: s1 += v * v
            case 2: s2 += v * v
            default: s3 += v * v
            }
        }
    }
    return ((s0 + s1) + (s2 + s3)) / Double(n) + poison
}

/// The error norm of spec §2.4: the maximum over the measured components of the RMS of
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

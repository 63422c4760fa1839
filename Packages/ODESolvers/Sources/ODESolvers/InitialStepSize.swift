import Foundation

/// Hairer's initial step (Hairer, Nørsett & Wanner I, II.4), as torchdiffeq 0.2.1 computes
/// it once per solve. `f0 = f(t0, y0)` is passed in (it becomes the first step's `k1`); this costs one
/// more evaluation, `f(t0 + h0, y0 + h0·f0)`. `errorOrder` is the embedded order (dopri5: 4, exponent 1/5).
/// `direction` is ±1; the returned step carries it. The three norms go through `reduction` when given
/// (``NormReduction``), so processes holding parts of the state choose the same step.
@inlinable
func hairerInitialStep<State: ODEState>(
    _ f: (Double, State) throws -> State, t0: Double, y0: State, f0: State, direction: Double,
    errorOrder: Int, rtol: Double, atol: Double, components: [Int], reduction: NormReduction? = nil,
    evaluations: inout Int
) throws -> Double {
    let d0 = scaledNorm(y0, y0: y0, y1: nil, rtol: rtol, atol: atol, components: components, reduction: reduction)
    let d1 = scaledNorm(f0, y0: y0, y1: nil, rtol: rtol, atol: atol, components: components, reduction: reduction)
    let h0: Double = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1
    var yProbe = y0
    yProbe.addScaled(f0, by: State.Scalar(direction * h0))
    let f1 = try f(t0 + direction * h0, yProbe)
    evaluations += 1
    var difference = f1
    difference.addScaled(f0, by: -1)
    let d2 = scaledNorm(difference, y0: y0, y1: nil, rtol: rtol, atol: atol, components: components, reduction: reduction) / h0
    let h1: Double
    if d1 <= 1e-15 && d2 <= 1e-15 {
        h1 = Swift.max(1e-6, h0 * 1e-3)
    } else {
        h1 = Foundation.pow(0.01 / Swift.max(d1, d2), 1.0 / Double(errorOrder + 1))
    }
    return direction * Swift.min(100 * h0, h1)
}

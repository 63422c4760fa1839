/// How a method interpolates inside an accepted step (used for output times the step overshoots).
public enum DenseOutput: Sendable, Equatable {
    /// Cubic Hermite interpolation through `y0`, `y1`, `f(t0, y0)` and `f(t1, y1)`: third order,
    /// available to every method. For a method that is not FSAL, `f(t1, y1)` costs one evaluation,
    /// which is then reused as the next step's first stage.
    case hermite
    /// torchdiffeq's dopri5 interpolant: the quartic through `y0`, `y1`, `f0`, `f1` and
    /// `y_mid = y0 + dt·Σ midWeights[i]·k_i` (the midpoint estimate; the weights already include ½).
    /// Needs an FSAL method, whose last stage is `f(t1, y1)`.
    case dopri5Quartic(midWeights: [Double])

    /// Weights `(w_y0, w_y1, w_k)` such that the interpolant at `x = (t − t0)/dt` is
    /// `w_y0·y0 + w_y1·y1 + Σ w_k[i]·k_i`. For `.hermite`, `k` is `[f0, f1]`; for `.dopri5Quartic`, `k`
    /// is the method's stages (the last one being `f1`). The `dt` factor is folded into `w_k`.
    @inlinable
    func weights(x: Double, dt: Double, stageCount: Int) -> (y0: Double, y1: Double, k: [Double]) {
        let x2 = x * x, x3 = x2 * x, x4 = x3 * x
        switch self {
        case .hermite:
            let h00 = 2 * x3 - 3 * x2 + 1
            let h10 = x3 - 2 * x2 + x
            let h01 = -2 * x3 + 3 * x2
            let h11 = x3 - x2
            return (h00, h01, [h10 * dt, h11 * dt])
        case .dopri5Quartic(let mid):
            // Expanding y0 + x·dt·f0 + x²·c + x³·b + x⁴·a into weights of y0, y1, y_mid,
            // dt·f0 and dt·f1, then y_mid = y0 + dt·Σ mid_i k_i, gives one linear combination.
            let wMid = 16 * x2 - 32 * x3 + 16 * x4
            let wY0 = 1 - 11 * x2 + 18 * x3 - 8 * x4 + wMid
            let wY1 = -5 * x2 + 14 * x3 - 8 * x4
            let wF0 = x - 4 * x2 + 5 * x3 - 2 * x4
            let wF1 = x2 - 3 * x3 + 2 * x4
            var k = [Double](repeating: 0, count: stageCount)
            for i in 0..<min(stageCount, mid.count) { k[i] = wMid * mid[i] * dt }
            k[0] += wF0 * dt
            k[stageCount - 1] += wF1 * dt
            return (wY0, wY1, k)
        }
    }
}

/// Dense output inside one accepted step from `(t0, y0)` to `(t0 + dt, y1)`: the state at `t`.
///
/// `stages` are the step's stage derivatives; `f1` is `f(t0 + dt, y1)` (the last stage of an FSAL
/// method). At the step's ends the stored states are returned exactly.
@inlinable
public func interpolate<State: ODEState>(
    method: ButcherTableau, t0: Double, dt: Double, y0: State, y1: State, stages: [State], f1: State,
    at t: Double
) -> State {
    if t == t0 { return y0 }
    if t == t0 + dt { return y1 }
    let x = (t - t0) / dt
    var terms: [State] = [y1]
    let weights: (y0: Double, y1: Double, k: [Double])
    switch method.denseOutput {
    case .hermite:
        weights = method.denseOutput.weights(x: x, dt: dt, stageCount: 2)
        terms.append(stages[0])
        terms.append(f1)
    case .dopri5Quartic:
        weights = method.denseOutput.weights(x: x, dt: dt, stageCount: stages.count)
        terms.append(contentsOf: stages)
    }
    var coefficients: [State.Scalar] = [State.Scalar(weights.y1)]
    for w in weights.k { coefficients.append(State.Scalar(w)) }
    var result = y0
    result.assignLinearCombination(
        baseCoefficient: State.Scalar(weights.y0), base: y0, coefficients: coefficients, terms: terms)
    return result
}

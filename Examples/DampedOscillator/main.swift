// oscillator-example: solve a damped harmonic oscillator h'' = −ω²h − γh' (the heavy-ball ODE without a
// network) with several methods and tolerances, and print what each solve cost: function evaluations,
// accepted and rejected steps, and the error against the exact solution.
//
//   swift run -c release oscillator-example
import Foundation
import ODESolvers
import Tensors

if CommandLine.arguments.contains("--help") {
    print("usage: oscillator-example\n  Solves h'' = −ω²h − γh' with several methods and tolerances and prints each solve's statistics.")
    exit(0)
}
let omega = 2.0, gamma = 0.3
/// The state [h, m] with h' = m, m' = −γm − ω²h.
func field(_ t: Double, _ y: Tensor<Double>) -> Tensor<Double> {
    Tensor([y.scalars[1], -gamma * y.scalars[1] - omega * omega * y.scalars[0]])
}
/// The exact h(t) from h(0) = 1, h'(0) = 0.
func exact(_ t: Double) -> Double {
    let damped = (omega * omega - gamma * gamma / 4).squareRoot()
    return exp(-gamma * t / 2) * (cos(damped * t) + gamma / (2 * damped) * sin(damped * t))
}
let times = [0.0, 5, 10]
print("method    control           NFE  accepted  rejected  |h(10) − exact|")
for (method, name) in [(ButcherTableau.dopri5, "dopri5"), (.tsit5, "tsit5"), (.bosh3, "bosh3")] {
    for tolerance in [1e-3, 1e-6, 1e-9] {
        let solution = try solve(field, y0: Tensor([1, 0]), times: times, method: method,
                                 controller: .adaptive(rtol: tolerance, atol: tolerance))
        let s = solution.statistics
        print(name.padding(toLength: 10, withPad: " ", startingAt: 0)
              + "tol \(tolerance)".padding(toLength: 16, withPad: " ", startingAt: 0)
              + String(format: "%5d  %8d  %8d  %.2e", s.functionEvaluations, s.acceptedSteps, s.rejectedSteps,
                       abs(solution.states[2].scalars[0] - exact(10))))
    }
}
let fixed = try solve(field, y0: Tensor([1, 0]), times: times, method: .rk4, controller: .fixed(dt: 0.01))
print("rk4       fixed dt 0.01     \(fixed.statistics.functionEvaluations)  " + String(format: "|h(10) − exact| = %.2e", abs(fixed.states[2].scalars[0] - exact(10))))

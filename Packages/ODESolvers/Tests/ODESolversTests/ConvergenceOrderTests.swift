import Foundation
import ODESolvers
import Testing
import Tensors

@Suite("Empirical convergence order of fixed-step methods")
struct ConvergenceOrderTests {
    static let methods: [ButcherTableau] = [
        .euler, .midpoint, .heun, .heunEuler, .rk4, .bosh3, .dopri5, .tsit5, .dopri8,
    ]

    /// Global error at t = 1 of the damped oscillator y'' = −y − 0.3·y' on a fixed grid of `steps` steps.
    static func globalError(_ method: ButcherTableau, steps: Int) throws -> Double {
        let a = [[0.0, 1.0], [-1.0, -0.3]]
        let y0 = Tensor<Double>([1, 0])
        let solution = try solve(
            TestFields.linear(a), y0: y0, times: [0, 1], method: method,
            controller: .fixed(dt: 1.0 / Double(steps)))
        #expect(solution.statistics.acceptedSteps == steps)
        return maxAbsDifference(solution.finalState, DampedOscillator.exact(t: 1, y0: 1, v0: 0, damping: 0.3))
    }

    @Test("log-log slope within ±0.3 of the order", arguments: methods)
    func order(method: ButcherTableau) throws {
        // Step counts chosen so the error stays well above round-off even for dopri8.
        let counts: [Int] = method.order >= 7 ? [2, 4] : (method.order >= 5 ? [4, 8] : [16, 32])
        let e1 = try Self.globalError(method, steps: counts[0])
        let e2 = try Self.globalError(method, steps: counts[1])
        let slope = log(e1 / e2) / log(Double(counts[1]) / Double(counts[0]))
        #expect(abs(slope - Double(method.order)) <= 0.3, "\(method.name): slope \(slope), errors \(e1), \(e2)")
    }
}

extension ButcherTableau: CustomTestStringConvertible {
    public var testDescription: String { name }
}

/// The exact solution of y'' = −y − c·y' (underdamped), as the state [y, y'].
enum DampedOscillator {
    static func exact(t: Double, y0: Double, v0: Double, damping c: Double) -> Tensor<Double> {
        let alpha = -c / 2
        let omega = (1 - c * c / 4).squareRoot()
        let a = y0
        let b = (v0 - alpha * y0) / omega
        let e = exp(alpha * t)
        let y = e * (a * cos(omega * t) + b * sin(omega * t))
        let v = alpha * y + e * (-a * omega * sin(omega * t) + b * omega * cos(omega * t))
        return Tensor([y, v])
    }
}

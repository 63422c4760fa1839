import Foundation
import Testing
import Tensors
import TensorTestSupport
@testable import NeuralODEModels

/// `odeint` over closure fields and the `HeavyBall` wrapper: gradients against finite differences (Double,
/// the direct method on a fixed grid, whose gradient is the exact derivative of the computed loss, and
/// the default dopri5 + backsolve adjoint at a tight tolerance), and a short training run in Float.
@Suite struct ODEIntTests {
    static let exact = SolverConfiguration(method: .rk4, controller: .fixed(dt: 0.25), gradient: .direct)

    static let x = Tensor<Double>(shape: [3, 2], scalars: [0.3, -0.2, -0.7, 0.6, 0.1, 0.9])
    static let w = Tensor<Double>(shape: [2, 2], scalars: [0.4, -0.8, 0.9, 0.2])
    static let b = Tensor<Double>(shape: [2], scalars: [0.1, -0.3])

    /// `y' = tanh(y·W) + b`.
    static func field(_ t: Double, _ y: Variable<Double>, _ p: [Variable<Double>]) -> Variable<Double> {
        y.matmul(p[0]).tanh() + p[1]
    }

    @Test(arguments: [exact, SolverConfiguration.dopri5(rtol: 1e-10, atol: 1e-10)])
    func gradientsThroughAClosureFieldMatchFiniteDifferences(solver: SolverConfiguration) {
        let tolerance = solver.method.name == "rk4" ? 1e-6 : 1e-5
        expectGradientsMatch(at: [Self.x, Self.w, Self.b], tolerance: tolerance) { v in
            let ys = try! odeint(Self.field, v[0], [0, 0.5, 1], parameters: [v[1], v[2]], solver: solver, log: SolveLog())
            return ys[1] * 0.5 + ys[2]
        }
    }

    @Test func heavyBallAroundAClosureMatchesFiniteDifferencesAndTheModelField() throws {
        var store = ParameterStore<Double>()
        let wID = store.register("w", Self.w)
        let settings = HeavyBallSettings.ghbnode(store: &store, omega: -1)
        let field: TapeField<Double> = HeavyBall.field({ _, h, p in h.matmul(p[wID.index]).tanh() }, settings)
        expectGradientsMatch(at: [Self.x] + store.values, tolerance: 1e-6) { v in
            let ys = try! odeint(field, HeavyBall.state(position: v[0]), [0, 1], parameters: Array(v[1...]),
                                 solver: Self.exact, log: SolveLog())
            return HeavyBall.position(ys[1])
        }
        // The closure field computes exactly the shared heavy-ball equations.
        let z = HeavyBall.state(position: Variable(constant: Self.x), momentum: Variable(constant: Self.x * 0.5))
        let p = store.values.map { Variable(constant: $0) }
        let direct = settings.derivative(of: z, parameters: p) { h in h.matmul(p[wID.index]).tanh() }
        #expect(field(0, z, p).value == direct.value)
        #expect(HeavyBall.momentum(z).value == Self.x * 0.5)
    }

    @Test func odeintReportsToTheEnclosingLogWhenGivenNone() throws {
        var store = ParameterStore<Double>()
        let w = store.register("w", Self.w)
        let (_, gradients, log) = try lossAndGradients(at: store) { p, _ in
            let ys = try odeint(Self.field, Variable(constant: Self.x), [0, 1], parameters: [p[w.index], Variable(constant: Self.b)])
            return (ys[1] * ys[1]).sum()
        }
        #expect(log.forwardEvaluations > 0 && log.backwardEvaluations > 0)
        #expect(log.forwardSolves == 1 && log.backwardSolves == 1)
        #expect(gradients[0].squaredNorm > 0)
    }

    @Test func aStoreListsItsIdentifiersAndFindsThemByName() {
        var store = ParameterStore<Float>()
        let a = store.register("a", Tensor([1])), b = store.register("b", Tensor([2, 3]))
        #expect(store.ids == [a, b])
        #expect(store.id(named: "b") == b && store.id(named: "c") == nil)
    }

    /// The NeuralODEModels README's quick start, verbatim between the markers: the next test fails when the
    /// two differ, so the README's code is always code that compiles and trains.
    @Test func readmeQuickStart() throws {
        // README begin
        // Data: 64 points of the plane; the model should map each point x to x / 2 at t = 1.
        var rng = SeededGenerator(seed: 1)
        let x = Tensor<Float>(randomNormal: [64, 2], using: &rng)
        let target = x * 0.5

        // Parameters live in one store; the field is a closure of tape operations over them.
        var store = ParameterStore<Float>()
        let w = store.register("w", Tensor<Float>(randomNormal: [2, 2], using: &rng) * 0.3)
        let settings = HeavyBallSettings.hbnode(store: &store)        // learned damping γ = sigmoid(ω), ω₀ = −3
        let field: TapeField<Float> = HeavyBall.field({ _, h, p in h.matmul(p[w.index]) }, settings)

        var adam = Adam<Float>(learningRate: 0.05)
        var losses: [Double] = []
        for iteration in 0..<60 {
            let report = try trainingStep(parameters: &store, optimizer: &adam, learningRate: 0.05, iteration: iteration) { p, _ in
                let ys = try odeint(field, HeavyBall.state(position: Variable(constant: x)), [0, 1], parameters: p,
                                    solver: .dopri5(rtol: 1e-4, atol: 1e-4))
                return Losses.meanSquaredError(HeavyBall.position(ys[1]), target)
            }
            losses.append(report.loss)
            if iteration % 20 == 0 { print(iteration, report.loss, report.forwardEvaluations, report.backwardEvaluations) }
        }
        print("loss \(losses.first!) → \(losses.last!)")
        // README end
        #expect(losses.last! < losses.first! / 10)
    }

    @Test func theReadmeQuickStartIsTheTestedCode() throws {
        func normalized(_ text: Substring) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("import ") }
        }
        let here = URL(fileURLWithPath: #filePath)
        let readme = try String(contentsOf: here.deletingLastPathComponent().appendingPathComponent("../../README.md"), encoding: .utf8)
        let quickStart = try #require(readme.range(of: "## Quick start")).upperBound
        let open = try #require(readme.range(of: "```swift\n", range: quickStart..<readme.endIndex)).upperBound
        let close = try #require(readme.range(of: "```", range: open..<readme.endIndex)).lowerBound
        let source = try String(contentsOf: here, encoding: .utf8)
        let begin = try #require(source.range(of: "// README begin\n")).upperBound
        let end = try #require(source.range(of: "        // README end", range: begin..<source.endIndex)).lowerBound
        #expect(normalized(readme[open..<close]) == normalized(source[begin..<end]))
    }
}

import Adjoint
import ODESolvers
import Tensors
import Testing

/// How the methods relate to each other and to the discrete solution.
@Suite struct MethodAgreementTests {
    func mlpHarness(rtol: Double) -> GradientHarness<Tensor<Double>> {
        var generator = SplitMix(seed: 23)
        var harness = GradientHarness<Tensor<Double>>(
            field: Fields.mlp(dimension: 2, hidden: 3, seed: 5), y0: generator.tensor([2, 2], scale: 1.5),
            times: [0, 0.5, 1.5], weights: [nil, generator.tensor([2, 2], scale: 1), nil])
        harness.controller = .adaptive(rtol: rtol, atol: rtol)
        return harness
    }

    @Test func backsolveAndDirectAgreeAsToleranceTightens() throws {
        var differences: [Double] = []
        for rtol in [1e-4, 1e-6, 1e-8, 1e-10] {
            let harness = mlpHarness(rtol: rtol)
            let backsolve = try harness.gradient(.backsolve()).flat
            let direct = try harness.gradient(.direct).flat
            differences.append(relativeError(backsolve, direct))
        }
        print("backsolve vs direct relative difference at rtol 1e-4…1e-10: \(differences)")
        #expect(differences.last! < 1e-8)
        #expect(differences.last! < differences.first! / 100)
    }

    /// With a fixed grid the discrete solution is a smooth function of y0 and θ, so the direct method's
    /// gradient must match finite differences of the solver output to near rounding; the continuous
    /// adjoints differ by the discretisation error.
    @Test(arguments: [ButcherTableau.rk4, .midpoint, .dopri5])
    func directIsExactOnFixedGrid(method: ButcherTableau) throws {
        var harness = mlpHarness(rtol: 1e-6)
        harness.method = method
        harness.controller = .fixed(dt: 0.25)
        let reference = try harness.finiteDifferences()
        let direct = relativeError(try harness.gradient(.direct).flat, reference)
        let backsolve = relativeError(try harness.gradient(.backsolve()).flat, reference)
        print("\(method.name) fixed dt 0.25: direct error \(direct), backsolve error \(backsolve)")
        #expect(direct < 1e-8, "\(method.name): direct relative error \(direct)")
        #expect(backsolve > direct)
    }

    /// Outputs that an adaptive step overshoots come from the dense output; direct differentiates it.
    /// Freezing the step sequence (initial step given, no growth beyond it) makes finite differences
    /// of the solver output exact too, and Hermite output (bosh3) is checked next to dopri5's quartic.
    @Test(arguments: [ButcherTableau.dopri5, .bosh3])
    func directDifferentiatesDenseOutput(method: ButcherTableau) throws {
        var harness = mlpHarness(rtol: 1e-3)
        harness.method = method
        var control = AdaptiveController(rtol: 1, atol: 1)
        control.initialStep = 0.4
        control.maxStep = 0.4
        harness.controller = .adaptive(control)
        let forward = try solveWithGradient(harness.field, y0: harness.y0, times: harness.times, method: method,
                                            controller: harness.controller, gradient: .direct)
        #expect(forward.statistics.rejectedSteps == 0)
        let reference = try harness.finiteDifferences()
        let error = relativeError(try harness.gradient(.direct).flat, reference)
        #expect(error < 1e-8, "\(method.name): direct relative error \(error) through dense output")
    }

    /// A time-dependent field: every method against finite differences, and direct exact on a fixed grid.
    @Test func timeDependentField() throws {
        var generator = SplitMix(seed: 43)
        var harness = GradientHarness<Tensor<Double>>(
            field: Fields.forced(dimension: 2, seed: 14), y0: generator.tensor([2, 2], scale: 1),
            times: [0, 0.7, 1.6], weights: [nil, generator.tensor([2, 2], scale: 1), nil])
        let reference = try harness.finiteDifferences()
        for (name, method) in allMethods {
            let error = relativeError(try harness.gradient(method).flat, reference)
            #expect(error <= 1e-6, "\(name): relative error \(error) on a time-dependent field")
        }
        harness.method = .rk4
        harness.controller = .fixed(dt: 0.2)
        let fixedError = relativeError(try harness.gradient(.direct).flat, try harness.finiteDifferences())
        #expect(fixedError < 1e-8, "direct on rk4 grid: relative error \(fixedError)")
    }

    @Test func seminormLowersBackwardNFE() throws {
        var generator = SplitMix(seed: 29)
        var harness = GradientHarness<TensorList<Double>>(
            field: Fields.hbnode(dimension: 3, seed: 6),
            y0: TensorList([generator.tensor([2, 3], scale: 1), generator.tensor([2, 3], scale: 1)]),
            times: [0, 2], weights: [nil, nil])
        harness.controller = .adaptive(rtol: 1e-6, atol: 1e-6)
        let full = try harness.gradient(.backsolve())
        let semi = try harness.gradient(.backsolve(AdjointSolveOptions(norm: .seminorm)))
        print("backward NFE full norm \(full.backward.functionEvaluations), seminorm \(semi.backward.functionEvaluations)")
        #expect(semi.backward.functionEvaluations <= full.backward.functionEvaluations)
        #expect(relativeError(semi.flat, full.flat) < 1e-4)
    }
}

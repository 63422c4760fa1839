import Foundation
import ODESolvers
import Testing
import Tensors

@Suite("Failures are typed errors carrying t and dt")
struct FailureModeTests {
    @Test("y' = y² blows up at t = 1: underflow or non-finite, near the singularity")
    func blowUp() throws {
        let field: (Double, Tensor<Double>) throws -> Tensor<Double> = { _, y in y.map { $0 * $0 } }
        do {
            _ = try solve(field, y0: Tensor([1.0]), times: [0, 2], controller: .adaptive(rtol: 1e-6, atol: 1e-6))
            Issue.record("solving through the singularity should fail")
        } catch let error as ODESolverError {
            switch error {
            case let .stepSizeUnderflow(t, _), let .nonFiniteState(t, _):
                #expect(abs(t - 1) < 1e-2, "failed at t = \(t)")
                #expect(error.description.contains("t = "))
            default:
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test("minStep turns the blow-up into an early underflow")
    func minStep() throws {
        let field: (Double, Tensor<Double>) throws -> Tensor<Double> = { _, y in y.map { $0 * $0 } }
        var control = AdaptiveController(rtol: 1e-6, atol: 1e-6)
        control.minStep = 1e-4
        #expect {
            _ = try solve(field, y0: Tensor([1.0]), times: [0, 2], controller: .adaptive(control))
        } throws: { error in
            guard case let .stepSizeUnderflow(t, dt) = error as? ODESolverError else { return false }
            return t < 1 && abs(dt) < 1e-4
        }
    }

    @Test("maxSteps = 3 exhausts the budget, adaptive and fixed")
    func budget() throws {
        var options = SolveOptions()
        options.maxSteps = 3
        #expect(throws: ODESolverError.self) {
            _ = try solve(TestFields.decay(-1), y0: Tensor([1.0]), times: [0, 10],
                          controller: .adaptive(rtol: 1e-9, atol: 1e-9), options: options)
        }
        do {
            _ = try solve(TestFields.decay(-1), y0: Tensor([1.0]), times: [0, 1], method: .rk4,
                          controller: .fixed(dt: 0.1), options: options)
            Issue.record("10 fixed steps with a budget of 3 should fail")
        } catch let error as ODESolverError {
            #expect(error == .stepBudgetExhausted(t: 0.30000000000000004, dt: 0.09999999999999998, maxSteps: 3))
        }
    }

    @Test("a NaN field gives nonFiniteState at the step where it appears")
    func nanField() throws {
        let field: (Double, Tensor<Double>) throws -> Tensor<Double> = { t, y in
            t > 0.5 ? y.map { _ in .nan } : y.map { -$0 }
        }
        for controller in [StepSizeController.adaptive(rtol: 1e-6, atol: 1e-6), .fixed(dt: 0.1)] {
            #expect {
                _ = try solve(field, y0: Tensor([1.0]), times: [0, 1], controller: controller)
            } throws: { error in
                guard case let .nonFiniteState(t, dt) = error as? ODESolverError else { return false }
                return t <= 0.5 && t + dt > 0.5
            }
        }
    }

    @Test("a NaN in a component the seminorm ignores is still caught")
    func nanOutsideSeminorm() throws {
        let field: (Double, TensorList<Double>) throws -> TensorList<Double> = { _, s in
            TensorList([s[0].map { -$0 }, s[1].map { _ in .infinity }])
        }
        var options = SolveOptions()
        options.norm = .components([0])
        #expect(throws: ODESolverError.self) {
            _ = try solve(field, y0: TensorList([Tensor([1.0]), Tensor([0.0])]), times: [0, 1], options: options)
        }
    }

    @Test("errors thrown by the field propagate unchanged")
    func fieldErrorPropagates() throws {
        struct FieldFailure: Error, Equatable {}
        let field: (Double, Tensor<Double>) throws -> Tensor<Double> = { t, y in
            if t > 0.3 { throw FieldFailure() }
            return y
        }
        #expect(throws: FieldFailure.self) {
            _ = try solve(field, y0: Tensor([1.0]), times: [0, 1])
        }
    }

    @Test("invalid times and methods are rejected up front")
    func invalidInputs() throws {
        let field = TestFields.decay(-1)
        let y0 = Tensor<Double>([1])
        for times in [[], [0, 1, 1], [0, 1, 0.5], [0, .nan], [1, 0, 0.5]] as [[Double]] {
            #expect(throws: ODESolverError.self) { _ = try solve(field, y0: y0, times: times) }
        }
        #expect(throws: ODESolverError.invalidTableau(
            "rk4 has no embedded error estimate; use .fixed(dt:) or an adaptive method")) {
            _ = try solve(field, y0: y0, times: [0, 1], method: .rk4)
        }
        #expect(throws: ODESolverError.invalidStepSize(dt: 0)) {
            _ = try solve(field, y0: y0, times: [0, 1], method: .rk4, controller: .fixed(dt: 0))
        }
        #expect(throws: ODESolverError.invalidTolerance(rtol: -1e-6, atol: 1e-6)) {
            _ = try solve(field, y0: y0, times: [0, 1], controller: .adaptive(rtol: -1e-6, atol: 1e-6))
        }
        #expect(throws: ODESolverError.invalidTolerance(rtol: 0, atol: 0)) {
            _ = try solve(field, y0: y0, times: [0, 1], controller: .adaptive(rtol: 0, atol: 0))
        }
        var broken = ButcherTableau.rk4
        broken.a[2] = [1]
        #expect(throws: ODESolverError.self) { try broken.validate() }
        let single = try solve(field, y0: y0, times: [3])
        #expect(single.states == [y0])
        #expect(single.statistics.functionEvaluations == 0)
    }
}

import Foundation
import ODESolvers
import Testing
import Tensors

/// dopri5 must take exactly torchdiffeq 0.2.1's steps. The expected counts, step sizes and outputs were
/// obtained by running `Packages/ODESolvers/Scripts/dopri5_reference.py` once: an independent float64
/// re-implementation of torchdiffeq 0.2.1's dopri5 written from torchdiffeq's documented semantics (the
/// ODESolvers README's "Semantics and defaults" section), not from its code.
@Suite("dopri5 reproduces torchdiffeq 0.2.1's step sequence")
struct TorchdiffeqCompatibilityTests {
    struct Reference: Sendable, CustomTestStringConvertible {
        var problem: String
        var tolerance: Double
        var accepted: Int
        var rejected: Int
        var nfe: Int
        var initialStep: Double
        var finalStep: Double
        var finalOutput: [Double]
        var testDescription: String { "\(problem) tol \(tolerance)" }
    }

    static let references: [Reference] = [
        Reference(problem: "heavyBall", tolerance: 1e-3, accepted: 10, rejected: 0, nfe: 62,
                  initialStep: 0.09999999999999999, finalStep: 1.2183559416058296,
                  finalOutput: [-0.6711718245743594, -0.434314093195958]),
        Reference(problem: "heavyBall", tolerance: 1e-5, accepted: 23, rejected: 2, nfe: 152,
                  initialStep: 0.03981071705534972, finalStep: 0.4873410496050428,
                  finalOutput: [-0.6732262261396748, -0.42743898459614554]),
        Reference(problem: "heavyBall", tolerance: 1e-7, accepted: 57, rejected: 6, nfe: 380,
                  initialStep: 0.01584893192461113, finalStep: 0.18929657196165847,
                  finalOutput: [-0.6732738471316599, -0.4274294601680043]),
        Reference(problem: "decay", tolerance: 1e-3, accepted: 6, rejected: 0, nfe: 38,
                  initialStep: 0.11115762237178443, finalStep: 2.196123184491765,
                  finalOutput: [0.006905983893982917, -0.013811967787965835]),
        Reference(problem: "decay", tolerance: 1e-5, accepted: 11, rejected: 0, nfe: 68,
                  initialStep: 0.04425264652788523, finalStep: 0.9218216736954138,
                  finalOutput: [0.006738817976538977, -0.013477635953077953]),
        Reference(problem: "decay", tolerance: 1e-7, accepted: 23, rejected: 0, nfe: 140,
                  initialStep: 0.01761729589872043, finalStep: 0.3774009713766586,
                  finalOutput: [0.006737944151382912, -0.013475888302765825]),
    ]

    /// Accepted step sizes of the heavy-ball problem at tolerance 1e-5, from the same script.
    static let heavyBallSteps1e5: [Double] = [
        0.03981071705534972, 0.3981071705534972, 0.43421576071895424, 0.4603591907525481, 0.43070358128130554,
        0.43070358128130554, 0.4451644160614258, 0.47475616706121904, 0.47475616706121904, 0.47475616706121904,
        0.47475616706121904, 0.47986505024881704, 0.47986505024881704, 0.47986505024881704, 0.4426848920559438,
        0.4426848920559438, 0.45046815783908845, 0.4790642526966313, 0.4790642526966313, 0.4790642526966313,
        0.4790642526966313, 0.4873410496050428, 0.4873410496050428,
    ]

    /// Runs one reference problem; the heavy ball is a `[h, m]` TensorList (max-of-component-RMS norm),
    /// the decay a single two-element tensor.
    static func run(_ reference: Reference, backwards: Bool = false) throws -> (SolverStatistics, [Double], [Double]) {
        var options = SolveOptions()
        options.recordSteps = true
        let sign = backwards ? -1.0 : 1.0
        let controller = StepSizeController.adaptive(rtol: reference.tolerance, atol: reference.tolerance)
        if reference.problem == "heavyBall" {
            let times = [0.0, 2.5, 5.0, 10.0].map { sign * $0 }
            let field: (Double, TensorList<Double>) throws -> TensorList<Double> = { t, s in
                var d = try TestFields.heavyBall(t, s)
                if backwards { d.scale(by: -1) }
                return d
            }
            let solution = try solve(
                field, y0: TensorList([Tensor([1.0]), Tensor([0.0])]), times: times, controller: controller,
                options: options)
            let last = solution.finalState
            return (solution.statistics, [last[0].scalars[0], last[1].scalars[0]], solution.steps.map { abs($0.dt) })
        } else {
            let times = [0.0, 1.0, 5.0].map { sign * $0 }
            let solution = try solve(
                TestFields.decay(-sign), y0: Tensor([1.0, -2.0]), times: times, controller: controller,
                options: options)
            return (solution.statistics, solution.finalState.scalars, solution.steps.map { abs($0.dt) })
        }
    }

    @Test("same accepted/rejected steps, NFE, step sizes and outputs", arguments: references)
    func matchesReference(reference: Reference) throws {
        let (statistics, output, steps) = try Self.run(reference)
        #expect(statistics.acceptedSteps == reference.accepted)
        #expect(statistics.rejectedSteps == reference.rejected)
        #expect(statistics.functionEvaluations == reference.nfe)
        #expect(statistics.functionEvaluations == 2 + 6 * (statistics.acceptedSteps + statistics.rejectedSteps))
        #expect(abs(statistics.initialStepSize - reference.initialStep) <= 1e-12 * reference.initialStep)
        #expect(abs(statistics.finalStepSize - reference.finalStep) <= 1e-9 * reference.finalStep)
        for (mine, theirs) in zip(output, reference.finalOutput) {
            #expect(abs(mine - theirs) <= 1e-12)
        }
        // The rules: growth ≤ 10 per step, and an accepted step never shrinks the next step, so the step
        // size can only decrease across a rejection.
        var decreases = 0
        for (previous, next) in zip(steps, steps.dropFirst()) {
            #expect(next <= 10 * previous * (1 + 1e-12))
            if next < previous { decreases += 1 }
        }
        #expect(decreases <= statistics.rejectedSteps)
    }

    @Test("integrating the mirrored problem backwards takes the identical steps", arguments: references)
    func backwardsIsMirrored(reference: Reference) throws {
        let (forward, forwardOutput, forwardSteps) = try Self.run(reference)
        let (backward, backwardOutput, backwardSteps) = try Self.run(reference, backwards: true)
        #expect(forward == backward)
        #expect(forwardOutput == backwardOutput)
        #expect(forwardSteps == backwardSteps)
    }

    @Test("heavy ball at 1e-5: every accepted step size matches")
    func stepSizes() throws {
        let (_, _, steps) = try Self.run(Self.references[1])
        #expect(steps.count == Self.heavyBallSteps1e5.count)
        for (mine, theirs) in zip(steps, Self.heavyBallSteps1e5) {
            #expect(abs(mine - theirs) <= 1e-12 * theirs)
        }
    }
}

import Adjoint
import ODESolvers
import Tensors
import Testing

/// Props. 1–3 of the paper checked on recorded adjoint trajectories.
///
/// Convention: `a = ∂L/∂(h, m)` at time t, integrated backwards with `a' = −aᵀ ∂F/∂(h, m)`. For HBNODE
/// (`h' = m`, `m' = −γm + f(h)`) the m-row gives `a_m' = −a_h + γ a_m`, i.e. **Prop. 1:
/// `a_h = γ a_m − a_m'`**; differentiating once more with `a_h' = −a_mᵀ ∂f/∂h` gives **Prop. 2:
/// `a_m'' − γ a_m' − a_mᵀ ∂f/∂h = 0`**. For GHBNODE (`h' = σ(m)`, σ = tanh) the m-row gives **Prop. 3:
/// `a_h ⊙ σ'(m) = γ a_m − a_m'`**. Time derivatives of the recorded adjoints are central differences.
@Suite struct PropositionTests {
    static let continuousMethods: [(String, GradientMethod)] = [
        ("backsolve", .backsolve()), ("checkpointed", .checkpointed()),
    ]
    static let centres = [0.3, 0.55, 0.8]
    static let firstStep = 1e-3, secondStep = 5e-3

    /// Records `a` at every centre and at centre ± each difference step.
    func recordedAdjoints(
        field: TapeVectorField<TensorList<Double>>, y0: TensorList<Double>, weight: TensorList<Double>,
        method: GradientMethod
    ) throws -> [Double: AdjointSample<TensorList<Double>>] {
        var times: [Double] = []
        for c in Self.centres {
            times += [c - Self.secondStep, c - Self.firstStep, c, c + Self.firstStep, c + Self.secondStep]
        }
        let forward = try solveWithGradient(
            field, y0: y0, times: [0, 1], controller: .adaptive(rtol: 1e-10, atol: 1e-10), gradient: method)
        let result = try forward.backward(cotangents: [nil, weight], recordAdjointAt: times)
        #expect(result.adjointTrajectory.count == times.count)
        return Dictionary(uniqueKeysWithValues: result.adjointTrajectory.map { ($0.time, $0) })
    }

    func gamma(_ field: TapeVectorField<TensorList<Double>>) -> Double {
        1 / (1 + Double.exp(-field.parameters[0].scalars[0]))
    }

    func norm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    @Test(arguments: continuousMethods.map(\.0))
    func heavyBallPropositions1And2(methodName: String) throws {
        let method = Self.continuousMethods.first { $0.0 == methodName }!.1
        var generator = SplitMix(seed: 31)
        let field = Fields.hbnode(dimension: 3, seed: 8, omega: 0.5)
        let y0 = TensorList([generator.tensor([2, 3], scale: 1), generator.tensor([2, 3], scale: 1)])
        let weight = TensorList([generator.tensor([2, 3], scale: 1), generator.tensor([2, 3], scale: 1)])
        let samples = try recordedAdjoints(field: field, y0: y0, weight: weight, method: method)
        let g = gamma(field)
        for c in Self.centres {
            let centre = try #require(samples[c])
            let aH = centre.adjoint[0].scalars, aM = centre.adjoint[1].scalars
            func aMAt(_ t: Double) -> [Double] { samples[t]!.adjoint[1].scalars }
            let h1 = Self.firstStep, h2 = Self.secondStep
            let aMDot = zip(aMAt(c + h1), aMAt(c - h1)).map { ($0 - $1) / (2 * h1) }
            // Prop. 1: a_h = γ a_m − a_m'.
            let prop1 = (0..<aH.count).map { aH[$0] - (g * aM[$0] - aMDot[$0]) }
            let scale1 = norm(aH) + norm(aM) + norm(aMDot)
            #expect(norm(prop1) <= 1e-5 * scale1, "\(methodName) Prop. 1 at t = \(c): residual \(norm(prop1))")
            // Prop. 2: a_m'' − γ a_m' − a_mᵀ ∂f/∂h = 0, with a_mᵀ∂f/∂h from the field's VJP at (t, y(t)).
            let aMDot2 = zip(aMAt(c + h2), aMAt(c - h2)).map { ($0 - $1) / (2 * h2) }
            let aMDDot = (0..<aM.count).map { (aMAt(c + h2)[$0] - 2 * aM[$0] + aMAt(c - h2)[$0]) / (h2 * h2) }
            let cotangent = TensorList([Tensor(zeros: [2, 3]), centre.adjoint[1]])
            let forcing = try field.vectorJacobianProduct(c, centre.state, cotangent: cotangent).state[0].scalars
            let prop2 = (0..<aM.count).map { aMDDot[$0] - g * aMDot2[$0] - forcing[$0] }
            let scale2 = norm(aMDDot) + norm(aMDot2) + norm(forcing)
            print("\(methodName) t = \(c): Prop. 1 residual \(norm(prop1)) / \(scale1), Prop. 2 residual \(norm(prop2)) / \(scale2)")
            #expect(norm(prop2) <= 1e-4 * scale2, "\(methodName) Prop. 2 at t = \(c): residual \(norm(prop2))")
        }
    }

    @Test(arguments: continuousMethods.map(\.0))
    func generalizedHeavyBallProposition3(methodName: String) throws {
        let method = Self.continuousMethods.first { $0.0 == methodName }!.1
        var generator = SplitMix(seed: 37)
        let field = Fields.ghbnode(dimension: 3, seed: 9)
        let y0 = TensorList([generator.tensor([2, 3], scale: 1), generator.tensor([2, 3], scale: 1)])
        let weight = TensorList([generator.tensor([2, 3], scale: 1), generator.tensor([2, 3], scale: 1)])
        let samples = try recordedAdjoints(field: field, y0: y0, weight: weight, method: method)
        let g = gamma(field)
        for c in Self.centres {
            let centre = try #require(samples[c])
            let aH = centre.adjoint[0].scalars, aM = centre.adjoint[1].scalars, m = centre.state[1].scalars
            let h1 = Self.firstStep
            let aMDot = zip(samples[c + h1]!.adjoint[1].scalars, samples[c - h1]!.adjoint[1].scalars)
                .map { ($0 - $1) / (2 * h1) }
            // Prop. 3: a_h ⊙ σ'(m) = γ a_m − a_m', σ = tanh.
            let residual = (0..<aH.count).map { i -> Double in
                let t = Double.tanh(m[i])
                return aH[i] * (1 - t * t) - (g * aM[i] - aMDot[i])
            }
            let scale = norm(aH) + norm(aM) + norm(aMDot)
            print("\(methodName) t = \(c): Prop. 3 residual \(norm(residual)) / \(scale)")
            #expect(norm(residual) <= 1e-5 * scale, "\(methodName) Prop. 3 at t = \(c): residual \(norm(residual))")
        }
    }

    /// The recorded adjoint at the start equals ∂L/∂y0, and at the final time it is the cotangent.
    @Test(arguments: continuousMethods.map(\.0))
    func recordingEndpointsMatchGradients(methodName: String) throws {
        let method = Self.continuousMethods.first { $0.0 == methodName }!.1
        var generator = SplitMix(seed: 41)
        let field = Fields.hbnode(dimension: 2, seed: 10)
        let y0 = TensorList([generator.tensor([1, 2], scale: 1), generator.tensor([1, 2], scale: 1)])
        let weight = TensorList([generator.tensor([1, 2], scale: 1), generator.tensor([1, 2], scale: 1)])
        let forward = try solveWithGradient(field, y0: y0, times: [0, 0.5, 1], gradient: method)
        let result = try forward.backward(cotangents: [weight, weight, weight], recordAdjointAt: [1, 0.5, 0.25, 0])
        #expect(result.adjointTrajectory.map(\.time) == [1, 0.5, 0.25, 0])
        #expect(result.adjointTrajectory[0].adjoint == weight)
        #expect(result.adjointTrajectory[3].adjoint == result.initialState)
        #expect(throws: AdjointError.self) {
            _ = try forward.backward(cotangents: [nil, nil, weight], recordAdjointAt: [1.5])
        }
    }
}

import ComplexModule
import RealModule
import Tensors

/// The spectral structure of the (G)HBNODE adjoint (paper Prop. 4), for tests and diagnostics. The
/// eigenvalues themselves come from the Tensor package's `eigenvalues(of:)` (LAPACK `dgeev`).
///
/// **Derivation.** Linearise the GHBNODE field `F(h, m) = (σ(m), −γm + f(h) − ξh)` at a state: its
/// Jacobian is `M = [[0, D], [J − ξI, −γI]]` with `J = ∂f/∂h` and `D = diag(σ'(m))` (D = I for HBNODE).
/// The adjoint obeys `a' = −Mᵀa`, so over [t, T] with the Jacobian frozen, `a(t) = exp((t − T)·A)·a(T)`
/// with the generator `A = −Mᵀ`. An eigenvalue λ of M solves `det(λ(λ + γ)I − D(J − ξI)) = 0` (the
/// lower blocks commute), i.e. `λ² + γλ − ν = 0` for each eigenvalue ν of `D(J − ξI)`: the 2n eigenvalues
/// of M come in n pairs with `λ₁ + λ₂ = −γ`. Hence A's pairs sum to `+γ`, and those of the integrated
/// operator `(t − T)·A` to `(t − T)·γ`, whatever J, ξ and D are.
public enum HeavyBallSpectrum {
    /// The linearised field `M = [[0, D], [J − ξI, −γI]]` (`2n × 2n`) for `J: [n, n]` and the gate
    /// derivatives `D = diag(gateDerivative)` (all ones for HBNODE).
    public static func linearisedField(jacobian: Tensor<Double>, gamma: Double, xi: Double, gateDerivative: [Double]) -> Tensor<Double> {
        let n = jacobian.shape[0]
        precondition(jacobian.shape == [n, n] && gateDerivative.count == n, "linearisedField: J \(jacobian.shape) with \(gateDerivative.count) gate derivatives")
        var m = Tensor<Double>(zeros: [2 * n, 2 * n])
        for i in 0..<n {
            m[i, n + i] = gateDerivative[i]
            for j in 0..<n { m[n + i, j] = jacobian[i, j] - (i == j ? xi : 0) }
            m[n + i, n + i] = -gamma
        }
        return m
    }

    /// The adjoint generator `A = −Mᵀ`.
    public static func adjointGenerator(_ linearisedField: Tensor<Double>) -> Tensor<Double> {
        let size = linearisedField.shape[0]
        var a = Tensor<Double>(zeros: [size, size])
        for i in 0..<size { for j in 0..<size { a[i, j] = -linearisedField[j, i] } }
        return a
    }

    /// Pairs the eigenvalues so that each pair sums as closely as possible to `pairSum` (greedy: each
    /// value takes its best remaining partner) and returns the pairs and the largest residual
    /// `|λ₁ + λ₂ − pairSum|`.
    public static func pair(_ values: [Complex<Double>], sum pairSum: Double) -> (pairs: [(Complex<Double>, Complex<Double>)], maxResidual: Double) {
        precondition(values.count % 2 == 0, "pair: odd number of eigenvalues \(values.count)")
        var remaining = values
        var pairs = [(Complex<Double>, Complex<Double>)]()
        var worst = 0.0
        while let first = remaining.popLast() {
            var best = 0, bestResidual = Double.infinity
            for (k, candidate) in remaining.enumerated() {
                let residual = (first + candidate - Complex(pairSum, 0)).length
                if residual < bestResidual { (best, bestResidual) = (k, residual) }
            }
            pairs.append((first, remaining.remove(at: best)))
            worst = Swift.max(worst, bestResidual)
        }
        return (pairs, worst)
    }

    /// The Jacobian `∂F/∂z` (`[S, S]`, S = elements of one sample's state) of a field at a one-sample
    /// state `z: [1, …]`, row by row from vector-Jacobian products with unit cotangents.
    public static func fieldJacobian<Scalar>(
        _ field: ContinuousDepthField, at z: Tensor<Scalar>, time t: Double = 0, parameters: ParameterStore<Scalar>
    ) -> Tensor<Double> {
        precondition(z.shape.first == 1, "fieldJacobian: one sample expected, got state \(z.shape)")
        let size = z.count
        let tape = Tape<Scalar>()
        let zVariable = tape.variable(z)
        let output = field(t, zVariable, parameters.values.map { Variable(constant: $0) })
        var jacobian = Tensor<Double>(zeros: [size, size])
        for i in 0..<size {
            var unit = Tensor<Scalar>(zeros: z.shape)
            unit.withUnsafeMutableBufferPointer { $0[i] = 1 }
            let row = tape.gradients(of: output, seed: unit, wrt: [zVariable])[0]
            for j in 0..<size { jacobian[i, j] = Double(row.scalars[j]) }
        }
        return jacobian
    }
}

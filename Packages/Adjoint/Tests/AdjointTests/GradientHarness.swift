import Adjoint
import ODESolvers
import Tensors

/// A loss reading several output times, its finite-difference gradient and the comparison metric.
///
/// `L = Σ_i ⟨c_i, y(t_i)⟩ + ½‖y(t_N)‖²` for the read times `i`: linear terms at intermediate times and a
/// quadratic term at the end, so the cotangents depend on the solution.
struct GradientHarness<State: TensorListConvertible> where State.Scalar == Double {
    var field: TapeVectorField<State>
    var y0: State
    var times: [Double]
    /// `c_i`, nil where the loss does not read that time.
    var weights: [State?]
    var method: ButcherTableau = .dopri5
    var controller: StepSizeController = .adaptive(rtol: 1e-10, atol: 1e-10)

    func loss(_ states: [State]) -> Double {
        var total = 0.0
        for (state, weight) in zip(states, weights) {
            guard let weight else { continue }
            total += dot(state, weight)
        }
        return total + 0.5 * dot(states.last!, states.last!)
    }

    func cotangents(_ states: [State]) -> [State?] {
        var result = weights
        result[result.count - 1] = adding(result.last!, states.last!)
        return result
    }

    func loss(field: TapeVectorField<State>, y0: State, times: [Double]) throws -> Double {
        let solution = try solve({ t, y in try field(t, y) }, y0: y0, times: times, method: method, controller: controller)
        return loss(solution.states)
    }

    /// The gradients by `gradient`: `(∂L/∂y0 ++ ∂L/∂θ flattened, backward statistics, forward statistics)`.
    func gradient(_ gradient: GradientMethod) throws -> (flat: [Double], backward: SolverStatistics, forward: SolverStatistics) {
        let forward = try solveWithGradient(
            field, y0: y0, times: times, method: method, controller: controller, gradient: gradient)
        let result = try forward.backward(cotangents: cotangents(forward.states))
        return (flatten(result.initialState.tensorComponents + result.parameters), result.statistics, forward.statistics)
    }

    /// Central differences over every element of `y0` and of every parameter.
    func finiteDifferences(step: Double = 1e-5) throws -> [Double] {
        var result: [Double] = []
        var components = y0.tensorComponents
        for c in components.indices {
            for e in 0..<components[c].count {
                var values = [0.0, 0.0]
                for (s, sign) in [1.0, -1.0].enumerated() {
                    var perturbed = components
                    perturbed[c] = nudged(components[c], element: e, by: sign * step)
                    values[s] = try loss(field: field, y0: State(tensorComponents: perturbed), times: times)
                }
                result.append((values[0] - values[1]) / (2 * step))
            }
        }
        components = field.parameters
        for c in components.indices {
            for e in 0..<components[c].count {
                var values = [0.0, 0.0]
                for (s, sign) in [1.0, -1.0].enumerated() {
                    var perturbedField = field
                    perturbedField.parameters[c] = nudged(components[c], element: e, by: sign * step)
                    values[s] = try loss(field: perturbedField, y0: y0, times: times)
                }
                result.append((values[0] - values[1]) / (2 * step))
            }
        }
        return result
    }

    /// `∂L/∂t_i` by central differences on the output times.
    func timeFiniteDifferences(step: Double = 1e-5) throws -> [Double] {
        try times.indices.map { i in
            var plus = times, minus = times
            plus[i] += step
            minus[i] -= step
            return (try loss(field: field, y0: y0, times: plus) - loss(field: field, y0: y0, times: minus)) / (2 * step)
        }
    }
}

func dot<State: TensorListConvertible>(_ a: State, _ b: State) -> Double where State.Scalar == Double {
    zip(a.tensorComponents, b.tensorComponents).reduce(0) { $0 + $1.0.dot($1.1) }
}

func adding<State: ODEState>(_ a: State?, _ b: State) -> State {
    guard var sum = a else { return b }
    sum.addScaled(b, by: 1)
    return sum
}

func flatten(_ tensors: [Tensor<Double>]) -> [Double] { tensors.flatMap(\.scalars) }

func nudged(_ tensor: Tensor<Double>, element: Int, by delta: Double) -> Tensor<Double> {
    var scalars = tensor.scalars
    scalars[element] += delta
    return Tensor(shape: tensor.shape, scalars: scalars)
}

/// `‖a − b‖ / ‖b‖`.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "relativeError: \(a.count) vs \(b.count) elements")
    let difference = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let reference = b.reduce(0) { $0 + $1 * $1 }
    return (difference / reference).squareRoot()
}

/// The gradient methods every check runs, with a label for messages.
let allMethods: [(name: String, method: GradientMethod)] = [
    ("backsolve", .backsolve()),
    ("backsolve-seminorm", .backsolve(AdjointSolveOptions(norm: .seminorm))),
    ("direct", .direct),
    ("checkpointed", .checkpointed()),
]

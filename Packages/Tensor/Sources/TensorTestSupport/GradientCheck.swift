import Testing
import Tensors

/// The outcome of comparing a tape's vector-Jacobian product with central finite differences.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// Largest elementwise error over all inputs, `|analytic − numeric| / max(|analytic|, |numeric|, floor)`.
    public var maxRelativeError: Double
    /// The same maximum for each input separately.
    public var perInput: [Double]
    /// Where the largest error occurred: input number, flat element index, and both derivative values.
    public var worst: (input: Int, element: Int, analytic: Double, numeric: Double)?

    public var description: String {
        var text = "max relative error \(maxRelativeError) (per input \(perInput))"
        if let worst {
            text += "; worst at input \(worst.input) element \(worst.element): tape \(worst.analytic), finite differences \(worst.numeric)"
        }
        return text
    }
}

/// Central finite differences of `⟨cotangent, f(inputs)⟩` with respect to every input element.
///
/// Each input element `x` is moved by `±step·max(1, |x|)`; `f` is evaluated on constants (no tape).
public func numericalGradients(
    at inputs: [Tensor<Double>], cotangent: Tensor<Double>, step: Double = 1e-5,
    _ f: ([Variable<Double>]) -> Variable<Double>
) -> [Tensor<Double>] {
    func objective(_ values: [Tensor<Double>]) -> Double {
        let output = f(values.map { Variable(constant: $0) }).value
        precondition(
            output.shape == cotangent.shape,
            "numericalGradients: output shape \(output.shape) does not match cotangent shape \(cotangent.shape)")
        return output.dot(cotangent)
    }
    var point = inputs
    var gradients: [Tensor<Double>] = []
    for i in inputs.indices {
        var gradient = Tensor<Double>(zeros: inputs[i].shape)
        for j in 0..<inputs[i].count {
            let x = inputs[i].scalars[j]
            let h = step * Swift.max(1, Swift.abs(x))
            var plus = inputs[i].scalars
            plus[j] = x + h
            point[i] = Tensor(shape: inputs[i].shape, scalars: plus)
            let fPlus = objective(point)
            plus[j] = x - h
            point[i] = Tensor(shape: inputs[i].shape, scalars: plus)
            let fMinus = objective(point)
            gradient.withUnsafeMutableBufferPointer { $0[j] = (fPlus - fMinus) / (2 * h) }
        }
        point[i] = inputs[i]
        gradients.append(gradient)
    }
    return gradients
}

/// Compares the tape's gradients of `f` at `inputs` with central finite differences, for every element
/// of every input.
///
/// The function is contracted with a seeded random normal cotangent (not ones), so every output
/// element's Jacobian row is weighted differently and a pullback that mixes elements up fails. The
/// elementwise error is `|analytic − numeric| / max(|analytic|, |numeric|, absoluteFloor)`: relative for
/// derivatives larger than `absoluteFloor` in magnitude, absolute below it (finite differences cannot
/// resolve tiny derivatives relatively). Keep inputs away from kinks (ReLU at 0, ties in `max`).
///
/// - Parameters:
///   - inputs: the point; each becomes a tracked variable.
///   - seed: seeds the cotangent.
///   - step: relative finite-difference step.
///   - absoluteFloor: see above.
///   - f: the function under test, built from differentiable operations.
public func checkGradients(
    at inputs: [Tensor<Double>], seed: UInt64 = 0x5EED, step: Double = 1e-5, absoluteFloor: Double = 1e-2,
    _ f: ([Variable<Double>]) -> Variable<Double>
) -> GradientCheckReport {
    let tape = Tape<Double>()
    let variables = tape.variables(inputs)
    let output = f(variables)
    var generator = SeededGenerator(seed: seed)
    let cotangent = Tensor<Double>(randomNormal: output.shape, using: &generator)
    let analytic = tape.gradients(of: output, seed: cotangent, wrt: variables)
    let numeric = numericalGradients(at: inputs, cotangent: cotangent, step: step, f)
    var report = GradientCheckReport(maxRelativeError: 0, perInput: [], worst: nil)
    for i in inputs.indices {
        precondition(
            analytic[i].shape == inputs[i].shape,
            "checkGradients: gradient shape \(analytic[i].shape) does not match input shape \(inputs[i].shape)")
        var worstHere = 0.0
        for j in 0..<inputs[i].count {
            let a = analytic[i].scalars[j], n = numeric[i].scalars[j]
            let error = Swift.abs(a - n) / Swift.max(Swift.abs(a), Swift.abs(n), absoluteFloor)
            let measured = error.isNaN ? Double.infinity : error
            worstHere = Swift.max(worstHere, measured)
            if measured > report.maxRelativeError || report.worst == nil {
                report.maxRelativeError = Swift.max(report.maxRelativeError, measured)
                report.worst = (i, j, a, n)
            }
        }
        report.perInput.append(worstHere)
    }
    return report
}

/// Checks the gradients of `f` at `inputs` (see ``checkGradients(at:seed:step:absoluteFloor:_:)``) and
/// records a Swift Testing expectation that the largest error is at most `tolerance`.
@discardableResult
public func expectGradientsMatch(
    at inputs: [Tensor<Double>], tolerance: Double = 1e-6, seed: UInt64 = 0x5EED, step: Double = 1e-5,
    absoluteFloor: Double = 1e-2, sourceLocation: SourceLocation = #_sourceLocation,
    _ f: ([Variable<Double>]) -> Variable<Double>
) -> GradientCheckReport {
    let report = checkGradients(at: inputs, seed: seed, step: step, absoluteFloor: absoluteFloor, f)
    #expect(report.maxRelativeError <= tolerance, "\(report)", sourceLocation: sourceLocation)
    return report
}

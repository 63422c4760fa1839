/// How processes that each hold part of one state take the error norm of the whole state, so that every
/// process makes the step-size decisions of a single process solving the whole state.
///
/// Data-parallel training splits a batch over processes: each process solves its slice, yet the adaptive
/// controller must accept, reject and size every step as the solve of the whole batch would. The norm is
/// the maximum over components of each component's RMS, so for a component whose elements are *split*
/// over processes (a slice of the batch each) the processes add their sums of squares and element counts
/// before the square root. A *summed* component is one whose true value is the sum of the processes'
/// values, such as the adjoint's parameter adjoints `a_θ` (each process integrates its slice's share of
/// `−a_yᵀ∂f/∂θ`): its error estimate and both states are summed element-wise first and the norm is taken
/// of the sums, which every process then computes alike.
///
/// The solver calls ``sumAcrossProcesses`` once per norm (every step attempt, and three times for
/// Hairer's initial step), with one buffer of partial sums; a finite check of the components the norm
/// leaves out is folded into the same call, so a non-finite value on any one process stops every process
/// with ``ODESolverError/nonFiniteState(t:dt:)`` at the same step. With no reduction (`nil`, the default
/// in ``SolveOptions``) the norm is the local one, unchanged.
public struct NormReduction: Sendable {
    /// Replaces each element of the buffer with its sum over every participating process; every process
    /// must call it in the same order with buffers of the same length, and gets the same result. For one
    /// process it is the identity.
    public var sumAcrossProcesses: @Sendable (UnsafeMutableBufferPointer<Double>) -> Void
    /// The components whose values are sums over processes (see the type's overview); every other
    /// component is split.
    public var summedComponents: [Int]

    /// A reduction through `sumAcrossProcesses` with the given summed components (none: every component
    /// is split, as in a forward solve of a batch slice).
    public init(
        summedComponents: [Int] = [],
        sumAcrossProcesses: @escaping @Sendable (UnsafeMutableBufferPointer<Double>) -> Void
    ) {
        self.summedComponents = summedComponents
        self.sumAcrossProcesses = sumAcrossProcesses
    }

    /// The same reduction with `components` as the summed components.
    public func summing(components: [Int]) -> NormReduction {
        var copy = self
        copy.summedComponents = components
        return copy
    }
}

extension NormReduction {
    /// The norm of the whole state from each process's part: `splitSquareSum(c)` is a split component's
    /// local `(Σ scaled², element count)`; `writeSummed(c, x, y0, y1)` writes a summed component's local
    /// error, start and end state (as Doubles; `y1` equal to `y0` when there is none) into buffers of
    /// `summedCount(c)` elements. `poisoned` marks a non-finite value outside the measured components.
    @inlinable
    func norm(
        measured: [Int], rtol: Double, atol: Double, poisoned: Bool,
        splitSquareSum: (Int) -> (sum: Double, count: Int),
        summedCount: (Int) -> Int,
        writeSummed: (Int, UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                      UnsafeMutableBufferPointer<Double>) -> Void
    ) -> Double {
        let summed = measured.filter { summedComponents.contains($0) }
        let split = measured.filter { !summedComponents.contains($0) }
        let sizes = summed.map(summedCount)
        // Layout: [poison, (Σ², count) per split component, (x, y0, y1) per summed component].
        var buffer = [Double](repeating: 0, count: 1 + 2 * split.count + 3 * sizes.reduce(0, +))
        return buffer.withUnsafeMutableBufferPointer { values -> Double in
            values[0] = poisoned ? .nan : 0
            for (k, index) in split.enumerated() {
                let (sum, count) = splitSquareSum(index)
                values[1 + 2 * k] = sum
                values[2 + 2 * k] = Double(count)
            }
            var offset = 1 + 2 * split.count
            for (k, index) in summed.enumerated() {
                let n = sizes[k]
                writeSummed(
                    index, UnsafeMutableBufferPointer(rebasing: values[offset..<(offset + n)]),
                    UnsafeMutableBufferPointer(rebasing: values[(offset + n)..<(offset + 2 * n)]),
                    UnsafeMutableBufferPointer(rebasing: values[(offset + 2 * n)..<(offset + 3 * n)]))
                offset += 3 * n
            }
            sumAcrossProcesses(values)
            if !values[0].isFinite { return .nan }
            var result = 0.0
            for k in split.indices {
                let meanSquare = values[2 + 2 * k] > 0 ? values[1 + 2 * k] / values[2 + 2 * k] : 0
                if !meanSquare.isFinite { return .nan }
                result = Swift.max(result, meanSquare.squareRoot())
            }
            offset = 1 + 2 * split.count
            for n in sizes {
                let x = UnsafeBufferPointer(rebasing: values[offset..<(offset + n)])
                let y0 = UnsafeBufferPointer(rebasing: values[(offset + n)..<(offset + 2 * n)])
                let y1 = UnsafeBufferPointer(rebasing: values[(offset + 2 * n)..<(offset + 3 * n)])
                let meanSquare = scaledMeanSquare(x, y0: y0, y1: y1, rtol: rtol, atol: atol)
                if !meanSquare.isFinite { return .nan }
                result = Swift.max(result, meanSquare.squareRoot())
                offset += 3 * n
            }
            return result
        }
    }
}

/// Writes `source` converted to Double into `destination` (same count).
@inlinable
func copyToDouble<Scalar: BinaryFloatingPoint>(
    _ source: UnsafeBufferPointer<Scalar>, into destination: UnsafeMutableBufferPointer<Double>
) {
    precondition(source.count == destination.count, "copyToDouble: \(source.count) elements into \(destination.count)")
    for i in 0..<source.count { destination[i] = Double(source[i]) }
}

/// ``scaledNorm(_:y0:y1:rtol:atol:components:)`` of the whole state through `reduction` (the local norm
/// when it is nil).
@inlinable
func scaledNorm<State: ODEState>(
    _ x: State, y0: State, y1: State?, rtol: Double, atol: Double, components: [Int], reduction: NormReduction?
) -> Double {
    guard let reduction else { return scaledNorm(x, y0: y0, y1: y1, rtol: rtol, atol: atol, components: components) }
    return reduction.norm(
        measured: components, rtol: rtol, atol: atol, poisoned: false,
        splitSquareSum: { index in
            x.withComponent(index) { xp in
                y0.withComponent(index) { y0p in
                    if let y1 {
                        return y1.withComponent(index) { y1p in
                            (scaledSquareSum(xp, y0: y0p, y1: y1p, rtol: rtol, atol: atol), xp.count)
                        }
                    }
                    return (scaledSquareSum(xp, y0: y0p, y1: nil, rtol: rtol, atol: atol), xp.count)
                }
            }
        },
        summedCount: { index in x.withComponent(index) { $0.count } },
        writeSummed: { index, xd, y0d, y1d in
            x.withComponent(index) { copyToDouble($0, into: xd) }
            y0.withComponent(index) { copyToDouble($0, into: y0d) }
            (y1 ?? y0).withComponent(index) { copyToDouble($0, into: y1d) }
        })
}

import Tensors

/// The error ratio of a step computed straight from its stages: `‖dt·Σ e_i k_i / (atol + rtol·max(|y0|,
/// |y1|))‖` without materialising the error estimate. Each block of elements is combined into stack
/// scratch and measured while it is still in L1, which saves one write and one read of the whole state
/// per step. The error elements are summed in the same order as `assignLinearCombination`, so the ratio
/// equals the unfused one up to the summation order of the norm.
@inlinable
func fusedErrorRatio<State: ODEState>(
    stages: [State], weights: [State.Scalar], y0: State, y1: State, rtol: Double, atol: Double,
    components: [Int]
) -> Double {
    var result = 0.0
    for index in components {
        let meanSquare: Double = y0.withComponent(index) { y0p in
            y1.withComponent(index) { y1p in
                withComponentPointers(stages, count: weights.count, component: index) { terms in
                    errorSquareSum(terms: terms, weights: weights, y0: y0p, y1: y1p, rtol: rtol, atol: atol)
                        / Double(Swift.max(y0p.count, 1))
                }
            }
        }
        if !meanSquare.isFinite { return .nan }
        result = Swift.max(result, meanSquare.squareRoot())
    }
    return result
}

/// ``fusedErrorRatio(stages:weights:y0:y1:rtol:atol:components:)`` of the whole state through `reduction`:
/// split components contribute their local blocked sums, summed components their error estimate (combined
/// in the same order) and states; `poisoned` marks a non-finite unmeasured component.
@inlinable
func fusedErrorRatio<State: ODEState>(
    stages: [State], weights: [State.Scalar], y0: State, y1: State, rtol: Double, atol: Double,
    components: [Int], reduction: NormReduction, poisoned: Bool
) -> Double {
    reduction.norm(
        measured: components, rtol: rtol, atol: atol, poisoned: poisoned,
        splitSquareSum: { index in
            y0.withComponent(index) { y0p in
                y1.withComponent(index) { y1p in
                    withComponentPointers(stages, count: weights.count, component: index) { terms in
                        (errorSquareSum(terms: terms, weights: weights, y0: y0p, y1: y1p, rtol: rtol, atol: atol), y0p.count)
                    }
                }
            }
        },
        summedCount: { index in y0.withComponent(index) { $0.count } },
        writeSummed: { index, xd, y0d, y1d in
            withComponentPointers(stages, count: weights.count, component: index) { terms in
                for i in 0..<xd.count {
                    var e: State.Scalar = 0
                    for j in 0..<weights.count where weights[j] != 0 { e += weights[j] * terms[j][i] }
                    xd[i] = Double(e)
                }
            }
            y0.withComponent(index) { copyToDouble($0, into: y0d) }
            y1.withComponent(index) { copyToDouble($0, into: y1d) }
        })
}

/// Calls `body` with the base addresses of component `component` of the first `count` states, nesting
/// one `withComponent` per state (stack scratch, no heap).
@inlinable
func withComponentPointers<State: ODEState, R>(
    _ states: [State], count: Int, component: Int,
    _ body: (UnsafeBufferPointer<UnsafePointer<State.Scalar>>) -> R
) -> R {
    withUnsafeTemporaryAllocation(of: UnsafePointer<State.Scalar>.self, capacity: Swift.max(count, 1)) { scratch in
        collectComponentPointers(states, from: 0, count: count, component: component, into: scratch, body)
    }
}

@inlinable
func collectComponentPointers<State: ODEState, R>(
    _ states: [State], from index: Int, count: Int, component: Int,
    into scratch: UnsafeMutableBufferPointer<UnsafePointer<State.Scalar>>,
    _ body: (UnsafeBufferPointer<UnsafePointer<State.Scalar>>) -> R
) -> R {
    if index == count { return body(UnsafeBufferPointer(rebasing: scratch[0..<count])) }
    return states[index].withComponent(component) { pointer in
        scratch[index] = pointer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<State.Scalar>.alignment)!
        return collectComponentPointers(states, from: index + 1, count: count, component: component, into: scratch, body)
    }
}

/// Blocked `Σ_i (Σ_j weights[j]·terms[j][i] / scale_i)²` over one component.
@inlinable
func errorSquareSum<Scalar: TensorScalar>(
    terms: UnsafeBufferPointer<UnsafePointer<Scalar>>, weights: [Scalar], y0: UnsafeBufferPointer<Scalar>,
    y1: UnsafeBufferPointer<Scalar>, rtol: Double, atol: Double
) -> Double {
    let n = y0.count
    if n == 0 { return 0 }
    let blockSize = 1024
    return withUnsafeTemporaryAllocation(of: Scalar.self, capacity: blockSize) { scratch in
        let block = scratch.baseAddress!
        var total = 0.0
        var start = 0
        while start < n {
            let length = Swift.min(blockSize, n - start)
            if start == 0 && length == n && BufferKernels.hasVectorLinearCombination(Scalar.self) {
                // A state within one block: the same sums in one AVX2 pass.
                BufferKernels.linearCombination(
                    into: block, count: length, baseCoefficient: 0, base: nil, coefficients: weights, terms: terms)
            } else {
                for i in 0..<length { block[i] = 0 }
                for j in 0..<weights.count {
                    let alpha = weights[j]
                    if alpha == 0 { continue }
                    let term = terms[j] + start
                    for i in 0..<length { block[i] += alpha * term[i] }
                }
            }
            total += scaledSquareSum(
                UnsafeBufferPointer(start: block, count: length),
                y0: UnsafeBufferPointer(rebasing: y0[start..<(start + length)]),
                y1: UnsafeBufferPointer(rebasing: y1[start..<(start + length)]), rtol: rtol, atol: atol)
            start += length
        }
        return total
    }
}

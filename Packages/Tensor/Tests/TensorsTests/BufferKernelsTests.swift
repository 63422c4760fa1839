import Testing
import Tensors

/// The AVX2 row copies and linear combinations against plain loops, bit for bit.
@Suite struct BufferKernelsTests {
    @Test func copyRowsCopiesExactlyTheRequestedElements() {
        for width in [0, 1, 2, 7, 8, 9, 20, 24] {
            let rows = 5, sourceStride = width + 3, destinationStride = width + 5
            let source = (0..<(rows * sourceStride)).map { Float($0) + 0.5 }
            var destination = [Float](repeating: -1, count: rows * destinationStride + 8)
            source.withUnsafeBufferPointer { s in
                destination.withUnsafeMutableBufferPointer { d in
                    BufferKernels.copyRows(
                        from: s.baseAddress!, sourceStride: sourceStride, to: d.baseAddress!, destinationStride: destinationStride,
                        rows: rows, width: width)
                }
            }
            for (i, value) in destination.enumerated() {
                let (r, j) = (i / destinationStride, i % destinationStride)
                let expected = r < rows && j < width ? source[r * sourceStride + j] : -1
                #expect(value == expected, "width \(width), element \(i)")
            }
        }
        // Stride 0 repeats one row (the bias rows of a linear layer).
        let bias: [Float] = [1, 2, 3]
        var rows = [Float](repeating: 0, count: 12)
        bias.withUnsafeBufferPointer { b in
            rows.withUnsafeMutableBufferPointer { BufferKernels.copyRows(from: b.baseAddress!, sourceStride: 0, to: $0.baseAddress!, destinationStride: 4, rows: 3, width: 3) }
        }
        #expect(rows == [1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0])
    }

    @Test func linearCombinationRoundsLikeOnePassPerTerm() throws {
        guard BufferKernels.hasVectorLinearCombination(Float.self) else { return }
        var g = SeededGenerator(seed: 3)
        for n in [1, 5, 8, 13, 200, 203] {
            let base = Tensor<Float>(randomNormal: [n], using: &g).scalars
            let terms = (0..<6).map { _ in Tensor<Float>(randomNormal: [n], using: &g).scalars }
            for baseCoefficient: Float in [0, 1, 0.37] {
                let coefficients: [Float] = [0.1, 0, -2.5e-3, 1.0 / 3, 7, -0.25]
                var expected = [Float](repeating: 0, count: n)
                for i in 0..<n {
                    expected[i] = baseCoefficient == 0 ? 0 : baseCoefficient == 1 ? base[i] : baseCoefficient * base[i]
                }
                for (j, a) in coefficients.enumerated() where a != 0 {
                    for i in 0..<n { expected[i] += a * terms[j][i] }
                }
                var output = [Float](repeating: .nan, count: n)
                // The terms in one allocation, so their addresses stay valid for the call.
                let storage = UnsafeMutablePointer<Float>.allocate(capacity: 6 * n)
                defer { storage.deallocate() }
                for j in 0..<6 { (storage + j * n).initialize(from: terms[j], count: n) }
                let pointers = (0..<6).map { UnsafePointer(storage + $0 * n) }
                pointers.withUnsafeBufferPointer { p in
                    base.withUnsafeBufferPointer { b in
                        output.withUnsafeMutableBufferPointer { o in
                            BufferKernels.linearCombination(
                                into: o.baseAddress!, count: n, baseCoefficient: baseCoefficient, base: b.baseAddress!,
                                coefficients: coefficients, terms: p)
                        }
                    }
                }
                #expect(output == expected, "n \(n), base coefficient \(baseCoefficient)")
            }
        }
    }
}

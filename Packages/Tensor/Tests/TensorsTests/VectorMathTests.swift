import Foundation
import Testing
import Tensors

/// The AVX2 kernels against the portable reference loops (bit for bit) and against the C library.
@Suite struct VectorMathTests {
    /// Every 4099th bit pattern (about a million floats over every exponent and both signs: NaNs,
    /// infinities, subnormals included), plus edge values of the kernels' branches.
    static let sweep: [Float] = {
        var xs = stride(from: UInt64(0), through: UInt64(UInt32.max), by: 4099).map { Float(bitPattern: UInt32($0)) }
        xs += [0, -0.0, .infinity, -.infinity, .nan, 0.625, -0.625, 0.62499994, 44, -44, 88.72283, 88.72284,
               -87.33654, -87.33655, -17.5, -17.500002, 1e-30, -1e-30, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        return xs
    }()

    /// The elementwise kernels, each as (name, AVX2-or-portable run, forced-portable run).
    typealias Run = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Bool) -> Void
    static let kernels: [(String, Run)] = [
        ("exp", { VectorMath.exp($0, into: $1, count: $2, portable: $3) }),
        ("tanh", { VectorMath.tanh($0, into: $1, count: $2, portable: $3) }),
        ("sigmoid", { VectorMath.sigmoid($0, into: $1, count: $2, portable: $3) }),
        ("elu", { VectorMath.elu($0, into: $1, count: $2, alpha: 1.5, portable: $3) }),
    ]

    func run(_ kernel: Run, _ x: [Float], portable: Bool) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in kernel(px.baseAddress!, py.baseAddress!, x.count, portable) }
        }
        return y
    }

    /// Equal bits, or both NaN.
    func same(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern || a.isNaN && b.isNaN }

    @Test func avx2KernelsMatchThePortableLoopsBitForBit() {
        print("VectorMath: AVX2 \(VectorMath.usesAVX2)")
        for (name, kernel) in Self.kernels {
            let fast = run(kernel, Self.sweep, portable: false), reference = run(kernel, Self.sweep, portable: true)
            let mismatches = Self.sweep.indices.filter { !same(fast[$0], reference[$0]) }
            #expect(mismatches.isEmpty, "\(name): \(mismatches.count) mismatches, first at x = \(mismatches.first.map { Self.sweep[$0] } ?? 0)")
        }
    }

    @Test func everyTailLengthMatchesAndInPlaceWorks() {
        let x = (0..<19).map { Float($0) * 0.37 - 3.1 }
        for (name, kernel) in Self.kernels {
            let reference = run(kernel, x, portable: true)
            for n in 0...x.count {
                let fast = run(kernel, Array(x.prefix(n)), portable: false)
                #expect(fast == Array(reference.prefix(n)), "\(name), \(n) elements")
            }
            var inPlace = x
            inPlace.withUnsafeMutableBufferPointer { kernel(UnsafePointer($0.baseAddress!), $0.baseAddress!, x.count, false) }
            #expect(inPlace == reference, "\(name) in place")
        }
    }

    @Test func derivativeProductsMatchThePortableLoops() {
        var g = SeededGenerator(seed: 11)
        let n = 37
        let x = Tensor<Float>(randomNormal: [n], using: &g).scalars, cotangent = Tensor<Float>(randomNormal: [n], using: &g).scalars
        let products: [(String, (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, Bool) -> Void)] = [
            ("elu", { VectorMath.multiplyByELUDerivative($0, input: $1, output: $2, count: n, alpha: 1.5, portable: $3) }),
            ("tanh", { VectorMath.multiplyByTanhDerivative($0, output: $2, count: n, portable: $3) }),
            ("sigmoid", { VectorMath.multiplyBySigmoidDerivative($0, output: $2, count: n, portable: $3) }),
        ]
        let y = run(Self.kernels[1].1, x, portable: true)
        for (name, product) in products {
            func result(portable: Bool) -> [Float] {
                var out = cotangent
                out.withUnsafeMutableBufferPointer { po in
                    x.withUnsafeBufferPointer { px in
                        y.withUnsafeBufferPointer { py in product(po.baseAddress!, px.baseAddress!, py.baseAddress!, portable) }
                    }
                }
                return out
            }
            let fast = result(portable: false), reference = result(portable: true)
            #expect(fast == reference, "\(name) derivative")
            #expect(fast != cotangent, "\(name) derivative changed nothing")
        }
    }

    /// The largest relative error against the C library (in `Double`) over the sweep's finite values
    /// where the result is a normal Float.
    @Test func avx2KernelsAreWithinAFewUlpsOfTheCLibrary() {
        let xs = Self.sweep.filter { $0.isFinite && Swift.abs($0) <= 87 } + stride(from: Float(-20), through: 20, by: 1e-3).map { $0 }
        let references: [String: (Double) -> Double] = [
            "exp": { Foundation.exp($0) }, "tanh": { Foundation.tanh($0) },
            "sigmoid": { 1 / (1 + Foundation.exp(-$0)) }, "elu": { $0 > 0 ? $0 : 1.5 * Foundation.expm1($0) },
        ]
        for (name, kernel) in Self.kernels {
            let y = run(kernel, xs, portable: false), reference = references[name]!
            var worst = 0.0, at: Float = 0
            for (i, x) in xs.enumerated() {
                let expected = reference(Double(x))
                guard Swift.abs(expected) >= Double(Float.leastNormalMagnitude) else { continue }
                let error = Swift.abs(Double(y[i]) - expected) / Swift.abs(expected)
                if error > worst { (worst, at) = (error, x) }
            }
            print("VectorMath \(name): worst relative error \(worst) at x = \(at) over \(xs.count) points")
            #expect(worst < 4e-7, "\(name): relative error \(worst) at x = \(at)")
        }
    }
}

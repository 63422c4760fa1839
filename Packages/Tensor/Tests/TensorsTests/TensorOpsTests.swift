import Foundation
import Testing
import Tensors
import TensorTestSupport

/// Row-major multi-index of a flat position.
func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}

/// Flat position of a multi-index broadcast into `shape` (trailing alignment, extent-1 axes repeat).
func broadcastFlat(_ index: [Int], into shape: [Int]) -> Int {
    var flat = 0
    let offset = index.count - shape.count
    for axis in 0..<shape.count {
        let i = shape[axis] == 1 ? 0 : index[axis + offset]
        flat = flat * shape[axis] + i
    }
    return flat
}

/// Reference broadcasting, one multi-index at a time.
func naiveBroadcast(_ a: Tensor<Float>, _ b: Tensor<Float>, _ op: (Float, Float) -> Float) -> Tensor<Float> {
    let shape = Broadcast.shape(a.shape, b.shape)!
    let n = shape.reduce(1, *)
    let values = (0..<n).map { flat -> Float in
        let index = multiIndex(flat, shape)
        return op(a.scalars[broadcastFlat(index, into: a.shape)], b.scalars[broadcastFlat(index, into: b.shape)])
    }
    return Tensor(shape: shape, scalars: values)
}

func floatTensor(_ shape: [Int], seed: UInt64) -> Tensor<Float> {
    var g = SeededGenerator(seed: seed)
    return Tensor(randomUniform: shape, lowerBound: 0.5, upperBound: 2, using: &g)
}

/// Relative closeness for Float results computed in different orders (either OpenBLAS kernel).
func isClose(_ a: Tensor<Float>, _ b: Tensor<Float>, relative: Float = 1e-5) -> Bool {
    guard a.shape == b.shape else { return false }
    let scale = Swift.max(b.scalars.map { Swift.abs($0) }.max() ?? 0, 1e-30)
    return zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= relative * scale }
}

@Suite struct BroadcastingTests {
    static let shapePairs: [([Int], [Int])] = [
        ([3, 4], [3, 4]), ([3, 4], [4]), ([4], [3, 4]), ([2, 3, 4, 5], [1, 3, 1, 1]), ([2, 3, 4, 5], [3, 1, 1]),
        ([3, 1], [1, 4]), ([2, 3], []), ([], [2, 3]), ([2, 3], [1]), ([2, 1, 4], [3, 1]), ([1, 1], [1]),
        ([2, 3, 4], [2, 1, 4]), ([5, 1, 3, 1], [4, 1, 2]),
    ]

    @Test(arguments: shapePairs)
    func matchesReference(_ pair: ([Int], [Int])) {
        let a = floatTensor(pair.0, seed: 1), b = floatTensor(pair.1, seed: 2)
        #expect(a + b == naiveBroadcast(a, b, +))
        #expect(a - b == naiveBroadcast(a, b, -))
        #expect(a * b == naiveBroadcast(a, b, *))
        #expect(a / b == naiveBroadcast(a, b, /))
        #expect(a.maximum(b) == naiveBroadcast(a, b, Swift.max))
        // Summing the broadcast result back down equals summing the reference by hand.
        let full = a * b
        let reduced = full.sum(toShape: a.shape)
        var expected = [Float](repeating: 0, count: a.count)
        for flat in 0..<full.count {
            expected[broadcastFlat(multiIndex(flat, full.shape), into: a.shape)] += full.scalars[flat]
        }
        #expect(isClose(reduced, Tensor(shape: a.shape, scalars: expected)))
    }

    @Test func inPlaceAndScalarOperators() {
        var x = floatTensor([2, 3], seed: 3)
        let b = floatTensor([3], seed: 4)
        let original = x
        x += b
        #expect(x == original + b)
        x -= b
        x *= b
        #expect(x == (original + b - b) * b)
        x /= b
        x += 1
        x *= 2
        #expect((x / 2 - 1).shape == [2, 3])
        #expect(-x == x * -1)
        #expect(2 - x == -(x - 2))
        #expect(1 / x == x.map { 1 / $0 })
        var y = original
        Tensor.add(original, b, into: &y)
        #expect(y == original + b)
    }

    @Test func incompatibleShapesAreReported() {
        #expect(Broadcast.shape([2, 3], [4, 3]) == nil)
        #expect(Broadcast.shape([2, 3], [2]) == nil)
        #expect(Broadcast.shape([2, 1, 3], [5, 1]) == [2, 5, 3])
        #expect(Broadcast.canBroadcast([3], to: [2, 3]))
        #expect(!Broadcast.canBroadcast([2, 3], to: [3]))
    }

    @Test func shapeMismatchStopsWithBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor<Float>(zeros: [2, 3]), b = Tensor<Float>(zeros: [4, 3])
            _ = a + b
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("[2, 3]") && message.contains("[4, 3]"))
    }

    @Test func matmulMismatchStopsWithBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>(zeros: [2, 3]).matmul(Tensor<Double>(zeros: [2, 3]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("[2, 3]"))
    }
}

@Suite struct ElementwiseMathTests {
    @Test func valuesMatchScalarFunctions() {
        let x = Tensor<Double>([-2, -0.5, 0.25, 1, 3])
        let p = Tensor<Double>([0.5, 1, 2, 4])
        func close(_ a: Tensor<Double>, _ b: [Double]) -> Bool {
            zip(a.scalars, b).allSatisfy { Swift.abs($0 - $1) <= 1e-14 * Swift.max(1, Swift.abs($1)) }
        }
        #expect(close(exp(x), x.scalars.map { Foundation.exp($0) }))
        #expect(close(log(p), p.scalars.map { Foundation.log($0) }))
        #expect(close(sqrt(p), p.scalars.map { $0.squareRoot() }))
        #expect(close(tanh(x), x.scalars.map { Foundation.tanh($0) }))
        #expect(close(sigmoid(x), x.scalars.map { 1 / (1 + Foundation.exp(-$0)) }))
        #expect(close(softplus(x), x.scalars.map { Foundation.log(1 + Foundation.exp($0)) }))
        #expect(close(abs(x), x.scalars.map { Swift.abs($0) }))
        #expect(close(pow(p, 1.5), p.scalars.map { Foundation.pow($0, 1.5) }))
        #expect(close(pow(x, 3), x.scalars.map { $0 * $0 * $0 }))
        #expect(close(relu(x), [0, 0, 0.25, 1, 3]))
        #expect(close(leakyRelu(x, slope: 0.1), [-0.2, -0.05, 0.25, 1, 3]))
        #expect(close(elu(x, alpha: 2), x.scalars.map { $0 > 0 ? $0 : 2 * (Foundation.exp($0) - 1) }))
        #expect(close(hardtanh(x, min: -1, max: 2), [-1, -0.5, 0.25, 1, 2]))
    }
}

@Suite struct ReductionTests {
    let x = Tensor<Double>(shape: [2, 3, 4], scalars: (0..<24).map { Double(($0 * 5) % 24) })

    @Test func sumsMeansAndMaxima() {
        #expect(x.sum() == 276)
        #expect(x.mean() == 11.5)
        #expect(x.max() == 23)
        #expect(x.min() == 0)
        // Reference reductions by index.
        func reference(_ axes: Set<Int>, _ combine: (Double, Double) -> Double, _ initial: Double) -> [Double] {
            let outShape = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
            var out = [Double](repeating: initial, count: outShape.reduce(1, *))
            for flat in 0..<x.count {
                let target = broadcastFlat(multiIndex(flat, x.shape), into: outShape)
                out[target] = combine(out[target], x.scalars[flat])
            }
            return out
        }
        for axes in [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]] {
            let sum = x.sum(alongAxes: axes, keepDims: true)
            #expect(sum.scalars == reference(Set(axes), +, 0))
            #expect(x.max(alongAxes: axes, keepDims: true).scalars == reference(Set(axes), Swift.max, -.infinity))
            #expect(x.sum(alongAxes: axes).shape == x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
        }
        #expect(x.mean(alongAxis: 2).shape == [2, 3])
        #expect(x.mean(alongAxis: -1) == x.sum(alongAxis: 2) / 4)
        #expect(x.max(alongAxis: 1, keepDims: true).shape == [2, 1, 4])
        #expect(x.argmax(alongAxis: 2) == x.reshaped([6, 4]).scalars.chunked(4).map { row in row.firstIndex(of: row.max()!)! })
    }

    @Test func softmaxIsStableForLargeLogits() {
        let logits = Tensor<Float>(shape: [2, 3], scalars: [1000, 1001, 1002, -1000, 0, 1000])
        let p = logits.softmax()
        #expect(p.isFinite)
        #expect(Swift.abs(p.sum(alongAxis: 1).scalars[0] - 1) < 1e-6)
        #expect(Swift.abs(p.scalars[5] - 1) < 1e-6)
        let loss = softmaxCrossEntropy(logits: Variable(constant: logits), labels: [2, 0]).value.scalar
        #expect(Swift.abs(loss - (0.4076059 + 2000) / 2) < 1e-2)
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

@Suite struct ShapeOpsTests {
    @Test func sliceConcatenateStack() {
        let x = Tensor<Float>(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        let s = x.slice(axis: 1, range: 1..<3)
        #expect(s.shape == [2, 2, 2])
        #expect(s.scalars == [2, 3, 4, 5, 8, 9, 10, 11])
        #expect(x.slice(axis: 0, range: 1...1).scalars == Array((6..<12).map(Float.init)))
        let joined = Tensor.concatenate([x.slice(axis: 1, range: 0..<1), s], axis: 1)
        #expect(joined == x)
        #expect(Tensor.concatenate([x, x], axis: 0).shape == [4, 3, 2])
        #expect(Tensor.concatenate([x, x], axis: -1).scalars.prefix(4) == [0, 1, 0, 1])
        let stacked = Tensor.stack([x, x * 2], axis: 1)
        #expect(stacked.shape == [2, 2, 3, 2])
        #expect(stacked.slice(axis: 1, range: 1..<2).reshaped([2, 3, 2]) == x * 2)
        #expect(Tensor.stack([x, x], axis: 3).shape == [2, 3, 2, 2])
        var y = Tensor<Float>(zeros: [2, 3, 2])
        y.updateSlice(axis: 1, offset: 1, with: s)
        #expect(y.slice(axis: 1, range: 1..<3) == s)
        #expect(y.slice(axis: 1, range: 0..<1).scalars.allSatisfy { $0 == 0 })
    }

    @Test func transposeAndPermute() {
        let a = Tensor<Float>(shape: [37, 45], scalars: (0..<(37 * 45)).map(Float.init))
        let t = a.transposed()
        #expect(t.shape == [45, 37])
        #expect(t[3, 7] == a[7, 3])
        #expect(t.transposed() == a)
        let x = Tensor<Float>(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        let p = x.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { #expect(p[k, i, j] == x[i, j, k]) } } }
        #expect(p.permuted([1, 2, 0]) == x)
    }
}

@Suite struct ConvolutionTests {
    /// Direct 6-loop convolution (cross-correlation), Double accumulation.
    func naiveConv(_ x: Tensor<Float>, _ w: Tensor<Float>, _ b: Tensor<Float>?, padding p: Int) -> Tensor<Float> {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = h + 2 * p - kh + 1, ow = wd + 2 * p - kw + 1
        var out = Tensor<Float>(zeros: [n, o, oh, ow])
        for ni in 0..<n { for oi in 0..<o { for y in 0..<oh { for xx in 0..<ow {
            var s = Double(b?.scalars[oi] ?? 0)
            for ci in 0..<c { for i in 0..<kh { for j in 0..<kw {
                let iy = y + i - p, ix = xx + j - p
                if iy >= 0 && iy < h && ix >= 0 && ix < wd { s += Double(x[ni, ci, iy, ix]) * Double(w[oi, ci, i, j]) }
            } } }
            out[ni, oi, y, xx] = Float(s)
        } } } }
        return out
    }

    @Test(arguments: [(3, 0), (3, 1), (1, 0), (1, 1), (5, 2)])
    func forwardMatchesDirectConvolution(_ c: (Int, Int)) {
        let (k, padding) = c
        var g = SeededGenerator(seed: 9)
        let x = Tensor<Float>(randomNormal: [2, 5, 7, 6], using: &g)
        let w = Tensor<Float>(randomNormal: [4, 5, k, k], using: &g)
        let b = Tensor<Float>(randomNormal: [4], using: &g)
        #expect(isClose(conv2d(x, weight: w, bias: b, padding: padding), naiveConv(x, w, b, padding: padding)))
        #expect(isClose(conv2d(x, weight: w, padding: padding), naiveConv(x, w, nil, padding: padding)))
    }

    @Test func floatBackwardMatchesDouble() {
        // The Float pullbacks agree with the (gradient-checked) Double ones to Float precision.
        var g = SeededGenerator(seed: 10)
        let x = Tensor<Double>(randomNormal: [3, 4, 6, 6], using: &g)
        let w = Tensor<Double>(randomNormal: [5, 4, 3, 3], using: &g)
        let b = Tensor<Double>(randomNormal: [5], using: &g)
        let seed = Tensor<Double>(randomNormal: [3, 5, 6, 6], using: &g)
        let (_, pbD) = valueWithPullback(at: [x, w, b]) { v in conv2d(v[0], weight: v[1], bias: v[2], padding: 1) }
        let (_, pbF) = valueWithPullback(at: [x.converted(to: Float.self), w.converted(), b.converted()]) { v in
            conv2d(v[0], weight: v[1], bias: v[2], padding: 1)
        }
        for (gd, gf) in zip(pbD(seed), pbF(seed.converted())) {
            #expect(isClose(gf, gd.converted(), relative: 1e-5))
        }
    }

    @Test func kernelLargerThanInputStops() async {
        await #expect(processExitsWith: .failure) {
            _ = conv2d(Tensor<Float>(zeros: [1, 1, 2, 2]), weight: Tensor<Float>(zeros: [1, 1, 3, 3]))
        }
    }
}

@Suite struct RandomTests {
    @Test func seededAndReproducible() throws {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        // The state survives a JSON round trip mid-stream.
        let data = try JSONEncoder().encode(a)
        var restored = try JSONDecoder().decode(SeededGenerator.self, from: data)
        #expect((0..<5).map { _ in restored.next() } == (0..<5).map { _ in a.next() })
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SeededGenerator.self, from: Data(#"{"state":[0,0,0,0]}"#.utf8)) }
    }

    @Test func distributions() {
        var g = SeededGenerator(seed: 7)
        let u = Tensor<Float>(randomUniform: [10_000], lowerBound: -2, upperBound: 3, using: &g)
        #expect(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        #expect(Swift.abs(u.mean() - 0.5) < 0.05)
        let z = Tensor<Double>(randomNormal: [10_001], mean: 1, standardDeviation: 2, using: &g)
        let mean = z.mean()
        let variance = (z - mean).squared().mean()
        #expect(Swift.abs(mean - 1) < 0.06)
        #expect(Swift.abs(variance.squareRoot() - 2) < 0.06)
        let w = Tensor<Float>(pytorchDefaultInitWeight: [8, 4, 3, 3], using: &g)
        let bound = 1 / Float(36).squareRoot()
        #expect(w.scalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(w.max() > 0.8 * bound && w.min() < -0.8 * bound)
        // Float draws never round up to the upper bound.
        var h = SeededGenerator(seed: 1)
        #expect((0..<100_000).allSatisfy { _ in h.nextUnitInterval(Float.self) < 1 })
    }
}

@Suite struct EigenvalueTests {
    func sorted(_ values: [Complex<Double>]) -> [Complex<Double>] {
        values.sorted { ($0.real, $0.imaginary) < ($1.real, $1.imaginary) }
    }

    @Test func rotationHasConjugatePair() throws {
        let theta = 0.3
        let r = Tensor<Double>(shape: [2, 2], scalars: [cos(theta), -sin(theta), sin(theta), cos(theta)])
        let values = sorted(try eigenvalues(of: r))
        #expect(Swift.abs(values[0].real - cos(theta)) < 1e-14 && Swift.abs(values[0].imaginary + sin(theta)) < 1e-14)
        #expect(Swift.abs(values[1].real - cos(theta)) < 1e-14 && Swift.abs(values[1].imaginary - sin(theta)) < 1e-14)
    }

    @Test func triangularHasItsDiagonal() throws {
        let t = Tensor<Double>(shape: [4, 4], scalars: [
            3, 1, -2, 5,
            0, -1, 4, 2,
            0, 0, 0.5, 7,
            0, 0, 0, 2,
        ])
        let values = sorted(try eigenvalues(of: t))
        for (v, expected) in zip(values, [-1, 0.5, 2, 3]) {
            #expect(Swift.abs(v.real - expected) < 1e-12 && v.imaginary == 0)
        }
        // Float input is promoted to Double.
        #expect(sorted(try eigenvalues(of: t.converted(to: Float.self))).map(\.real).map { ($0 * 1e6).rounded() / 1e6 } == [-1, 0.5, 2, 3])
    }

    @Test func symmetricIsReal() throws {
        let s = Tensor<Double>(shape: [3, 3], scalars: [2, -1, 0, -1, 2, -1, 0, -1, 2])
        let values = sorted(try eigenvalues(of: s))
        let expected = [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]
        for (v, e) in zip(values, expected) {
            #expect(Swift.abs(v.real - e) < 1e-13 && Swift.abs(v.imaginary) < 1e-13)
        }
        // A larger random symmetric matrix: real spectrum whose sum is the trace.
        var g = SeededGenerator(seed: 3)
        let a = Tensor<Double>(randomNormal: [20, 20], using: &g)
        let sym = a + a.transposed()
        let spectrum = try eigenvalues(of: sym)
        #expect(spectrum.allSatisfy { Swift.abs($0.imaginary) < 1e-10 })
        let trace = (0..<20).reduce(0.0) { $0 + sym[$1, $1] }
        #expect(Swift.abs(spectrum.reduce(0) { $0 + $1.real } - trace) < 1e-9)
    }

    @Test func nonFiniteInputThrows() throws {
        let bad = Tensor<Double>(shape: [2, 2], scalars: [1, .nan, 0, 1])
        #expect(throws: LinearAlgebraError.nonFiniteInput) { try eigenvalues(of: bad) }
        #expect(try eigenvalues(of: Tensor<Double>(zeros: [0, 0])).isEmpty)
    }
}

@Suite struct FloatKernelAccuracyTests {
    /// Points spread over the whole useful range, dense near 0.
    var points: [Float] {
        var xs: [Float] = []
        var x: Float = 1e-8
        while x < 100 { xs.append(x); xs.append(-x); x *= 1.003 }
        for i in -2000...2000 { xs.append(Float(i) * 0.01) }
        return xs
    }

    /// Worst relative error over the points where the result is a normal Float (|x| ≤ 87 for exp).
    func worstRelativeError(_ f: (Float) -> Float, _ reference: (Double) -> Double, floor: Double = 1e-37) -> Double {
        points.filter { Swift.abs($0) <= 87 }.reduce(0) { worst, x in
            let expected = reference(Double(x))
            let error = Swift.abs(Double(f(x)) - expected) / Swift.max(Swift.abs(expected), floor)
            return Swift.max(worst, error)
        }
    }

    @Test func expExpm1TanhAreWithinAFewUlps() {
        let exp = worstRelativeError(Float.elementExp, Foundation.exp)
        let expm1 = worstRelativeError(Float.elementExpMinusOne, Foundation.expm1)
        let tanh = worstRelativeError(Float.elementTanh, Foundation.tanh)
        let expm1Negative = worstRelativeError({ Float.elementExpMinusOneNonPositive(-Swift.abs($0)) }, { Foundation.expm1(-Swift.abs($0)) })
        #expect(expm1Negative < 4e-7, "expm1 (x ≤ 0) worst relative error \(expm1Negative)")
        print("Float kernels, worst relative error: exp \(exp), expm1 \(expm1), expm1(x ≤ 0) \(expm1Negative), tanh \(tanh)")
        #expect(exp < 4e-7, "exp worst relative error \(exp)")
        #expect(expm1 < 4e-7, "expm1 worst relative error \(expm1)")
        #expect(tanh < 4e-7, "tanh worst relative error \(tanh)")
    }

    @Test func specialValues() {
        #expect(Float.elementExp(0) == 1)
        #expect(Float.elementExp(-200) == 0)
        #expect(Float.elementExp(100) == .infinity)
        #expect(Float.elementExp(.infinity) == .infinity)
        #expect(Float.elementExp(-.infinity) == 0)
        #expect(Float.elementExp(.nan).isNaN)
        #expect(Float.elementExpMinusOne(-.infinity) == -1)
        #expect(Float.elementExpMinusOne(0) == 0)
        #expect(Float.elementExpMinusOneNonPositive(0) == 0 && Float.elementExpMinusOneNonPositive(-1e-30) == -1e-30)
        #expect(Float.elementExpMinusOneNonPositive(-.infinity) == -1 && Float.elementExpMinusOneNonPositive(-30) == -1)
        #expect(elu(Tensor<Float>([.nan, -.infinity, 2])).scalars[0].isNaN)
        #expect(Float.elementTanh(.infinity) == 1 && Float.elementTanh(-.infinity) == -1)
        #expect(Float.elementTanh(.nan).isNaN && Float.elementExpMinusOne(.nan).isNaN)
        #expect(Float.elementTanh(-0.0) == 0 && Float.elementTanh(1e-30) == 1e-30)
        let x = Tensor<Float>([-1000, -50, -1, 0, 1, 50, 1000])
        #expect(x.sigmoid().scalars == [0, Float(1.9287499e-22), 0.26894143, 0.5, 0.7310586, 1, 1])
    }
}

@Suite struct ReadmeExampleTests {
    @Test func readmeExampleRuns() {
        var rng = SeededGenerator(seed: 0)
        let w = Tensor<Float>(pytorchDefaultInitWeight: [20, 2], using: &rng)
        let b = Tensor<Float>(pytorchDefaultInit: [20], fanIn: 2, using: &rng)
        let x = Tensor<Float>(randomNormal: [50, 2], using: &rng)
        let (y, pullback) = valueWithPullback(at: [x, w, b]) { v in elu(linear(v[0], weight: v[1], bias: v[2])) }
        let grads = pullback(Tensor(ones: y.shape))
        #expect(y.shape == [50, 20])
        #expect(grads.map(\.shape) == [[50, 2], [20, 2], [20]])
    }
}

/// The small-matrix kernels against a plain triple loop, for every tile-edge case, both precisions,
/// transposed and plain A, padded and unpadded columns, with and without accumulation.
@Suite struct SmallMatrixMultiplyTests {
    func check<Scalar: TensorScalar>(_: Scalar.Type, m: Int, n: Int, k: Int, transposed: Bool, padded: Bool, accumulate: Bool) {
        var g = SeededGenerator(seed: UInt64(m * 1000 + n * 10 + k))
        let ldb = SmallMatrixMultiply.paddedCount(n) + 3, ldc = SmallMatrixMultiply.paddedCount(n) + 1
        let lda = (transposed ? m : k) + 2
        let a = Tensor<Scalar>(randomNormal: [max((transposed ? k : m) * lda, 1)], using: &g).scalars
        let b = Tensor<Scalar>(randomNormal: [max(k * ldb, 1)], using: &g).scalars
        var c = Tensor<Scalar>(randomNormal: [max(m * ldc, 1)], using: &g).scalars
        var expected = c
        for i in 0..<m {
            for j in 0..<n {
                var sum: Scalar = accumulate ? c[i * ldc + j] : 0
                for p in 0..<k { sum += (transposed ? a[p * lda + i] : a[i * lda + p]) * b[p * ldb + j] }
                expected[i * ldc + j] = sum
            }
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    SmallMatrixMultiply.multiply(
                        m: m, n: n, k: k, a: pa.baseAddress!, aRowStride: transposed ? 1 : lda, aColumnStride: transposed ? lda : 1,
                        b: pb.baseAddress!, ldb: ldb, c: pc.baseAddress!, ldc: ldc, accumulate: accumulate, padded: padded)
                }
            }
        }
        let tolerance = Scalar(Scalar.self == Float.self ? 1e-4 : 1e-12) * Scalar(max(k, 1))
        for i in 0..<m {
            for j in 0..<n {
                #expect(Swift.abs(c[i * ldc + j] - expected[i * ldc + j]) <= tolerance, "m \(m) n \(n) k \(k) at \(i), \(j)")
            }
        }
    }

    @Test(arguments: [(1, 1, 1), (3, 2, 5), (4, 8, 3), (5, 20, 20), (50, 20, 2), (20, 2, 50), (9, 17, 0), (13, 33, 7), (0, 5, 3)])
    func matchesTheDefinition(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for transposed in [false, true] {
            for accumulate in [false, true] {
                for padded in [false, true] {
                    check(Float.self, m: m, n: n, k: k, transposed: transposed, padded: padded, accumulate: accumulate)
                    check(Double.self, m: m, n: n, k: k, transposed: transposed, padded: padded, accumulate: accumulate)
                }
            }
        }
    }
}

import Testing
@testable import Tensors
import TensorTestSupport

/// `‖a − b‖ / ‖b‖`.
func relativeError<Scalar: TensorScalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Double {
    precondition(a.shape == b.shape, "relativeError: shapes \(a.shape) and \(b.shape)")
    var difference = 0.0, norm = 0.0
    for (x, y) in zip(a.scalars, b.scalars) {
        difference += Double(x - y) * Double(x - y)
        norm += Double(y) * Double(y)
    }
    return (difference / Swift.max(norm, 1e-300)).squareRoot()
}

@Suite struct WinogradConvolutionTests {
    /// (N, C, H, W, O, padding): partial edge tiles (outputs not a multiple of 4), lane padding (tile counts
    /// not a multiple of 8), paddings 0, 1, 2, non-square images.
    static let shapes: [(Int, Int, Int, Int, Int, Int)] = [
        (2, 3, 5, 5, 4, 1), (1, 2, 6, 6, 3, 0), (3, 4, 7, 9, 2, 1), (2, 3, 4, 5, 3, 2), (1, 1, 3, 3, 1, 0),
        (2, 5, 8, 8, 6, 1),
    ]

    @Test(arguments: shapes)
    func forwardMatchesIm2col(_ s: (Int, Int, Int, Int, Int, Int)) {
        let (n, c, h, w, o, p) = s
        let x = randomTensor([n, c, h, w], seed: 1), weight = randomTensor([o, c, 3, 3], seed: 2)
        let bias = randomTensor([o], seed: 3)
        for b in [bias, nil] {
            let reference = conv2d(x, weight: weight, bias: b, padding: p, algorithm: .im2col)
            let winograd = conv2d(x, weight: weight, bias: b, padding: p, algorithm: .winograd)
            #expect(relativeError(winograd, reference) < 1e-13, "shape \(s)")
        }
    }

    @Test(arguments: shapes)
    func gradientsMatchFiniteDifferences(_ s: (Int, Int, Int, Int, Int, Int)) {
        let (n, c, h, w, o, p) = s
        let x = randomTensor([n, c, h, w], seed: 4), weight = randomTensor([o, c, 3, 3], seed: 5)
        let bias = randomTensor([o], seed: 6)
        expectGradientsMatch(at: [x, weight, bias]) { v in
            conv2d(v[0], weight: v[1], bias: v[2], padding: p, algorithm: .winograd)
        }
        expectGradientsMatch(at: [x, weight]) { v in conv2d(v[0], weight: v[1], padding: p, algorithm: .winograd).tanh() }
        // One operand tracked at a time (the backward pass then computes only its cotangent).
        expectGradientsMatch(at: [x]) { v in conv2d(v[0], weight: Variable(constant: weight), padding: p, algorithm: .winograd).tanh() }
        expectGradientsMatch(at: [weight]) { v in conv2d(Variable(constant: x), weight: v[0], padding: p, algorithm: .winograd).tanh() }
    }

    @Test(arguments: [ConvolutionAlgorithm.im2col, .winograd], [0, 1, 2])
    func constantChannelEqualsConcatenation(_ algorithm: ConvolutionAlgorithm, _ p: Int) {
        let x = randomTensor([2, 3, 6, 7], seed: 7), weight = randomTensor([4, 4, 3, 3], seed: 8)
        let bias = randomTensor([4], seed: 9), t = 0.37
        let concatenated: ([Variable<Double>]) -> Variable<Double> = { v in
            let channel = Variable(constant: Tensor<Double>(repeating: t, shape: [2, 1, 6, 7]))
            return conv2d(Variable.concatenate([v[0], channel], axis: 1), weight: v[1], bias: v[2], padding: p, algorithm: algorithm)
        }
        let folded: ([Variable<Double>]) -> Variable<Double> = { v in
            conv2d(v[0], weight: v[1], bias: v[2], padding: p, appendingConstantChannel: t, algorithm: algorithm)
        }
        let seed = randomTensor([2, 4, 6 + 2 * p - 2, 7 + 2 * p - 2], seed: 10)
        let (y1, pb1) = valueWithPullback(at: [x, weight, bias], in: concatenated)
        let (y2, pb2) = valueWithPullback(at: [x, weight, bias], in: folded)
        #expect(relativeError(y2, y1) < 1e-13)
        for (g2, g1) in zip(pb2(seed), pb1(seed)) { #expect(relativeError(g2, g1) < 1e-13) }
        expectGradientsMatch(at: [x, weight, bias], folded)
    }

    @Test func constantChannelOnPointwiseConvolution() {
        let x = randomTensor([3, 2, 4, 4], seed: 11), weight = randomTensor([5, 3, 1, 1], seed: 12)
        let bias = randomTensor([5], seed: 13)
        expectGradientsMatch(at: [x, weight, bias]) { v in
            conv2d(v[0], weight: v[1], bias: v[2], appendingConstantChannel: -1.5).tanh()
        }
    }

    @Test func chunksOfOneImageMatchOneChunk() {
        // Several chunks (the last one smaller) give the same result as the whole batch in one chunk.
        let x = randomTensor([5, 3, 9, 6], seed: 14), weight = randomTensor([4, 3, 3, 3], seed: 15)
        let dy = randomTensor([5, 4, 9, 6], seed: 16)
        let g = Convolution2D.Geometry(input: x.shape, weight: weight.shape, padding: (1, 1))
        func run(_ chunkBytes: Int) -> (Tensor<Double>, Tensor<Double>, [Double]) {
            let plan = _WinogradConvolution<Double>(g, chunkBytes: chunkBytes)
            var u = [Double](repeating: 0, count: 36 * 4 * 3), du = u
            weight.withUnsafeBufferPointer { plan.transformFilters($0.baseAddress!, into: &u) }
            var y = Tensor<Double>(zeros: [5, 4, 9, 6]), dx = Tensor<Double>(zeros: x.shape)
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    plan.forward(input: px.baseAddress!, filters: u, channelBias: nil, output: py.baseAddress!)
                }
                dy.withUnsafeBufferPointer { pdy in
                    dx.withUnsafeMutableBufferPointer { pdx in
                        plan.backward(
                            input: px.baseAddress!, filters: u, outputGradient: pdy.baseAddress!,
                            inputGradient: pdx.baseAddress!, filterGradient: &du)
                    }
                }
            }
            return (y, dx, du)
        }
        let whole = run(1 << 30), pieces = run(1)
        #expect(_WinogradConvolution<Double>(g, chunkBytes: 1).imagesPerChunk == 1)
        #expect(_WinogradConvolution<Double>(g, chunkBytes: 1 << 30).imagesPerChunk == 5)
        #expect(relativeError(pieces.0, whole.0) < 1e-14)
        #expect(relativeError(pieces.1, whole.1) < 1e-14)
        #expect(relativeError(Tensor(shape: [pieces.2.count], scalars: pieces.2), Tensor(shape: [whole.2.count], scalars: whole.2)) < 1e-14)
    }

    /// The image models' 3×3 convolutions (MNIST NODE and HBNODE, CIFAR-10 NODE and HBNODE) with their time
    /// channel, in Float, at batch 2: Winograd within 1e-4 relative of im2col in every pass.
    @Test(arguments: [(92, 28), (50, 28), (125, 32), (51, 32)])
    func floatImageModelShapesMatchIm2col(_ s: (Int, Int)) {
        let (hidden, side) = s
        var generator = SeededGenerator(seed: 17)
        let x = Tensor<Float>(randomUniform: [2, hidden, side, side], lowerBound: 0, upperBound: 1, using: &generator)
        let bound = 1 / Float(9 * (hidden + 1)).squareRoot()
        let weight = Tensor<Float>(randomUniform: [hidden, hidden + 1, 3, 3], lowerBound: -bound, upperBound: bound, using: &generator)
        let bias = Tensor<Float>(randomUniform: [hidden], lowerBound: -bound, upperBound: bound, using: &generator)
        let dy = Tensor<Float>(randomNormal: [2, hidden, side, side], using: &generator)
        var results: [[Tensor<Float>]] = []
        for algorithm in [ConvolutionAlgorithm.im2col, .winograd] {
            let y = conv2d(x, weight: weight, bias: bias, padding: 1, appendingConstantChannel: 0.6, algorithm: algorithm)
            let grads = Convolution2D.backward(
                outputGradient: dy, input: x, weight: weight, padding: (1, 1), constantChannel: 0.6, algorithm: algorithm,
                wrt: (true, true, true))
            results.append([y, grads.input!, grads.weight!, grads.bias!])
        }
        for (winograd, reference) in zip(results[1], results[0]) {
            #expect(relativeError(winograd, reference) < 1e-4, "hidden \(hidden), side \(side)")
        }
        #expect(Convolution2D.resolvedAlgorithm(.automatic, for: Convolution2D.Geometry(
            input: x.shape, weight: weight.shape, padding: (1, 1), constantChannel: true)) == .winograd)
    }

    @Test func automaticKeepsIm2colForOtherKernelsAndFewChannels() {
        let pointwise = Convolution2D.Geometry(input: [2, 64, 8, 8], weight: [64, 64, 1, 1], padding: (0, 0))
        let narrow = Convolution2D.Geometry(input: [2, 2, 8, 8], weight: [64, 2, 3, 3], padding: (1, 1))
        #expect(Convolution2D.resolvedAlgorithm(.automatic, for: pointwise) == .im2col)
        #expect(Convolution2D.resolvedAlgorithm(.automatic, for: narrow) == .im2col)
    }
}

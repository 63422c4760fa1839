import Foundation
import Testing
@testable import Tensors

/// Serialized: these tests change OpenBLAS's process-wide thread count and read it back.
@Suite(.serialized) struct BLASThreadsTests {
    @Test func withSetsTheCountAndRestoresIt() {
        let before = BLASThreads.count
        let inside = BLASThreads.with(1) { BLASThreads.count }
        if BLASThreads.isSetByEnvironment {
            #expect(inside == before, "a count fixed by the environment must not be overridden")
        } else {
            #expect(inside == 1)
        }
        #expect(BLASThreads.count == before)
    }

    @Test func productsAgreeAcrossThreadCountsToRounding() {
        // OpenBLAS may block the sum differently per thread count, so the last bits can differ (which is why a
        // run resumed under another count is not bit-for-bit); the product itself must not.
        var rng = SeededGenerator(seed: 11)
        let a = Tensor<Float>(randomUniform: [96, 80], lowerBound: -1, upperBound: 1, using: &rng)
        let b = Tensor<Float>(randomUniform: [80, 72], lowerBound: -1, upperBound: 1, using: &rng)
        let one = BLASThreads.with(1) { a.matmul(b) }
        let all = BLASThreads.with(nil) { a.matmul(b) }
        let largest = zip(one.scalars, all.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(largest <= 1e-5, "largest difference \(largest)")
    }

    /// With OpenBLAS on one thread the convolutions split the batch over every core (each worker its own
    /// images; the weight gradient summed over parts fixed by the batch alone and added in part order);
    /// the result has the same bits as the one-worker computation, so a run does not depend on its cores.
    @Test(arguments: [ConvolutionAlgorithm.im2col, .winograd])
    func convolutionSplitOverWorkersHasTheOneWorkerBits(_ algorithm: ConvolutionAlgorithm) {
        let x = randomTensor([5, 9, 7, 6], seed: 21), weight = randomTensor([10, 10, 3, 3], seed: 22)
        let bias = randomTensor([10], seed: 23), dy = randomTensor([5, 10, 7, 6], seed: 24)
        expectSameBitsOnEveryWorkerCount(x: x, weight: weight, bias: bias, outputGradient: dy, algorithm: algorithm)
    }

    /// The same in Float at an image-model-like batch (12 images: eight reduction parts of one or two
    /// images, chunks that differ between one and two workers) through the AVX2 kernels where available.
    @Test(arguments: [ConvolutionAlgorithm.im2col, .winograd])
    func floatConvolutionSplitOverWorkersHasTheOneWorkerBits(_ algorithm: ConvolutionAlgorithm) {
        var rng = SeededGenerator(seed: 31)
        func random(_ shape: [Int]) -> Tensor<Float> { Tensor(randomUniform: shape, lowerBound: -1, upperBound: 1, using: &rng) }
        let x = random([12, 6, 10, 10]), weight = random([8, 7, 3, 3]), bias = random([8]), dy = random([12, 8, 10, 10])
        expectSameBitsOnEveryWorkerCount(x: x, weight: weight, bias: bias, outputGradient: dy, algorithm: algorithm)
    }

    func expectSameBitsOnEveryWorkerCount<Scalar: TensorScalar>(
        x: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>, outputGradient dy: Tensor<Scalar>,
        algorithm: ConvolutionAlgorithm
    ) {
        func run() -> [Tensor<Scalar>] {
            let y = conv2d(x, weight: weight, bias: bias, padding: 1, appendingConstantChannel: 0.25, algorithm: algorithm)
            let g = Convolution2D.backward(
                outputGradient: dy, input: x, weight: weight, padding: (1, 1), constantChannel: 0.25, algorithm: algorithm,
                wrt: (true, true, true))
            return [y, g.input!, g.weight!, g.bias!]
        }
        let (split, workers) = BLASThreads.with(1) { (run(), tensorWorkerCount) }
        let (whole, single) = BLASThreads.with(2) { (run(), tensorWorkerCount) }
        #expect(single == 1)
        if !BLASThreads.isSetByEnvironment { #expect(workers == ProcessInfo.processInfo.activeProcessorCount) }
        for (name, (a, b)) in zip(["output", "input gradient", "weight gradient", "bias gradient"], zip(split, whole)) {
            let (x, y) = (a.scalars, b.scalars)
            let first = x.count == y.count ? x.indices.first { x[$0] != y[$0] } : 0
            #expect(first == nil, "\(name) differs between \(workers) workers and 1 from element \(first ?? 0)")
        }
    }
}

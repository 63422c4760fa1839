import Testing
@testable import Tensors

@Suite struct BLASThreadsTests {
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
}

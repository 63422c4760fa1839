import Testing
@testable import Datasets

// Reference values were produced with NumPy 2.4.6 (legacy `numpy.random.RandomState`), e.g.
//   python3 -c "import numpy as np; r=np.random.RandomState(125487); print([r.random_sample() for _ in range(3)])"
@Suite struct NumpyRandomStateTests {
    @Test func integerSeedMatchesNumpyRawOutputAndSamples() {
        var raw = NumpyRandomState(seed: 125_487)
        #expect([raw.nextUInt32(), raw.nextUInt32(), raw.nextUInt32()] == [744_620_292, 3_036_924_305, 4_177_098_637])
        var rng = NumpyRandomState(seed: 125_487)
        #expect(rng.randomSample() == 0.17337042620099363)
        #expect(rng.randomSample() == 0.9725565658048764)
        #expect(rng.randomSample() == 0.9938479656738219)
    }

    @Test func arraySeedUsesInitByArray() {
        // np.random.RandomState([1, 2, 3]).random_sample() twice.
        var rng = NumpyRandomState(seedArray: [1, 2, 3])
        #expect(rng.randomSample() == 0.6098612722867289)
        #expect(rng.randomSample() == 0.8866970434146851)
    }

    @Test func permutationAndShuffleMatchLegacyNumpy() {
        // np.random.RandomState(0).permutation(10)
        var rng = NumpyRandomState(seed: 0)
        #expect(rng.permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
        // a = list(range(1000)); np.random.RandomState(7).shuffle(a); a[:6]
        var other = NumpyRandomState(seed: 7)
        var values = Array(0..<1000)
        other.shuffle(&values)
        #expect(Array(values.prefix(6)) == [778, 334, 271, 802, 216, 408])
        #expect(values.sorted() == Array(0..<1000))
    }

    @Test func legacyGaussianMatchesNumpy() {
        // np.random.RandomState(42).standard_normal() three times (the classic 0.4967…, -0.1382…, 0.6476…).
        var rng = NumpyRandomState(seed: 42)
        let draws = (0..<3).map { _ in rng.standardNormal() }
        let expected = [0.4967141530112327, -0.13826430117118466, 0.6476885381006925]
        for (got, want) in zip(draws, expected) { #expect(abs(got - want) <= 1e-15) }
    }

    @Test func intervalStaysInRangeAndHitsBothEnds() {
        var rng = NumpyRandomState(seed: 3)
        var seen = Set<UInt64>()
        for _ in 0..<2000 {
            let value = rng.interval(5)
            #expect(value <= 5)
            seen.insert(value)
        }
        #expect(seen == Set(0...5))
        #expect(rng.interval(0) == 0)
        // 64-bit path: two 32-bit draws per candidate.
        #expect(rng.interval(1 << 40) <= 1 << 40)
    }
}

import Testing
import Tensors
@testable import Datasets

// Reference values come from running the official loader's logic with NumPy 2.4.6 on the mirrored
// rollouts (sorted names, RandomState(125487).shuffle, one RandomState(891374) drawing rand() < 0.9 per
// step over train, valid, test; windows range(0, len - 64, 16); float32 values).
@Suite(.serialized) struct Walker2DTests {
    @Test func fileSplitMatchesNumpyShuffle() {
        let names = (0..<400).map { "rollout_" + String(repeating: "0", count: 3 - String($0).count) + "\($0).npy" }
        let split = Walker2D.splitFiles(names.reversed())
        #expect(split.test.count == 60 && split.valid.count == 40 && split.train.count == 300)
        #expect(Array(split.test.prefix(3)) == ["rollout_263.npy", "rollout_266.npy", "rollout_253.npy"])
        #expect(Array(split.valid.prefix(3)) == ["rollout_308.npy", "rollout_355.npy", "rollout_153.npy"])
        #expect(Array(split.train.prefix(3)) == ["rollout_035.npy", "rollout_007.npy", "rollout_104.npy"])
    }

    @Test func keepMaskAndWindowsOnASyntheticRollout() throws {
        let dir = try TemporaryDirectory()
        let rows = 100
        let values = (0..<(rows * 17)).map { Double($0) }
        let file = try dir.write("r.npy", Fixtures.npy(shape: [rows, 17], payload: Fixtures.float64(values)))
        var rng = NumpyRandomState(seed: 5)
        let windows = try Walker2D.windows(files: [file], rng: &rng)
        // Recompute the keep-mask independently.
        var check = NumpyRandomState(seed: 5)
        let kept = (0..<(rows - 1)).filter { _ in check.randomSample() < 0.9 }
        #expect(windows.count == Array(stride(from: 0, to: kept.count - 64, by: 16)).count)
        #expect(windows.x[0, 0, 0] == Float(kept[0] * 17))
        #expect(windows.y[0, 0, 0] == Float((kept[0] + 1) * 17))
        #expect(windows.gaps[0, 0] == Float(kept[0] + 1))
        #expect(windows.gaps[0, 5] == Float(kept[5] - kept[4]))
        if windows.count > 1 { #expect(windows.x[1, 0, 3] == Float(kept[16] * 17 + 3)) }
    }

    @Test func rejectsRolloutsOfTheWrongShape() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("w.npy", Fixtures.npy(shape: [4, 3], payload: Fixtures.float64(Array(repeating: 0, count: 12))))
        guard case .unsupportedNumpy(file, 0, _)? = datasetError({ try Walker2D.rollout(file: file) }) else {
            Issue.record("a (4, 3) rollout must be rejected")
            return
        }
    }

    @Test(.enabled(if: TestData.walker != nil, "Walker2D rollouts not found"))
    func realSplitMatchesNumpyReference() throws {
        let data = try Walker2D.load(directory: TestData.walker!)
        #expect(data.test.count == 1937)
        #expect(data.valid.count == 1272)
        #expect(data.train.count == 9684)
        #expect(data.train.x.shape == [9684, 64, 17] && data.train.gaps.shape == [9684, 64])
        #expect(Array(data.train.gaps.scalars.prefix(8)) == [1, 1, 1, 2, 1, 1, 1, 1])
        #expect(data.train.gaps.scalars.reduce(0, +) == 689_148)
        #expect(data.valid.gaps.scalars.reduce(0, +) == 90_842)
        #expect(data.test.gaps.scalars.reduce(0, +) == 137_806)
        #expect(data.train.x.scalars[0] == 1.2480031251907349)
        #expect(data.valid.y.scalars.last == 0.04671337455511093)
        let sum = data.train.x.scalars.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - 1_520_128.5244965684) < 1e-6)
    }
}

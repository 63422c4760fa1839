import Testing
@testable import Datasets

@Suite struct NumpyArrayTests {
    @Test func readsFloat64AndFloat32InVersions1And2() throws {
        let f8 = try NumpyArray(parsing: Fixtures.npy(shape: [2, 3], payload: Fixtures.float64([1, 2, 3, 4, 5, -6.5])), file: "a")
        #expect(f8.shape == [2, 3] && f8.values == [1, 2, 3, 4, 5, -6.5] && f8.dtype == "<f8")
        let f4 = try NumpyArray(
            parsing: Fixtures.npy(descr: "<f4", shape: [3], payload: Fixtures.float32([0.5, 1e-3, -2]), version: 2), file: "b")
        #expect(f4.shape == [3] && f4.values == [0.5, Double(Float(1e-3)), -2])
        #expect(f8.floatTensor.shape == [2, 3])
    }

    @Test func rejectsUnsupportedContentWithOffsets() {
        let payload = Fixtures.float64([1, 2])
        guard case .unsupportedNumpy("i", _, _)? = datasetError({
            try NumpyArray(parsing: Fixtures.npy(descr: "<i8", shape: [2], payload: payload), file: "i")
        }) else { Issue.record("int64 must be unsupported"); return }
        guard case .unsupportedNumpy("be", _, _)? = datasetError({
            try NumpyArray(parsing: Fixtures.npy(descr: ">f8", shape: [2], payload: payload), file: "be")
        }) else { Issue.record("big-endian must be unsupported"); return }
        guard case .unsupportedNumpy("fo", _, _)? = datasetError({
            try NumpyArray(parsing: Fixtures.npy(fortran: true, shape: [2, 1], payload: payload), file: "fo")
        }) else { Issue.record("Fortran order must be unsupported"); return }
        guard case .unsupportedNumpy("v9", 6, _)? = datasetError({
            var bytes = Fixtures.npy(shape: [2], payload: payload)
            bytes[6] = 9
            return try NumpyArray(parsing: bytes, file: "v9")
        }) else { Issue.record("format version 9 must be unsupported"); return }
    }

    @Test func reportsTruncationOversizeMagicAndBadHeaders() {
        let good = Fixtures.npy(shape: [2], payload: Fixtures.float64([1, 2]))
        #expect(datasetError { try NumpyArray(parsing: Array(good.dropLast(3)), file: "t") }
            == .truncated(file: "t", offset: 128, needed: 16, available: 13))
        #expect(datasetError { try NumpyArray(parsing: good + [0], file: "o") } == .oversized(file: "o", offset: 144, extra: 1))
        guard case .badMagic("m", 0, _, _)? = datasetError({ try NumpyArray(parsing: [0x92] + good.dropFirst(), file: "m") })
        else { Issue.record("bad magic"); return }
        let noShape = Fixtures.npy(shape: [2], payload: []).map { $0 == UInt8(ascii: "(") ? UInt8(ascii: "[") : $0 }
        guard case .malformedHeader("h", 10, _)? = datasetError({ try NumpyArray(parsing: noShape, file: "h") })
        else { Issue.record("a list instead of a shape tuple is a malformed header"); return }
    }

    @Test(.enabled(if: TestData.walker != nil, "Walker2D rollouts not found"))
    func realRolloutIsFloat64WithSeventeenColumns() throws {
        let array = try Walker2D.rollout(file: "\(TestData.walker!)/rollout_000.npy")
        // 25,832 bytes = 128-byte header + T·17·8 → T = 189.
        #expect(array.shape == [189, 17])
        #expect(array.dtype == "<f8")
        #expect(array.values.allSatisfy { $0.isFinite })
    }
}

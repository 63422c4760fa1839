import Testing
import Tensors
@testable import Datasets

@Suite(.serialized) struct PlaneVibrationTests {
    @Test(.enabled(if: TestData.planeVibration != nil, "pv.csv not found"))
    func officialSplitHasSpecCountsGapsAndStatistics() throws {
        let data = try PlaneVibration.load(directory: TestData.planeVibration!)
        #expect(data.train.count == 509)
        #expect(data.valid.count == 254)
        #expect(data.test.count == 254)
        // Spec §3.4: train covers time stamps 0…36837, valid starts at 36892, test at 55272.
        #expect(data.train.startTimes.first == 0)
        #expect(data.train.labels.last?.last == 36_837)
        #expect(data.valid.startTimes.first == 36_892)
        #expect(data.test.startTimes.first == 55_272)
        // Population standard deviations of the raw channels (spec: 12.365, 0.02503, 0.2437, 0.3870, 0.3596).
        let expectedStds = [12.36489608, 0.02502868, 0.24365415, 0.38698652, 0.35958677]
        for (got, want) in zip(data.stds, expectedStds) { #expect(abs(got / want - 1) < 1e-6) }
        // Train gap histogram from the spec.
        var histogram: [Int: Int] = [:]
        for gap in data.train.gaps.scalars { histogram[Int(gap), default: 0] += 1 }
        #expect(histogram == [1: 29_284, 2: 2939, 3: 319, 4: 27, 5: 6, 6: 1])
        #expect(data.train.x.shape == [509, 64, 5] && data.train.y.shape == [509, 64, 5])
        #expect(data.test.forecast.shape == [254, 8, 5])
        // y is x shifted by one label; z[0] = y[63] (the forecast starts at the last label).
        #expect(data.train.y[0, 0, 0] == data.train.x[0, 1, 0])
        for ch in 0..<5 { #expect(data.valid.forecast[3, 0, ch] == data.valid.y[3, 63, ch]) }
        // z-scored values checked against NumPy: (pv - mean) / std at rows 0 and 29, float64.
        #expect(abs(data.series[0][0] - 0.07740688027823846) < 1e-12)
        #expect(abs(data.series[29][2] - 0.7761295486689211) < 1e-12)
        #expect(data.train.x[0, 0, 0] == Float(0.07740688027823846))
    }

    @Test(.enabled(if: TestData.planeVibration != nil, "dropped-indices.txt not found"))
    func seededDrawReproducesTheDroppedIndicesFile() throws {
        // seed(1); randn(73728, 5); choice(73628, 66265, replace=False): the file is this draw's complement.
        let fromFile = try PlaneVibration.droppedIndices(file: "\(TestData.planeVibration!)/dropped-indices.txt")
        #expect(fromFile.count == 7363)
        #expect(Array(fromFile.prefix(4)) == [29, 38, 43, 44])
        #expect(PlaneVibration.derivedDroppedIndices() == fromFile)
    }

    @Test func droppedIndicesFileErrorsNameTheLine() throws {
        let dir = try TemporaryDirectory()
        let bad = try dir.write("d.txt", text: "# comment\n5\nx7\n")
        #expect(datasetError { try PlaneVibration.droppedIndices(file: bad) }
            == .nonNumericCell(file: bad, line: 3, column: 1, text: "x7"))
        let short = try dir.write("s.txt", text: "# comment\n5\n9\n")
        guard case .inconsistentCount(short, _, _)? = datasetError({ try PlaneVibration.droppedIndices(file: short) }) else {
            Issue.record("2 indices instead of 7363 must be an inconsistent count")
            return
        }
    }
}

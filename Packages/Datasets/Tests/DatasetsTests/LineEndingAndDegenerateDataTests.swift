import Testing
import Tensors
@testable import Datasets

/// Inputs a user's copy of the data can plausibly have: CRLF line endings (a file saved on Windows or
/// passed through a git checkout with `autocrlf`), infinities, and data too small to make every split.
/// Each must load exactly like the LF original or fail with a ``DatasetError``, never trap.
@Suite struct LineEndingAndDegenerateDataTests {
    /// A small point-cloud reference file: 3 train, 2 test and 2 visualisation rows.
    static let pointCloud = """
        split,index,x,y,label
        train,0,0.1,0.2,-1
        train,1,0.9,0.1,1
        train,2,-0.2,0.3,-1
        test,0,0.05,0.1,-1
        test,1,-0.9,0.2,1
        vis,0,0.0,0.0,-1
        vis,1,0.95,0.0,1

        """

    static func load(_ text: String) throws -> NestedSpheres.Reference {
        let dir = try TemporaryDirectory()
        return try NestedSpheres.loadReference(csv: dir.write("pc.csv", text: text))
    }

    @Test func pointCloudWithCRLFLoadsLikeLF() throws {
        let lf = try Self.load(Self.pointCloud)
        let crlf = try Self.load(Self.pointCloud.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(crlf.train.count == 3 && crlf.test.count == 2 && crlf.visualisation.count == 2)
        #expect(crlf.train.points.scalars == lf.train.points.scalars)
        #expect(crlf.test.labels.scalars == lf.test.labels.scalars)
    }

    @Test func pointCloudWithCROnTheHeaderOnlyKeepsEveryRowInItsSplit() throws {
        let lf = try Self.load(Self.pointCloud)
        let mixed = try Self.load(Self.pointCloud.replacingOccurrences(of: "label\n", with: "label\r\n"))
        #expect(mixed.train.count == lf.train.count)
        #expect(mixed.train.points.scalars == lf.train.points.scalars)
        #expect(mixed.visualisation.points.scalars == lf.visualisation.points.scalars)
    }

    @Test func droppedIndicesWithCRLFReadLikeLF() throws {
        let dir = try TemporaryDirectory()
        let indices = PlaneVibration.derivedDroppedIndices()
        let text = "# dropped time stamps\n" + indices.map(String.init).joined(separator: "\n") + "\n"
        let lf = try PlaneVibration.droppedIndices(file: dir.write("lf.txt", text: text))
        let crlf = try PlaneVibration.droppedIndices(file: dir.write("crlf.txt", text: text.replacingOccurrences(of: "\n", with: "\r\n")))
        #expect(lf == indices)
        #expect(crlf == indices)
    }

    @Test func planeVibrationInfinityIsNamedNotCalledConstant() throws {
        let dir = try TemporaryDirectory()
        var lines = ["\"Force\",\"Voltage\",\"A1\",\"A2\",\"A3\",\"Fs\","]
        for r in 0..<(PlaneVibration.fullLength + PlaneVibration.forecastSteps) {
            let force = r == 7 ? "inf" : "\(Double(r % 13))"
            lines.append("\(force),\(r % 7),\(r % 5),\(r % 3),\(r % 11),,")
        }
        let file = try dir.write("pv.csv", text: lines.joined(separator: "\n") + "\n")
        guard case let .valueOutOfRange(_, _, detail)? = datasetError({ try PlaneVibration.zScoredSeries(csv: file) }) else {
            Issue.record("an infinite value must be rejected")
            return
        }
        #expect(detail.contains("data row 8, column 1 is inf"), "got: \(detail)")
        #expect(!detail.contains("constant"))
    }

    /// Rollouts of `steps` rows each.
    static func rollouts(_ count: Int, steps: Int, in dir: TemporaryDirectory) throws {
        for k in 0..<count {
            let values = (0..<(steps * Walker2D.featureCount)).map { Double(($0 + k) % 17) }
            try dir.write("rollout_\(k).npy", Fixtures.npy(shape: [steps, Walker2D.featureCount], payload: Fixtures.float64(values)))
        }
    }

    @Test func walkerWithTwoRolloutsIsATypedError() throws {
        let dir = try TemporaryDirectory()
        try Self.rollouts(2, steps: 200, in: dir)
        guard case let .inconsistentCount(_, _, detail)? = datasetError({ try Walker2D.load(directory: dir.path) }) else {
            Issue.record("two rollouts cannot fill three splits")
            return
        }
        #expect(detail.contains("split has no 64-step window"), "got: \(detail)")
    }

    @Test func walkerWithShortRolloutsIsATypedError() throws {
        let dir = try TemporaryDirectory()
        try Self.rollouts(12, steps: 20, in: dir)
        guard case .inconsistentCount? = datasetError({ try Walker2D.load(directory: dir.path) }) else {
            Issue.record("20-step rollouts make no window")
            return
        }
    }
}

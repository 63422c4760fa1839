import Testing
import Tensors
@testable import Datasets

@Suite struct SilverboxTests {
    @Test(.enabled(if: TestData.silverbox != nil, "sb.csv not found"))
    func centresAndScalesBothColumns() throws {
        let series = try Silverbox.load(csv: "\(TestData.silverbox!)/sb.csv")
        #expect(series.v1.count == 131_072 && series.v2.count == 131_072)
        // NumPy: (genfromtxt(sb.csv)[1:, :-1] - mean) * 100.
        #expect(abs(series.v1[0] - -0.04061057923339306) < 1e-11)
        #expect(abs(series.v2[0] - 0.8581801391978231) < 1e-11)
        #expect(abs(series.v2[999] - -0.009280860802176813) < 1e-11)
        #expect(abs(series.v1.reduce(0, +)) < 1e-6)
        #expect(series.train.shape == [1000, 2])
        #expect(series.train[0, 1] == Float(series.v2[0]))
    }

    @Test func shortFileIsAnInconsistentCount() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("sb.csv", text: "\"V1\",\"V2\",\n1,2,\n3,4,\n")
        guard case .inconsistentCount(path, _, _)? = datasetError({ try Silverbox.load(csv: path) }) else {
            Issue.record("two rows are fewer than the 1000 the experiment needs")
            return
        }
    }
}

@Suite struct NestedSpheresTests {
    @Test func generatorRespectsRadiiLabelsAndSeed() {
        let a = NestedSpheres.generate(innerCount: 20, outerCount: 30, seed: 11)
        let b = NestedSpheres.generate(innerCount: 20, outerCount: 30, seed: 11)
        let c = NestedSpheres.generate(innerCount: 20, outerCount: 30, seed: 12)
        #expect(a.points == b.points && a.points != c.points)
        #expect(a.points.shape == [50, 2] && a.labels.shape == [50, 1])
        for i in 0..<50 {
            let r2 = Double(a.points[i, 0] * a.points[i, 0] + a.points[i, 1] * a.points[i, 1])
            if i < 20 {
                #expect(r2 <= 0.25 + 1e-6 && a.labels[i, 0] == -1)
            } else {
                #expect(r2 >= 0.7225 - 1e-6 && r2 <= 1 + 1e-6 && a.labels[i, 0] == 1)
            }
        }
        let threeD = NestedSpheres.generate(innerCount: 3, outerCount: 3, dimension: 3, seed: 1)
        #expect(threeD.points.shape == [6, 3])
    }

    @Test(.enabled(if: TestData.pointCloud != nil, "reference point cloud not found"))
    func referenceSetHasSpecSplitsAndCounts() throws {
        let reference = try NestedSpheres.loadReference(csv: "\(TestData.pointCloud!)/reference-pointcloud-2d.csv")
        #expect(reference.train.count == 50 && reference.test.count == 10 && reference.visualisation.count == 120)
        #expect(reference.train.labels.scalars.filter { $0 == -1 }.count == 22)
        #expect(reference.visualisation.labels.scalars.prefix(40).allSatisfy { $0 == -1 })
        #expect(reference.visualisation.labels.scalars.suffix(80).allSatisfy { $0 == 1 })
        #expect(reference.train.points[0, 0] == Float(-0.8938275108792744))
        for i in 0..<50 {
            let r2 = reference.train.points[i, 0] * reference.train.points[i, 0]
                + reference.train.points[i, 1] * reference.train.points[i, 1]
            #expect(reference.train.labels[i, 0] == (r2 <= 0.2501 ? -1 : 1))
        }
    }
}

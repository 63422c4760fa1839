import Experiments
import Foundation
import Metrics
import ReproductionKit
import Testing

@Suite struct ClaimTests {
    @Test func lessClaimVerdicts() {
        let small = MeanAndDeviation([1, 2, 3]), large = MeanAndDeviation([5, 6, 7])
        let yes = Claim.less(statement: "s", source: "src", paperValue: "p", smaller: ("a", small), larger: ("b", large))
        #expect(yes.verdict == .reproduced)
        let no = Claim.less(statement: "s", source: "src", paperValue: "p", smaller: ("a", large), larger: ("b", small))
        #expect(no.verdict == .notReproduced)
        let reduced = Claim.less(statement: "s", source: "src", paperValue: "p", smaller: ("a", small), larger: ("b", large),
                                 comparable: false)
        #expect(reduced.verdict == .notComparable)
        let missing = Claim.less(statement: "s", source: "src", paperValue: "p", smaller: ("a", nil), larger: ("b", large))
        #expect(missing.verdict == .notComparable)
    }

    @Test func nearClaimUsesTheTolerance() {
        let measured = MeanAndDeviation([0.98, 0.99])
        #expect(Claim.near(statement: "s", source: "x", reference: 0.97, band: 0.02, measured: measured).verdict == .reproduced)
        #expect(Claim.near(statement: "s", source: "x", reference: 0.90, band: 0.02, measured: measured).verdict == .notReproduced)
        #expect(Claim.near(statement: "s", source: "x", reference: 0.90, band: 0.02, measured: nil).verdict == .notComparable)
    }

    @Test func reportListsEveryClaim() {
        var report = Report(title: "T")
        report.claims([Claim.holds(true, statement: "alpha", source: "s", paperValue: "p", measuredValue: "m", rule: "r")])
        #expect(report.markdown.contains("alpha") && report.markdown.contains("**reproduced**"))
        #expect(report.claims.count == 1)
    }
}

@Suite struct RunFolderTests {
    @Test func checkpointRefusesAnotherConfiguration() throws {
        let root = temporaryFolder("checkpoint")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try RunDirectory(root: root.path, section: 9, experiment: "unit")
        let store = CheckpointStore<[Int]>(run: run, name: "state", fingerprint: configurationFingerprint(["lr": 1.0]))
        #expect(try store.load() == nil)
        try store.save([1, 2, 3])
        #expect(try store.load() == [1, 2, 3])
        let other = CheckpointStore<[Int]>(run: run, name: "state", fingerprint: configurationFingerprint(["lr": 2.0]))
        #expect(throws: ReproductionError.self) { try other.load() }
        try run.writeText("{", to: "state.checkpoint.json")
        #expect(throws: ReproductionError.self) { try store.load() }
    }

    @Test func dataLocatorSearchesInOrderAndNamesEveryFolder() throws {
        let first = temporaryFolder("data-a"), second = temporaryFolder("data-b")
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        try FileManager.default.createDirectory(at: second.appendingPathComponent("x"), withIntermediateDirectories: true)
        try Data("1".utf8).write(to: second.appendingPathComponent("x/f.txt"))
        let locator = DataLocator(candidates: [first.path, second.path])
        #expect(try locator.url(for: "x/f.txt").path.hasPrefix(second.standardizedFileURL.path))
        do {
            _ = try locator.url(for: "x/missing.txt")
            Issue.record("expected dataNotFound")
        } catch {
            #expect(error.description.contains(first.path) && error.description.contains(second.path))
        }
        let environment = DataLocator(explicit: nil, environment: ["HBNODE_DATA_DIR": "/e"], workingDirectory: repositoryRoot.path + "/Reproductions")
        #expect(environment.candidates == ["/e", repositoryRoot.standardizedFileURL.appendingPathComponent("Datasets").path])
        #expect(DataLocator(explicit: nil, environment: [:], workingDirectory: "/nowhere").candidates == ["/nowhere/Datasets"])
        #expect(DataLocator(explicit: "/d", environment: ["HBNODE_DATA_DIR": "/e"]).candidates == ["/d"])
    }
}

@Suite struct SectionPieceTests {
    @Test func testFunctionGradientsMatchFiniteDifferences() {
        for function in [TestFunction.rosenbrock, .beale] {
            for (x, y) in [(-1.2, 1.0), (0.5, 1.5), (2.0, 0.3)] {
                let (gx, gy) = function.gradient(x, y)
                let h = 1e-6
                let fx = (function.value(x + h, y) - function.value(x - h, y)) / (2 * h)
                let fy = (function.value(x, y + h) - function.value(x, y - h)) / (2 * h)
                #expect(abs(gx - fx) <= 1e-4 * max(1, abs(fx)) && abs(gy - fy) <= 1e-4 * max(1, abs(fy)))
            }
            #expect(function.value(function.minimum.x, function.minimum.y) < 1e-12)
        }
    }
}

@Suite struct ReportFormattingTests {
    @Test func durationsCarryTheirUnit() {
        #expect(duration(0.049) == "49 ms")
        #expect(duration(0.0042) == "4.2 ms")
        #expect(duration(3.24) == "3.2 s")
        #expect(duration(48.4) == "48 s")
        #expect(duration(725) == "12 min 05 s")
        #expect(duration(7650) == "2 h 07 min")
        #expect(duration(.nan) == "–")
    }

    @Test func countsAgreeWithTheirNoun() {
        #expect(counted(1, "epoch") == "1 epoch")
        #expect(counted(20, "epoch") == "20 epochs")
        #expect(counted(2, "batch", plural: "batches") == "2 batches")
    }
}

import Datasets
import Experiments
import Foundation
import NeuralODEModels
import ReproductionKit
import Testing

/// Cross-package end to end: Datasets → point-cloud model → ODESolvers → Adjoint → training → report.
@Suite(.serialized)
struct EndToEndTests {
    @Test func tinyHBNODETrainsThroughTheAdjointWithDopri5NFEForm() throws {
        let data = try NestedSpheres.loadReference(csv: testDataLocator.url(for: "point_cloud/reference-pointcloud-2d.csv").path)
        #expect(data.train.count == 50 && data.test.count == 10 && data.visualisation.count == 120)
        let run = PointCloudTraining.train(
            family: .hbnode, seed: 3, data: data, settings: PointCloudSettings(iterations: 8, solver: SolverConfiguration(tolerance: 1e-3)), recordSnapshots: false)
        #expect(run.failure == nil)
        #expect(run.losses.count == 8)
        // Adam at lr 0.01 from a fresh model lowers the full-batch MSE within a few steps.
        #expect(run.losses.last! < run.losses.first! * 0.95)
        #expect(run.forwardNFE.allSatisfy(hasDopri5Form), "forward NFE \(run.forwardNFE)")
        #expect(run.backwardNFE.allSatisfy(hasDopri5Form), "backward NFE \(run.backwardNFE)")
        #expect(run.testMSE.isFinite)
    }

    @Test func quickProfileWritesTheExpectedReport() throws {
        let output = temporaryFolder("quick")
        defer { try? FileManager.default.removeItem(at: output) }
        var arguments = ["--profile", "quick", "--seeds", "1", "--output", output.path]
        arguments += ["--data", try testDataLocator.folder(containing: "point_cloud/reference-pointcloud-2d.csv").path]
        let options = try CommonOptions.parse(arguments)
        try Section5Runner.run(options: options, only: .pointcloud)
        let folder = output.appendingPathComponent("section-5/pointcloud")
        for file in ["config.json", "REPORT.md", "iterations.csv", "iterations.jsonl", "mean-curves.csv", "snapshots.csv",
                     "nfe-loss.png", "snapshots-hbnode.png", "units/hbnode-seed0/result.json", "units/node-seed0/config.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "missing \(file)")
        }
        let report = try String(contentsOf: folder.appendingPathComponent("REPORT.md"), encoding: .utf8)
        #expect(report.contains("| HBNODE"))
        // A quick run is too short to decide any claim.
        #expect(report.contains("not comparable") && !report.contains("**reproduced**"))
        let index = try String(contentsOf: output.appendingPathComponent("section-5/REPORT.md"), encoding: .utf8)
        #expect(index.contains("pointcloud/REPORT.md"))
        let png = try Data(contentsOf: folder.appendingPathComponent("nfe-loss.png"))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        // --resume picks up the completed runs instead of training again.
        let resumed = try CommonOptions.parse(arguments + ["--resume"])
        let result = folder.appendingPathComponent("units/hbnode-seed0/result.json").path
        let finished = try FileManager.default.attributesOfItem(atPath: result)[.modificationDate] as? Date
        try Section5Runner.run(options: resumed, only: .pointcloud)
        #expect(try FileManager.default.attributesOfItem(atPath: result)[.modificationDate] as? Date == finished)
    }
}

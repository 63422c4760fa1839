@testable import Experiments
import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit
import Testing

/// What a run folder guarantees before and while a long run writes into it: room on the disk, one run at a
/// time, no stale temporary files, no settings overwritten by a refused resume, NaN results recorded,
/// and options that cannot apply refused at once.
@Suite struct RunFolderSafetyTests {
    @Test func failedSeedWithNaNResultsIsCheckpointedAndReadBack() throws {
        let root = temporaryFolder("nan-checkpoint")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try RunDirectory(root: root.path, section: 9, experiment: "nan")
        let store = CheckpointStore<[PointCloudRun]>(run: run, name: "completed-runs", fingerprint: "f")
        let failed = PointCloudRun(family: .sonode, seed: 3, losses: [0.5, .nan], forwardNFE: [14, 20], backwardNFE: [14, 0],
                                   testMSE: .nan, seconds: 1, snapshots: [], failure: "step size underflow")
        let diverged = PointCloudRun(family: .node, seed: 4, losses: [.infinity], forwardNFE: [8], backwardNFE: [8],
                                     testMSE: -.infinity, seconds: 1, snapshots: [], failure: nil)
        try store.save([failed, diverged])
        let back = try #require(try store.load())
        #expect(back.count == 2)
        #expect(back[0].testMSE.isNaN && back[0].losses[1].isNaN && back[0].losses[0] == 0.5)
        #expect(back[0].failure == "step size underflow")
        #expect(back[1].losses[0] == .infinity && back[1].testMSE == -.infinity)
    }

    @Test(arguments: [0.0, -1.0, Double.nan, Double.infinity])
    func impossiblePointCloudToleranceIsRefusedBeforeAnythingIsWritten(tolerance: Double) throws {
        let root = temporaryFolder("tolerance")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: ReproductionError.self) { try requirePositiveFinite(tolerance, option: "--pointcloud-tolerance") }
        let options = try CommonOptions.parse(["--profile", "quick", "--output", root.path, "--data", "/nonexistent"])
        do {
            try Section5Runner.run(options: options, only: .pointcloud, pointCloudTolerance: tolerance)
            Issue.record("tolerance \(tolerance) must be refused")
        } catch let error as ReproductionError {
            guard case let .invalidOption(message) = error else { Issue.record("got \(error)"); return }
            #expect(message.contains("--pointcloud-tolerance"))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("section-5").path))
        try requirePositiveFinite(1e-3, option: "--pointcloud-tolerance")
    }

    @Test func refusedResumeLeavesTheSavedConfigurationAlone() throws {
        let root = temporaryFolder("config-resume")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try RunDirectory(root: root.path, section: 9, experiment: "config")
        try run.writeConfiguration(["epochs": 100, "seed": 0])
        let saved = try Data(contentsOf: run.file("config.json"))
        do {
            try run.writeConfiguration(["epochs": 50, "seed": 0], resume: true)
            Issue.record("a resume with other settings must be refused")
        } catch {
            guard case let .incompatibleConfiguration(_, reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("\"epochs\" : 100") && reason.contains("\"epochs\" : 50"), "got: \(reason)")
        }
        #expect(try Data(contentsOf: run.file("config.json")) == saved)
        try run.writeConfiguration(["epochs": 100, "seed": 0], resume: true)
        try run.writeConfiguration(["epochs": 50, "seed": 0])
        #expect(try Data(contentsOf: run.file("config.json")) != saved)
    }

    @Test func temporaryFilesOfAKilledRunAreRemovedOnStart() throws {
        let root = temporaryFolder("stale")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("section-9/stale")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stale = folder.appendingPathComponent(".node-seed0.checkpoint.json.tmp-\(Int32.max - 2)-12345")
        try Data("partial".utf8).write(to: stale)
        _ = try RunDirectory(root: root.path, section: 9, experiment: "stale")
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }

    @Test func secondRunIntoTheSameFolderFailsNamingTheFirst() throws {
        let root = temporaryFolder("lock")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("section-9/locked").standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Another process's lock: a descriptor of its own (flock conflicts between descriptors).
        let other = try RunFolderLock.lock(folder.appendingPathComponent(RunFolderLock.fileName).path)
        defer { close(other) }
        do {
            _ = try RunDirectory(root: root.path, section: 9, experiment: "locked")
            Issue.record("a locked folder must be refused")
        } catch {
            #expect(error == .folderInUse(path: folder.path, pid: getpid()))
            #expect(error.description.contains("in use by another run (pid \(getpid()))"))
        }
        // The index folder is shared by concurrent experiments and takes no lock.
        _ = try RunDirectory(root: root.path, section: 9, experiment: "locked", exclusive: false)
    }

    @Test func outputThroughAFileNamesTheErrno() throws {
        let root = temporaryFolder("output-file")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("results")
        try Data("x".utf8).write(to: file)
        do {
            _ = try RunDirectory(root: file.path, section: 5, experiment: "pv")
            Issue.record("an output inside a file must fail")
        } catch {
            #expect(error.description.contains("Not a directory (errno 20)"), "got: \(error)")
            #expect(!error.description.contains("NSPOSIXErrorDomain"))
        }
    }

    @Test func fullDiskIsRefusedBeforeTheRunStarts() throws {
        let root = temporaryFolder("free-space")
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try RunDirectory(root: root.path, section: 9, experiment: "space", minimumFreeBytes: .max)
            Issue.record("no file system has Int64.max bytes free")
        } catch {
            guard case .insufficientSpace = error else { Issue.record("got \(error)"); return }
            #expect(error.description.contains("not enough free space"))
        }
    }

    @Test(arguments: [Section5Runner.Selection.pv, .walker, .mnist, .cifar, .cifarTolerance])
    func seedsAreRefusedWhereOneSeedIsTrained(experiment: Section5Runner.Selection) throws {
        let root = temporaryFolder("seeds")
        defer { try? FileManager.default.removeItem(at: root) }
        let options = try CommonOptions.parse(["--profile", "quick", "--output", root.path, "--seeds", "3"])
        do {
            try Section5Runner.run(options: options, only: experiment)
            Issue.record("--seeds must be refused for \(experiment)")
        } catch let error as ReproductionError {
            #expect(error.description.contains("--seeds 3 does not apply to --experiment \(experiment.rawValue)"), "got: \(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("section-5").path))
        #expect(throws: ReproductionError.self) { try Section2Experiment.run(options: options) }
        #expect(throws: ReproductionError.self) { try Section4Experiment.run(options: options) }
    }
}

@testable import Experiments
import Foundation
import ReproductionKit
import Testing

/// Sweeps: units, shards, the merge, `--jobs` children and their failures, on the quick point cloud
/// (5 families × 2 seeds = 10 units).
@Suite(.serialized) struct SweepTests {
    let data: String

    init() throws {
        data = try testDataLocator.folder(containing: "point_cloud/reference-pointcloud-2d.csv").path
    }

    /// Runs `reproduce-section-5 --experiment pointcloud --profile quick` in this process with `extra`.
    func run(_ output: URL, _ extra: [String], environment: [String: String] = [:]) throws {
        let common = try CommonOptions.parse(["--profile", "quick", "--output", output.path, "--data", data]
            + extra.filter { ["--resume"].contains($0) })
        let sweep = try SweepOptions.parse(extra.filter { $0 != "--resume" })
        // No child executable: every unit runs in this process whatever --jobs says.
        try Section5Runner.run(options: common, sweep: sweep, only: .pointcloud, environment: environment, arguments: [])
    }

    /// Everything a run folder holds that must not depend on how its units were run: every CSV, every
    /// unit's result without its wall-clock seconds, and the report without its timing column.
    func results(_ output: URL) throws -> [String: String] {
        let folder = output.appendingPathComponent("section-5/pointcloud")
        var files: [String: String] = [:]
        for name in ["iterations.csv", "mean-curves.csv", "snapshots.csv"] {
            files[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        files["REPORT.md"] = try String(contentsOf: folder.appendingPathComponent("REPORT.md"), encoding: .utf8)
            .split(separator: "\n").map(withoutLastCell).joined(separator: "\n")
        for unit in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("units").path) {
            let data = try Data(contentsOf: folder.appendingPathComponent("units/\(unit)/result.json"))
            var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            var state = try #require(json["state"] as? [String: Any])
            state["seconds"] = nil
            json["state"] = state
            files["units/\(unit)"] = String(decoding: try JSONSerialization.data(withJSONObject: json, options: .sortedKeys), as: UTF8.self)
        }
        return files
    }

    /// A report table row without its last cell (the time per run); other lines as they are.
    func withoutLastCell(_ line: Substring) -> String {
        guard line.hasPrefix("|"), let end = line.dropLast().lastIndex(of: "|") else { return String(line) }
        return String(line[...end])
    }

    @Test func mergedShardsEqualTheSerialRunBitForBit() throws {
        let serial = temporaryFolder("sweep-serial"), sharded = temporaryFolder("sweep-sharded")
        try run(serial, ["--jobs", "1"])
        // Shard 0 from the flag, shard 1 from an MPI launcher's environment, then the merge.
        try run(sharded, ["--jobs", "1", "--shard", "0/2"])
        #expect(!FileManager.default.fileExists(atPath: sharded.appendingPathComponent("section-5/pointcloud/REPORT.md").path))
        do {
            try run(sharded, ["--merge"])
            Issue.record("a merge with shard 1 missing must be refused")
        } catch let error as SweepError {
            guard case let .unfinishedUnits(experiment, units, _) = error else { Issue.record("got \(error)"); return }
            #expect(experiment == "pointcloud" && units == ["node-seed1", "anode-seed1", "sonode-seed1", "hbnode-seed1", "ghbnode-seed1"])
            #expect(error.description.contains("node-seed1"))
        }
        try run(sharded, ["--jobs", "1"], environment: ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"])
        try run(sharded, ["--merge"])
        let a = try results(serial), b = try results(sharded)
        #expect(a.count == 14 && a.keys.sorted() == b.keys.sorted())
        for key in a.keys.sorted() { #expect(a[key] == b[key], "\(key) differs between the serial and the merged shards") }
    }

    @Test func unitsAreDealtAcrossFamiliesAndSeeds() throws {
        let configuration = PointCloudExperiment.configuration(profile: .quick, seeds: nil)
        let units = PointCloudExperiment.units(configuration: configuration)
        #expect(units.map(\.name).prefix(3) == ["node-seed0", "node-seed1", "anode-seed0"])
        #expect(Set(units.map(\.id)).count == 10 && units.allSatisfy { $0.cores == .one && $0.folder == "pointcloud/units/\($0.name)" })
        let shard = try Shard(index: 1, count: 2)
        #expect(shard.select(units).map(\.name) == ["node-seed1", "anode-seed1", "sonode-seed1", "hbnode-seed1", "ghbnode-seed1"])
        // Image units take one core each and start longest first: NODE, then ANODE, SONODE, GHBNODE, HBNODE.
        let images = ImageClassificationExperiment.units(dataset: "mnist", profile: .fullEpoch)
        #expect(images.allSatisfy { $0.cores == .one })
        #expect(SweepUnit.schedulingOrder(images).map(\.name) == ["node-seed0", "anode-seed0", "sonode-seed0", "ghbnode-seed0", "hbnode-seed0"])
        #expect(ToleranceSweepExperiment.units(profile: .quick).map(\.experiment).first == "cifar-tol-1e-01")
    }

    @Test func theShardComesFromTheFlagThenTheLauncherUnlessRanksTrainTogether() throws {
        let mpi = ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_LOCAL_SIZE": "2"]
        let none = try SweepOptions.parse([])
        #expect(try none.resolvedShard(environment: [:]).shard == .whole)
        #expect(try none.resolvedShard(environment: mpi) == (try Shard(index: 1, count: 2), "Open MPI"))
        #expect(try none.resolvedShard(environment: mpi, dataParallel: true).shard == .whole)
        let flag = try SweepOptions.parse(["--shard", "0/3"])
        #expect(try flag.resolvedShard(environment: mpi).shard == (try Shard(index: 0, count: 3)))
        #expect(none.resolvedJobs(environment: [:], cores: 8) == 8)
        #expect(none.resolvedJobs(environment: mpi, cores: 2) == 1)
        #expect(none.resolvedJobs(environment: ["SLURM_CPUS_PER_TASK": "4"], cores: 64) == 4)
        #expect(try SweepOptions.parse(["--jobs", "3"]).resolvedJobs(environment: mpi, cores: 2) == 3)
        #expect(throws: (any Error).self) { try SweepOptions.parse(["--jobs", "0"]) }
        #expect(throws: (any Error).self) { try SweepOptions.parse(["--merge", "--shard", "0/2"]) }
        let unit = SweepUnit(experiment: "pv", name: "hbnode-seed0", cores: .one)
        #expect(SweepOptions.childArguments(["--profile", "quick", "--jobs", "2", "--shard=0/2", "--resume", "--merge"], units: [unit])
            == ["--profile", "quick", "--resume", "--unit", "pv/hbnode-seed0"])
    }

    /// A pool whose every unit is `/bin/sh -c script` with the unit's name in `$UNIT`.
    func shellPool(_ folder: URL, _ units: [SweepUnit], jobs: Int, script: String) throws {
        var pool = UnitProcessPool(jobs: jobs, label: "test")
        pool.gracePeriod = 2
        try pool.run(units) { group in
            UnitCommand(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
                        environment: ["UNIT": group.map(\.name).joined(separator: " ")],
                        log: folder.appendingPathComponent("\(group[0].name).log"))
        }
    }

    @Test func aFailedChildIsNamedWithItsLogAndTheOthersStillRun() throws {
        let folder = temporaryFolder("pool-failure")
        let units = ["a", "b", "c"].map { SweepUnit(experiment: "x", name: $0, cores: .one, estimatedSeconds: 60) }
        do {
            try shellPool(folder, units, jobs: 2, script: #"echo "ran $UNIT"; [ "$UNIT" != b ] || exit 3"#)
            Issue.record("unit b exits 3")
        } catch let error as SweepError {
            let log = folder.appendingPathComponent("b.log").path
            #expect(error == .unitsFailed([.init(unit: "x/b", status: 3, signal: false, log: log)]))
            #expect(error.description.contains("unit x/b exited with status 3 (log: \(log))"))
        }
        for name in ["a", "b", "c"] {
            #expect(try String(contentsOf: folder.appendingPathComponent("\(name).log"), encoding: .utf8) == "ran \(name)\n")
        }
    }

    @Test func unitsTakeTheirCoresAndNoMore() throws {
        let folder = temporaryFolder("pool-cores")
        // Each unit records the most units it saw running (a file per running unit), counting when it starts
        // and again halfway through its 0.5 s: two units started together see each other even when one
        // process starts a little later than the other (a single count at the start raced under load).
        let script = #"""
            touch "$DIR/run-$UNIT"; a=$(ls "$DIR" | grep -c '^run-'); sleep 0.25; b=$(ls "$DIR" | grep -c '^run-'); sleep 0.25
            if [ "$a" -gt "$b" ]; then echo "$a"; else echo "$b"; fi > "$DIR/seen-$UNIT"; rm "$DIR/run-$UNIT"
            """#
        let units = [SweepUnit(experiment: "x", name: "s1", cores: .one, estimatedSeconds: 60), SweepUnit(experiment: "x", name: "s2", cores: .one, estimatedSeconds: 60),
                     SweepUnit(experiment: "x", name: "big", cores: .all), SweepUnit(experiment: "x", name: "s3", cores: .one, estimatedSeconds: 60)]
        var pool = UnitProcessPool(jobs: 2, label: "test")
        pool.gracePeriod = 2
        try pool.run(units) { group in
            UnitCommand(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
                        environment: ["UNIT": group[0].name, "DIR": folder.path], log: folder.appendingPathComponent("\(group[0].name).log"))
        }
        func seen(_ name: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent("seen-\(name)"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try seen("s2") == "2")
        #expect(try seen("big") == "1")
    }

    @Test func poolsStartEveryCoreUnitsFirstThenTheLongestOneCoreUnits() {
        let units = [SweepUnit(experiment: "pointcloud", name: "a", cores: .one, estimatedSeconds: 0.3),
                     SweepUnit(experiment: "pv", name: "b", cores: .one, estimatedSeconds: 1_250),
                     SweepUnit(experiment: "mnist", name: "c", cores: .all, estimatedSeconds: 200),
                     SweepUnit(experiment: "walker", name: "d", cores: .one, estimatedSeconds: 2_000),
                     SweepUnit(experiment: "pv", name: "e", cores: .one, estimatedSeconds: 1_250),
                     SweepUnit(experiment: "cifar", name: "f", cores: .all, estimatedSeconds: 20)]
        #expect(SweepUnit.schedulingOrder(units).map(\.name) == ["c", "f", "d", "b", "e", "a"])
        // The estimate is no part of a unit's identity: a child finds its unit by id whatever it estimates.
        #expect(SweepUnit(experiment: "pv", name: "b", cores: .one, estimatedSeconds: 3) == units[1])
        #expect(Set(units).contains(SweepUnit(experiment: "walker", name: "d", cores: .one)))
    }

    @Test func shortOneCoreUnitsShareAProcess() throws {
        let short = (0..<5).map { SweepUnit(experiment: "pointcloud", name: "u\($0)", cores: .one, estimatedSeconds: 4) }
        let long = SweepUnit(experiment: "pv", name: "long", cores: .one, estimatedSeconds: 600)
        let image = SweepUnit(experiment: "mnist", name: "big", cores: .all, estimatedSeconds: 2)
        #expect(SweepUnit.processGroups([image, long] + short, target: 10).map { $0.map(\.name) }
            == [["big"], ["long"], ["u0", "u1", "u2"], ["u3", "u4"]])
        // A pool gives a group to one process: every unit of it is counted done when that process ends.
        let folder = temporaryFolder("pool-groups")
        try shellPool(folder, short, jobs: 2, script: #"echo "$UNIT""#)
        #expect(try String(contentsOf: folder.appendingPathComponent("u0.log"), encoding: .utf8) == "u0 u1 u2\n")
        #expect(try String(contentsOf: folder.appendingPathComponent("u3.log"), encoding: .utf8) == "u3 u4\n")
        #expect(SweepOptions.childArguments(["--profile", "quick"], units: Array(short.prefix(2)))
            == ["--profile", "quick", "--unit", "pointcloud/u0,pointcloud/u1"])
        #expect(try SweepOptions.parse(["--unit", "pointcloud/u0,pointcloud/u1"]).unitIDs == ["pointcloud/u0", "pointcloud/u1"])
    }

    @Test func aSignalToTheParentStopsEveryChild() throws {
        let folder = temporaryFolder("pool-signal")
        let units = ["a", "b"].map { SweepUnit(experiment: "x", name: $0, cores: .one, estimatedSeconds: 60) }
        let started = Date()
        do {
            // Unit a sends SIGTERM to the sweep (its parent); both children would otherwise sleep for a minute.
            try shellPool(folder, units, jobs: 2, script: #"[ "$UNIT" != a ] || { sleep 0.5; kill -TERM $PPID; }; exec sleep 60"#)
            Issue.record("the sweep must stop on SIGTERM")
        } catch let error as SweepError {
            #expect(error == .interrupted(signal: SIGTERM))
        }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    /// The debug build of the executable, which `swift test` builds with the tests.
    static let executable = repositoryRoot.appendingPathComponent(".build/debug/reproduce-section-5")

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable.path)))
    func childProcessesGiveTheNumbersOfTheSerialRun() throws {
        let serial = temporaryFolder("sweep-in-process"), children = temporaryFolder("sweep-children")
        try run(serial, ["--jobs", "1"])
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--profile", "quick", "--experiment", "pointcloud", "--output", children.path, "--data", data, "--jobs", "2"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let a = try results(serial), b = try results(children)
        for key in a.keys.sorted() { #expect(a[key] == b[key], "\(key) differs between in-process units and child processes") }
        #expect(FileManager.default.fileExists(atPath: children.appendingPathComponent("section-5/pointcloud/units/node-seed0/unit.log").path))
    }
}

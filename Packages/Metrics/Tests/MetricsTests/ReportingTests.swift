import Foundation
import Testing
@testable import Metrics

/// A fresh temporary directory per test, so parallel tests never share files.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("metrics-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct RunLogTests {
    @Test func writesCSVAndJSONLinesRowByRow() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try RunLog(directory: directory, name: "train", columns: ["epoch", "loss", "model", "ok"])
        try log.append(["epoch": 0, "loss": 0.25, "model": "hb,node \"v2\"", "ok": true])
        // Each row must be on disk before the next append or close: read back without closing.
        let csvAfterOne = try String(contentsOf: directory.appendingPathComponent("train.csv"), encoding: .utf8)
        #expect(csvAfterOne == "epoch,loss,model,ok\n0,0.25,\"hb,node \"\"v2\"\"\",true\n")
        try log.append([.int(1), .double(.nan), .string("a\nb"), .bool(false)])
        let jsonLines = try String(contentsOf: directory.appendingPathComponent("train.jsonl"), encoding: .utf8)
        #expect(jsonLines == """
            {"epoch":0,"loss":0.25,"model":"hb,node \\"v2\\"","ok":true}
            {"epoch":1,"loss":null,"model":"a\\nb","ok":false}

            """)
        let csv = try String(contentsOf: directory.appendingPathComponent("train.csv"), encoding: .utf8)
        #expect(csv.hasSuffix("1,nan,\"a\nb\",false\n"))
        #expect(log.rowCount == 2)
        log.close()

        // Append mode continues the log without a second header.
        let resumed = try RunLog(directory: directory, name: "train", columns: ["epoch", "loss", "model", "ok"],
                                 mode: .append)
        try resumed.append([2, 1e-5, "x", true])
        try resumed.sync()
        let lines = try String(contentsOf: directory.appendingPathComponent("train.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("epoch,") }.count == 1)
        #expect(lines[lines.count - 2] == "2,1e-05,x,true")
    }

    @Test func appendingChecksHeaderAndRepairsCutLine() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("run.csv")
        let jsonl = directory.appendingPathComponent("run.jsonl")
        // A log whose last row was cut short when the previous run died.
        try writeAtomically("epoch,loss\n0,0.5\n1,0.4", to: csv)
        try writeAtomically("{\"epoch\":0,\"loss\":0.5}\n{\"epo", to: jsonl)
        let log = try RunLog(columns: ["epoch", "loss"], csv: csv, jsonLines: jsonl, mode: .append)
        try log.append([2, 0.3])
        #expect(try String(contentsOf: csv, encoding: .utf8) == "epoch,loss\n0,0.5\n1,0.4\n2,0.3\n")
        #expect(try String(contentsOf: jsonl, encoding: .utf8).hasSuffix("{\"epo\n{\"epoch\":2,\"loss\":0.3}\n"))
        log.close()

        #expect(throws: MetricsIOError.logHeaderMismatch(path: csv.path, expected: "epoch,accuracy",
                                                          found: "epoch,loss")) {
            _ = try RunLog(columns: ["epoch", "accuracy"], csv: csv, jsonLines: nil, mode: .append)
        }
    }

    @Test func openingInMissingDirectoryNamesThePath() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-metrics-dir/log.csv")
        #expect(throws: MetricsIOError.cannotOpen(path: missing.path, errno: ENOENT)) {
            _ = try RunLog(columns: ["a"], csv: missing, jsonLines: nil)
        }
        let message = MetricsIOError.cannotOpen(path: missing.path, errno: ENOENT).description
        #expect(message.contains("/nonexistent-metrics-dir/log.csv") && message.contains("errno 2"))
    }

    @Test func recordKeepsLiteralOrderAndEditsInPlace() {
        var record: LogRecord = ["z": 1, "a": 2.5]
        record["m"] = "text"
        record["z"] = 3
        #expect(record.columns == ["z", "a", "m"])
        #expect(record["z"] == .int(3))
        record["a"] = nil
        #expect(record.jsonLine == #"{"z":3,"m":"text"}"#)
        #expect(LogValue.double(-.infinity).csvField == "-inf")
        #expect(LogValue.string("tab\there\u{1}").jsonValue == #""tab\there\u0001""#)
    }
}

@Suite struct AtomicWriteTests {
    @Test func replacesFileAndLeavesNoTemporaries() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("report.md")
        try writeAtomically("first", to: target)
        try writeAtomically(Data([0x61, 0x62]), to: target)
        #expect(try Data(contentsOf: target) == Data([0x61, 0x62]))
        try writeAtomically([UInt8](), to: target)
        #expect(try Data(contentsOf: target).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.md"])
    }

    @Test func failureNamesTheDirectoryAndKeepsOldFile() throws {
        let target = URL(fileURLWithPath: "/nonexistent-metrics-dir/figure.png")
        do {
            try writeAtomically("x", to: target)
            Issue.record("writing into a missing directory succeeded")
        } catch {
            guard case let .cannotOpen(path, code) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path.hasPrefix("/nonexistent-metrics-dir/.figure.png.tmp-"))
            #expect(code == ENOENT)
        }
    }
}

@Suite struct MarkdownTableTests {
    @Test func rendersAlignedGitHubTable() {
        var table = MarkdownTable(columns: ["model", "acc", "nfe"], alignments: [.left, .right, .center])
        table.addRow(["HBNODE", "0.981 ± 0.002", "26"])
        table.addRow(["a|b", "1", "130"])
        #expect(table.markdown == """
            | model  |           acc | nfe |
            |:-------|--------------:|:---:|
            | HBNODE | 0.981 ± 0.002 | 26  |
            | a\\|b   |             1 | 130 |

            """)
    }
}

@Suite struct ProgressReporterTests {
    final class Sink: @unchecked Sendable {
        var text = ""
    }

    @Test func plainModePrintsPeriodicLinesAndEpochSummaries() {
        let sink = Sink()
        var now = 0.0
        var reporter = ProgressReporter(
            totalEpochs: 2, batchesPerEpoch: 10, isTerminal: false,
            output: { sink.text += $0 }, clock: { now })
        reporter.plainInterval = 5
        for batch in 0..<10 {
            now += 1
            reporter.update(epoch: 0, batch: batch, loss: 0.5, nfe: NFECounts(forward: 20, backward: 30))
        }
        reporter.endEpoch(0, summary: "val acc 0.9")
        #expect(!sink.text.contains("\r"))
        let lines = sink.text.split(separator: "\n")
        // Batches at t = 1, 6 are printed (5 s apart), then the epoch summary.
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("epoch 1/2  batch 1/10  loss 0.5  nfe 20/30"))
        #expect(lines[1].contains("batch 6/10") && lines[1].contains("1 batch/s") && lines[1].contains("eta 0:14"))
        #expect(lines[2] == "epoch 1/2 done: val acc 0.9")
    }

    @Test func terminalModeRedrawsOneLine() {
        let sink = Sink()
        var now = 0.0
        var reporter = ProgressReporter(
            totalEpochs: 1, batchesPerEpoch: 4, isTerminal: true,
            output: { sink.text += $0 }, clock: { now })
        for batch in 0..<4 {
            now += 0.5
            reporter.update(epoch: 0, batch: batch, loss: 1.0 / Double(batch + 1))
        }
        reporter.finish()
        #expect(sink.text.filter { $0 == "\r" }.count == 4)
        #expect(sink.text.filter { $0 == "\n" }.count == 1)
        // The last redraw is padded with spaces to cover the longer line before it.
        let lastDraw = sink.text.split(separator: "\r").last ?? ""
        #expect(lastDraw.hasPrefix("epoch 1/1  batch 4/4  loss 0.25  2 batch/s  eta 0:00"))
        #expect(lastDraw.count == "epoch 1/1  batch 3/4  loss 0.3333  2 batch/s  eta 0:01".count + 1)
    }

    @Test func etaFollowsSmoothedRate() {
        var now = 0.0
        var reporter = ProgressReporter(
            totalEpochs: 1, batchesPerEpoch: 100, isTerminal: false, output: { _ in }, clock: { now })
        #expect(reporter.estimatedSecondsRemaining(epoch: 0, batch: 0) == nil)
        reporter.update(epoch: 0, batch: 0, loss: 1)
        now = 2
        reporter.update(epoch: 0, batch: 1, loss: 1)
        #expect(reporter.batchesPerSecond == 0.5)
        now = 3
        reporter.update(epoch: 0, batch: 2, loss: 1)
        // EMA with weight 0.1: 0.1 * 1 + 0.9 * 0.5.
        #expect(abs(reporter.batchesPerSecond! - 0.55) < 1e-12)
        #expect(abs(reporter.estimatedSecondsRemaining(epoch: 0, batch: 2)! - 97 / 0.55) < 1e-9)
    }

    @Test func severalRunsAreCountedAsRunsWithTheirEpochs() {
        let sink = Sink()
        var now = 0.0
        var reporter = ProgressReporter(
            totalEpochs: 6, batchesPerEpoch: 2, isTerminal: false, output: { sink.text += $0 }, clock: { now })
        reporter.plainInterval = 0
        reporter.epochsPerRun = 3
        reporter.runName = "hbnode"
        now = 4
        reporter.update(epoch: 4, batch: 1, loss: 0.5)
        reporter.endEpoch(4, summary: "ok")
        let lines = sink.text.split(separator: "\n")
        #expect(lines[0].hasPrefix("run 2/2 (hbnode)  epoch 2/3  batch 2/2  loss 0.5"))
        #expect(lines[1] == "run 2/2 (hbnode)  epoch 2/3 done: ok")
        var single = ProgressReporter(totalEpochs: 5, batchesPerEpoch: 300, isTerminal: false, output: { _ in }, clock: { now })
        single.epochsPerRun = 1
        single.batchName = "iteration"
        single.runName = "node seed 3"
        #expect(single.line(epoch: 3, batch: 9, loss: 1, nfe: nil).hasPrefix("run 4/5 (node seed 3)  iteration 10/300  loss 1"))
    }

    @Test func etaIsKnownFromTheFirstBatch() {
        var now = 10.0
        var reporter = ProgressReporter(
            totalEpochs: 1, batchesPerEpoch: 11, isTerminal: false, output: { _ in }, clock: { now })
        now = 12
        reporter.update(epoch: 0, batch: 0, loss: 1)
        #expect(reporter.batchesPerSecond == 0.5)
        #expect(reporter.estimatedSecondsRemaining(epoch: 0, batch: 0) == 20)
        #expect(reporter.line(epoch: 0, batch: 0, loss: 1, nfe: nil).hasSuffix("eta 0:20"))
    }
}

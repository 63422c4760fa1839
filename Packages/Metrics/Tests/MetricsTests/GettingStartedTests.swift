import Foundation
import Testing
import TensorTestSupport
import Metrics

/// The code of the "Getting started" article (`Sources/Metrics/Metrics.docc/GettingStarted.md`), line for
/// line, so that the article cannot show code that does not compile. This test mirrors the article:
/// change both together. The article calls the function with a results folder; the test passes a fresh
/// temporary folder and removes it.
@Suite struct GettingStartedTests {
    @Test func articleExample() throws {
        /// Logs five epochs of a made-up training run and plots its loss.
        func writeTrainingRecord(to folder: URL) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // One CSV row and one JSON line per append, on disk as soon as append returns.
            let log = try RunLog(directory: folder, name: "training", columns: ["epoch", "loss", "nfe_forward"])
            var epochs: [Double] = [], losses: [Double] = []
            for epoch in 0..<5 {
                let loss = 1 / Double(epoch + 1)
                try log.append(["epoch": .int(epoch), "loss": .double(loss), "nfe_forward": .int(26 + 6 * epoch)])
                epochs.append(Double(epoch))
                losses.append(loss)
            }
            log.close()

            // One panel with a logarithmic loss axis, rendered and written atomically as a PNG file.
            var figure = Figure(rows: 1, columns: 1, title: "Training")
            figure[0, 0] = Axes(title: "Loss", xLabel: "epoch", yLabel: "loss")
            figure[0, 0].yScale = .log10
            figure[0, 0].plot(epochs, losses, label: "HBNODE")
            try figure.write(to: folder.appendingPathComponent("loss.png"))
        }

        // The article calls: try writeTrainingRecord(to: URL(fileURLWithPath: "results/getting-started"))
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeTrainingRecord(to: folder)

        let csv = try String(contentsOf: folder.appendingPathComponent("training.csv"), encoding: .utf8)
        #expect(csv == "epoch,loss,nfe_forward\n0,1.0,26\n1,0.5,32\n2,0.3333333333333333,38\n3,0.25,44\n4,0.2,50\n")
        let jsonLines = try String(contentsOf: folder.appendingPathComponent("training.jsonl"), encoding: .utf8)
        #expect(jsonLines.split(separator: "\n").first == #"{"epoch":0,"loss":1.0,"nfe_forward":26}"#)
        #expect(jsonLines.split(separator: "\n").count == 5)
        let image = try PNGCodec.read(folder.appendingPathComponent("loss.png"))
        #expect(image.width == 400)
        #expect(image.height > 300)   // the panel plus the figure's title
    }

    /// Every line of the Swift code of the article and of the package README appears in this package's
    /// tests, so neither can show code that does not compile.
    @Test func articleCodeIsThisTestsCode() throws {
        try expectDocumentedCodeIsTested(["Sources/Metrics/Metrics.docc/GettingStarted.md", "README.md"])
    }
}

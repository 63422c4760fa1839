import Foundation
import Metrics

/// The folder of one experiment's run, `<output>/section-N/<experiment>/`, and every file written into it.
/// All whole-file writes are atomic (temporary file + rename); logs are appended row by row.
public struct RunDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Creates (if needed) `<root>/section-<section>/<experiment>/`.
    ///
    /// - Throws: ``ReproductionError/cannotWrite(path:reason:)`` if the folder cannot be created.
    public init(root: String, section: Int, experiment: String) throws(ReproductionError) {
        let url = URL(fileURLWithPath: root)
            .appendingPathComponent("section-\(section)")
            .appendingPathComponent(experiment)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: url.path, reason: "\(error)")
        }
        self.url = url
    }

    /// The URL of a file in the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `config.json`: every hyperparameter and seed of the run, keys sorted so runs diff cleanly.
    public func writeConfiguration<Configuration: Encodable>(_ configuration: Configuration) throws(ReproductionError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(configuration) } catch {
            throw .cannotWrite(path: file("config.json").path, reason: "encoding failed: \(error)")
        }
        try write(data, to: "config.json")
    }

    /// Writes a text file atomically.
    public func writeText(_ text: String, to name: String) throws(ReproductionError) {
        try write(Data(text.utf8), to: name)
    }

    /// Writes bytes atomically.
    public func write(_ data: Data, to name: String) throws(ReproductionError) {
        let target = file(name)
        do { try writeAtomically(data, to: target) } catch {
            throw .cannotWrite(path: target.path, reason: error.description)
        }
    }

    /// Opens `<name>.csv` and `<name>.jsonl`; `resume` keeps the rows of an interrupted run.
    public func openLog(_ name: String, columns: [String], resume: Bool = false) throws(ReproductionError) -> RunLog {
        do {
            return try RunLog(directory: url, name: name, columns: columns, mode: resume ? .append : .truncate)
        } catch {
            throw .cannotWrite(path: file(name + ".csv").path, reason: error.description)
        }
    }

    /// Writes a whole table as CSV atomically (for series computed at the end of a run).
    public func writeCSV(_ name: String, columns: [String], rows: [[Double]]) throws(ReproductionError) {
        var text = columns.joined(separator: ",") + "\n"
        for row in rows {
            precondition(row.count == columns.count, "CSV \(name): row of \(row.count) values for \(columns.count) columns")
            text += row.map { formatCSV($0) }.joined(separator: ",") + "\n"
        }
        try writeText(text, to: name)
    }
}

/// Shortest round-tripping text of a value for CSV files.
@usableFromInline
func formatCSV(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
}

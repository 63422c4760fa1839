#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Metrics

/// The folder of one experiment's run, `<output>/section-N/<experiment>/`, and every file written into it.
/// All whole-file writes are atomic (temporary file + rename); logs are appended row by row.
///
/// Opening a run folder checks, before anything is written, that its file system has room for a run and
/// takes an exclusive lock on it for the rest of the process (``RunFolderLock``), so a second run into the
/// same folder stops at once instead of interleaving its logs; the temporary files a killed run left
/// behind are removed.
public struct RunDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Free bytes a run folder's file system must have when a run starts. The largest outputs (a CIFAR
    /// checkpoint per family, figures, logs) stay well below this; the check turns a disk that is already
    /// full into one clear message before the first epoch rather than a write error hours later.
    public static let defaultMinimumFreeBytes: Int64 = 64 << 20

    /// Creates (if needed) `<root>/section-<section>/<experiment>/`, checks its free space, locks it when
    /// `exclusive` and removes the temporary files of dead writers. A folder that only gathers an index of
    /// other runs (``Section5Runner``'s) is opened with `exclusive: false`.
    ///
    /// - Throws: ``ReproductionError/cannotWrite(path:reason:)`` if the folder cannot be created,
    ///   ``ReproductionError/insufficientSpace(path:availableBytes:neededBytes:)`` below
    ///   `minimumFreeBytes`, ``ReproductionError/folderInUse(path:pid:)`` if another run holds it.
    public init(
        root: String, section: Int, experiment: String, exclusive: Bool = true,
        minimumFreeBytes: Int64 = RunDirectory.defaultMinimumFreeBytes
    ) throws(ReproductionError) {
        let url = URL(fileURLWithPath: root)
            .appendingPathComponent("section-\(section)")
            .appendingPathComponent(experiment)
            .standardizedFileURL
        do { try createDirectories(at: url) } catch {
            throw .cannotWrite(path: url.path, reason: error.description)
        }
        let available = Self.availableBytes(url)
        if let available, available < minimumFreeBytes {
            throw .insufficientSpace(path: url.path, availableBytes: available, neededBytes: minimumFreeBytes)
        }
        if exclusive { try RunFolderLock.acquire(url) }
        // Only files of writers that are no longer running go, so this is safe in a shared folder too.
        AtomicWriteTemporary.removeStale(in: url)
        self.url = url
    }

    /// Bytes an unprivileged process can still write on the file system of `url` (`statvfs`), or `nil`
    /// when the file system does not say.
    public static func availableBytes(_ url: URL) -> Int64? {
        var status = statvfs()
        guard statvfs(url.path, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }

    /// The URL of a file in the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `config.json`: every hyperparameter and seed of the run, keys sorted so runs diff cleanly.
    ///
    /// With `resume`, an existing `config.json` must record exactly these settings: a resume with other
    /// settings is refused before anything in the folder changes, and the rejected settings are never
    /// written over the ones the checkpoints belong to.
    ///
    /// - Throws: ``ReproductionError/incompatibleConfiguration(path:reason:)`` for a resume with other
    ///   settings, ``ReproductionError/cannotWrite(path:reason:)`` if the file cannot be written.
    public func writeConfiguration<Configuration: Encodable>(
        _ configuration: Configuration, resume: Bool = false
    ) throws(ReproductionError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = nonFiniteAsText
        let target = file("config.json")
        let data: Data
        do { data = try encoder.encode(configuration) } catch {
            throw .cannotWrite(path: target.path, reason: "encoding failed: \(error)")
        }
        if resume, let existing = FileManager.default.contents(atPath: target.path) {
            if existing == data { return }
            throw .incompatibleConfiguration(
                path: url.path, reason: "config.json records other settings than this run's (\(Self.firstDifference(existing, data)))")
        }
        try write(data, to: "config.json")
    }

    /// The first line where two pretty-printed configurations differ, for the refusal message.
    static func firstDifference(_ old: Data, _ new: Data) -> String {
        let a = String(decoding: old, as: UTF8.self).split(separator: "\n"), b = String(decoding: new, as: UTF8.self).split(separator: "\n")
        for k in 0..<max(a.count, b.count) where k >= a.count || k >= b.count || a[k] != b[k] {
            let was = k < a.count ? a[k].trimmingCharacters(in: .whitespaces) : "(nothing)"
            let now = k < b.count ? b[k].trimmingCharacters(in: .whitespaces) : "(nothing)"
            return "saved: \(was) — this run: \(now)"
        }
        return "same text"
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

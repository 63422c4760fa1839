#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A training log written as CSV and JSON Lines side by side, one row per `append`.
///
/// Each row goes to the kernel in a single unbuffered `write(2)` per file, so a run that is killed or
/// crashes keeps every row appended before it died, and a reader never sees a half row from a buffer
/// flush. Rows must have exactly the log's columns in the log's order: a mismatch is a programmer error.
///
/// With `.append`, an existing log is continued (a run resumed from a checkpoint keeps one log); the CSV
/// header is only written to a new or empty file, and an existing file must have the same header.
///
/// A class rather than a struct because it owns open file descriptors, which `deinit` closes.
public final class RunLog {
    /// How to treat files that already exist.
    public enum Mode: Sendable {
        /// Start from an empty file.
        case truncate
        /// Keep existing rows and add after them.
        case append
    }

    /// The column names, in order.
    public let columns: [String]
    /// The CSV file, if one is written.
    public let csvURL: URL?
    /// The JSON Lines file, if one is written.
    public let jsonLinesURL: URL?
    /// Rows appended through this object.
    public private(set) var rowCount = 0

    private var csvDescriptor: Int32 = -1
    private var jsonDescriptor: Int32 = -1
    private var csvOffset = 0
    private var jsonOffset = 0

    /// Opens (creating) the log files. Pass `nil` for a format that is not wanted.
    ///
    /// - Throws: `MetricsIOError.cannotOpen` or `.cannotWrite` naming the file.
    public init(columns: [String], csv: URL?, jsonLines: URL?, mode: Mode = .truncate) throws(MetricsIOError) {
        precondition(!columns.isEmpty, "RunLog needs at least one column")
        precondition(Set(columns).count == columns.count, "RunLog: duplicate column in \(columns)")
        precondition(csv != nil || jsonLines != nil, "RunLog needs a CSV or a JSON Lines file")
        self.columns = columns
        self.csvURL = csv
        self.jsonLinesURL = jsonLines
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_APPEND | (mode == .truncate ? O_TRUNC : 0)
        if let csv {
            csvDescriptor = open(csv.path, flags, 0o644)
            guard csvDescriptor >= 0 else { throw .cannotOpen(path: csv.path, errno: errno) }
            csvOffset = Int(lseek(csvDescriptor, 0, SEEK_END))
            let header = columns.map { LogValue.string($0).csvField }.joined(separator: ",")
            do {
                if csvOffset == 0 {
                    try writeLine(header, to: csvDescriptor, path: csv.path, offset: &csvOffset)
                } else {
                    try continueExisting(csv, header: header, descriptor: csvDescriptor, offset: &csvOffset)
                }
            } catch {
                _ = systemClose(csvDescriptor)
                csvDescriptor = -1
                throw error
            }
        }
        if let jsonLines {
            jsonDescriptor = open(jsonLines.path, flags, 0o644)
            guard jsonDescriptor >= 0 else {
                let code = errno
                if csvDescriptor >= 0 { _ = systemClose(csvDescriptor) }
                throw .cannotOpen(path: jsonLines.path, errno: code)
            }
            jsonOffset = Int(lseek(jsonDescriptor, 0, SEEK_END))
            if jsonOffset > 0, Self.lastByte(of: jsonLines) != UInt8(ascii: "\n") {
                do {
                    try writeLine("", to: jsonDescriptor, path: jsonLines.path, offset: &jsonOffset)
                } catch {
                    close()
                    throw error
                }
            }
        }
    }

    /// Checks that an existing CSV log has this log's header, and ends a last line cut short by a crash
    /// (a full disk can stop a row mid-way) so the next row starts on a line of its own.
    private func continueExisting(
        _ url: URL, header: String, descriptor: Int32, offset: inout Int
    ) throws(MetricsIOError) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .cannotRead(path: url.path, errno: errno)
        }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        let firstLine = String(decoding: start.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        guard firstLine == header else {
            throw .logHeaderMismatch(path: url.path, expected: header, found: firstLine)
        }
        if Self.lastByte(of: url) != UInt8(ascii: "\n") {
            try writeLine("", to: descriptor, path: url.path, offset: &offset)
        }
    }

    private static func lastByte(of url: URL) -> UInt8? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > 0 else { return nil }
        try? handle.seek(toOffset: end - 1)
        return (try? handle.read(upToCount: 1))?.first
    }

    /// Opens `<directory>/<name>.csv` and `<directory>/<name>.jsonl`.
    public convenience init(
        directory: URL, name: String, columns: [String], mode: Mode = .truncate
    ) throws(MetricsIOError) {
        try self.init(
            columns: columns,
            csv: directory.appendingPathComponent(name + ".csv"),
            jsonLines: directory.appendingPathComponent(name + ".jsonl"),
            mode: mode)
    }

    deinit { close() }

    /// Writes one row to every file of the log.
    public func append(_ record: LogRecord) throws(MetricsIOError) {
        precondition(
            record.columns == columns,
            "RunLog.append: record columns \(record.columns) differ from log columns \(columns)")
        if csvDescriptor >= 0, let csvURL {
            try writeLine(record.csvLine, to: csvDescriptor, path: csvURL.path, offset: &csvOffset)
        }
        if jsonDescriptor >= 0, let jsonLinesURL {
            try writeLine(record.jsonLine, to: jsonDescriptor, path: jsonLinesURL.path, offset: &jsonOffset)
        }
        rowCount += 1
    }

    /// Writes one row given as values in column order.
    public func append(_ values: [LogValue]) throws(MetricsIOError) {
        precondition(
            values.count == columns.count,
            "RunLog.append: \(values.count) values for \(columns.count) columns \(columns)")
        try append(LogRecord(Array(zip(columns, values))))
    }

    /// Forces the rows written so far to stable storage (`fsync`), e.g. at the end of an epoch.
    public func sync() throws(MetricsIOError) {
        if csvDescriptor >= 0, fsync(csvDescriptor) != 0 {
            throw .cannotSync(path: csvURL?.path ?? "", errno: errno)
        }
        if jsonDescriptor >= 0, fsync(jsonDescriptor) != 0 {
            throw .cannotSync(path: jsonLinesURL?.path ?? "", errno: errno)
        }
    }

    /// Closes the files; later appends are a programmer error. Called automatically on deinit.
    public func close() {
        if csvDescriptor >= 0 { _ = systemClose(csvDescriptor) }
        if jsonDescriptor >= 0 { _ = systemClose(jsonDescriptor) }
        csvDescriptor = -1
        jsonDescriptor = -1
    }

    private func writeLine(
        _ line: String, to descriptor: Int32, path: String, offset: inout Int
    ) throws(MetricsIOError) {
        let bytes = Array((line + "\n").utf8)
        let outcome = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            Result { () throws(MetricsIOError) in try writeAll(raw, to: descriptor, path: path) }
        }
        if case .failure(let error) = outcome { throw Self.shifted(error, by: offset) }
        offset += bytes.count
    }

    /// Reports a write failure at its offset in the file rather than in the row.
    private static func shifted(_ error: MetricsIOError, by base: Int) -> MetricsIOError {
        if case let .cannotWrite(path, offset, code) = error {
            return .cannotWrite(path: path, offset: base + offset, errno: code)
        }
        return error
    }
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(descriptor)
    #else
    return Darwin.close(descriptor)
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes `data` to `url` so that readers only ever see the old file or the complete new one.
///
/// The bytes go to a uniquely named temporary file in the same directory (so the final `rename(2)` never
/// crosses a file system), which is `fsync`ed before it is renamed onto the final name; the directory is
/// then `fsync`ed too so the rename itself survives a power cut. An interrupted run therefore never leaves
/// a half-written report, figure or checkpoint under its final name. On failure the temporary file is
/// removed and the previous file, if any, is untouched.
///
/// - Throws: `MetricsIOError` naming the path and the failing system call.
public func writeAtomically(_ data: Data, to url: URL) throws(MetricsIOError) {
    // `withUnsafeBytes` only rethrows untyped errors, so the typed error travels out in a `Result`.
    let outcome = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        Result { () throws(MetricsIOError) in try writeAtomically(bytes: raw, to: url) }
    }
    try outcome.get()
}

/// Writes a byte array to `url` atomically; see `writeAtomically(_:to:)` for the guarantees.
public func writeAtomically(_ bytes: [UInt8], to url: URL) throws(MetricsIOError) {
    let outcome = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        Result { () throws(MetricsIOError) in try writeAtomically(bytes: raw, to: url) }
    }
    try outcome.get()
}

/// Writes a string as UTF-8 to `url` atomically; see `writeAtomically(_:to:)` for the guarantees.
public func writeAtomically(_ text: String, to url: URL) throws(MetricsIOError) {
    try writeAtomically(Array(text.utf8), to: url)
}

private func writeAtomically(bytes: UnsafeRawBufferPointer, to url: URL) throws(MetricsIOError) {
    let finalPath = url.path
    let directory = url.deletingLastPathComponent().path
    let temporaryPath = directory + "/" + AtomicWriteTemporary.name(for: url.lastPathComponent, pid: getpid())

    let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .cannotOpen(path: temporaryPath, errno: errno) }
    var succeeded = false
    defer { if !succeeded { unlink(temporaryPath) } }

    do {
        try writeAll(bytes, to: descriptor, path: temporaryPath)
    } catch {
        close(descriptor)
        throw error
    }
    if fsync(descriptor) != 0 {
        let code = errno
        close(descriptor)
        throw .cannotSync(path: temporaryPath, errno: code)
    }
    if close(descriptor) != 0 { throw .cannotClose(path: temporaryPath, errno: errno) }
    if rename(temporaryPath, finalPath) != 0 {
        throw .cannotRename(from: temporaryPath, to: finalPath, errno: errno)
    }
    succeeded = true

    // Persist the directory entry. Failure here is not reported: the data is complete under its final
    // name either way, and some file systems refuse to open directories for syncing.
    let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
    if directoryDescriptor >= 0 {
        _ = fsync(directoryDescriptor)
        close(directoryDescriptor)
    }
}

/// Writes every byte of `bytes` to `descriptor`, retrying short writes and `EINTR`.
func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(MetricsIOError) {
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            throw .cannotWrite(path: path, offset: offset, errno: errno)
        }
        if written == 0 { throw .cannotWrite(path: path, offset: offset, errno: EIO) }
        offset += written
    }
}

/// The names of `writeAtomically`'s temporary files, `.NAME.tmp-PID-RANDOM`, and their clean-up.
///
/// A dot-prefixed name keeps globbing tools from picking a temporary file up; the pid plus a random suffix
/// keeps concurrent writers (parallel seeds) from colliding. A process killed between creating the file and
/// renaming it leaves it behind, so a run that owns a folder removes the ones of dead processes on start.
public enum AtomicWriteTemporary {
    /// A fresh temporary name for the final name `name`, written by process `pid`.
    static func name(for name: String, pid: Int32) -> String {
        ".\(name).tmp-\(pid)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// The writer's pid if `fileName` is a temporary file name of `writeAtomically`, else `nil`.
    public static func writerPID(ofTemporary fileName: String) -> Int32? {
        guard fileName.hasPrefix("."), let marker = fileName.range(of: ".tmp-", options: .backwards) else { return nil }
        let suffix = fileName[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard suffix.count == 2, let pid = Int32(suffix[0]), pid > 0, UInt32(suffix[1]) != nil else { return nil }
        return pid
    }

    /// Removes the temporary files in `directory` (not its sub-folders) whose writer is no longer running,
    /// and returns their names. Files of live processes, this one included, are left alone.
    @discardableResult
    public static func removeStale(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = writerPID(ofTemporary: name), pid != getpid(), !isRunning(pid) else { continue }
            if unlink(directory.appendingPathComponent(name).path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// Whether a process with this pid exists (`kill(pid, 0)`; `EPERM` means it exists but is not ours).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

/// Creates `url` and its missing parents (`mkdir -p`), reporting the failing component with its `errno`
/// text (Foundation's error for a path through a file is an opaque "Code=512").
public func createDirectories(at url: URL) throws(MetricsIOError) {
    var path = ""
    let components = url.standardizedFileURL.path.split(separator: "/", omittingEmptySubsequences: true)
    for component in components {
        path += "/" + component
        if mkdir(path, 0o755) == 0 { continue }
        let code = errno
        var status = stat()
        if code == EEXIST, stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { continue }
        throw .cannotCreateDirectory(path: path, errno: code == EEXIST ? ENOTDIR : code)
    }
}

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
    // A dot-prefixed name keeps globbing tools from picking the temporary file up; pid plus a random
    // suffix keeps concurrent writers (parallel seeds) from colliding.
    let temporaryPath = directory + "/." + url.lastPathComponent
        + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Metrics

/// The exclusive lock a run holds on its folder while it writes there: `flock(2)` on `<folder>/.run.lock`,
/// which also records the holder's pid for the message a second run prints.
///
/// The lock lives as long as the process: the kernel drops it when the process exits or is killed, so a
/// crashed run never leaves a folder locked. Locks this process already holds are kept in a table, since a
/// second `flock` on a new descriptor of the same file would conflict with our own lock.
public enum RunFolderLock {
    /// The lock file's name inside a run folder.
    public static let fileName = ".run.lock"

    nonisolated(unsafe) private static var held: [String: Int32] = [:]
    private static let guardLock = NSLock()

    /// Takes the lock on `folder` for the rest of the process, or throws at once if another process has it.
    ///
    /// - Throws: ``ReproductionError/folderInUse(path:pid:)`` naming the holder's pid;
    ///   ``ReproductionError/cannotWrite(path:reason:)`` if the lock file cannot be opened or written.
    public static func acquire(_ folder: URL) throws(ReproductionError) {
        let path = folder.appendingPathComponent(fileName).standardizedFileURL.path
        guardLock.lock()
        defer { guardLock.unlock() }
        if held[path] != nil { return }
        let descriptor = try lock(path)
        held[path] = descriptor
    }

    /// Opens and locks `path` on a new descriptor and records this pid in it; the descriptor stays open.
    /// Exposed for tests, which stand in for a second process by locking on a descriptor of their own.
    public static func lock(_ path: String) throws(ReproductionError) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: MetricsIOError.reason(errno)) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = String(decoding: readAll(descriptor), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            if code == EWOULDBLOCK { throw .folderInUse(path: (path as NSString).deletingLastPathComponent, pid: Int32(holder)) }
            throw .cannotWrite(path: path, reason: "flock: " + MetricsIOError.reason(code))
        }
        let text = Array("\(getpid())\n".utf8)
        let written = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == text.count, ftruncate(descriptor, off_t(text.count)) == 0 else {
            let code = errno
            close(descriptor)
            throw .cannotWrite(path: path, reason: MetricsIOError.reason(code))
        }
        return descriptor
    }

    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[..<count]) : []
    }
}

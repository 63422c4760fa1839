import Foundation

/// Reusable scratch buffers for kernels that need large temporary memory on every call (the Winograd
/// convolution's transform-domain buffers), so that a solve's hundreds of evaluations do not map and
/// fault in fresh pages each time. Thread-safe; keeps a few buffers, largest first.
@usableFromInline
final class _ScratchPool: @unchecked Sendable {
    @usableFromInline static let shared = _ScratchPool()

    private var buffers: [(pointer: UnsafeMutableRawPointer, bytes: Int)] = []
    private let lock = NSLock()
    /// At most this many idle buffers are kept (two workers × three buffers, with room to spare).
    private let capacity = 12

    /// A buffer of at least `bytes` bytes, aligned to 64 bytes, uninitialised.
    @usableFromInline
    func take(bytes: Int) -> UnsafeMutableRawPointer {
        lock.lock()
        // The smallest idle buffer that is large enough.
        if let index = buffers.indices.filter({ buffers[$0].bytes >= bytes }).min(by: { buffers[$0].bytes < buffers[$1].bytes }) {
            let buffer = buffers.remove(at: index)
            lock.unlock()
            return buffer.pointer
        }
        lock.unlock()
        return .allocate(byteCount: Swift.max(bytes, 64), alignment: 64)
    }

    /// Returns a buffer obtained from ``take(bytes:)`` with its size.
    @usableFromInline
    func give(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        lock.lock()
        buffers.append((pointer, Swift.max(bytes, 64)))
        var evicted: UnsafeMutableRawPointer?
        if buffers.count > capacity, let smallest = buffers.indices.min(by: { buffers[$0].bytes < buffers[$1].bytes }) {
            evicted = buffers.remove(at: smallest).pointer
        }
        lock.unlock()
        evicted?.deallocate()
    }
}

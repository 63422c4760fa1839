/// A byte source that is read front to back. Tar archives are read through this so that a `.tar` in
/// memory and a `.tar.gz` inflated on the fly share one reader and nothing is decompressed twice.
public protocol ByteStream: AnyObject {
    /// The file the bytes come from, used in error messages.
    var name: String { get }
    /// How many (decompressed) bytes have been consumed so far; error messages report it as the offset.
    var position: Int { get }
    /// Fills `buffer` as far as the stream allows and returns the number of bytes written; fewer than
    /// `buffer.count` means the stream has ended.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int
}

extension ByteStream {
    /// Reads up to `count` bytes; the result is shorter only at the end of the stream.
    /// The buffer grows in chunks of at most 4 MiB, so a corrupted size field cannot force a huge
    /// allocation before the stream runs dry.
    public func read(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunkSize = min(count - bytes.count, 1 << 22)
            var got = 0
            let chunk = try [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, initialized in
                got = try read(into: buffer)
                initialized = got
            }
            if bytes.isEmpty { bytes = chunk } else { bytes.append(contentsOf: chunk) }
            if got < chunkSize { break }
        }
        return bytes
    }

    /// Discards up to `count` bytes through a small scratch buffer and returns how many were discarded.
    @discardableResult
    public func skip(_ count: Int) throws -> Int {
        var scratch = [UInt8](repeating: 0, count: min(count, 1 << 20))
        var remaining = count
        while remaining > 0 {
            let chunk = min(remaining, scratch.count)
            let got = try scratch.withUnsafeMutableBufferPointer {
                try read(into: UnsafeMutableBufferPointer(rebasing: $0[0..<chunk]))
            }
            remaining -= got
            if got < chunk { break }
        }
        return count - remaining
    }
}

/// A ``ByteStream`` over bytes already in memory (an uncompressed `.tar`).
public final class MemoryByteStream: ByteStream {
    /// The file named in errors.
    public let name: String
    /// Bytes consumed so far (decompressed bytes for a gzip stream).
    public private(set) var position = 0
    private let bytes: [UInt8]

    /// Wraps `bytes`, naming them `name` in errors.
    public init(_ bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    /// Fills `buffer` as far as the data allow; returns the number of bytes written.
    public func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        if count > 0 {
            bytes.withUnsafeBufferPointer { source in
                _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
                    .update(fromContentsOf: source[position..<position + count])
            }
        }
        position += count
        return count
    }
}

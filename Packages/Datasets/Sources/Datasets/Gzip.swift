import CZlib

/// Inflates a gzip (or zlib) stream held in memory, incrementally, through zlib's `inflate`.
///
/// Concatenated gzip members are decoded one after the other, as `gunzip` does. A stream that stops
/// before its end marker is reported as truncated rather than returned short, so a half-downloaded
/// `.gz` can never pass for a complete file.
public final class GzipStream: ByteStream {
    /// The file named in errors.
    public let name: String
    /// Bytes consumed so far (decompressed bytes for a gzip stream).
    public private(set) var position = 0
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false

    /// Prepares to inflate `compressed`; `name` is the file named in errors.
    public init(compressed: [UInt8], name: String) throws {
        self.name = name
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(compressed.count, 1))
        compressed.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { copy.baseAddress!.initialize(from: base, count: source.count) }
        }
        input = copy
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        stream.pointee.next_in = input.baseAddress
        stream.pointee.avail_in = UInt32(compressed.count)
        // 15 + 32: maximum window and automatic gzip/zlib header detection.
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw DatasetError.decompression(file: name, offset: 0, detail: "inflateInit2 failed (\(status))")
        }
    }

    /// Opens and inflates a gzip file from disk.
    public convenience init(path: String) throws {
        try self.init(compressed: FileBytes.read(path), name: path)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    private var compressedOffset: Int { Int(stream.pointee.total_in) }

    /// Fills `buffer` as far as the data allow; returns the number of bytes written.
    public func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        var produced = 0
        while produced < buffer.count && !finished {
            let chunk = min(buffer.count - produced, Int(UInt32.max))
            stream.pointee.next_out = buffer.baseAddress! + produced
            stream.pointee.avail_out = UInt32(chunk)
            let status = inflate(stream, Z_NO_FLUSH)
            produced += chunk - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                if stream.pointee.avail_in > 0 {
                    // Another gzip member follows; zlib keeps header auto-detection across a reset.
                    inflateReset(stream)
                } else {
                    finished = true
                }
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                throw DatasetError.decompression(
                    file: name, offset: compressedOffset,
                    detail: "compressed stream ends before its end marker (truncated file)")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw DatasetError.decompression(file: name, offset: compressedOffset, detail: message)
            }
        }
        position += produced
        return produced
    }
}

/// One-shot gzip helpers.
public enum Gzip {
    /// Inflates a complete gzip file held in memory.
    public static func decompress(_ compressed: [UInt8], file: String) throws -> [UInt8] {
        let stream = try GzipStream(compressed: compressed, name: file)
        // The gzip trailer stores the uncompressed size mod 2^32: a good first guess for the buffer.
        var capacity = 1 << 16
        if compressed.count >= 4 {
            let n = compressed.count
            let hint = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8
                | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
            // Deflate cannot expand more than about 1032:1, so a corrupted trailer cannot force a huge buffer.
            capacity = max(capacity, min(hint + 1, 1032 * compressed.count, 1 << 30))
        }
        var output = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        while true {
            let got = try output.withUnsafeMutableBufferPointer {
                try stream.read(into: UnsafeMutableBufferPointer(rebasing: $0[filled...]))
            }
            filled += got
            if filled < output.count { break }
            output.append(contentsOf: repeatElement(0, count: output.count))
        }
        output.removeLast(output.count - filled)
        return output
    }
}

extension Gzip {
    /// Compresses `bytes` into a single gzip member (zlib `deflate`, level 6 like GNU gzip's default).
    /// Used to write test fixtures and caches; the loaders only ever inflate.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: maximum window, gzip wrapper instead of zlib's.
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed with status \(status)")
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        let written: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate did not finish in one call (status \(result))")
                return target.count - Int(stream.avail_out)
            }
        }
        output.removeLast(output.count - written)
        return output
    }
}

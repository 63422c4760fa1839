import Foundation

/// Whole-file reads and little/big-endian integer decoding shared by the binary loaders.
public enum FileBytes {
    /// Reads a whole file into memory, turning any I/O failure into ``DatasetError/unreadable(file:reason:)``.
    public static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError.unreadable(file: path, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.unreadable(file: path, reason: "open or read failed")
        }
        // A raw copy: the element-wise `[UInt8](data)` path is very slow in debug builds on 165 MB files.
        return [UInt8](unsafeUninitializedCapacity: data.count) { buffer, initialized in
            initialized = data.copyBytes(to: buffer)
        }
    }

    /// Reads a file, transparently gunzipping it when it starts with the gzip signature (1f 8b).
    public static func readMaybeGzipped(_ path: String) throws -> [UInt8] {
        let raw = try read(path)
        if raw.count >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
            return try Gzip.decompress(raw, file: path)
        }
        return raw
    }

    /// The first existing path among `candidates`, or ``DatasetError/notFound(candidates:)``.
    public static func firstExisting(_ candidates: [String]) throws -> String {
        for path in candidates where FileManager.default.fileExists(atPath: path) { return path }
        throw DatasetError.notFound(candidates: candidates)
    }

    /// Big-endian UInt32 at `offset`, with a truncation error naming `file` if it does not fit.
    static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int, file: String) throws -> UInt32 {
        try require(bytes, offset: offset, count: 4, file: file)
        return bytes[offset..<offset + 4].reduce(0) { ($0 << 8) | UInt32($1) }
    }

    /// Little-endian unsigned integer of `width` bytes at `offset`.
    static func littleEndian(_ bytes: [UInt8], at offset: Int, width: Int, file: String) throws -> Int {
        try require(bytes, offset: offset, count: width, file: file)
        var value = 0
        for i in (0..<width).reversed() { value = (value << 8) | Int(bytes[offset + i]) }
        return value
    }

    /// Throws ``DatasetError/truncated(file:offset:needed:available:)`` unless `count` bytes exist at `offset`.
    static func require(_ bytes: [UInt8], offset: Int, count: Int, file: String) throws {
        if offset + count > bytes.count {
            throw DatasetError.truncated(
                file: file, offset: offset, needed: count, available: max(0, bytes.count - offset))
        }
    }
}

/// An unsigned-byte IDX array (the MNIST file format): a 4-byte magic `00 00 08 <rank>`, `rank`
/// big-endian UInt32 extents, then the bytes in row-major order.
public struct IDXFile: Sendable, Equatable {
    /// Extents, outermost first (for MNIST images `[N, 28, 28]`, for labels `[N]`).
    public var shape: [Int]
    /// The elements, row-major.
    public var bytes: [UInt8]

    /// Parses an IDX file already in memory (`file` is named in errors). The byte count must match the
    /// header exactly: a short file is truncated, a long one oversized.
    public init(parsing data: [UInt8], file: String) throws {
        try FileBytes.require(data, offset: 0, count: 4, file: file)
        guard data[0] == 0, data[1] == 0 else {
            throw DatasetError.badMagic(
                file: file, offset: 0, found: hex(data[0..<4]), expected: "00 00 08 <rank>")
        }
        guard data[2] == 0x08 else {
            throw DatasetError.malformedHeader(
                file: file, offset: 2,
                detail: "IDX element type 0x\(String(data[2], radix: 16)) is not unsigned byte (0x08)")
        }
        let rank = Int(data[3])
        guard rank >= 1 else {
            throw DatasetError.malformedHeader(file: file, offset: 3, detail: "IDX rank is 0")
        }
        var shape: [Int] = []
        var elementCount = 1
        for axis in 0..<rank {
            let extent = Int(try FileBytes.bigEndianUInt32(data, at: 4 + 4 * axis, file: file))
            shape.append(extent)
            // An absurd extent (from a corrupted header) must not overflow the element count.
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= 1 << 40 else {
                throw DatasetError.malformedHeader(
                    file: file, offset: 4 + 4 * axis, detail: "IDX extents \(shape) are implausibly large")
            }
            elementCount = product
        }
        let start = 4 + 4 * rank
        try FileBytes.require(data, offset: start, count: elementCount, file: file)
        if data.count > start + elementCount {
            throw DatasetError.oversized(
                file: file, offset: start + elementCount, extra: data.count - start - elementCount)
        }
        self.shape = shape
        self.bytes = Array(data[start...])
    }

    /// Reads an IDX file from disk, gzipped (`.gz`, through zlib) or raw.
    public init(contentsOf path: String) throws {
        try self.init(parsing: FileBytes.readMaybeGzipped(path), file: path)
    }
}

/// "aa bb cc dd" for error messages.
func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
}

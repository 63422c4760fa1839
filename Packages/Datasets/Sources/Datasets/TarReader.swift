/// One member header of a tar archive.
public struct TarEntry: Sendable, Equatable {
    /// The member path (ustar prefix and GNU long names resolved).
    public var name: String
    /// Size of the member's data in bytes.
    public var size: Int
    /// The type flag: `0` (or NUL) for regular files, `5` for directories, and so on.
    public var typeFlag: UInt8
    /// Offset of the member's 512-byte header in the (decompressed) archive.
    public var headerOffset: Int

    /// Whether the member is a regular file.
    public var isRegularFile: Bool { typeFlag == UInt8(ascii: "0") || typeFlag == 0 }
}

/// A minimal sequential reader for POSIX ustar / GNU tar archives, enough for the CIFAR-10 archive:
/// regular files, directories, GNU long names (`L`) and pax headers (skipped). Every header's checksum is
/// verified so that a corrupted archive fails loudly instead of yielding garbage members.
public final class TarReader {
    private let stream: ByteStream
    /// Bytes of the current member (data plus padding to 512) not yet consumed.
    private var pendingBytes = 0
    private var pendingDataBytes = 0
    private var finished = false

    /// Reads the archive carried by `stream` (plain bytes or a ``GzipStream``).
    public init(stream: ByteStream) {
        self.stream = stream
    }

    /// The next member header, or `nil` at the end of the archive. Unread data of the previous member is
    /// skipped.
    public func next() throws -> TarEntry? {
        if finished { return nil }
        try skipPending()
        var longName: String?
        while true {
            let headerOffset = stream.position
            let header = try stream.read(512)
            if header.isEmpty || header.allSatisfy({ $0 == 0 }) {
                // End-of-archive marker (or a stream that simply stops at a member boundary).
                finished = true
                return nil
            }
            guard header.count == 512 else {
                throw DatasetError.truncated(
                    file: stream.name, offset: headerOffset, needed: 512, available: header.count)
            }
            try verifyChecksum(header, offset: headerOffset)
            let size = try parseSize(header, offset: headerOffset)
            let typeFlag = header[156]
            pendingDataBytes = size
            pendingBytes = (size + 511) / 512 * 512
            switch typeFlag {
            case UInt8(ascii: "L"):
                guard size <= 1 << 16 else {
                    throw DatasetError.malformedHeader(
                        file: stream.name, offset: headerOffset + 124, detail: "GNU long name of \(size) bytes")
                }
                let data = try readPendingData()
                longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                try skipPending()
            default:
                let name = longName ?? headerName(header)
                return TarEntry(name: name, size: size, typeFlag: typeFlag, headerOffset: headerOffset)
            }
        }
    }

    /// Reads the data of the member most recently returned by ``next()``.
    public func readContents(of entry: TarEntry) throws -> [UInt8] {
        precondition(pendingDataBytes == entry.size, "readContents(of: \(entry.name)) called twice or out of order")
        return try readPendingData()
    }

    private func readPendingData() throws -> [UInt8] {
        let start = stream.position
        let data = try stream.read(pendingDataBytes)
        guard data.count == pendingDataBytes else {
            throw DatasetError.truncated(
                file: stream.name, offset: start, needed: pendingDataBytes, available: data.count)
        }
        pendingBytes -= data.count
        pendingDataBytes = 0
        try skipPending()
        return data
    }

    private func skipPending() throws {
        guard pendingBytes > 0 else { return }
        let start = stream.position
        let skipped = try stream.skip(pendingBytes)
        // Missing padding after the very last member is tolerated; missing member data is not.
        if skipped < pendingBytes && pendingDataBytes > 0 && skipped < pendingDataBytes {
            throw DatasetError.truncated(
                file: stream.name, offset: start, needed: pendingDataBytes, available: skipped)
        }
        pendingBytes = 0
        pendingDataBytes = 0
    }

    private func verifyChecksum(_ header: [UInt8], offset: Int) throws {
        let stored = parseOctal(header[148..<156])
        var sum = 0
        for (i, byte) in header.enumerated() { sum += (148..<156).contains(i) ? 32 : Int(byte) }
        guard let stored, stored == sum else {
            throw DatasetError.malformedHeader(
                file: stream.name, offset: offset + 148,
                detail: "tar header checksum \(stored.map(String.init) ?? "unparsable") != computed \(sum)")
        }
    }

    private func parseSize(_ header: [UInt8], offset: Int) throws -> Int {
        let field = header[124..<136]
        if field.first! & 0x80 != 0 {
            // GNU base-256 encoding for sizes of 8 GiB and more.
            var value = Int(field.first! & 0x7f)
            for byte in field.dropFirst() {
                guard value < 1 << 48 else { break }
                value = value << 8 | Int(byte)
            }
            guard value < 1 << 48 else {
                throw DatasetError.malformedHeader(file: stream.name, offset: offset + 124, detail: "tar size too large")
            }
            return value
        }
        guard let size = parseOctal(field) else {
            throw DatasetError.malformedHeader(
                file: stream.name, offset: offset + 124, detail: "tar size field is not octal: \(hex(field))")
        }
        return size
    }

    private func parseOctal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var sawDigit = false
        for byte in field {
            if byte == 0 || byte == UInt8(ascii: " ") {
                if sawDigit { break } else { continue }
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7"), value < 1 << 50 else { return nil }
            value = value * 8 + Int(byte - UInt8(ascii: "0"))
            sawDigit = true
        }
        return sawDigit ? value : nil
    }

    private func headerName(_ header: [UInt8]) -> String {
        func cString(_ slice: ArraySlice<UInt8>) -> String {
            String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
        }
        let name = cString(header[0..<100])
        let isUstar = header[257..<262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? cString(header[345..<500]) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }
}

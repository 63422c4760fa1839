/// A recoverable problem with a data file. Every message names the file and the byte offset or line
/// where the problem was found, so that a user can inspect (or re-fetch) exactly the damaged file.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// The file (or archive member) could not be opened or read at all.
    case unreadable(file: String, reason: String)
    /// The file ends before `needed` bytes starting at `offset` could be read.
    case truncated(file: String, offset: Int, needed: Int, available: Int)
    /// The file holds `extra` bytes after the end of the data its header describes.
    case oversized(file: String, offset: Int, extra: Int)
    /// A magic number or signature at `offset` is not the one the format requires.
    case badMagic(file: String, offset: Int, found: String, expected: String)
    /// Counts that must agree (header vs. data, images vs. labels, rows vs. columns) do not.
    case inconsistentCount(file: String, offset: Int, detail: String)
    /// A value at `offset` is outside its allowed range (for example a class label ≥ 10).
    case valueOutOfRange(file: String, offset: Int, detail: String)
    /// A required CSV cell is absent or empty (`line` and `column` are 1-based).
    case missingCell(file: String, line: Int, column: Int)
    /// A CSV cell is not a number.
    case nonNumericCell(file: String, line: Int, column: Int, text: String)
    /// A CSV cell parses as NaN, which no experiment's data may contain.
    case nanCell(file: String, line: Int, column: Int)
    /// An `.npy` header describes something this loader deliberately does not read (dtype, order, shape).
    case unsupportedNumpy(file: String, offset: Int, detail: String)
    /// A header that cannot be parsed (npy dictionary, tar header checksum, IDX type code).
    case malformedHeader(file: String, offset: Int, detail: String)
    /// zlib reported an error while inflating the compressed stream at compressed byte `offset`.
    case decompression(file: String, offset: Int, detail: String)
    /// An archive does not contain a member the loader needs.
    case missingMember(file: String, member: String)
    /// None of the candidate files for a dataset exists.
    case notFound(candidates: [String])

    /// A one-line message naming the file and the offset or line of the problem.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read file (\(reason))"
        case let .truncated(file, offset, needed, available):
            return "\(file): truncated at byte offset \(offset): needed \(needed) bytes, only \(available) left"
        case let .oversized(file, offset, extra):
            return "\(file): \(extra) unexpected extra bytes after the data, starting at byte offset \(offset)"
        case let .badMagic(file, offset, found, expected):
            return "\(file): bad magic number at byte offset \(offset): found \(found), expected \(expected)"
        case let .inconsistentCount(file, offset, detail):
            return "\(file): inconsistent counts at byte offset \(offset): \(detail)"
        case let .valueOutOfRange(file, offset, detail):
            return "\(file): value out of range at byte offset \(offset): \(detail)"
        case let .missingCell(file, line, column):
            return "\(file):\(line): missing value in column \(column)"
        case let .nonNumericCell(file, line, column, text):
            return "\(file):\(line): column \(column) is not a number: \"\(text)\""
        case let .nanCell(file, line, column):
            return "\(file):\(line): column \(column) is NaN"
        case let .unsupportedNumpy(file, offset, detail):
            return "\(file): unsupported .npy content at byte offset \(offset): \(detail)"
        case let .malformedHeader(file, offset, detail):
            return "\(file): malformed header at byte offset \(offset): \(detail)"
        case let .decompression(file, offset, detail):
            return "\(file): decompression failed at compressed byte offset \(offset): \(detail)"
        case let .missingMember(file, member):
            return "\(file): archive has no member \(member)"
        case let .notFound(candidates):
            return "data file not found; looked for: \(candidates.joined(separator: ", "))"
        }
    }
}

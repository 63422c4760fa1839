/// A recoverable failure while reading or writing a file (logs, reports, figures, checkpoints).
///
/// Every case names the path involved, and the POSIX cases carry `errno`, so a message such as
/// "cannot rename /tmp/.fig.png.tmp-12 to /tmp/fig.png: No such file or directory (errno 2)" is enough
/// to act on without a debugger.
public enum MetricsIOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `open(2)` failed for the given path.
    case cannotOpen(path: String, errno: Int32)
    /// `write(2)` failed or wrote nothing after `offset` bytes had been written to the path.
    case cannotWrite(path: String, offset: Int, errno: Int32)
    /// `fsync(2)` failed for the path.
    case cannotSync(path: String, errno: Int32)
    /// `close(2)` failed for the path (on some file systems this is where a deferred write error shows up).
    case cannotClose(path: String, errno: Int32)
    /// `rename(2)` of the temporary file onto its final name failed.
    case cannotRename(from: String, to: String, errno: Int32)
    /// `mkdir(2)` failed for a folder (or a path component exists and is not a folder: `ENOTDIR`).
    case cannotCreateDirectory(path: String, errno: Int32)
    /// The file could not be read back.
    case cannotRead(path: String, errno: Int32)
    /// An existing log being appended to has other columns than the run expects (e.g. a run resumed
    /// with a different configuration); appending would mix incompatible rows in one file.
    case logHeaderMismatch(path: String, expected: String, found: String)
    /// libpng refused to encode an image; `message` is libpng's own text.
    case pngEncodingFailed(path: String, message: String)
    /// libpng refused to decode a file or buffer; `message` is libpng's own text.
    case pngDecodingFailed(path: String, message: String)

    /// A one-line human-readable message naming the path and the system's reason.
    public var description: String {
        switch self {
        case let .cannotOpen(path, code):
            return "cannot open \(path): \(Self.reason(code))"
        case let .cannotWrite(path, offset, code):
            return "cannot write \(path) at byte offset \(offset): \(Self.reason(code))"
        case let .cannotSync(path, code):
            return "cannot fsync \(path): \(Self.reason(code))"
        case let .cannotClose(path, code):
            return "cannot close \(path): \(Self.reason(code))"
        case let .cannotRename(from, to, code):
            return "cannot rename \(from) to \(to): \(Self.reason(code))"
        case let .cannotCreateDirectory(path, code):
            return "cannot create folder \(path): \(Self.reason(code))"
        case let .cannotRead(path, code):
            return "cannot read \(path): \(Self.reason(code))"
        case let .logHeaderMismatch(path, expected, found):
            return "cannot append to \(path): its header is \"\(found)\", this run writes \"\(expected)\""
        case let .pngEncodingFailed(path, message):
            return "cannot encode PNG for \(path): \(message)"
        case let .pngDecodingFailed(path, message):
            return "cannot decode PNG \(path): \(message)"
        }
    }

    /// The system's text for `errno` `code` with its number, e.g. "No space left on device (errno 28)".
    public static func reason(_ code: Int32) -> String {
        guard code != 0, let text = strerror(code) else { return "unknown error (errno \(code))" }
        return "\(String(cString: text)) (errno \(code))"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Why a checkpoint could not be written or loaded. Loading never modifies anything, so after any of
/// these errors the previous checkpoint file and the in-memory model are unchanged.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// A system call failed.
    case io(path: String, operation: String, code: Int32)
    /// The file does not start with the checkpoint magic bytes.
    case notACheckpoint(path: String)
    /// The file ends before `needed` bytes at `offset`.
    case truncated(path: String, offset: Int, needed: Int)
    /// The stored checksum does not match the content.
    case checksumMismatch(path: String, stored: UInt64, computed: UInt64)
    /// The header cannot be decoded.
    case corruptHeader(path: String, offset: Int, reason: String)
    /// The checkpoint belongs to another model configuration.
    case modelMismatch(path: String, expected: String, found: String)
    /// The number of parameter tensors differs.
    case parameterCountMismatch(path: String, expected: Int, found: Int)
    /// A parameter's name or shape differs.
    case parameterMismatch(path: String, index: Int, expected: String, found: String)
    /// The scalar type differs (Float vs Double).
    case scalarTypeMismatch(path: String, expected: Int, found: Int)

    /// A message naming the file and, where it applies, the offset.
    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .notACheckpoint(let path): return "\(path): not a checkpoint (bad magic at offset 0)"
        case .truncated(let path, let offset, let needed):
            return "\(path): truncated: needed \(needed) bytes at offset \(offset)"
        case .checksumMismatch(let path, let stored, let computed):
            return "\(path): checksum mismatch (stored \(stored), computed \(computed)): file is corrupt"
        case .corruptHeader(let path, let offset, let reason): return "\(path): corrupt header at offset \(offset): \(reason)"
        case .modelMismatch(let path, let expected, let found):
            return "\(path): checkpoint is for model \(found), expected \(expected)"
        case .parameterCountMismatch(let path, let expected, let found):
            return "\(path): checkpoint has \(found) parameter tensors, model has \(expected)"
        case .parameterMismatch(let path, let index, let expected, let found):
            return "\(path): parameter \(index) is \(found) in the checkpoint, model has \(expected)"
        case .scalarTypeMismatch(let path, let expected, let found):
            return "\(path): checkpoint stores \(found)-byte scalars, model uses \(expected)-byte scalars"
        }
    }
}

/// Shape and argument checks that stop the program with their message in **every** build configuration.
///
/// The standard `precondition` drops its message in optimised (`-O`) builds, which would leave a
/// release training run that mixes up shapes with a bare "Fatal error"; these checks always print the
/// message (naming the shapes involved) and the caller's file and line. The message is built only on
/// failure.
@inlinable @inline(__always)
func _require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if _slowPath(!condition()) { _failure(message(), file: file, line: line) }
}

/// Stops with `message` in every build configuration.
@inlinable @inline(__always)
func _failure(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}

/// Recoverable errors of the gradient methods (solver errors are rethrown unchanged).
public enum AdjointError: Error, CustomStringConvertible, Equatable {
    /// `backward` got a cotangent list whose length differs from the number of output times.
    case cotangentCountMismatch(expected: Int, got: Int)
    /// A requested recording time lies outside the solve's time span.
    case recordingTimeOutsideSpan(time: Double, start: Double, end: Double)
    /// The method cannot reproduce this tableau's dense output (direct or checkpointed methods).
    case unsupportedDenseOutput(method: String, time: Double)
    /// Recording adjoint states is only defined for the continuous adjoint methods.
    case recordingUnsupported(method: String)

    /// A message naming the offending time or count.
    public var description: String {
        switch self {
        case let .cotangentCountMismatch(expected, got):
            return "backward: expected \(expected) cotangents (one per output time, nil allowed), got \(got)"
        case let .recordingTimeOutsideSpan(time, start, end):
            return "backward: recording time \(time) lies outside the solve's span [\(start), \(end)]"
        case let .unsupportedDenseOutput(method, time):
            return "dense output of \(method) cannot be differentiated at t = \(time)"
        case let .recordingUnsupported(method):
            return "recording adjoint states is not available for the \(method) gradient method"
        }
    }
}

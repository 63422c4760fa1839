/// Counts vector-field evaluations, as torchdiffeq users count them with an `nfe` attribute on the module.
///
/// A reference type on purpose: vector fields are values that the solvers copy freely, and every copy
/// must report into the same counter the caller reads. Each forward call and each vector-Jacobian product
/// adds one (a VJP re-evaluates the field once on the tape, exactly one module call in PyTorch).
/// Not synchronised: share a counter only between solves that run one at a time.
public final class EvaluationCounter: @unchecked Sendable {
    /// Evaluations since creation or the last ``reset()``.
    public private(set) var count = 0

    /// Creates a counter at zero.
    public init() {}

    /// Adds `n` evaluations.
    public func increment(by n: Int = 1) { count += n }

    /// Sets the count back to zero (the experiments reset per batch).
    public func reset() { count = 0 }
}

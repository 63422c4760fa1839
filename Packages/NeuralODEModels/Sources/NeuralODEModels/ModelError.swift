/// Recoverable failures of a forward or backward pass.
public enum ModelError: Error, CustomStringConvertible {
    /// A forward solve failed (step-size underflow, non-finite state, step budget, …).
    case forwardSolveFailed(model: String, time: Double, underlying: String)
    /// A backward (adjoint) solve failed.
    case backwardSolveFailed(model: String, underlying: String)
    /// The loss is NaN or infinite.
    case nonFiniteLoss(model: String, iteration: Int)

    /// A message naming the model and, where known, the time.
    public var description: String {
        switch self {
        case .forwardSolveFailed(let model, let time, let underlying):
            return "\(model): forward solve starting at t = \(time) failed: \(underlying)"
        case .backwardSolveFailed(let model, let underlying): return "\(model): backward solve failed: \(underlying)"
        case .nonFiniteLoss(let model, let iteration): return "\(model): non-finite loss at iteration \(iteration)"
        }
    }
}

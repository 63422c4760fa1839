import RealModule
/// A learning rate as a function of a step counter (iterations or epochs, as the caller decides).
public enum LearningRateSchedule: Sendable, Equatable, Codable {
    /// A fixed rate.
    case constant(Double)
    /// PyTorch `StepLR`: `initial·factor^⌊step/every⌋` (stepped per iteration or per epoch, as the caller
    /// decides).
    case step(initial: Double, every: Int, factor: Double)
    /// Piecewise constant: `rates[i]` from `starts[i]` on (`starts[0]` must be 0). A recipe may start a
    /// fresh Adam (``Adam/reset()``) at each switch.
    case piecewise(starts: [Int], rates: [Double])

    /// The rate at `step`.
    public func rate(at step: Int) -> Double {
        switch self {
        case .constant(let lr): return lr
        case .step(let initial, let every, let factor):
            precondition(every > 0, "LearningRateSchedule.step: period must be positive, got \(every)")
            return initial * Double.pow(factor, Double(step / every))
        case .piecewise(let starts, let rates):
            precondition(starts.count == rates.count && starts.first == 0, "LearningRateSchedule.piecewise: starts \(starts) do not fit rates \(rates)")
            var lr = rates[0]
            for (start, rate) in zip(starts, rates) where step >= start { lr = rate }
            return lr
        }
    }

    /// Whether `step` is a boundary where the reference recipe builds a fresh optimiser.
    public func startsNewPhase(at step: Int) -> Bool {
        if case .piecewise(let starts, _) = self { return step > 0 && starts.contains(step) }
        return false
    }
}

import NeuralODEModels

/// How a long experiment moves its learning rate, as each reference script does it.
public enum LearningRatePolicy: Sendable {
    /// `schedule.rate(at: epoch)`, with a fresh Adam (moments and step reset) at every phase start
    /// (plane vibration, Walker2D).
    case perEpochWithFreshPhases(LearningRateSchedule)
    /// `schedule.rate(at: iteration)` with one Adam throughout (MNIST, CIFAR-10).
    case perIteration(LearningRateSchedule)

    /// The schedule, whichever clock it runs on.
    public var schedule: LearningRateSchedule {
        switch self {
        case .perEpochWithFreshPhases(let schedule), .perIteration(let schedule): return schedule
        }
    }

    /// Whether the optimiser restarts before `epoch`.
    public func resetsOptimizer(atEpoch epoch: Int) -> Bool {
        if case .perEpochWithFreshPhases(let schedule) = self { return schedule.startsNewPhase(at: epoch) }
        return false
    }

    /// The learning rate of the step taken at `iteration` during `epoch`.
    public func rate(epoch: Int, iteration: Int) -> Double {
        switch self {
        case .perEpochWithFreshPhases(let schedule): return schedule.rate(at: epoch)
        case .perIteration(let schedule): return schedule.rate(at: iteration)
        }
    }
}

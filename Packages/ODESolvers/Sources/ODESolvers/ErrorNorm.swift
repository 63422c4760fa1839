/// Which elements the step-size controller measures. The same norm is used for Hairer's initial step
/// and for the error ratio, as in torchdiffeq.
public enum ErrorNorm: Sendable, Equatable {
    /// The maximum over components of each component's RMS (torchdiffeq's default for tuple states;
    /// plain RMS over all elements for a one-component state).
    case rms
    /// Like `.rms` but only over the listed components: a seminorm, e.g. the adjoint ignoring `a_θ`.
    case components([Int])

    /// The component indices measured for a state with `count` components.
    @inlinable
    func measuredComponents(count: Int) -> [Int] {
        switch self {
        case .rms:
            return Array(0..<count)
        case .components(let indices):
            precondition(
                indices.allSatisfy { $0 >= 0 && $0 < count },
                "ErrorNorm.components(\(indices)) names a component outside 0..<\(count)")
            return indices
        }
    }
}

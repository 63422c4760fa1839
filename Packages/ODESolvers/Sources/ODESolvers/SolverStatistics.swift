/// What one solve cost, counted by the solver so nobody counts calls by hand.
public struct SolverStatistics: Sendable, Equatable, Codable {
    /// Calls of the vector field.
    public var functionEvaluations = 0
    /// Steps taken.
    public var acceptedSteps = 0
    /// Steps tried and rejected by the error controller.
    public var rejectedSteps = 0
    /// `|dt|` of the first step attempt (Hairer's rule, the given initial step, or the fixed dt).
    public var initialStepSize = 0.0
    /// `|dt|` the controller would try next when the solve ended (the fixed dt for fixed grids), so a
    /// follow-up solve can start from it.
    public var finalStepSize = 0.0

    /// Zero counts.
    public init() {}

    /// Sums the counts; the step sizes are taken from `lhs` for the initial and `rhs` for the final one,
    /// as for two solves run one after the other.
    public static func + (lhs: SolverStatistics, rhs: SolverStatistics) -> SolverStatistics {
        var sum = SolverStatistics()
        sum.functionEvaluations = lhs.functionEvaluations + rhs.functionEvaluations
        sum.acceptedSteps = lhs.acceptedSteps + rhs.acceptedSteps
        sum.rejectedSteps = lhs.rejectedSteps + rhs.rejectedSteps
        sum.initialStepSize = lhs.functionEvaluations == 0 ? rhs.initialStepSize : lhs.initialStepSize
        sum.finalStepSize = rhs.functionEvaluations == 0 ? lhs.finalStepSize : rhs.finalStepSize
        return sum
    }

    /// Accepted plus rejected steps.
    public var attemptedSteps: Int { acceptedSteps + rejectedSteps }
}

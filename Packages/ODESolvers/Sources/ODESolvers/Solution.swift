/// One accepted step as recorded with `SolveOptions.recordSteps`: it went from `(t0, y0)` to `t0 + dt`.
public struct RecordedStep<State: ODEState> {
    /// Start time of the step.
    public var t0: Double
    /// Signed step size (negative when integrating backwards).
    public var dt: Double
    /// State at `t0`.
    public var y0: State

    /// Creates a record.
    public init(t0: Double, dt: Double, y0: State) {
        self.t0 = t0
        self.dt = dt
        self.y0 = y0
    }
}

extension RecordedStep: Sendable where State: Sendable {}

/// The result of `solve`: the state at every requested time plus what it cost.
public struct Solution<State: ODEState> {
    /// The requested output times.
    public var times: [Double]
    /// `states[i]` is the state at `times[i]`; `states[0]` is `y0`.
    public var states: [State]
    /// Function evaluations, steps and step sizes of this solve.
    public var statistics: SolverStatistics
    /// Every accepted step, when `SolveOptions.recordSteps` was set; empty otherwise.
    public var steps: [RecordedStep<State>]

    /// Creates a solution.
    public init(times: [Double], states: [State], statistics: SolverStatistics, steps: [RecordedStep<State>] = []) {
        self.times = times
        self.states = states
        self.statistics = statistics
        self.steps = steps
    }

    /// The state at the last output time.
    public var finalState: State { states[states.count - 1] }
}

extension Solution: Sendable where State: Sendable {}

/// Options of one solve that are independent of the method and the step-size controller.
public struct SolveOptions: Sendable {
    /// Budget of step attempts (accepted plus rejected) for the whole solve; exceeding it throws
    /// `stepBudgetExhausted`. (torchdiffeq counts per output interval; a per-solve budget bounds the
    /// cost of the call.)
    public var maxSteps: Int = Int(Int32.max)
    /// The error norm of the adaptive controller.
    public var norm: ErrorNorm = .rms
    /// Keep `(t0, dt, y0)` of every accepted step in `Solution.steps`.
    public var recordSteps = false
    /// How the adaptive controller's norms combine with other processes that hold the rest of the state
    /// (data-parallel solves of one batch); `nil`, the default, measures this process's state alone.
    public var normReduction: NormReduction? = nil

    /// The defaults: unlimited steps (2³¹−1, as torchdiffeq), `.rms` norm, no step recording, no norm
    /// reduction.
    public init() {}
}

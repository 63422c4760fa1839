import ODESolvers
import Tensors

/// The adjoint state at one time of the backward pass (for plots such as the paper's Fig. 3 and for
/// checking Props. 1–3).
public struct AdjointSample<State: ODEState> {
    /// The time.
    public var time: Double
    /// The forward state `y(t)` the adjoint was computed along.
    public var state: State
    /// `a_y(t) = ∂L/∂y(t)`, with every cotangent at output times at or after `t` included.
    public var adjoint: State

    /// Bundles one sample.
    public init(time: Double, state: State, adjoint: State) {
        self.time = time
        self.state = state
        self.adjoint = adjoint
    }
}

/// The gradients of a loss with respect to the inputs of a solve, and what the backward pass cost.
public struct Gradients<State: ODEState> {
    /// `∂L/∂y0`.
    public var initialState: State
    /// `∂L/∂θ_k`, one tensor per parameter of the vector field, in its order.
    public var parameters: [Tensor<State.Scalar>]
    /// `∂L/∂t_i` per output time, when requested.
    public var times: [Double]?
    /// Backward cost only: NFE (one per field call or VJP), accepted and rejected backward steps.
    public var statistics: SolverStatistics
    /// Adjoint states at the requested recording times, in the order they were requested.
    public var adjointTrajectory: [AdjointSample<State>]

    /// Bundles the results.
    public init(
        initialState: State, parameters: [Tensor<State.Scalar>], times: [Double]?,
        statistics: SolverStatistics, adjointTrajectory: [AdjointSample<State>]
    ) {
        self.initialState = initialState
        self.parameters = parameters
        self.times = times
        self.statistics = statistics
        self.adjointTrajectory = adjointTrajectory
    }
}

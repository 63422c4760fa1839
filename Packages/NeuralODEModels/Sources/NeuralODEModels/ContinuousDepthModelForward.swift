import Tensors

extension ContinuousDepthModel {
    /// The ODE states at `times` (default: the interval's end points) for the input batch `x`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func trajectory(
        _ x: Variable<Scalar>, _ parameters: [Variable<Scalar>], times: [Double]? = nil,
        solver: SolverConfiguration, log: SolveLog
    ) throws(ModelError) -> [Variable<Scalar>] {
        let z0 = initialCondition(x, parameters)
        return try ODEBlock.solve(
            field, from: z0, parameters: parameters, times: times ?? [interval.start, interval.end],
            solver: solver, log: log, name: name)
    }

    /// The decoder output `decoder(readout(z(t₁)))` for the input batch `x`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(
        _ x: Variable<Scalar>, _ parameters: [Variable<Scalar>], solver: SolverConfiguration, log: SolveLog
    ) throws(ModelError) -> Variable<Scalar> {
        let states = try trajectory(x, parameters, solver: solver, log: log)
        return decoder(readout(states.last!), parameters)
    }

    /// Inference on constants: no tape, no gradients.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func predict(_ x: Tensor<Scalar>, solver: SolverConfiguration, log: SolveLog = SolveLog()) throws(ModelError) -> Tensor<Scalar> {
        try self(Variable(constant: x), parameters.values.map { Variable(constant: $0) }, solver: solver, log: log).value
    }
}

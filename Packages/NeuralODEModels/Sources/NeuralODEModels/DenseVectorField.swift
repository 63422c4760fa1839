import Adjoint
import ODESolvers
import Tensors

/// A ``ContinuousDepthField`` with a dense network (linear layers, pointwise activations, forcing
/// inputs), evaluated with hand-derived vector-Jacobian products over buffers allocated once: no tape,
/// no closure and no intermediate tensor per evaluation, so an evaluation costs its arithmetic plus the
/// returned tensors.
///
/// It computes what ``ODEBlock/vectorField(_:parameters:sampleScale:)`` computes on the tape, with the
/// same pointwise kernels and in the same order; only the matrix products sum in another order (small
/// products run on the Tensor package's `SmallMatrixMultiply`), so the two agree to rounding. ``ODEBlock/solve(_:from:parameters:times:sampleScale:solver:log:name:)``
/// uses it automatically where it applies (``SolverConfiguration/evaluation``).
///
/// The parameter values are read once at creation: a field serves the solves of one forward/backward
/// pass. Copies share their buffers, so a field is for one evaluation at a time.
public struct DenseVectorField<Scalar: TensorScalar>: DifferentiableVectorField {
    /// The state: `[B, F]` (first order) or `[B, 2, F]` (second order, heavy ball).
    public typealias State = Tensor<Scalar>

    /// The field's parameters (``ContinuousDepthField/parameterIDs``, in that order).
    public let parameters: [Tensor<Scalar>]
    /// Per-sample factors multiplying the derivative (per-sample time rescaling), or nil.
    public var sampleScale: [Scalar]?
    /// Counts every forward call and every VJP, shared by all copies.
    public let counter: EvaluationCounter
    @usableFromInline let program: DenseFieldProgram<Scalar>

    /// Compiles `field` for states of `stateShape` with parameter values from `store` (the whole store,
    /// indexed by ``ParameterID/index``). Nil when the network has convolutions or reshapes, or the state
    /// is not `[B, F]` / `[B, 2, F]` as the dynamics need: such fields run on the tape.
    public init?(
        _ field: ContinuousDepthField, store: [Tensor<Scalar>], stateShape: [Int], sampleScale: [Scalar]? = nil,
        counter: EvaluationCounter = EvaluationCounter()
    ) {
        guard let program = DenseFieldProgram(field, store: store, stateShape: stateShape) else { return nil }
        if let sampleScale {
            precondition(sampleScale.count == stateShape[0], "DenseVectorField: \(sampleScale.count) sample scales for state \(stateShape)")
        }
        self.program = program
        self.parameters = field.parameterIDs.map { store[$0.index] }
        self.sampleScale = sampleScale
        self.counter = counter
    }

    /// The same compiled field with other per-sample factors (the solves of one ODE-RNN pass share it).
    public func withSampleScale(_ scale: [Scalar]?) -> DenseVectorField {
        if let scale {
            precondition(scale.count == program.batch, "DenseVectorField: \(scale.count) sample scales for batch \(program.batch)")
        }
        var copy = self
        copy.sampleScale = scale
        return copy
    }

    /// The state shape the field was compiled for.
    public var stateShape: [Int] { program.stateShape }

    /// `f(t, y)`.
    @inlinable
    public func callAsFunction(_ t: Double, _ y: Tensor<Scalar>) throws -> Tensor<Scalar> {
        precondition(y.shape == program.stateShape, "DenseVectorField: state \(y.shape), compiled for \(program.stateShape)")
        counter.increment()
        // Every element is written, so the storage starts uninitialised.
        let scalars = [Scalar](unsafeUninitializedCapacity: y.count) { out, initialized in
            y.withUnsafeBufferPointer { z in
                program.evaluate(time: t, state: z.baseAddress!, into: out.baseAddress!, sampleScale: sampleScale)
            }
            initialized = y.count
        }
        return Tensor(shape: y.shape, scalars: scalars)
    }

    /// `f(t, y)`, `aᵀ∂f/∂y` and `aᵀ∂f/∂θ` for `a = cotangent`, by one forward and one backward sweep.
    @inlinable
    public func vectorJacobianProduct(
        _ t: Double, _ y: Tensor<Scalar>, cotangent: Tensor<Scalar>
    ) throws -> VectorJacobianProduct<Tensor<Scalar>> {
        precondition(
            y.shape == program.stateShape && cotangent.shape == program.stateShape,
            "DenseVectorField: state \(y.shape), cotangent \(cotangent.shape), compiled for \(program.stateShape)")
        counter.increment()
        var value = Tensor<Scalar>(zeros: y.shape), stateGradient = Tensor<Scalar>(zeros: y.shape)
        y.withUnsafeBufferPointer { z in
            cotangent.withUnsafeBufferPointer { a in
                value.withUnsafeMutableBufferPointer { out in
                    stateGradient.withUnsafeMutableBufferPointer { gz in
                        program.evaluate(time: t, state: z.baseAddress!, into: out.baseAddress!, sampleScale: sampleScale)
                        program.pullback(
                            state: z.baseAddress!, cotangent: a.baseAddress!, sampleScale: sampleScale,
                            stateGradient: gz.baseAddress!)
                    }
                }
            }
        }
        let gradients = program.parameterShapes.enumerated().map { k, shape in
            Tensor<Scalar>(shape: shape, scalars: Array(UnsafeBufferPointer(start: program.parameterGradients[k], count: shape.reduce(1, *))))
        }
        return VectorJacobianProduct(value: value, state: stateGradient, parameters: gradients)
    }

    /// The adjoint's form of the VJP straight into its packed buffers: no tensor is created.
    @inlinable
    public func negatedVectorJacobianProduct(
        _ t: Double, _ y: Tensor<Scalar>, cotangent: UnsafeBufferPointer<Scalar>, value: UnsafeMutablePointer<Scalar>?,
        stateProduct: UnsafeMutablePointer<Scalar>, parameterProducts: UnsafeMutablePointer<Scalar>
    ) throws {
        precondition(
            y.shape == program.stateShape && cotangent.count == y.count,
            "DenseVectorField: state \(y.shape) with \(cotangent.count) cotangent elements, compiled for \(program.stateShape)")
        counter.increment()
        y.withUnsafeBufferPointer { z in
            program.evaluate(time: t, state: z.baseAddress!, into: value ?? program.valueScratch, sampleScale: sampleScale)
            program.pullback(state: z.baseAddress!, cotangent: cotangent.baseAddress!, sampleScale: sampleScale, stateGradient: stateProduct)
        }
        for i in 0..<y.count { stateProduct[i] = -stateProduct[i] }
        var out = parameterProducts
        for (k, shape) in program.parameterShapes.enumerated() {
            let count = shape.reduce(1, *), gradient = program.parameterGradients[k]
            for j in 0..<count { out[j] = -gradient[j] }
            out += count
        }
    }
}

extension DenseFieldProgram {
    /// Elements per sample of the state.
    @inlinable
    var sampleCount: Int {
        switch dynamics {
        case .firstOrder: return features
        case .secondOrder, .heavyBall: return 2 * features
        }
    }

    /// `out ← f(t, z)` for a state `z` of ``stateShape``; leaves every intermediate in the buffers for
    /// ``pullback(state:cotangent:sampleScale:stateGradient:)``.
    @inlinable
    func evaluate(time t: Double, state z: UnsafePointer<Scalar>, into out: UnsafeMutablePointer<Scalar>, sampleScale: [Scalar]?) {
        let f = features, s = sampleCount, input = activations[0], ld0 = leadingDimensions[0]
        // The network input: z itself (first order), [h, v] (second order: the sample's contiguous 2F
        // elements), or h (heavy ball).
        let inputWidth = widths[0]
        BufferKernels.copyRows(from: z, sourceStride: s, to: input, destinationStride: ld0, rows: batch, width: inputWidth)
        runNetwork(time: t)
        let net = activations[activations.count - 1], ldL = leadingDimensions[leadingDimensions.count - 1]
        switch dynamics {
        case .firstOrder:
            BufferKernels.copyRows(from: net, sourceStride: ldL, to: out, destinationStride: f, rows: batch, width: f)
        case .secondOrder:
            BufferKernels.copyRows(from: z + f, sourceStride: s, to: out, destinationStride: s, rows: batch, width: f)
            BufferKernels.copyRows(from: net, sourceStride: ldL, to: out + f, destinationStride: s, rows: batch, width: f)
        case .heavyBall:
            let gate = self.gate, gamma = self.gamma
            // σ(m) row by row into `gateOutput`, then ḣ = σ(m): whole-batch copies where σ is the identity.
            if case .identity = gate {
                BufferKernels.copyRows(from: z + f, sourceStride: s, to: gateOutput, destinationStride: f, rows: batch, width: f)
            } else {
                for b in 0..<batch { gate.apply(z + b * s + f, into: gateOutput + b * f, count: f) }
            }
            BufferKernels.copyRows(from: gateOutput, sourceStride: f, to: out, destinationStride: s, rows: batch, width: f)
            for b in 0..<batch {
                let h = z + b * s, m = h + f, hDot = out + b * s, mDot = hDot + f, force = net + b * ldL
                // (f − m·γ) − h·ξ, the tape's order.
                if let xi {
                    for j in 0..<f { mDot[j] = (force[j] - m[j] * gamma) - h[j] * xi }
                } else {
                    for j in 0..<f { mDot[j] = force[j] - m[j] * gamma }
                }
            }
        }
        if let sampleScale {
            for b in 0..<batch {
                let factor = sampleScale[b], row = out + b * s
                for j in 0..<s { row[j] = row[j] * factor }
            }
        }
    }

    /// The VJP of the last ``evaluate(time:state:into:sampleScale:)`` at the same `z`: writes `aᵀ∂f/∂z`
    /// into `stateGradient` and `aᵀ∂f/∂θ` into ``parameterGradients``.
    @inlinable
    func pullback(
        state z: UnsafePointer<Scalar>, cotangent: UnsafePointer<Scalar>, sampleScale: [Scalar]?,
        stateGradient gz: UnsafeMutablePointer<Scalar>
    ) {
        let f = features, s = sampleCount
        let a: UnsafePointer<Scalar>
        if let sampleScale {
            for b in 0..<batch {
                let factor = sampleScale[b]
                for j in 0..<s { scaledCotangent[b * s + j] = cotangent[b * s + j] * factor }
            }
            a = UnsafePointer(scaledCotangent)
        } else {
            a = cotangent
        }
        for (k, shape) in parameterShapes.enumerated() {
            parameterGradients[k].update(repeating: 0, count: shape.reduce(1, *))
        }
        // The network output's cotangent: all of a (first order) or its velocity/momentum half.
        let outputOffset = dynamics == .firstOrder ? 0 : f
        let g = cotangentBuffers.0, ldL = leadingDimensions[leadingDimensions.count - 1]
        BufferKernels.copyRows(from: a + outputOffset, sourceStride: s, to: g, destinationStride: ldL, rows: batch, width: f)
        let inputCotangent = backpropagate(gradients: parameterGradients)
        let ld0 = leadingDimensions[0]
        switch dynamics {
        case .firstOrder:
            BufferKernels.copyRows(from: inputCotangent, sourceStride: ld0, to: gz, destinationStride: f, rows: batch, width: f)
        case .secondOrder:
            // z = [h, v] feeds the network whole, and v is h's derivative.
            for b in 0..<batch {
                let dx = inputCotangent + b * ld0, ah = a + b * s, out = gz + b * s
                for j in 0..<f { out[j] = dx[j] }
                for j in 0..<f { out[f + j] = dx[f + j] + ah[j] }
            }
        case .heavyBall:
            let gate = self.gate, gamma = self.gamma, xi = self.xi ?? 0
            // ∂γ = −⟨a_m, m⟩ and ∂ξ = −⟨a_m, h⟩ summed per feature column first: a loop over columns
            // vectorises, where one running sum would chain every addition.
            let gammaColumns = reductionScratch, xiColumns = reductionScratch + f
            gammaColumns.update(repeating: 0, count: 2 * f)
            // ∂m starts as a_h (then σ'(m)·a_h − γ·a_m below).
            BufferKernels.copyRows(from: a, sourceStride: s, to: gz + f, destinationStride: s, rows: batch, width: f)
            for b in 0..<batch {
                let h = z + b * s, m = h + f, ah = a + b * s, am = ah + f
                let dh = gz + b * s, dm = dh + f, dx = inputCotangent + b * ld0
                // ∂m = σ'(m)·a_h − γ·a_m; ∂h = ∂f/∂h·a_m − ξ·a_m.
                gate.multiplyByDerivative(dm, input: m, output: gateOutput + b * f, count: f)
                for j in 0..<f {
                    let negative = -am[j]
                    dm[j] = dm[j] + negative * gamma
                    dh[j] = dx[j] + negative * xi
                    gammaColumns[j] += negative * m[j]
                    xiColumns[j] += negative * h[j]
                }
            }
            var gammaSum: Scalar = 0, xiSum: Scalar = 0
            for j in 0..<f {
                gammaSum += gammaColumns[j]
                xiSum += xiColumns[j]
            }
            if let slot = gammaSlot {
                parameterGradients[slot][0] += gammaSum * gammaDerivative * gammaSigmoid * (1 - gammaSigmoid)
            }
            if let slot = xiSlot {
                parameterGradients[slot][0] += xiSum * xiDerivative
            }
        }
    }
}

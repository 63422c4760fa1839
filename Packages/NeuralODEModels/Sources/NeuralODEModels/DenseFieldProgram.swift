import Tensors

/// A dense ``ContinuousDepthField`` compiled for one batch size and one set of parameter values: the
/// network as a fixed list of stages over buffers allocated once, with the weights laid out for the small
/// matrix kernels. ``DenseVectorField`` runs it; this type holds the buffers and the loops.
///
/// Every buffer is row-major `[batch, ld]` with `ld` the width rounded up to whole SIMD blocks
/// (``SmallMatrixMultiply/paddedCount(_:)``). Padding columns start at zero and stay zero through linear
/// stages (the weights' padding is zero), so whole buffers can be processed as one contiguous run.
///
/// A reference type because its buffers are scratch that every evaluation overwrites: one program serves
/// every solve of a forward/backward pass with the same parameters (the 65 solves of an ODE-RNN batch),
/// one evaluation at a time. Not for concurrent use.
@usableFromInline
final class DenseFieldProgram<Scalar: TensorScalar> {
    /// One linear layer: weights in both layouts the kernels read, and where its gradients go.
    @usableFromInline
    struct LinearStage {
        @usableFromInline let inFeatures: Int
        @usableFromInline let outFeatures: Int
        /// `Wᵀ` as `[in, pad(out)]` (forward product `x·Wᵀ`).
        @usableFromInline let transposedWeight: UnsafeMutablePointer<Scalar>
        /// `W` as `[out, pad(in)]` (input cotangent `ḡ·W`).
        @usableFromInline let weight: UnsafeMutablePointer<Scalar>
        /// `b` as `[pad(out)]`, zero-padded; nil without bias.
        @usableFromInline let bias: UnsafeMutablePointer<Scalar>?
        /// Positions of the weight's and the bias's gradients in the field's parameter list (nil: held constant).
        @usableFromInline let weightSlot: Int?
        @usableFromInline let biasSlot: Int?
    }

    /// One network stage from buffer `i` to buffer `i + 1`.
    @usableFromInline
    enum Stage {
        case linear(LinearStage)
        case activation(Activation)
        /// Appends the forcing signal's value at the current time as one more feature.
        case appendSignal(SampledSignal)
    }

    /// A trainable scalar of the wrapper (γ's ω or ξ's corr): its value and gradient slot.
    @usableFromInline
    struct ScalarSlot {
        @usableFromInline let value: Scalar
        @usableFromInline let slot: Int?
    }

    @usableFromInline let dynamics: ContinuousDepthField.Dynamics
    @usableFromInline let batch: Int
    /// Features per sample of the position (the whole state for first-order fields).
    @usableFromInline let features: Int
    @usableFromInline let stateShape: [Int]
    @usableFromInline let stages: [Stage]
    /// Width and leading dimension of buffer `i` (the network input is buffer 0).
    @usableFromInline let widths: [Int]
    @usableFromInline let leadingDimensions: [Int]
    @usableFromInline let activations: [UnsafeMutablePointer<Scalar>]
    /// Two cotangent buffers used in turn walking the stages backwards.
    @usableFromInline let cotangentBuffers: (UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>)
    /// `[out, pad(in)]` scratch for a weight gradient.
    @usableFromInline let weightGradient: UnsafeMutablePointer<Scalar>
    /// Shapes of the field's parameters (the gradient list's shapes).
    @usableFromInline let parameterShapes: [[Int]]
    /// Heavy ball: γ, dγ/dω and ω's slot; ξ, dξ/dcorr and corr's slot (nil: no restoring term).
    @usableFromInline let gamma: Scalar
    @usableFromInline let gammaDerivative: Scalar
    @usableFromInline let gammaSlot: Int?
    /// σ(ω) of a learned damping (for ω's gradient).
    @usableFromInline let gammaSigmoid: Scalar
    @usableFromInline let xi: Scalar?
    @usableFromInline let xiDerivative: Scalar
    @usableFromInline let xiSlot: Int?
    /// The cotangent times the per-sample scale, shaped like the state.
    @usableFromInline let scaledCotangent: UnsafeMutablePointer<Scalar>
    /// Per-column partial sums of the heavy-ball scalars' gradients, `[2, features]`.
    @usableFromInline let reductionScratch: UnsafeMutablePointer<Scalar>
    /// Where an evaluation whose value nobody reads writes it.
    @usableFromInline let valueScratch: UnsafeMutablePointer<Scalar>
    /// `σ(m)` of a heavy-ball field, `[batch, features]` (its gate derivative reads it).
    @usableFromInline let gateOutput: UnsafeMutablePointer<Scalar>
    /// One gradient accumulator per field parameter.
    @usableFromInline let parameterGradients: UnsafeMutableBufferPointer<UnsafeMutablePointer<Scalar>>
    @usableFromInline var allocations: [UnsafeMutablePointer<Scalar>] = []

    /// Compiles `field` for states of `stateShape`, reading parameter values from `store` (the whole
    /// store, indexed by ``ParameterID/index``). Nil when the field is not a dense network on `[B, F]`
    /// (first order) or `[B, 2, F]` (second order, heavy ball) states: convolutions and reshapes stay on
    /// the tape path.
    @usableFromInline
    init?(_ field: ContinuousDepthField, store: [Tensor<Scalar>], stateShape: [Int]) {
        let slotOf = Dictionary(field.parameterIDs.enumerated().map { ($1.index, $0) }, uniquingKeysWith: { a, _ in a })
        let inputWidth: Int
        switch field.dynamics {
        case .firstOrder:
            guard stateShape.count == 2 else { return nil }
            features = stateShape[1]
            inputWidth = features
        case .secondOrder:
            guard stateShape.count == 3, stateShape[1] == 2 else { return nil }
            features = stateShape[2]
            inputWidth = 2 * features
        case .heavyBall:
            guard stateShape.count == 3, stateShape[1] == 2 else { return nil }
            features = stateShape[2]
            inputWidth = features
        }
        let batch = stateShape[0]
        self.batch = batch
        guard batch > 0, features > 0 else { return nil }
        // Shapes first, so an unsupported network allocates nothing.
        var widths = [inputWidth]
        for layer in field.network.layers {
            switch layer {
            case .linear(let l):
                guard l.inFeatures == widths.last!, store[l.weight.index].shape == [l.outFeatures, l.inFeatures] else { return nil }
                widths.append(l.outFeatures)
            case .activation: widths.append(widths.last!)
            case .appendSignal: widths.append(widths.last! + 1)
            case .conv2d, .reshape: return nil
            }
        }
        guard widths.last! == features else { return nil }
        self.widths = widths
        self.dynamics = field.dynamics
        self.stateShape = stateShape
        let leadingDimensions = widths.map(SmallMatrixMultiply.paddedCount)
        self.leadingDimensions = leadingDimensions
        let parameterShapes = field.parameterIDs.map { store[$0.index].shape }
        self.parameterShapes = parameterShapes
        let features = self.features

        func allocate(_ count: Int) -> UnsafeMutablePointer<Scalar> {
            let p = UnsafeMutablePointer<Scalar>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0, count: Swift.max(count, 1))
            return p
        }
        var owned = [UnsafeMutablePointer<Scalar>]()
        var buffers = [UnsafeMutablePointer<Scalar>]()
        for ld in leadingDimensions {
            buffers.append(allocate(batch * ld))
            owned.append(buffers[buffers.count - 1])
        }
        let widest = leadingDimensions.max()!
        let g0 = allocate(batch * widest), g1 = allocate(batch * widest)
        owned += [g0, g1]
        var largestWeight = 1
        var stages = [Stage]()
        for (i, layer) in field.network.layers.enumerated() {
            switch layer {
            case .linear(let l):
                let (n, m) = (l.inFeatures, l.outFeatures)
                let (ldIn, ldOut) = (leadingDimensions[i], leadingDimensions[i + 1])
                let transposed = allocate(n * ldOut), plain = allocate(m * ldIn)
                owned += [transposed, plain]
                store[l.weight.index].withUnsafeBufferPointer { w in
                    for o in 0..<m {
                        for j in 0..<n {
                            transposed[j * ldOut + o] = w[o * n + j]
                            plain[o * ldIn + j] = w[o * n + j]
                        }
                    }
                }
                var bias: UnsafeMutablePointer<Scalar>? = nil
                if let b = l.bias {
                    let p = allocate(ldOut)
                    owned.append(p)
                    store[b.index].withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: m) }
                    bias = p
                }
                largestWeight = Swift.max(largestWeight, m * ldIn)
                stages.append(.linear(LinearStage(
                    inFeatures: n, outFeatures: m, transposedWeight: transposed, weight: plain, bias: bias,
                    weightSlot: slotOf[l.weight.index], biasSlot: l.bias.flatMap { slotOf[$0.index] })))
            case .activation(let a): stages.append(.activation(a))
            case .appendSignal(let s): stages.append(.appendSignal(s))
            case .conv2d, .reshape: fatalError("unreachable: rejected above")
            }
        }
        let weightGradient = allocate(largestWeight)
        self.weightGradient = weightGradient
        let stateCount = stateShape.reduce(1, *)
        let scaledCotangent = allocate(stateCount), gateOutput = allocate(batch * features), valueScratch = allocate(stateCount)
        self.scaledCotangent = scaledCotangent
        self.valueScratch = valueScratch
        let reductionScratch = allocate(2 * features)
        self.reductionScratch = reductionScratch
        owned += [valueScratch, reductionScratch]
        self.gateOutput = gateOutput
        owned += [weightGradient, scaledCotangent, gateOutput]
        let parameterGradients = UnsafeMutableBufferPointer<UnsafeMutablePointer<Scalar>>.allocate(capacity: parameterShapes.count)
        for (k, shape) in parameterShapes.enumerated() {
            let p = allocate(shape.reduce(1, *))
            owned.append(p)
            parameterGradients.initializeElement(at: k, to: p)
        }
        self.parameterGradients = parameterGradients
        self.stages = stages
        activations = buffers
        cotangentBuffers = (g0, g1)
        allocations = owned

        // The wrapper's scalars, computed once as the tape computes them per evaluation.
        var gamma: Scalar = 0, gammaDerivative: Scalar = 0, gammaSlot: Int? = nil, gammaSigmoid: Scalar = 0
        var xi: Scalar? = nil, xiDerivative: Scalar = 0, xiSlot: Int? = nil
        if case .heavyBall(let settings) = field.dynamics {
            func read(_ p: ScalarParameter) -> (Scalar, Int?) {
                if let frozen = p.frozenValue { return (Scalar(frozen), nil) }
                return (store[p.id.index].scalars[0], slotOf[p.id.index])
            }
            switch settings.damping {
            case .constant(let g): gamma = Scalar(g)
            case .learned(let omega, let epsilon):
                let (w, slot) = read(omega)
                let s = Scalar.elementSigmoid(w)
                gamma = Scalar(epsilon) * s
                // The tape's chain: ∂σ = ε·∂γ, then ∂ω = ∂σ·σ·(1 − σ).
                gammaDerivative = Scalar(epsilon)
                gammaSlot = slot
                gammaSigmoid = s
            }
            switch settings.restoring {
            case .none: break
            case .constant(let x): xi = Scalar(x)
            case .raw(let corr):
                let (c, slot) = read(corr)
                (xi, xiDerivative, xiSlot) = (c, 1, slot)
            case .softplus(let corr):
                let (c, slot) = read(corr)
                (xi, xiDerivative, xiSlot) = (Scalar.elementSoftplus(c), Scalar.elementSigmoid(c), slot)
            }
        }
        self.gamma = gamma
        self.gammaDerivative = gammaDerivative
        self.gammaSlot = gammaSlot
        self.gammaSigmoid = gammaSigmoid
        self.xi = xi
        self.xiDerivative = xiDerivative
        self.xiSlot = xiSlot
    }


    deinit {
        for p in allocations { p.deallocate() }
        parameterGradients.deallocate()
    }

    /// The position/velocity gate of a heavy-ball field.
    @inlinable
    var gate: Activation {
        if case .heavyBall(let settings) = dynamics { return settings.gate }
        return .identity
    }

    /// `C ← (accumulate ? C : 0) + op(A)·B` on the program's padded buffers, `op(A) = Aᵀ` when
    /// `transposedA` (A stored `[k, m]`): the small kernels below their size limit, BLAS above.
    @inlinable
    func product(
        m: Int, n: Int, k: Int, a: UnsafePointer<Scalar>, lda: Int, transposedA: Bool,
        b: UnsafePointer<Scalar>, ldb: Int, c: UnsafeMutablePointer<Scalar>, ldc: Int, accumulate: Bool
    ) {
        if SmallMatrixMultiply.prefersSmallKernel(m: m, n: n, k: k) {
            SmallMatrixMultiply.multiply(
                m: m, n: n, k: k, a: a, aRowStride: transposedA ? 1 : lda, aColumnStride: transposedA ? lda : 1,
                b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, padded: true)
        } else if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        } else {
            Scalar.gemm(
                transposeA: transposedA, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                beta: accumulate ? 1 : 0, c: c, ldc: ldc)
        }
    }

    /// Runs the network from buffer 0 (already filled) to the last buffer at time `t`.
    @inlinable
    func runNetwork(time t: Double) {
        for (i, stage) in stages.enumerated() {
            let x = activations[i], y = activations[i + 1]
            let (ldIn, ldOut) = (leadingDimensions[i], leadingDimensions[i + 1])
            switch stage {
            case .linear(let l):
                // Bias rows first, then the product accumulates onto them (the tape's `linear` order).
                if let bias = l.bias {
                    BufferKernels.copyRows(from: bias, sourceStride: 0, to: y, destinationStride: ldOut, rows: batch, width: ldOut)
                }
                product(
                    m: batch, n: l.outFeatures, k: l.inFeatures, a: x, lda: ldIn, transposedA: false,
                    b: l.transposedWeight, ldb: ldOut, c: y, ldc: ldOut, accumulate: l.bias != nil)
            case .activation(let a):
                a.apply(x, into: y, count: batch * ldIn)
            case .appendSignal(let signal):
                let value = Scalar(signal(t)), w = widths[i]
                for row in 0..<batch {
                    (y + row * ldOut).update(from: x + row * ldIn, count: w)
                    y[row * ldOut + w] = value
                }
            }
        }
    }

    /// Walks the stages backwards from the cotangent of the network output in `cotangentBuffers.0`
    /// (`[batch, ld_last]`); adds the parameter gradients into `gradients` (one buffer per field parameter)
    /// and returns the buffer holding the cotangent of the network input (`[batch, ld_0]`).
    @inlinable
    func backpropagate(gradients: UnsafeMutableBufferPointer<UnsafeMutablePointer<Scalar>>) -> UnsafeMutablePointer<Scalar> {
        var g = cotangentBuffers.0, spare = cotangentBuffers.1
        for i in stride(from: stages.count - 1, through: 0, by: -1) {
            let x = activations[i], y = activations[i + 1]
            let (ldIn, ldOut) = (leadingDimensions[i], leadingDimensions[i + 1])
            switch stages[i] {
            case .activation(let a):
                a.multiplyByDerivative(g, input: x, output: y, count: batch * ldIn)
            case .linear(let l):
                let (n, m) = (l.inFeatures, l.outFeatures)
                if let slot = l.weightSlot {
                    // ∂W = ḡᵀ·x, [out, pad(in)], copied into the gradient without the padding.
                    product(
                        m: m, n: n, k: batch, a: g, lda: ldOut, transposedA: true, b: x, ldb: ldIn,
                        c: weightGradient, ldc: ldIn, accumulate: false)
                    let out = gradients[slot]
                    for o in 0..<m {
                        for j in 0..<n { out[o * n + j] += weightGradient[o * ldIn + j] }
                    }
                }
                if let slot = l.biasSlot {
                    let out = gradients[slot]
                    for row in 0..<batch {
                        let r = g + row * ldOut
                        for o in 0..<m { out[o] += r[o] }
                    }
                }
                // ∂x = ḡ·W.
                product(
                    m: batch, n: n, k: m, a: g, lda: ldOut, transposedA: false, b: l.weight, ldb: ldIn,
                    c: spare, ldc: ldIn, accumulate: false)
                swap(&g, &spare)
            case .appendSignal:
                // The appended column is a constant: its cotangent is dropped.
                let w = widths[i]
                for row in 0..<batch { (spare + row * ldIn).update(from: g + row * ldOut, count: w) }
                swap(&g, &spare)
            }
        }
        return g
    }
}

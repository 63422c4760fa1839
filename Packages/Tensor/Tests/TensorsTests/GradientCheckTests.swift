import Testing
import Tensors
import TensorTestSupport

/// Random Double test inputs; `awayFromZero` keeps every element at least 0.1 from 0 (for kinks).
func randomTensor(_ shape: [Int], seed: UInt64, scale: Double = 1, awayFromZero: Bool = false, positive: Bool = false)
    -> Tensor<Double>
{
    var generator = SeededGenerator(seed: seed)
    var t = Tensor<Double>(randomUniform: shape, lowerBound: -scale, upperBound: scale, using: &generator)
    if awayFromZero || positive {
        t = Tensor(shape: shape, scalars: t.scalars.map { x in
            let magnitude = 0.1 + Swift.abs(x)
            return positive || x >= 0 ? magnitude : -magnitude
        })
    }
    return t
}

@Suite struct ElementwiseGradientTests {
    @Test func sameShapeArithmetic() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([3, 4], seed: 2, positive: true)
        expectGradientsMatch(at: [a, b]) { v in v[0] + v[1] }
        expectGradientsMatch(at: [a, b]) { v in v[0] - v[1] }
        expectGradientsMatch(at: [a, b]) { v in v[0] * v[1] }
        expectGradientsMatch(at: [a, b]) { v in v[0] / v[1] }
        expectGradientsMatch(at: [a]) { v in -v[0] }
    }

    @Test func biasBroadcasting() {
        // [B, N] with [N].
        let x = randomTensor([4, 3], seed: 3), b = randomTensor([3], seed: 4, positive: true)
        expectGradientsMatch(at: [x, b]) { v in v[0] + v[1] }
        expectGradientsMatch(at: [x, b]) { v in v[1] - v[0] }
        expectGradientsMatch(at: [x, b]) { v in v[0] * v[1] }
        expectGradientsMatch(at: [x, b]) { v in v[0] / v[1] }
    }

    @Test func channelBroadcasting() {
        // [B, C, H, W] with [1, C, 1, 1] and with [C, 1, 1].
        let x = randomTensor([2, 3, 2, 4], seed: 5)
        let c4 = randomTensor([1, 3, 1, 1], seed: 6, positive: true)
        let c3 = randomTensor([3, 1, 1], seed: 7, positive: true)
        expectGradientsMatch(at: [x, c4]) { v in v[0] + v[1] }
        expectGradientsMatch(at: [x, c4]) { v in v[0] * v[1] }
        expectGradientsMatch(at: [x, c3]) { v in v[0] * v[1] - v[1] }
        expectGradientsMatch(at: [x, c3]) { v in v[0] / v[1] }
        let xAway = randomTensor([2, 3, 2, 4], seed: 5, awayFromZero: true)
        expectGradientsMatch(at: [c3, xAway]) { v in v[0] / v[1].abs() }
    }

    @Test func outerBroadcasting() {
        // [N, 1] with [1, M] broadcasts both ways.
        let a = randomTensor([3, 1], seed: 8), b = randomTensor([1, 4], seed: 9, positive: true)
        expectGradientsMatch(at: [a, b]) { v in v[0] - v[1] }
        expectGradientsMatch(at: [a, b]) { v in v[0] * v[1] }
        expectGradientsMatch(at: [a, b]) { v in v[0] / v[1] }
    }

    @Test func trainableScalar() {
        let x = randomTensor([2, 3, 2, 2], seed: 10)
        let gamma0 = Tensor<Double>(0.7), gamma1 = Tensor<Double>([1.3])
        expectGradientsMatch(at: [x, gamma0]) { v in v[1] * v[0] }
        expectGradientsMatch(at: [x, gamma1]) { v in v[0] * v[1] }
        expectGradientsMatch(at: [x, gamma1]) { v in v[0] / v[1] + v[1] }
    }

    @Test func scalarAndConstantOperands() {
        let x = randomTensor([3, 2], seed: 11, awayFromZero: true)
        let c = randomTensor([2], seed: 12)
        expectGradientsMatch(at: [x]) { v in 2.5 * v[0] + 1 }
        expectGradientsMatch(at: [x]) { v in 3 - v[0] * 0.5 }
        expectGradientsMatch(at: [x]) { v in v[0] / 4 - 2 }
        expectGradientsMatch(at: [x]) { v in 1.5 / v[0] }
        expectGradientsMatch(at: [x]) { v in (v[0] + c) * c - c / (v[0] * v[0] + 1) }
        expectGradientsMatch(at: [x]) { v in c + v[0] - c * v[0] + c / v[0].exp() }
    }

    @Test func mathFunctions() {
        let x = randomTensor([2, 5], seed: 13, scale: 2, awayFromZero: true)
        let p = randomTensor([2, 5], seed: 14, scale: 2, positive: true)
        expectGradientsMatch(at: [x]) { v in exp(v[0]) }
        expectGradientsMatch(at: [p]) { v in log(v[0]) }
        expectGradientsMatch(at: [p]) { v in sqrt(v[0]) }
        expectGradientsMatch(at: [x]) { v in v[0].squared() }
        expectGradientsMatch(at: [x]) { v in pow(v[0], 3) }
        expectGradientsMatch(at: [x]) { v in pow(v[0], 2) }
        expectGradientsMatch(at: [p]) { v in pow(v[0], 2.5) }
        expectGradientsMatch(at: [p]) { v in pow(v[0], -1.5) }
        expectGradientsMatch(at: [x]) { v in abs(v[0]) }
        expectGradientsMatch(at: [x]) { v in tanh(v[0]) }
        expectGradientsMatch(at: [x]) { v in sigmoid(v[0]) }
        expectGradientsMatch(at: [x]) { v in softplus(v[0]) }
    }

    @Test func activations() {
        let x = randomTensor([3, 6], seed: 15, scale: 2, awayFromZero: true)
        expectGradientsMatch(at: [x]) { v in relu(v[0]) }
        expectGradientsMatch(at: [x]) { v in leakyRelu(v[0], slope: 0.2) }
        expectGradientsMatch(at: [x]) { v in elu(v[0]) }
        expectGradientsMatch(at: [x]) { v in elu(v[0], alpha: 1.7) }
        // Keep inputs off the clamp boundaries ±0.5 / 0.7.
        let y = Tensor<Double>(shape: [2, 4], scalars: [-1.2, -0.6, -0.3, 0.1, 0.4, 0.65, 0.8, 1.5])
        expectGradientsMatch(at: [y]) { v in hardtanh(v[0], min: -0.5, max: 0.7) }
        expectGradientsMatch(at: [y]) { v in hardtanh(v[0]) }
    }

    @Test func extremeInputsStayFinite() {
        let big = Tensor<Double>([-800, -30, 0, 30, 800])
        #expect(big.sigmoid().isFinite)
        #expect(big.softplus().isFinite)
        #expect(Swift.abs(big.softplus().scalars[4] - 800) < 1e-12)
        #expect(big.softplus().scalars[0] >= 0)
        let grads = valueWithGradient(at: [big]) { v in softplus(v[0]).sum() + sigmoid(v[0]).sum() }.gradients
        #expect(grads[0].isFinite)
    }
}

@Suite struct ShapeGradientTests {
    @Test func reshapeSliceConcatStack() {
        let x = randomTensor([2, 3, 4], seed: 20)
        let y = randomTensor([2, 2, 4], seed: 21)
        expectGradientsMatch(at: [x]) { v in v[0].reshaped([6, 4]) * v[0].reshaped([-1, 4]) }
        expectGradientsMatch(at: [x]) { v in v[0].slice(axis: 1, range: 1..<3) }
        expectGradientsMatch(at: [x]) { v in v[0].slice(axis: -1, range: 0..<2) * 2 }
        expectGradientsMatch(at: [x]) { v in v[0].slice(axis: 0, range: 1..<2) }
        expectGradientsMatch(at: [x, y]) { v in Variable.concatenate([v[0], v[1], v[0]], axis: 1) }
        expectGradientsMatch(at: [x, y]) { v in Variable.concatenate([v[1], v[0]], axis: -2).tanh() }
        expectGradientsMatch(at: [x]) { v in Variable.stack([v[0], v[0].squared()], axis: 0) }
        expectGradientsMatch(at: [x]) { v in Variable.stack([v[0], v[0] * 3], axis: 2) }
        expectGradientsMatch(at: [x]) { v in Variable.stack([v[0], v[0] * 3], axis: 3) }
        // Mixed constants: the constant part gets no gradient, the tracked part an exact one.
        expectGradientsMatch(at: [x]) { v in Variable.concatenate([v[0], Variable(constant: x)], axis: 0).sigmoid() }
    }

    @Test func transposeAndPermute() {
        let a = randomTensor([3, 5], seed: 22)
        let x = randomTensor([2, 3, 4], seed: 23)
        expectGradientsMatch(at: [a]) { v in v[0].transposed() }
        expectGradientsMatch(at: [x]) { v in v[0].permuted([2, 0, 1]) }
        expectGradientsMatch(at: [x]) { v in v[0].permuted([1, 0, 2]).tanh() }
    }

    @Test func broadcastAndSumToShape() {
        let b = randomTensor([1, 3, 1], seed: 24)
        let x = randomTensor([2, 3, 4], seed: 25)
        expectGradientsMatch(at: [b]) { v in v[0].broadcast(to: [2, 3, 4]) }
        expectGradientsMatch(at: [x]) { v in v[0].sum(toShape: [3, 1]) }
    }
}

@Suite struct ReductionGradientTests {
    @Test func sumsAndMeans() {
        let x = randomTensor([2, 3, 4], seed: 30)
        expectGradientsMatch(at: [x]) { v in v[0].sum() }
        expectGradientsMatch(at: [x]) { v in v[0].mean() }
        expectGradientsMatch(at: [x]) { v in v[0].squared().sum() }
        expectGradientsMatch(at: [x]) { v in v[0].sum(alongAxis: 1) }
        expectGradientsMatch(at: [x]) { v in v[0].sum(alongAxes: [0, 2], keepDims: true) }
        expectGradientsMatch(at: [x]) { v in v[0].sum(alongAxes: [2, 0]) }
        expectGradientsMatch(at: [x]) { v in v[0].mean(alongAxis: -1) }
        expectGradientsMatch(at: [x]) { v in v[0].mean(alongAxes: [0, 1], keepDims: true) * v[0] }
    }

    @Test func maxima() {
        // Distinct values so that every maximum is unique (no ties).
        let x = Tensor<Double>(shape: [2, 3, 4], scalars: (0..<24).map { Double(($0 * 7) % 24) * 0.13 - 1 })
        expectGradientsMatch(at: [x]) { v in v[0].max() }
        expectGradientsMatch(at: [x]) { v in v[0].max(alongAxis: 1) }
        expectGradientsMatch(at: [x]) { v in v[0].max(alongAxis: 2, keepDims: true) }
        expectGradientsMatch(at: [x]) { v in v[0].max(alongAxes: [0, 2]) }
        expectGradientsMatch(at: [x]) { v in v[0] - v[0].max(alongAxis: -1, keepDims: true) }
    }
}

@Suite struct LayerGradientTests {
    @Test func matmul() {
        let a = randomTensor([3, 4], seed: 40), b = randomTensor([4, 2], seed: 41)
        expectGradientsMatch(at: [a, b]) { v in v[0].matmul(v[1]) }
    }

    @Test func linearLayer() {
        let x = randomTensor([5, 3], seed: 42)
        let w = randomTensor([4, 3], seed: 43)
        let b = randomTensor([4], seed: 44)
        expectGradientsMatch(at: [x, w, b]) { v in linear(v[0], weight: v[1], bias: v[2]) }
        expectGradientsMatch(at: [x, w]) { v in linear(v[0], weight: v[1]) }
        // Constant weights (as in the adjoint's ∂f/∂h only) and constant input (∂f/∂θ only).
        expectGradientsMatch(at: [x]) { v in linear(v[0], weight: Variable(constant: w), bias: Variable(constant: b)) }
        expectGradientsMatch(at: [w, b]) { v in linear(Variable(constant: x), weight: v[0], bias: v[1]) }
        // Agrees with matmul + broadcast bias.
        let direct = linear(x, weight: w, bias: b)
        let composed = x.matmul(w, transposeOther: true) + b
        #expect(zip(direct.scalars, composed.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
    }

    @Test(arguments: [
        // (N, C, H, W, O, KH, KW, padding, bias)
        (2, 3, 5, 5, 4, 3, 3, 0, true),
        (2, 3, 5, 5, 4, 3, 3, 1, true),
        (2, 3, 4, 4, 2, 1, 1, 0, true),
        (1, 4, 3, 3, 3, 1, 1, 1, false),
        (2, 2, 4, 5, 3, 3, 3, 1, false),
        (1, 2, 4, 6, 2, 2, 3, 2, true),
    ])
    func conv2dGradients(_ c: (Int, Int, Int, Int, Int, Int, Int, Int, Bool)) {
        let (n, ch, h, w, o, kh, kw, padding, hasBias) = c
        let x = randomTensor([n, ch, h, w], seed: 50)
        let weight = randomTensor([o, ch, kh, kw], seed: 51)
        let bias = randomTensor([o], seed: 52)
        if hasBias {
            expectGradientsMatch(at: [x, weight, bias]) { v in conv2d(v[0], weight: v[1], bias: v[2], padding: padding) }
        } else {
            expectGradientsMatch(at: [x, weight]) { v in conv2d(v[0], weight: v[1], padding: padding) }
        }
    }

    @Test func conv2dWithConstantOperands() {
        let x = randomTensor([2, 3, 4, 4], seed: 53)
        let weight = randomTensor([2, 3, 3, 3], seed: 54)
        expectGradientsMatch(at: [x]) { v in conv2d(v[0], weight: Variable(constant: weight), padding: 1).tanh() }
        expectGradientsMatch(at: [weight]) { v in conv2d(Variable(constant: x), weight: v[0], padding: 1).tanh() }
    }

    @Test func losses() {
        let p = randomTensor([4, 3], seed: 60), t = randomTensor([4, 3], seed: 61)
        expectGradientsMatch(at: [p, t]) { v in mseLoss(v[0], v[1]) }
        expectGradientsMatch(at: [p]) { v in mseLoss(v[0], t) }
        let logits = randomTensor([5, 4], seed: 62, scale: 3)
        let labels = [0, 3, 1, 1, 2]
        expectGradientsMatch(at: [logits]) { v in softmaxCrossEntropy(logits: v[0], labels: labels) }
        expectGradientsMatch(at: [logits]) { v in softmaxCrossEntropy(logits: v[0] * 2 + 1, labels: labels) * 3 }
    }

    @Test func pointCloudMLPAndConvNet() {
        // The point-cloud vector field: 2 → 20 → 20 → 2 with ELU.
        var g = SeededGenerator(seed: 70)
        let x = Tensor<Double>(randomNormal: [6, 2], using: &g)
        let w1 = Tensor<Double>(pytorchDefaultInitWeight: [20, 2], using: &g)
        let b1 = Tensor<Double>(pytorchDefaultInit: [20], fanIn: 2, using: &g)
        let w2 = Tensor<Double>(pytorchDefaultInitWeight: [20, 20], using: &g)
        let b2 = Tensor<Double>(pytorchDefaultInit: [20], fanIn: 20, using: &g)
        let w3 = Tensor<Double>(pytorchDefaultInitWeight: [2, 20], using: &g)
        let b3 = Tensor<Double>(pytorchDefaultInit: [2], fanIn: 20, using: &g)
        expectGradientsMatch(at: [x, w1, b1, w2, b2, w3, b3]) { v in
            let h1 = elu(linear(v[0], weight: v[1], bias: v[2]))
            let h2 = elu(linear(h1, weight: v[3], bias: v[4]))
            return linear(h2, weight: v[5], bias: v[6])
        }
        // A small convolutional block with a trainable scalar and a channel concat.
        let image = randomTensor([2, 2, 4, 4], seed: 71)
        let k1 = randomTensor([3, 3, 3, 3], seed: 72)
        let gamma = Tensor<Double>([0.8])
        expectGradientsMatch(at: [image, k1, gamma]) { v in
            let augmented = Variable.concatenate([v[0], v[0].slice(axis: 1, range: 0..<1)], axis: 1)
            return v[2] * softplus(conv2d(augmented, weight: v[1], padding: 1)) - augmented.mean()
        }
    }
}

@Suite struct GradientCheckerTests {
    @Test func detectsAWrongPullback() {
        // A deliberately wrong pullback (factor 2 missing) must be caught.
        let x = randomTensor([3], seed: 80)
        let report = checkGradients(at: [x]) { v in
            let value = v[0].value.squared()
            let input = v[0].value
            return v[0]._unary(value) { g in g * input }  // should be 2·g·x
        }
        #expect(report.maxRelativeError > 0.1)
    }

    @Test func randomCotangentCatchesPermutedRows() {
        // With a cotangent of ones, a pullback that swaps output rows would pass; a random one must not.
        let x = randomTensor([2, 2], seed: 81)
        let report = checkGradients(at: [x]) { v in
            let value = v[0].value * 3
            return v[0]._unary(value) { g in
                Tensor.concatenate([g.slice(axis: 0, range: 1..<2), g.slice(axis: 0, range: 0..<1)], axis: 0) * 3
            }
        }
        #expect(report.maxRelativeError > 0.01)
    }
}

@Suite struct TapeLifetimeTests {
    /// Every op's pullback must capture tensors, not variables; otherwise the tape leaks through a cycle.
    @Test func tapeIsFreedAfterUsingEveryOp() {
        weak var weakTape: Tape<Double>?
        do {
            let tape = Tape<Double>()
            weakTape = tape
            let x = tape.variable(randomTensor([2, 3, 4, 4], seed: 90))
            let w = tape.variable(randomTensor([3, 3, 3, 3], seed: 91))
            let b = tape.variable(randomTensor([3], seed: 92))
            let lw = tape.variable(randomTensor([4, 48], seed: 93))
            let lb = tape.variable(randomTensor([4], seed: 94))
            let gamma = tape.variable(Tensor<Double>([0.5]))
            var h = conv2d(x, weight: w, bias: b, padding: 1)
            h = elu(h) + relu(h) * sigmoid(h) - tanh(h) / (softplus(h) + 1) + leakyRelu(h, slope: 0.1)
            h = hardtanh(h) + abs(h).sqrt() * exp(h * 0.1) + log(h.squared() + 1) + pow(h.abs() + 1, 1.5)
            h = gamma * Variable.concatenate([h, -h], axis: 1).slice(axis: 1, range: 0..<3)
            h = Variable.stack([h, h], axis: 0).sum(alongAxis: 0).mean(alongAxes: [2], keepDims: true)
            h = h.broadcast(to: [2, 3, 4, 4]).permuted([0, 2, 3, 1]).reshaped([2, 48])
            let y = linear(h, weight: lw, bias: lb).matmul(lw.slice(axis: 1, range: 0..<4).transposed())
            let loss = mseLoss(y, Tensor<Double>(zeros: [2, 4])) + softmaxCrossEntropy(logits: y, labels: [1, 3])
                + y.max(alongAxis: 1).sum() + y.max() + y.sum(toShape: [4]).mean() + (2 / (y.squared() + 1)).sum()
            let grads = tape.gradients(of: loss, wrt: [x, w, b, lw, lb, gamma])
            #expect(grads.allSatisfy { $0.isFinite })
        }
        #expect(weakTape == nil, "the tape leaked: some pullback captures a Variable")
    }
}

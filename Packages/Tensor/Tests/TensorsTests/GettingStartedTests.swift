import Foundation
import Testing
import TensorTestSupport
import Tensors

/// The code of the "Getting started" article (`Sources/Tensors/Tensors.docc/GettingStarted.md`), line for
/// line, so that the article cannot show code that does not compile. This test mirrors the article:
/// change both together.
@Suite struct GettingStartedTests {
    @Test func articleExample() {
        // Tensors are values: a shape and row-major scalars.
        let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let w = Tensor<Float>(shape: [1, 3], scalars: [0.5, -1, 2])   // weight [out, in]
        let b = Tensor<Float>([0.25])                                   // bias [out]
        let y = linear(x, weight: w, bias: b)                           // x·wᵀ + b
        print(y.shape, y.scalars)                                       // [2, 1] [4.75, 9.25]

        // The gradient of a scalar loss with respect to w and b, recorded on a tape.
        let target = Tensor<Float>(shape: [2, 1], scalars: [1, 2])
        let (loss, gradients) = valueWithGradient(at: [w, b]) { p in
            mseLoss(linear(Variable(constant: x), weight: p[0], bias: p[1]), target)
        }
        print(loss, gradients[0].scalars, gradients[1].scalars)        // 33.3125 [32.75, 43.75, 54.75] [11.0]

        // The vector-Jacobian product of a function with a tensor output.
        let (value, pullback) = valueWithPullback(at: [x]) { v in tanh(v[0]) }
        let vjp = pullback(Tensor(ones: value.shape))[0]               // 1 − tanh²(x), elementwise
        print(vjp.shape)                                                // [2, 3]

        // Random initialisation from the seeded generator (reproducible across runs).
        var rng = SeededGenerator(seed: 0)
        let weight = Tensor<Float>(pytorchDefaultInitWeight: [20, 2], using: &rng)   // U(±1/√2)
        print(weight.shape)                                             // [20, 2]

        #expect(y.shape == [2, 1])
        #expect(y.scalars == [4.75, 9.25])
        #expect(abs(loss - 33.3125) < 1e-4)
        #expect(gradients[0].shape == [1, 3])
        for (computed, expected) in zip(gradients[0].scalars, [32.75, 43.75, 54.75] as [Float]) {
            #expect(abs(computed - expected) < 1e-4)
        }
        #expect(abs(gradients[1].scalars[0] - 11) < 1e-4)
        #expect(vjp.shape == [2, 3])
        for (g, xi) in zip(vjp.scalars, x.scalars) {
            let t = Foundation.tanh(Double(xi))
            #expect(abs(Double(g) - (1 - t * t)) < 1e-5)
        }
        #expect(weight.shape == [20, 2])
        #expect(weight.scalars.allSatisfy { abs($0) <= 1 / Float(2).squareRoot() })
    }

    /// Every line of the Swift code of the article and of the package README appears in this package's
    /// tests, so neither can show code that does not compile.
    @Test func articleCodeIsThisTestsCode() throws {
        try expectDocumentedCodeIsTested(["Sources/Tensors/Tensors.docc/GettingStarted.md", "README.md"])
    }
}

import Testing
@testable import Tensors
import TensorTestSupport

/// The AVX2 + FMA tile transforms against the portable Swift transforms, pass by pass, on shapes with
/// partial edge tiles, lane padding and the image models' shapes.
@Suite(.enabled(if: _WinogradConvolution<Float>.vectorKernelsAvailable, "needs a CPU with AVX2 + FMA"))
struct WinogradVectorKernelTests {
    /// Forward output (with a channel bias and a border bias), input gradient and filter gradient.
    static func passes(_ w: _WinogradConvolution<Float>, seed: UInt64) -> [Tensor<Float>] {
        let g = w.g
        var generator = SeededGenerator(seed: seed)
        let x = Tensor<Float>(randomNormal: [g.batch, g.inChannels, g.height, g.width], using: &generator)
        let weight = Tensor<Float>(randomNormal: [g.outChannels, g.inChannels, 3, 3], using: &generator)
        let bias = Tensor<Float>(randomNormal: [g.outChannels], using: &generator)
        let border = Tensor<Float>(randomNormal: [g.outChannels, g.outHeight, g.outWidth], using: &generator)
        let dy = Tensor<Float>(randomNormal: g.outputShape, using: &generator)
        let filterCount = 36 * g.outChannels * g.inChannels
        var u = [Float](repeating: 0, count: filterCount), du = u
        weight.withUnsafeBufferPointer { w.transformFilters($0.baseAddress!, into: &u) }
        let y = Tensor<Float>(_shape: g.outputShape) { out, _ in
            x.withUnsafeBufferPointer { xp in
                bias.withUnsafeBufferPointer { b in
                    border.withUnsafeBufferPointer { e in
                        w.forward(input: xp.baseAddress!, filters: u, channelBias: b.baseAddress!, borderBias: e.baseAddress!, output: out)
                    }
                }
            }
        }
        let dx = Tensor<Float>(_shape: x.shape) { dxp, _ in
            x.withUnsafeBufferPointer { xp in
                dy.withUnsafeBufferPointer { dyp in
                    w.backward(input: xp.baseAddress!, filters: u, outputGradient: dyp.baseAddress!, inputGradient: dxp, filterGradient: &du)
                }
            }
        }
        return [y, dx, Tensor(shape: [filterCount], scalars: du)]
    }

    /// (N, C, H, W, O, padding), the first ones small with partial tiles and padding lanes, then the
    /// MNIST NODE/HBNODE and CIFAR-10 NODE shapes at batch 2.
    @Test(arguments: [
        (2, 3, 5, 5, 4, 1), (1, 2, 6, 6, 3, 0), (3, 4, 7, 9, 2, 1), (2, 3, 4, 5, 3, 2), (1, 1, 3, 3, 1, 0), (2, 5, 8, 8, 6, 1),
        (2, 92, 28, 28, 92, 1), (2, 50, 28, 28, 50, 1), (2, 125, 32, 32, 125, 1),
    ])
    func vectorKernelsMatchPortableTransforms(_ s: (Int, Int, Int, Int, Int, Int)) {
        let (n, c, h, w, o, p) = s
        let g = Convolution2D.Geometry(input: [n, c, h, w], weight: [o, c, 3, 3], padding: (p, p))
        let reference = Self.passes(_WinogradConvolution<Float>(g, vectorKernels: false), seed: 5)
        let vector = Self.passes(_WinogradConvolution<Float>(g, vectorKernels: true), seed: 5)
        for (name, (a, b)) in zip(["output", "input gradient", "filter gradient"], zip(vector, reference)) {
            #expect(relativeError(a, b) < 1e-5, "\(name), shape \(s)")
        }
    }
}

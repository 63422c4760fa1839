import Foundation
import ODESolvers
import Tensors

/// Vector fields with known solutions shared by the tests.
enum TestFields {
    /// `y' = λ·y`, elementwise.
    static func decay(_ lambda: Double) -> (Double, Tensor<Double>) throws -> Tensor<Double> {
        { _, y in
            var out = y
            out.scale(by: lambda)
            return out
        }
    }

    /// `y' = A·y` for a square matrix `A` (row-major), `y` a vector.
    static func linear(_ a: [[Double]]) -> (Double, Tensor<Double>) throws -> Tensor<Double> {
        { _, y in
            let n = a.count
            var out = [Double](repeating: 0, count: n)
            let v = y.scalars
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += a[i][j] * v[j] }
                out[i] = s
            }
            return Tensor(shape: y.shape, scalars: out)
        }
    }

    /// The heavy-ball oscillator in code form on a `[h, m]` list: `h' = −m`, `m' = h − σ(−3)·m`.
    static let heavyBallGamma = 1.0 / (1.0 + exp(3.0))
    static func heavyBall(_ t: Double, _ s: TensorList<Double>) throws -> TensorList<Double> {
        var dh = s[1]
        dh.scale(by: -1)
        var dm = s[0]
        dm.addScaled(s[1], by: -heavyBallGamma)
        return TensorList([dh, dm])
    }
}

/// Max-abs difference of two equally shaped tensors.
func maxAbsDifference(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
}

import Adjoint
import Tensors

/// Small differentiable ops with hand-written pullbacks, local to the tests so the gradient checks do not
/// depend on which ops the Tensor package offers yet.
enum Ops {
    typealias V = Variable<Double>

    static func add(_ a: V, _ b: V) -> V {
        precondition(a.shape == b.shape, "add: \(a.shape) vs \(b.shape)")
        return V.record(zip(a.value, b.value) { $0 + $1 }, inputs: [a, b]) { g in [g, g] }
    }

    static func subtract(_ a: V, _ b: V) -> V {
        precondition(a.shape == b.shape, "subtract: \(a.shape) vs \(b.shape)")
        return V.record(zip(a.value, b.value) { $0 - $1 }, inputs: [a, b]) { g in [g, g.map { -$0 }] }
    }

    static func negate(_ a: V) -> V {
        V.record(a.value.map { -$0 }, inputs: [a]) { g in [g.map { -$0 }] }
    }

    static func multiply(_ a: V, _ b: V) -> V {
        precondition(a.shape == b.shape, "multiply: \(a.shape) vs \(b.shape)")
        let (x, y) = (a.value, b.value)
        return V.record(zip(x, y) { $0 * $1 }, inputs: [a, b]) { g in [zip(g, y) { $0 * $1 }, zip(g, x) { $0 * $1 }] }
    }

    /// `s·a` for a one-element `s`.
    static func scale(_ a: V, by s: V) -> V {
        precondition(s.value.count == 1, "scale: factor must have one element, has shape \(s.shape)")
        let (x, k) = (a.value, s.value.scalars[0])
        return V.record(x.map { $0 * k }, inputs: [a, s]) { g in
            [g.map { $0 * k }, Tensor(shape: s.shape, scalars: [g.dot(x)])]
        }
    }

    static func tanh(_ a: V) -> V {
        let y = a.value.map { Double.tanh($0) }
        return V.record(y, inputs: [a]) { g in [zip(g, y) { $0 * (1 - $1 * $1) }] }
    }

    static func sigmoid(_ a: V) -> V {
        let y = a.value.map { 1 / (1 + Double.exp(-$0)) }
        return V.record(y, inputs: [a]) { g in [zip(g, y) { $0 * $1 * (1 - $1) }] }
    }

    /// `x·w + b` with `x` [B, in], `w` [in, out], `b` [out] broadcast over rows.
    static func linear(_ x: V, _ w: V, _ b: V) -> V {
        let product = x.matmul(w)
        let rows = product.shape[0], columns = product.shape[1]
        precondition(b.shape == [columns], "linear: bias \(b.shape) for \(columns) outputs")
        var value = product.value
        value.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows { for c in 0..<columns { out[r * columns + c] += b.value.scalars[c] } }
        }
        return V.record(value, inputs: [product, b]) { g in
            var column = [Double](repeating: 0, count: columns)
            for r in 0..<rows { for c in 0..<columns { column[c] += g.scalars[r * columns + c] } }
            return [g, Tensor(shape: [columns], scalars: column)]
        }
    }

    static func zip(_ a: Tensor<Double>, _ b: Tensor<Double>, _ op: (Double, Double) -> Double) -> Tensor<Double> {
        Tensor(shape: a.shape, scalars: Swift.zip(a.scalars, b.scalars).map { op($0, $1) })
    }
}

import Tensors

/// Gathers sequences `indices` of a `[S, length, C]` split into the time-major `[length, B, C]` layout the
/// ODE-RNN models read one step at a time (plane vibration and Walker2D batches).
func timeMajor(_ source: Tensor<Float>, indices: [Int], length: Int) -> Tensor<Float> {
    precondition(source.rank == 3 && source.shape[1] == length,
                 "timeMajor: source \(source.shape) is not [S, \(length), C]")
    let channels = source.shape[2], b = indices.count
    var scalars = [Float](repeating: 0, count: length * b * channels)
    let s = source.scalars
    for (j, index) in indices.enumerated() {
        for t in 0..<length {
            for c in 0..<channels { scalars[(t * b + j) * channels + c] = s[(index * length + t) * channels + c] }
        }
    }
    return Tensor(shape: [length, b, channels], scalars: scalars)
}

/// The per-step observations `[B, C]` of a time-major `[T, B, C]` tensor, in step order.
func stepSlices(_ x: Tensor<Float>) -> [Tensor<Float>] {
    precondition(x.rank == 3, "stepSlices: \(x.shape) is not [T, B, C]")
    let steps = x.shape[0], b = x.shape[1], channels = x.shape[2]
    return (0..<steps).map { t in
        Tensor(shape: [b, channels], scalars: Array(x.scalars[(t * b * channels)..<((t + 1) * b * channels)]))
    }
}

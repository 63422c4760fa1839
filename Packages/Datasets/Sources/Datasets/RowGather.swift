import Tensors

/// Gathers rows (entries along the first axis) of a tensor into a reusable batch tensor.
public enum RowGather {
    /// Copies `source[indices[k], ...]` into `batch[k, ...]`.
    ///
    /// `batch` is reused when it already has shape `[indices.count] + source.shape.dropFirst()` and is
    /// reallocated otherwise (typically only for a short last batch).
    @inlinable
    public static func gatherRows<Scalar: TensorScalar, Indices: Collection>(
        _ indices: Indices, from source: Tensor<Scalar>, into batch: inout Tensor<Scalar>
    ) where Indices.Element == Int {
        precondition(source.rank >= 1, "gatherRows needs a source of rank ≥ 1, got shape \(source.shape)")
        let shape = [indices.count] + source.shape.dropFirst()
        if batch.shape != shape { batch = Tensor<Scalar>(zeros: shape) }
        let rows = source.shape[0]
        let rowSize = source.shape.dropFirst().reduce(1, *)
        source.withUnsafeBufferPointer { from in
            batch.withUnsafeMutableBufferPointer { to in
                var k = 0
                for index in indices {
                    precondition(index >= 0 && index < rows, "row \(index) outside 0..<\(rows) of shape \(source.shape)")
                    if rowSize > 0 {
                        _ = UnsafeMutableBufferPointer(rebasing: to[(k * rowSize)..<((k + 1) * rowSize)])
                            .update(fromContentsOf: from[(index * rowSize)..<((index + 1) * rowSize)])
                    }
                    k += 1
                }
            }
        }
    }

    /// A new tensor holding `source`'s rows at `indices`.
    @inlinable
    public static func rows<Scalar: TensorScalar, Indices: Collection>(
        _ indices: Indices, of source: Tensor<Scalar>
    ) -> Tensor<Scalar> where Indices.Element == Int {
        var batch = Tensor<Scalar>(zeros: [0])
        gatherRows(indices, from: source, into: &batch)
        return batch
    }
}

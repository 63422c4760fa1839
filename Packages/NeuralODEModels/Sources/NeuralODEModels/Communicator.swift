import ODESolvers
import Tensors

/// A group of processes that train one model together (data parallelism): each holds a slice of every
/// batch, and the collectives below combine what the slices computed. ``SingleProcessCommunicator`` is
/// the default; an MPI implementation lives outside the libraries (the repository's `MPICommunicator`
/// target, built only with the `MPI` package trait), so nothing here needs MPI.
///
/// Every collective must be called by every process in the same order with buffers of the same length,
/// and gives every process the same result.
public protocol Communicator: Sendable {
    /// This process's index in `0..<size`.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Replaces each element with its sum over every process.
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Replaces each element with its sum over every process.
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>)
    /// Replaces each element with its maximum over every process.
    func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Replaces each element with its maximum over every process.
    func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Float>)
    /// Returns when every process has called it.
    func barrier()
}

/// One process alone: every collective is the identity.
public struct SingleProcessCommunicator: Communicator {
    /// The only process.
    public init() {}
    /// Always 0.
    public var rank: Int { 0 }
    /// Always 1.
    public var size: Int { 1 }
    /// The identity.
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    /// The identity.
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {}
    /// The identity.
    public func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    /// The identity.
    public func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Float>) {}
    /// Returns at once.
    public func barrier() {}
}

extension Communicator {
    /// The rows of a batch of `count` samples this process handles: contiguous slices in rank order, the
    /// first `count % size` ranks one row longer.
    public func slice(ofBatch count: Int) -> Range<Int> {
        let base = count / size, extra = count % size
        let start = rank * base + Swift.min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }

    /// The solver hook that makes every process's adaptive solves of its batch slice take the steps of
    /// the whole batch (``SolverConfiguration/normReduction``).
    public var normReduction: NormReduction {
        NormReduction { buffer in self.allReduceSum(buffer) }
    }

    /// `values` summed over every process.
    public func summed(_ values: [Double]) -> [Double] {
        var result = values
        result.withUnsafeMutableBufferPointer { allReduceSum($0) }
        return result
    }

    /// Throws ``DataParallelError/ranksDisagree(quantity:rank:value:minimum:maximum:)`` unless every
    /// process passes the same `value` (a configuration fingerprint, an NFE count). Exact for values
    /// below 2⁵³ in magnitude; larger ones (64-bit hashes) are compared as two 32-bit halves.
    public func checkAgreement(on value: UInt64, quantity: String) throws(DataParallelError) {
        let halves = [Double(value >> 32), Double(value & 0xFFFF_FFFF)]
        var extremes = halves + halves.map { -$0 }
        extremes.withUnsafeMutableBufferPointer { allReduceMax($0) }
        let maximum = (UInt64(extremes[0]) << 32) | UInt64(extremes[1])
        let minimum = (UInt64(-extremes[2]) << 32) | UInt64(-extremes[3])
        if extremes[0] != -extremes[2] || extremes[1] != -extremes[3] {
            throw .ranksDisagree(quantity: quantity, rank: rank, value: value, minimum: minimum, maximum: maximum)
        }
    }

    /// Sums `gradients` and `loss` over every process in place (one all-reduce); the summed values are
    /// the same on every process.
    public func sumGradients<Scalar: TensorScalar>(_ gradients: inout [Tensor<Scalar>], loss: inout Double) {
        var buffer = [Double]()
        buffer.reserveCapacity(1 + gradients.reduce(0) { $0 + $1.count })
        buffer.append(loss)
        for gradient in gradients { gradient.withUnsafeBufferPointer { for x in $0 { buffer.append(Double(x)) } } }
        buffer.withUnsafeMutableBufferPointer { allReduceSum($0) }
        loss = buffer[0]
        var offset = 1
        for k in gradients.indices {
            let n = gradients[k].count
            gradients[k] = Tensor(shape: gradients[k].shape, scalars: buffer[offset..<(offset + n)].map { Scalar($0) })
            offset += n
        }
    }
}

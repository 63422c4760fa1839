import Foundation

/// A group of threads that all-reduce buffers in lock step: the in-process stand-in for a group of
/// processes, for tests of data-parallel code (split solves, summed gradients) that must run without MPI.
///
/// Every party calls ``allReduce(_:rank:combine:)`` the same number of times with buffers of the same
/// length; each call returns when all parties have arrived, with the elements combined in rank order, so
/// every party gets the same bits.
public final class InProcessGroup: @unchecked Sendable {
    /// The number of parties.
    public let size: Int
    private let condition = NSCondition()
    private var contributions: [[Double]?]
    private var result: [Double] = []
    private var arrived = 0
    private var generation = 0

    /// A group of `size` parties (at least 1).
    public init(size: Int) {
        precondition(size >= 1, "InProcessGroup needs at least one party, got \(size)")
        self.size = size
        contributions = Array(repeating: nil, count: size)
    }

    /// Replaces `buffer` with the element-wise combination (e.g. `+`, `max`) over every party's buffer.
    public func allReduce(_ buffer: UnsafeMutableBufferPointer<Double>, rank: Int, combine: (Double, Double) -> Double) {
        condition.lock()
        defer { condition.unlock() }
        contributions[rank] = Array(buffer)
        arrived += 1
        if arrived == size {
            var combined = contributions[0]!
            for other in contributions.dropFirst() {
                precondition(other!.count == combined.count, "InProcessGroup: buffers of \(combined.count) and \(other!.count) elements")
                for i in combined.indices { combined[i] = combine(combined[i], other![i]) }
            }
            result = combined
            contributions = Array(repeating: nil, count: size)
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            let mine = generation
            while generation == mine { condition.wait() }
        }
        for i in buffer.indices { buffer[i] = result[i] }
    }

    /// Runs `body(rank)` for every rank on its own thread and returns the results in rank order.
    public func run<R: Sendable>(_ body: @escaping @Sendable (Int) -> R) -> [R] {
        let results = ResultSlots<R>(count: size)
        let group = DispatchGroup()
        for rank in 0..<size {
            group.enter()
            let thread = Thread {
                results.values[rank] = body(rank)
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return results.values.map { $0! }
    }
}

/// One slot per thread, each written by its own thread only.
final class ResultSlots<R>: @unchecked Sendable {
    var values: [R?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}

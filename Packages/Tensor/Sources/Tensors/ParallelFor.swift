import Dispatch
import Foundation

/// Runs `body` over `0..<count` split into at most `workers` contiguous ranges, concurrently.
///
/// The ranges are static and equal (±1), so the same input always gives the same split: every element is
/// computed by exactly one call and results do not depend on scheduling. With one worker (or a count too
/// small to split) it runs inline, with no dispatch.
@inlinable
public func parallelRanges(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
    let parts = Swift.max(1, Swift.min(workers, count))
    if parts == 1 {
        if count > 0 { body(0..<count) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        body((part * count / parts)..<((part + 1) * count / parts))
    }
}

/// How many threads the Tensor package's own parallel loops use: OpenBLAS's thread count (so that
/// `OPENBLAS_NUM_THREADS=1`, or ``BLASThreads/with(_:_:)`` around a small model, keeps everything on one
/// core), at most the number of cores.
@inlinable
public var tensorWorkerCount: Int {
    Swift.max(1, Swift.min(BLASThreads.count, ProcessInfo.processInfo.activeProcessorCount))
}

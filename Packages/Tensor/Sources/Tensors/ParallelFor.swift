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

/// Splits `0..<count` (a batch) into `parts` contiguous ranges and runs `body(part, range)` for each
/// concurrently, with OpenBLAS computing each call on the calling thread
/// (``BLASThreads/withCallsOnCallingThread(_:)``): for kernels that give each worker its own images and
/// call BLAS from every worker. One part runs inline.
@inlinable
public func forEachBatchPart(_ count: Int, parts: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
    if parts <= 1 {
        body(0, 0..<count)
        return
    }
    BLASThreads.withCallsOnCallingThread {
        parallelRanges(parts, workers: parts) { range in
            for part in range { body(part, (part * count / parts)..<((part + 1) * count / parts)) }
        }
    }
}

/// How many threads the Tensor package's own parallel kernels (the convolutions) use: every core, or the
/// thread count fixed through OpenBLAS's environment variables (``BLASThreads/environmentVariables``,
/// e.g. `OPENBLAS_NUM_THREADS=1` keeps everything on one core).
///
/// The kernels split their batch over these threads and call OpenBLAS single-threaded inside, so a
/// program whose heavy products are convolutions is best run with OpenBLAS itself on one thread
/// (``BLASThreads/with(_:_:)``): OpenBLAS's idle worker threads otherwise spin for a while after each
/// threaded call and take cores from the kernels' threads (measured at about a fifth of an MNIST step).
@inlinable
public var tensorWorkerCount: Int {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    return Swift.max(1, BLASThreads.isSetByEnvironment ? Swift.min(BLASThreads.count, cores) : cores)
}

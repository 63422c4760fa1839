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

/// Splits `0..<count` (a batch) into `parts` contiguous ranges and runs `body(part, range)` for each, the
/// parts dealt in consecutive runs over at most `workers` concurrent workers: for kernels that give each
/// worker its own images and call BLAS from every worker (with ``tensorWorkerCount`` workers, OpenBLAS is
/// then single-threaded). The ranges depend on `count` and `parts` only, never on `workers`, so a kernel
/// that sums per part (see ``batchReductionParts(_:)``) gives the same bits on any number of workers. One
/// worker runs the parts inline, in order.
@inlinable
public func forEachBatchPart(_ count: Int, parts: Int, workers: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
    let parts = Swift.max(1, parts)
    parallelRanges(parts, workers: workers) { range in
        for part in range { body(part, (part * count / parts)..<((part + 1) * count / parts)) }
    }
}

/// The parts a kernel that sums over a batch of `batch` images (a convolution's filter gradient) splits it
/// into, each summed on its own and the sums added in part order: eight (at most one per image), whatever
/// the number of workers, so that the floating-point sums, the gradient and every number trained from it
/// are the same on one thread, two or eight (a run resumed on another machine, or under another `--jobs`,
/// continues bit for bit). Eight parts keep up to eight workers busy; on fewer, each worker takes several.
@inlinable
public func batchReductionParts(_ batch: Int) -> Int { Swift.max(1, Swift.min(8, batch)) }

/// How many threads the Tensor package's own parallel kernels (the convolutions) split their batch over.
///
/// Every core while OpenBLAS runs single-threaded (``BLASThreads/set(_:)`` or ``BLASThreads/with(_:_:)``
/// with 1, as the reproductions do for every experiment): each thread then takes its own images and calls
/// OpenBLAS on them, with no synchronisation between the many small products of a convolution. One thread
/// while OpenBLAS has several (its default), which then share each product instead; that is about twice
/// as slow for the image models' convolutions, whose products are small, and OpenBLAS's idle threads spin
/// for a while after each call. A thread count fixed through the environment
/// (``BLASThreads/environmentVariables``) is the user's budget: the kernels split only when it is 1 (so
/// nothing runs on a second core). The thread-count setting is never changed here: it is process-wide state.
@inlinable
public var tensorWorkerCount: Int {
    BLASThreads.count == 1 && !BLASThreads.isSetByEnvironment ? ProcessInfo.processInfo.activeProcessorCount : 1
}

import COpenBLAS
import Foundation

/// OpenBLAS's worker-thread count, chosen per workload.
///
/// Threading pays off for large products (the image models' convolutions) and costs more than it saves
/// on small ones: the point-cloud, plane-vibration and Walker2D models run faster on one thread (a
/// Walker2D training step takes 2.0 s on one thread against 2.95 s on two, on the 2-core development
/// machine). A count the user fixed through the environment always wins.
public enum BLASThreads {
    /// The environment variables through which OpenBLAS takes a thread count, in its order of precedence.
    public static let environmentVariables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    /// The number of threads OpenBLAS uses now.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Whether the user fixed the count through one of ``environmentVariables``.
    public static var isSetByEnvironment: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environmentVariables.contains { environment[$0].map { !$0.isEmpty } ?? false }
    }

    /// Sets the count for the calls that follow.
    public static func set(_ threads: Int) {
        precondition(threads >= 1, "BLASThreads.set: \(threads) threads; need at least 1")
        openblas_set_num_threads(Int32(threads))
    }

    /// Runs `body` with `threads` OpenBLAS threads (`nil`: every core OpenBLAS found at start), then
    /// restores the previous count. Does nothing to the count when the environment fixed it.
    @discardableResult
    public static func with<Result>(_ threads: Int?, _ body: () throws -> Result) rethrows -> Result {
        guard !isSetByEnvironment else { return try body() }
        let previous = count
        set(threads ?? ProcessInfo.processInfo.activeProcessorCount)
        defer { set(previous) }
        return try body()
    }
}

import Tensors

/// Runs `body` on one OpenBLAS thread unless the environment fixes the count: the point-cloud, silverbox
/// and Walker2D models' products are too small for threads to pay (see ``BLASThreads``).
@discardableResult
public func withSmallModelBLASThreads<Result>(_ body: () throws -> Result) rethrows -> Result {
    try BLASThreads.with(1, body)
}

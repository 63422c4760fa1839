/// Consecutive index ranges of `batchSize` over `0..<count` in file order, the last one shorter when
/// `batchSize` does not divide `count` (the reference loaders' `shuffle=False` batches).
func fileOrderBatches(count: Int, batchSize: Int) -> [Range<Int>] {
    precondition(batchSize > 0, "fileOrderBatches: batch size \(batchSize) must be positive")
    return stride(from: 0, to: count, by: batchSize).map { $0..<min($0 + batchSize, count) }
}

import COpenBLAS

/// Process-wide settings of the C allocator for programs that churn through large tensors.
///
/// glibc's `malloc` serves blocks above its mmap threshold (128 kB, adapting up to 32 MB) with fresh
/// mappings and returns freed memory at the top of the heap to the kernel, so every large tensor of a
/// training step (an MNIST activation is 18 MB, a CIFAR-10 one 33 MB) arrives as new zeroed pages: one
/// page fault per 4 kB, measured at about 15 % of an MNIST training step. Training allocates the same
/// sizes again and again, so keeping freed memory in the process removes that cost.
public enum AllocatorTuning {
    /// Serves every allocation from the heap and never trims it, so freed tensors are reused instead of
    /// being unmapped and faulted in again. The process keeps its peak heap size until it exits. Call once
    /// at start-up (the reproduction executables and benchmarks do); a no-op where glibc is not the C
    /// library. Returns whether the settings were applied.
    @discardableResult
    public static func keepFreedMemory() -> Bool {
        #if os(Linux)
        let mmapOff = mallopt(M_MMAP_MAX, 0) == 1
        let noTrim = mallopt(M_TRIM_THRESHOLD, Int32.max) == 1
        return mmapOff && noTrim
        #else
        return false
        #endif
    }
}

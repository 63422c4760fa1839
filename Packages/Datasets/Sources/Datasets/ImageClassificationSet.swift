import Tensors

/// Images and integer class labels of one split.
///
/// Pixels stay as bytes (CIFAR-10's training set is 150 MB as bytes but 600 MB as Float); batches are
/// converted to Float in [0, 1] (torchvision's `ToTensor()`: byte / 255, no normalisation) only when they
/// are gathered, straight into a caller-owned tensor that is reused across batches.
public struct ImageClassificationSet: Sendable {
    /// All pixels as bytes, NCHW order (image-major, then channel, row, column).
    public var pixels: [UInt8]
    /// The shape of one image, `[C, H, W]`.
    public var imageShape: [Int]
    /// One class index per image, in `0..<classCount`.
    public var labels: [Int]
    /// Number of classes (10 for MNIST and CIFAR-10).
    public var classCount: Int

    /// Bundles pixels and labels; `pixels.count` must be `labels.count · C·H·W`.
    public init(pixels: [UInt8], imageShape: [Int], labels: [Int], classCount: Int) {
        precondition(imageShape.count == 3 && pixels.count == labels.count * imageShape.reduce(1, *),
                     "pixels (\(pixels.count)) must hold \(labels.count) images of shape \(imageShape)")
        self.pixels = pixels
        self.imageShape = imageShape
        self.labels = labels
        self.classCount = classCount
    }

    /// Number of examples.
    public var count: Int { labels.count }
    /// Elements per image, C·H·W.
    public var imageSize: Int { imageShape.reduce(1, *) }

    /// Every image as one `[N, C, H, W]` Float tensor in [0, 1] (only sensible for small sets or subsets).
    public func images() -> Tensor<Float> {
        var batch = Tensor<Float>(zeros: [count] + imageShape)
        var ignored: [Int] = []
        gather(0..<count, into: &batch, labels: &ignored)
        return batch
    }

    /// Copies the images at `indices` into `batch` (scaled to [0, 1]) and their labels into `labels`.
    ///
    /// `batch` is reused when it already has shape `[indices.count, C, H, W]` and is reallocated only
    /// otherwise (typically just for a short last batch), so an epoch allocates nothing per batch.
    @inlinable
    public func gather<Indices: Collection>(
        _ indices: Indices, into batch: inout Tensor<Float>, labels batchLabels: inout [Int]
    ) where Indices.Element == Int {
        let shape = [indices.count] + imageShape
        if batch.shape != shape { batch = Tensor<Float>(zeros: shape) }
        let size = imageSize
        batchLabels.removeAll(keepingCapacity: true)
        pixels.withUnsafeBufferPointer { source in
            batch.withUnsafeMutableBufferPointer { out in
                var row = 0
                for index in indices {
                    precondition(index >= 0 && index < labels.count, "index \(index) outside 0..<\(labels.count)")
                    let from = index * size, to = row * size
                    for k in 0..<size { out[to + k] = Float(source[from + k]) / 255 }
                    row += 1
                }
            }
        }
        for index in indices { batchLabels.append(labels[index]) }
    }
}

import Foundation
import Testing
import TensorTestSupport
@testable import Datasets
import Tensors

/// The code of the "Getting started" article (`Sources/Datasets/Datasets.docc/GettingStarted.md`), line
/// for line, so that the article cannot show code that does not compile. This test mirrors the article:
/// change both together.
///
/// The article's code looks for the real MNIST files and prints a message when they are absent; the
/// test then also runs the article's function on a small MNIST-shaped folder it writes itself, so the
/// loading and batching are exercised with or without the data.
@Suite struct GettingStartedTests {
    @Test func articleExample() throws {
        /// Walks one shuffled epoch of MNIST's test split in batches of 64: the number of batches and of
        /// images seen, and the mean pixel value.
        func walkOneEpoch(mnistFolder: String) throws -> (batches: Int, images: Int, meanPixel: Double) {
            let test = try MNIST.load(directory: mnistFolder, split: .test)   // gzipped or raw IDX files
            let sampler = BatchSampler(count: test.count, batchSize: 64, shuffle: true, seed: 0)
            var images = Tensor<Float>(zeros: [64] + test.imageShape)          // reused by every batch
            var labels: [Int] = []
            var batches = 0, seen = 0, pixelSum = 0.0
            for batch in sampler.batches(epoch: 0) {
                test.gather(batch, into: &images, labels: &labels)              // byte / 255, [B, 1, 28, 28]
                batches += 1
                seen += labels.count
                pixelSum += Double(images.sum())
            }
            return (batches, seen, pixelSum / Double(seen * test.imageSize))
        }

        // $HBNODE_DATA_DIR first, then the repository's Datasets/ folder (filled by `make data`).
        let root = DataDirectory.repositoryRoot(containing: FileManager.default.currentDirectoryPath + "/Package.swift")
        if let root, let data = DataDirectory.locate(repositoryRoot: root, containing: "mnist/t10k-labels-idx1-ubyte.gz") {
            let epoch = try walkOneEpoch(mnistFolder: "\(data)/mnist")
            print("\(epoch.images) images in \(epoch.batches) batches, mean pixel \(epoch.meanPixel)")
        } else {
            print("MNIST not found: run `make data` or set \(DataDirectory.environmentVariable)")
        }

        // The real test split, when present (the helper searches from this file, not the working directory).
        if let folder = TestData.mnist {
            let epoch = try walkOneEpoch(mnistFolder: folder)
            #expect(epoch.images == 10_000)
            #expect(epoch.batches == 157)
            #expect(epoch.meanPixel > 0.1 && epoch.meanPixel < 0.2)   // MNIST's mean is about 0.13
        }

        // Always: 100 images of 28×28, every pixel 51 (0.2 after scaling), in a folder removed afterwards.
        let folder = try TemporaryDirectory()
        try folder.write("t10k-images-idx3-ubyte.gz",
                         Gzip.compress(Fixtures.idx(shape: [100, 28, 28], bytes: [UInt8](repeating: 51, count: 100 * 784))))
        try folder.write("t10k-labels-idx1-ubyte", Fixtures.idx(shape: [100], bytes: (0..<100).map { UInt8($0 % 10) }))
        let epoch = try walkOneEpoch(mnistFolder: folder.path)
        #expect(epoch.batches == 2)   // 64 + 36
        #expect(epoch.images == 100)
        #expect(abs(epoch.meanPixel - 0.2) < 1e-5)   // Float sums of 784 pixels per image
    }

    /// Every line of the Swift code of the article and of the package README appears in this package's
    /// tests, so neither can show code that does not compile.
    @Test func articleCodeIsThisTestsCode() throws {
        try expectDocumentedCodeIsTested(["Sources/Datasets/Datasets.docc/GettingStarted.md", "README.md"])
    }
}

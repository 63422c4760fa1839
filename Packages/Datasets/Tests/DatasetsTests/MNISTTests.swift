import Foundation
import Testing
@testable import Datasets

@Suite struct MNISTTests {
    @Test func parsesRawAndGzippedIDXIdentically() throws {
        let dir = try TemporaryDirectory()
        let file = Fixtures.idx(shape: [2, 2, 3], bytes: Array(0..<12))
        let raw = try dir.write("raw-idx3-ubyte", file)
        let gz = try dir.write("gz-idx3-ubyte.gz", Gzip.compress(file))
        let a = try IDXFile(contentsOf: raw), b = try IDXFile(contentsOf: gz)
        #expect(a == b)
        #expect(a.shape == [2, 2, 3])
        #expect(a.bytes == Array(0..<12))
    }

    @Test func loadsImagesAsScaledNCHWWithLabels() throws {
        let dir = try TemporaryDirectory()
        try dir.write("t10k-images-idx3-ubyte.gz", Gzip.compress(Fixtures.idx(shape: [2, 2, 2], bytes: [0, 51, 102, 255, 1, 2, 3, 4])))
        try dir.write("t10k-labels-idx1-ubyte", Fixtures.idx(shape: [2], bytes: [7, 3]))
        let set = try MNIST.load(directory: dir.path, split: .test)
        #expect(set.labels == [7, 3])
        let images = set.images()
        #expect(images.shape == [2, 1, 2, 2])
        #expect(images.scalars[0...3] == [0, 0.2, 0.4, 1])
    }

    @Test func reportsEachKindOfCorruption() throws {
        let dir = try TemporaryDirectory()
        let good = Fixtures.idx(shape: [3], bytes: [1, 2, 3])
        let truncated = try dir.write("truncated", Array(good.dropLast()))
        #expect(datasetError { try IDXFile(contentsOf: truncated) }
            == .truncated(file: truncated, offset: 8, needed: 3, available: 2))
        let oversized = try dir.write("oversized", good + [9, 9])
        #expect(datasetError { try IDXFile(contentsOf: oversized) } == .oversized(file: oversized, offset: 11, extra: 2))
        let magic = try dir.write("magic", [1] + good.dropFirst())
        #expect(datasetError { try IDXFile(contentsOf: magic) }
            == .badMagic(file: magic, offset: 0, found: "01 00 08 01", expected: "00 00 08 <rank>"))
        var wrongType = good
        wrongType[2] = 0x0D
        let typed = try dir.write("typed", wrongType)
        guard case .malformedHeader(typed, 2, _)? = datasetError({ try IDXFile(contentsOf: typed) }) else {
            Issue.record("float IDX must be rejected with the type offset")
            return
        }
        let shortHeader = try dir.write("short", [0, 0, 8, 3, 0, 0])
        #expect(datasetError { try IDXFile(contentsOf: shortHeader) }
            == .truncated(file: shortHeader, offset: 4, needed: 4, available: 2))
    }

    @Test func reportsMismatchedCountsAndBadLabels() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("i", Fixtures.idx(shape: [2, 1, 1], bytes: [0, 0]))
        let labels = try dir.write("l", Fixtures.idx(shape: [3], bytes: [0, 1, 2]))
        guard case .inconsistentCount(labels, 4, _)? = datasetError({ try MNIST.load(imagesFile: images, labelsFile: labels) }) else {
            Issue.record("3 labels for 2 images must be an inconsistent count")
            return
        }
        let badLabels = try dir.write("b", Fixtures.idx(shape: [2], bytes: [0, 12]))
        guard case .valueOutOfRange(badLabels, 9, _)? = datasetError({ try MNIST.load(imagesFile: images, labelsFile: badLabels) }) else {
            Issue.record("label 12 must be out of range at byte 9")
            return
        }
    }

    @Test func truncatedGzipIsAnErrorNotShortData() throws {
        let dir = try TemporaryDirectory()
        let compressed = Gzip.compress(Fixtures.idx(shape: [1000], bytes: (0..<1000).map { UInt8($0 % 7) }))
        let path = try dir.write("cut.gz", Array(compressed.prefix(compressed.count - 12)))
        guard case .decompression(path, _, _)? = datasetError({ try IDXFile(contentsOf: path) }) else {
            Issue.record("a truncated gzip stream must raise a decompression error")
            return
        }
        let garbage = try dir.write("garbage.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff])
        guard case .decompression(garbage, _, _)? = datasetError({ try IDXFile(contentsOf: garbage) }) else {
            Issue.record("invalid deflate data must raise a decompression error")
            return
        }
    }

    @Test(.enabled(if: TestData.mnist != nil, "MNIST not found (set HBNODE_DATA_DIR or run make data)"))
    func realTestSetHasKnownShapeAndLabelCounts() throws {
        let set = try MNIST.load(directory: TestData.mnist!, split: .test)
        #expect(set.count == 10_000)
        #expect(set.imageShape == [1, 28, 28])
        // The well-known t10k label histogram.
        var histogram = [Int](repeating: 0, count: 10)
        for label in set.labels { histogram[label] += 1 }
        #expect(histogram == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(Array(set.labels.prefix(5)) == [7, 2, 1, 0, 4])
        var batch = Tensors.Tensor<Float>(zeros: [1])
        var labels: [Int] = []
        set.gather([0, 9999], into: &batch, labels: &labels)
        #expect(batch.shape == [2, 1, 28, 28])
        #expect(batch.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(batch.scalars.contains(1))
    }
}

import Tensors

import Foundation
import Testing
import Tensors
@testable import Datasets

@Suite struct CIFAR10Tests {
    @Test func parsesRecordsIntoCHWPixelsAndLabels() throws {
        let batch = try CIFAR10.parseBatch(Fixtures.cifarBatch(labels: [3, 9]), file: "b")
        #expect(batch.labels == [3, 9])
        #expect(batch.pixels.count == 2 * 3072)
        #expect(batch.pixels[0] == 0 && batch.pixels[1024] == 1 && batch.pixels[2048] == 2)
        #expect(batch.pixels[3072] == 1 && batch.pixels[3072 + 2048] == 3)
    }

    @Test func readsTheSameDataFromFolderTarAndTarGz() throws {
        let dir = try TemporaryDirectory()
        let test = Fixtures.cifarBatch(labels: [1, 2, 3])
        let members = [("cifar-10-batches-bin/batches.meta.txt", Array("airplane\n".utf8)),
                       ("cifar-10-batches-bin/test_batch.bin", test)]
        let tar = Fixtures.tar(members.map { (name: $0.0, data: $0.1) })
        try dir.write("folder/cifar-10-batches-bin/test_batch.bin", test)
        try dir.write("gz/cifar-10-binary.tar.gz", Gzip.compress(tar))
        let plain = try dir.write("plain.tar", tar)
        let fromFolder = try CIFAR10.load(directory: "\(dir.path)/folder", split: .test)
        let fromGz = try CIFAR10.load(directory: "\(dir.path)/gz", split: .test)
        let fromTar = try CIFAR10.load(archive: plain, split: .test)
        #expect(fromFolder.labels == [1, 2, 3])
        #expect(fromFolder.pixels == fromGz.pixels && fromGz.pixels == fromTar.pixels)
        #expect(fromFolder.labels == fromGz.labels && fromGz.labels == fromTar.labels)
        guard case .missingMember(_, "cifar-10-batches-bin/data_batch_1.bin")? = datasetError({
            try CIFAR10.load(archive: plain, split: .train)
        }) else {
            Issue.record("a train split from an archive without data batches must name the missing member")
            return
        }
    }

    @Test func reportsTruncationBadLabelsAndCorruptTarHeaders() throws {
        var data = Fixtures.cifarBatch(labels: [0, 1])
        #expect(datasetError { try CIFAR10.parseBatch(Array(data.dropLast(5)), file: "f") }
            == .truncated(file: "f", offset: 3073, needed: 3073, available: 3068))
        data[3073] = 10
        guard case .valueOutOfRange("f", 3073, _)? = datasetError({ try CIFAR10.parseBatch(data, file: "f") }) else {
            Issue.record("label 10 must be out of range at record offset 3073")
            return
        }
        let dir = try TemporaryDirectory()
        var tar = Fixtures.tar([(name: "cifar-10-batches-bin/test_batch.bin", data: Fixtures.cifarBatch(labels: [0]))])
        tar[10] ^= 0x55
        guard case .malformedHeader(_, 148, _)? = datasetError({
            try CIFAR10.load(archive: try dir.write("x.tar", tar), split: .test)
        }) else {
            Issue.record("a flipped byte in a tar header must fail its checksum")
            return
        }
        let cut = Fixtures.tar([(name: "cifar-10-batches-bin/test_batch.bin", data: Fixtures.cifarBatch(labels: [0]))])
        let truncatedTar = Array(cut.prefix(512 + 1000))
        guard case .truncated(_, 512, 3073, 1000)? = datasetError({
            try CIFAR10.load(archive: try dir.write("t.tar", truncatedTar), split: .test)
        }) else {
            Issue.record("a member cut short must be reported as truncated at its data offset")
            return
        }
    }

    @Test(.enabled(if: TestData.cifar != nil, "CIFAR-10 not found (set HBNODE_DATA_DIR or run make data)"))
    func realTestBatchHasOneThousandImagesPerClass() throws {
        let set = try CIFAR10.load(directory: TestData.cifar!, split: .test)
        #expect(set.count == 10_000)
        #expect(set.imageShape == [3, 32, 32])
        var histogram = [Int](repeating: 0, count: 10)
        for label in set.labels { histogram[label] += 1 }
        #expect(histogram == [Int](repeating: 1000, count: 10))
        // torchvision's CIFAR10(train=False) starts with cat, ship, ship, airplane, frog.
        #expect(Array(set.labels.prefix(5)) == [3, 8, 8, 0, 6])
    }
}

import Testing
import Tensors
@testable import Datasets

@Suite struct BatchingTests {
    @Test func epochsAreSeededPermutationsCoveringEveryIndexOnce() {
        let sampler = BatchSampler(count: 10, batchSize: 4, shuffle: true, seed: 9)
        #expect(sampler.batchesPerEpoch == 3)
        let epoch0 = sampler.batches(epoch: 0)
        #expect(epoch0.map(\.count) == [4, 4, 2])
        #expect(epoch0.flatMap { Array($0) }.sorted() == Array(0..<10))
        #expect(sampler.order(epoch: 0) == BatchSampler(count: 10, batchSize: 4, shuffle: true, seed: 9).order(epoch: 0))
        #expect(sampler.order(epoch: 0) != sampler.order(epoch: 1))
        #expect(sampler.order(epoch: 0) != Array(0..<10))
        let ordered = BatchSampler(count: 10, batchSize: 4, shuffle: false, dropLast: true)
        #expect(ordered.batches(epoch: 3).map { Array($0) } == [[0, 1, 2, 3], [4, 5, 6, 7]])
    }

    @Test func gatherRowsReusesTheBufferAndCopiesTheRightRows() {
        let source = Tensor<Float>(shape: [4, 2, 3], scalars: (0..<24).map(Float.init))
        var batch = Tensor<Float>(zeros: [2, 2, 3])
        RowGather.gatherRows([3, 1], from: source, into: &batch)
        #expect(batch.shape == [2, 2, 3])
        #expect(Array(batch.scalars.prefix(6)) == (18..<24).map(Float.init))
        #expect(Array(batch.scalars.suffix(6)) == (6..<12).map(Float.init))
        RowGather.gatherRows([0], from: source, into: &batch)
        #expect(batch.shape == [1, 2, 3] && batch.scalars == (0..<6).map(Float.init))
        #expect(RowGather.rows([2, 2], of: source).shape == [2, 2, 3])
    }

    @Test func imageGatherScalesBytesLikeToTensor() {
        let set = ImageClassificationSet(pixels: [0, 255, 51, 102, 1, 2, 3, 4], imageShape: [1, 2, 2], labels: [5, 6], classCount: 10)
        var batch = Tensor<Float>(zeros: [1])
        var labels: [Int] = []
        set.gather([1, 0], into: &batch, labels: &labels)
        #expect(labels == [6, 5])
        #expect(batch.shape == [2, 1, 2, 2])
        #expect(batch.scalars == [1, 2, 3, 4, 0, 255, 51, 102].map { Float($0) / 255 })
    }
}

@testable import Experiments
import Tensors
import Testing

/// The batching shared by the plane-vibration and Walker2D experiments.
@Suite struct SequenceSplitBatchesTests {
    /// A split of `count` sequences whose batches are just their index lists.
    struct IndexSplit: SequenceSplit {
        var name: String
        var count: Int
    }

    func batches(train: Int, valid: Int, test: Int, trainLimit: Int? = nil, evaluationLimit: Int? = nil, batchSize: Int)
        -> SequenceSplitBatches<String>
    {
        SequenceSplitBatches(
            train: IndexSplit(name: "train", count: train), valid: IndexSplit(name: "valid", count: valid),
            test: IndexSplit(name: "test", count: test), trainLimit: trainLimit, evaluationLimit: evaluationLimit,
            batchSize: batchSize
        ) { split, indices in "\(split.name)[\(indices.first ?? -1)…\(indices.last ?? -1)]" }
    }

    @Test func wholeSplitsKeepTheirOwnSizes() {
        // Walker2D: the test split is larger than the validation split; neither may be cut to the other.
        let b = batches(train: 10, valid: 3, test: 5, batchSize: 4)
        #expect(b.train == ["train[0…3]", "train[4…7]", "train[8…9]"])
        #expect(b.valid == "valid[0…2]")
        #expect(b.test == "test[0…4]")
        #expect((b.trainCount, b.validCount, b.testCount) == (10, 3, 5))
    }

    @Test func limitsTakeTheFirstSequencesOfEachSplit() {
        let b = batches(train: 10, valid: 3, test: 5, trainLimit: 6, evaluationLimit: 4, batchSize: 4)
        #expect(b.train == ["train[0…3]", "train[4…5]"])
        #expect(b.valid == "valid[0…2]")
        #expect(b.test == "test[0…3]")
        #expect((b.trainCount, b.validCount, b.testCount) == (6, 3, 4))
    }

    @Test func evaluationFillsOnlyTheRequestedFields() {
        let b = batches(train: 4, valid: 3, test: 5, batchSize: 4)
        func measure(_ batch: String) -> (mse: Double, nfe: Int) { (batch.hasPrefix("valid") ? 1 : 2, batch.count) }
        var record = EpochRecord(epoch: 0, trainLoss: 0, forwardNFE: 0, backwardNFE: 0, epochSeconds: 0)
        b.evaluate(into: &record, validation: true, test: false, measure)
        #expect(record.validLoss == 1 && record.testLoss == nil && record.testNFE == nil)
        b.evaluate(into: &record, validation: false, test: true, measure)
        #expect(record.testLoss == 2 && record.testNFE == Double("test[0…4]".count))
    }

    @Test func meanSquaredDifferenceAccumulatesInDouble() {
        let a = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor<Float>(shape: [2, 2], scalars: [1, 0, 3, 0])
        #expect(meanSquaredDifference(a, b) == 5)
    }
}

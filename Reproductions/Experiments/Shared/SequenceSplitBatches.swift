import Datasets
import Metrics
import NeuralODEModels
import Tensors

/// A split of sequences that a sequence experiment batches (plane-vibration sequences, Walker2D windows).
protocol SequenceSplit {
    /// Number of sequences.
    var count: Int { get }
}

extension PlaneVibration.Sequences: SequenceSplit {}
extension Walker2D.Windows: SequenceSplit {}

/// The batches of a sequence experiment (plane vibration, Walker2D): the training sequences in file order,
/// and the validation and test sequences as one batch each (the reference evaluates a whole split at once).
struct SequenceSplitBatches<Batch> {
    /// Training batches in file order.
    var train: [Batch]
    /// The validation batch.
    var valid: Batch
    /// The test batch.
    var test: Batch
    /// Training sequences used.
    var trainCount: Int
    /// Validation sequences used.
    var validCount: Int
    /// Test sequences used.
    var testCount: Int

    /// Gathers the batches of three splits, keeping at most `trainLimit` training and `evaluationLimit`
    /// validation/test sequences (`nil` = all); `gather` builds a batch from a split and sequence indices.
    init<Split: SequenceSplit>(
        train: Split, valid: Split, test: Split, trainLimit: Int?, evaluationLimit: Int?, batchSize: Int,
        gather: (Split, [Int]) -> Batch
    ) {
        trainCount = min(trainLimit ?? train.count, train.count)
        validCount = min(evaluationLimit ?? valid.count, valid.count)
        testCount = min(evaluationLimit ?? test.count, test.count)
        self.train = fileOrderBatches(count: trainCount, batchSize: batchSize).map { gather(train, Array($0)) }
        self.valid = gather(valid, Array(0..<validCount))
        self.test = gather(test, Array(0..<testCount))
    }
}

extension SequenceSplitBatches {
    /// Fills `record`'s validation loss and/or test loss and NFE with `evaluate` (MSE and forward NFE of one
    /// batch) on the validation and test batches; each experiment decides when.
    func evaluate(
        into record: inout EpochRecord, validation: Bool, test: Bool, _ evaluate: (Batch) throws -> (mse: Double, nfe: Int)
    ) rethrows {
        if validation { record.validLoss = try evaluate(valid).mse }
        if test {
            let result = try evaluate(self.test)
            record.testLoss = result.mse
            record.testNFE = Double(result.nfe)
        }
    }
}

/// Mean squared difference of two equally long tensors, accumulated in Double (Metrics' evaluation on the
/// tensors' elements, whatever their layouts).
func meanSquaredDifference(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Double {
    precondition(a.count == b.count, "meanSquaredDifference: \(a.shape) vs \(b.shape)")
    return Evaluation.meanSquaredError(a.scalars.map(Double.init), b.scalars.map(Double.init))
}

extension ODERNNModel where Scalar == Float {
    /// Runs the model forward on constants (no training) and returns what `read` takes from the trajectory,
    /// with the forward NFE of the pass.
    func evaluateForward(
        _ sequences: SequenceBatch<Float>, solver: SolverConfiguration, read: (ODERNNTrajectory<Float>, [Variable<Float>]) -> Variable<Float>
    ) throws -> (output: Tensor<Float>, nfe: Int) {
        let p = parameters.values.map { Variable(constant: $0) }
        let log = SolveLog()
        let trajectory = try self.trajectory(sequences, p, solver: solver, log: log)
        return (read(trajectory, p).value, log.forwardEvaluations)
    }
}

import NeuralODEModels
import ReproductionKit

extension EpochCheckpoint {
    /// The checkpoint format: raise it when the stored state changes meaning, so older checkpoints are
    /// refused by name instead of being misread.
    public static let formatVersion = 2

    /// The format and model layout a checkpoint of `model` records: format version, model name and every
    /// parameter's shape in store order.
    public static func layout<Model: EpochTrainableModel>(of model: Model) -> String {
        "epoch-checkpoint \(formatVersion); \(model.name); "
            + model.parameters.values.map { "\($0.shape)" }.joined(separator: " ")
    }

    /// Checks that the checkpoint can continue training `model` for this run, before any of it is used: a
    /// damaged or foreign checkpoint (hand-edited, from another build, cut by a full disk) is an error
    /// naming the file, never a crash in a tensor initialiser or a range.
    ///
    /// - Throws: ``ReproductionError/badCheckpoint(path:reason:)`` naming the first inconsistency.
    public func validate<Model: EpochTrainableModel>(
        for model: Model, family: String, seed: UInt64, epochs: Int, batchesPerEpoch: Int, path: String
    ) throws(ReproductionError) {
        func fail(_ reason: String) -> ReproductionError { .badCheckpoint(path: path, reason: reason) }
        guard self.family == family, self.seed == seed else {
            throw fail("it is for \(self.family) seed \(self.seed), this run trains \(family) seed \(seed)")
        }
        let shapes = model.parameters.values.map(\.shape)
        guard parameters.count == shapes.count else {
            throw fail("\(parameters.count) parameter arrays, the model has \(shapes.count)")
        }
        for (k, shape) in shapes.enumerated() where parameters[k].count != shape.reduce(1, *) {
            throw fail("parameter \(k) has \(parameters[k].count) values, the model's shape \(shape) needs \(shape.reduce(1, *))")
        }
        for (name, moments) in [("first", optimizer.firstMoments), ("second", optimizer.secondMoments)]
        where !moments.isEmpty && moments.map(\.shape) != shapes {
            throw fail("the optimiser's \(name) moments have shapes \(moments.map(\.shape)), the model's parameters \(shapes)")
        }
        guard history.count <= epochs, completedEpochs == history.count else {
            throw fail("\(history.count) epochs of history and \(completedEpochs) completed epochs for a run of \(epochs) epochs")
        }
        if let bad = history.indices.first(where: { history[$0].epoch != $0 }) {
            throw fail("history entry \(bad) is for epoch \(history[bad].epoch)")
        }
        guard iteration >= 0, optimizer.step >= 0 else { throw fail("negative iteration \(iteration) or optimiser step \(optimizer.step)") }
        if let partialEpoch {
            guard completedEpochs < epochs, partialEpoch.batchesDone > 0, partialEpoch.batchesDone < batchesPerEpoch else {
                throw fail("an epoch in progress with \(partialEpoch.batchesDone) of \(batchesPerEpoch) batches after \(completedEpochs) of \(epochs) epochs")
            }
        }
    }
}

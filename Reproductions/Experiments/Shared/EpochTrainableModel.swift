import NeuralODEModels
import Tensors

/// A model the shared epoch loop can train, checkpoint and resume: every parameter lives in one store,
/// so the loop needs nothing else from the model (the loss closure knows its structure).
public protocol EpochTrainableModel {
    /// Name used in non-finite-loss errors.
    var name: String { get }
    /// All parameters, in the order checkpoints store them.
    var parameters: ParameterStore<Float> { get set }
    /// Scalar parameter count (reported per family).
    var parameterCount: Int { get }
}

extension ODERNNModel: EpochTrainableModel where Scalar == Float {}
extension ContinuousDepthModel: EpochTrainableModel where Scalar == Float {}

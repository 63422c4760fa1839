import Tensors

/// Training losses with PyTorch's reductions.
public enum Losses {
    /// Mean squared error over all elements (PyTorch `MSELoss()`).
    @inlinable
    public static func meanSquaredError<Scalar>(_ prediction: Variable<Scalar>, _ target: Tensor<Scalar>) -> Variable<Scalar> {
        precondition(
            prediction.value.count == target.count,
            "meanSquaredError: prediction \(prediction.shape) vs target \(target.shape)")
        // The reference compares equal-count tensors whatever their layout (e.g. [B, 1] vs [B]).
        return mseLoss(prediction, target.shape == prediction.shape ? target : target.reshaped(prediction.shape))
    }

    /// Softmax cross-entropy averaged over the batch (PyTorch `CrossEntropyLoss()`).
    @inlinable
    public static func crossEntropy<Scalar>(_ logits: Variable<Scalar>, labels: [Int]) -> Variable<Scalar> {
        softmaxCrossEntropy(logits: logits, labels: labels)
    }
}

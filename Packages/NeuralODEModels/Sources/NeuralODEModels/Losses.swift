import Tensors

/// The training losses of the experiments.
public enum Losses {
    /// Mean squared error over all elements (PyTorch `MSELoss()`).
    public static func meanSquaredError<Scalar>(_ prediction: Variable<Scalar>, _ target: Tensor<Scalar>) -> Variable<Scalar> {
        ModelOps.meanSquaredError(prediction, target)
    }

    /// Softmax cross-entropy averaged over the batch (PyTorch `CrossEntropyLoss()`).
    public static func crossEntropy<Scalar>(_ logits: Variable<Scalar>, labels: [Int]) -> Variable<Scalar> {
        ModelOps.softmaxCrossEntropy(logits, labels: labels)
    }

    /// The plane-vibration loss (spec §3.4): `0.1·[MSE(predict, y) + MSE(init, x)] + MSE(forecast, z)`.
    public static func planeVibration<Scalar>(
        predict: Variable<Scalar>, y: Tensor<Scalar>, initial: Variable<Scalar>, x: Tensor<Scalar>,
        forecast: Variable<Scalar>, z: Tensor<Scalar>
    ) -> Variable<Scalar> {
        let regulariser = ModelOps.add(meanSquaredError(predict, y), meanSquaredError(initial, x))
        return ModelOps.add(meanSquaredError(forecast, z), regulariser, scaledBy: 0.1)
    }
}

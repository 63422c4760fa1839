import NeuralODEModels
import Tensors

/// The plane-vibration training loss: `0.1·[MSE(predict, y) + MSE(init, x)] + MSE(forecast, z)`,
/// where `init` reconstructs the inputs from the ODE-RNN states, `predict` the next observations and
/// `forecast` the steps after the window.
@inlinable
public func planeVibrationLoss<Scalar>(
    predict: Variable<Scalar>, y: Tensor<Scalar>, initial: Variable<Scalar>, x: Tensor<Scalar>,
    forecast: Variable<Scalar>, z: Tensor<Scalar>
) -> Variable<Scalar> {
    let regulariser = Losses.meanSquaredError(predict, y) + Losses.meanSquaredError(initial, x)
    return Losses.meanSquaredError(forecast, z) + Scalar(0.1) * regulariser
}

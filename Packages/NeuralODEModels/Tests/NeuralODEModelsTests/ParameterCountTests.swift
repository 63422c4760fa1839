import Testing
import Tensors
@testable import NeuralODEModels

@Suite struct ParameterCountTests {
    @Test(arguments: ModelFamily.allCases)
    func pointCloud(_ family: ModelFamily) {
        let model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: 1)
        #expect(model.parameterCount == Experiment.pointCloud.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func mnist(_ family: ModelFamily) {
        let model: ContinuousDepthModel<Float> = ExperimentModels.image(.mnist, family, seed: 1)
        #expect(model.parameterCount == Experiment.mnist.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func cifar(_ family: ModelFamily) {
        let model: ContinuousDepthModel<Float> = ExperimentModels.image(.cifar10, family, seed: 1)
        #expect(model.parameterCount == Experiment.cifar10.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func planeVibration(_ family: ModelFamily) {
        let model: ODERNNModel<Float> = ExperimentModels.planeVibration(family, seed: 1)
        #expect(model.parameterCount == Experiment.planeVibration.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func walker(_ family: ModelFamily) {
        let model: ODERNNModel<Float> = ExperimentModels.walker2D(family, seed: 1)
        #expect(model.parameterCount == Experiment.walker2D.referenceParameterCount(family))
    }

    @Test func initialisationIsSeededAndWithinPyTorchBounds() {
        let a: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(.hbnode, seed: 7)
        let b: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(.hbnode, seed: 7)
        let c: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(.hbnode, seed: 8)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != c.parameters)
        // field.net.0 is Linear(2, 14): bound 1/√2.
        let w = a.parameters.value(named: "field.net.0.weight")!
        #expect(w.shape == [14, 2])
        #expect(w.scalars.allSatisfy { abs($0) <= 1 / Float(2).squareRoot() })
        #expect(a.parameters.value(named: "field.omega")!.scalars == [-3])
    }

    @Test func planeVibrationPreShrinkScalesOmega() {
        let model: ODERNNModel<Double> = ExperimentModels.planeVibration(.hbnode, seed: 3)
        #expect(abs(model.parameters.value(named: "field.omega")!.scalars[0] - (-0.03)) < 1e-12)
    }
}

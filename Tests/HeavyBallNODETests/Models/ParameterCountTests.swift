import Testing
import Tensors
@testable import NeuralODEModels
import Experiments

@Suite struct ParameterCountTests {
    @Test(arguments: ModelFamily.allCases)
    func pointCloud(_ family: ModelFamily) {
        let model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: 1)
        #expect(model.parameterCount == PaperExperiment.pointCloud.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func mnist(_ family: ModelFamily) {
        let model: ContinuousDepthModel<Float> = ExperimentModels.image(.mnist, family, seed: 1)
        #expect(model.parameterCount == PaperExperiment.mnist.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func cifar(_ family: ModelFamily) {
        let model: ContinuousDepthModel<Float> = ExperimentModels.image(.cifar10, family, seed: 1)
        #expect(model.parameterCount == PaperExperiment.cifar10.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func planeVibration(_ family: ModelFamily) {
        let model: ODERNNModel<Float> = ExperimentModels.planeVibration(family, seed: 1)
        #expect(model.parameterCount == PaperExperiment.planeVibration.referenceParameterCount(family))
    }

    @Test(arguments: ModelFamily.allCases)
    func walker(_ family: ModelFamily) {
        let model: ODERNNModel<Float> = ExperimentModels.walker2D(family, seed: 1)
        #expect(model.parameterCount == PaperExperiment.walker2D.referenceParameterCount(family))
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

@Suite struct SilverboxTests {
    static let forcing = SampledSignal(values: [0.5, -1, 2, 4], reading: .referenceExtrapolation)

    @Test(arguments: ModelFamily.allCases)
    func parameterCountsAndTrajectory(_ family: ModelFamily) throws {
        let model: ContinuousDepthModel<Double> = ExperimentModels.silverbox(family, seed: 1, forcing: Self.forcing)
        #expect(model.parameterCount == PaperExperiment.silverbox.referenceParameterCount(family))
        let p = model.parameters.values.map { Variable(constant: $0) }
        let states = try model.trajectory(Variable(constant: Tensor<Double>(shape: [1, 1], scalars: [0.3])), p,
                                          times: (0..<5).map(Double.init), solver: SolverConfiguration(tolerance: 1e-7), log: SolveLog())
        #expect(states.count == 5)
        #expect(states[0].shape == (family.isSecondOrder ? [1, 2, 1] : family == .anode ? [1, 2] : [1, 1]))
    }
}

@Suite struct ReferenceVersionTests {
    @Test(arguments: ModelFamily.allCases)
    func finalCodeKeepsTheCounts(_ family: ModelFamily) {
        let mnist: ContinuousDepthModel<Float> = ExperimentModels.image(.mnist, family, seed: 1, version: .finalCode)
        let pv: ODERNNModel<Float> = ExperimentModels.planeVibration(family, seed: 1, version: .finalCode)
        let walker: ODERNNModel<Float> = ExperimentModels.walker2D(family, seed: 1, version: .finalCode)
        #expect(mnist.parameterCount == PaperExperiment.mnist.referenceParameterCount(family))
        #expect(pv.parameterCount == PaperExperiment.planeVibration.referenceParameterCount(family))
        #expect(walker.parameterCount == PaperExperiment.walker2D.referenceParameterCount(family))
    }

    @Test func xiValuesPerVersion() {
        func xi(_ field: ContinuousDepthField, _ store: ParameterStore<Double>) -> Double {
            guard case .heavyBall(let settings) = field.dynamics else { return .nan }
            return settings.restoring(store.values.map { Variable(constant: $0) })!.value.scalars[0]
        }
        let walkerHB: ODERNNModel<Double> = ExperimentModels.walker2D(.hbnode, seed: 1, version: .finalCode)
        #expect(abs(xi(walkerHB.field, walkerHB.parameters) - Double.log(2)) < 1e-12)
        let walkerHBAsRun: ODERNNModel<Double> = ExperimentModels.walker2D(.hbnode, seed: 1)
        #expect(xi(walkerHBAsRun.field, walkerHBAsRun.parameters) == 1)
        let mnistGHB: ContinuousDepthModel<Double> = ExperimentModels.image(.mnist, .ghbnode, seed: 1, version: .finalCode)
        #expect(abs(xi(mnistGHB.field, mnistGHB.parameters) - Double.log(1 + Double.exp(2.0))) < 1e-12)
        let mnistHB: ContinuousDepthModel<Double> = ExperimentModels.image(.mnist, .hbnode, seed: 1, version: .finalCode)
        #expect(xi(mnistHB.field, mnistHB.parameters) < 1e-40)
    }
}

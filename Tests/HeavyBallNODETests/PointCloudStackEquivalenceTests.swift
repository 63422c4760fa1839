import Datasets
import Experiments
import Foundation
import NeuralODEModels
import Tensors
import Testing

/// Pins the private point-cloud stack of the reproductions (``PointCloudModel`` + ``AdamOptimizer``) to the
/// package stack (`ExperimentModels.pointCloud` + `ODEBlock` + `trainingStep` + `Adam`) before the
/// experiments switch over: with the same weights copied across, both give the same loss, NFE and
/// gradients over several Adam iterations.
///
/// Conventions that differ (and how the copy maps them): the private model keeps the code's form
/// (`h' = −v`, `v' = f(h) − γv + r·h`), the package the paper's (`h' = m`, `m' = f(h) − γm − ξh`) with
/// `m = −v` and `f = −f_code`; so the heavy-ball families' last field layer and last initial-velocity
/// layer change sign, and so do their gradients. The private state stacks h and v along the batch axis
/// (`[2B, 2]`), the package along axis 1 (`[B, 2, 2]`): the same elements, so the RMS error norm and the
/// step sequence agree (up to the summation order of the norm).
@Suite struct PointCloudStackEquivalenceTests {
    /// Package parameter name → (index in the private list, sign) for `family`.
    static func mapping(_ family: PointCloudFamily) -> [String: (index: Int, sign: Float)] {
        var map: [String: (index: Int, sign: Float)] = [:]
        let flipsSign = family == .hbnode || family == .ghbnode
        // Field: three Linear layers, then ω for the second-order families.
        for (layer, name) in ["0", "2", "4"].enumerated() {
            let sign: Float = flipsSign && layer == 2 ? -1 : 1
            map["field.net.\(name).weight"] = (2 * layer, sign)
            map["field.net.\(name).bias"] = (2 * layer + 1, sign)
        }
        var next = 6
        if family.isSecondOrder {
            map[family == .sonode ? "field.unusedOmega" : "field.omega"] = (6, 1)
            for (layer, name) in ["0", "2", "4"].enumerated() {
                let sign: Float = flipsSign && layer == 2 ? -1 : 1
                map["initial.\(name).weight"] = (7 + 2 * layer, sign)
                map["initial.\(name).bias"] = (8 + 2 * layer, sign)
            }
            next = 13
        }
        map["decoder.weight"] = (next, 1)
        map["decoder.bias"] = (next + 1, 1)
        return map
    }

    @Test(arguments: PointCloudFamily.allCases)
    func samePointCloudStepsOnBothStacks(_ privateFamily: PointCloudFamily) throws {
        let data = try NestedSpheres.loadReference(csv: testDataLocator.url(for: "point_cloud/reference-pointcloud-2d.csv").path)
        let family = ModelFamily(rawValue: privateFamily.rawValue.lowercased())!
        var generator = SplitMixGenerator(seed: 99)
        var reference = PointCloudModel(family: privateFamily, generator: &generator)
        var model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: 5)
        let map = Self.mapping(privateFamily)
        #expect(map.count == model.parameters.tensorCount && map.count == reference.parameters.count)
        #expect(model.parameterCount == reference.parameterCount)
        // The package model's seeded weights, copied into the private model.
        for (k, name) in model.parameters.names.enumerated() {
            let (index, sign) = try #require(map[name], "unmapped parameter \(name)")
            reference.parameters[index] = model.parameters.values[k] * sign
        }
        let tolerance = 1e-3
        let solver = SolverConfiguration(tolerance: tolerance)
        var referenceAdam = AdamOptimizer(learningRate: 0.01)
        var adam = Adam<Float>(learningRate: 0.01)
        for iteration in 0..<4 {
            let expected = try reference.lossAndGradient(data.train.points, labels: data.train.labels, tolerance: tolerance)
            let structure = model
            let (loss, gradients, log) = try lossAndGradients(at: model.parameters) { p, log in
                Losses.meanSquaredError(try structure(Variable(constant: data.train.points), p, solver: solver, log: log), data.train.labels)
            }
            #expect(abs(loss - Double(expected.loss)) <= 1e-5 * max(1, abs(loss)), "\(family) iteration \(iteration): loss \(loss) vs \(expected.loss)")
            #expect(log.forwardEvaluations == expected.forwardNFE, "\(family) iteration \(iteration): forward NFE")
            #expect(log.backwardEvaluations == expected.backwardNFE, "\(family) iteration \(iteration): backward NFE")
            // Float rounding differs between the two op orders and accumulates through the adjoint, so a
            // small gradient is compared against the largest element of the whole gradient.
            let scale = expected.gradient.map { $0.scalars.map { abs($0) }.max() ?? 0 }.max() ?? 0
            for (k, name) in model.parameters.names.enumerated() {
                let (index, sign) = map[name]!
                let mine = gradients[k].scalars, theirs = expected.gradient[index].scalars.map { $0 * sign }
                let worst = zip(mine, theirs).map { abs($0 - $1) }.max() ?? 0
                #expect(Double(worst) <= 1e-3 * Double(scale), "\(family) iteration \(iteration): gradient of \(name) differs by \(worst)")
            }
            referenceAdam.update(&reference.parameters, gradients: expected.gradient)
            adam.update(&model.parameters, gradients: gradients)
        }
    }
}

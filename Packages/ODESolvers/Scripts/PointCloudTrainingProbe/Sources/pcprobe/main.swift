import NeuralODEModels
import Tensors

// Usage: pcprobe <node|anode|sonode|hbnode|ghbnode> <tol> <iterations> <seeds>
// Averages forward/backward NFE and loss over seeds 0..<seeds, as the notebooks average over 100 runs, so the
// curves can be set against the saved SONODE figure (forward 14 -> 31.94, backward 14 -> 46.58, loss -> 0.274).
let args = CommandLine.arguments
precondition(args.count == 5, "usage: pcprobe <family> <tol> <iterations> <seeds>")
guard let family = ModelFamily(rawValue: args[1]), let tol = Double(args[2]), let iterations = Int(args[3]),
      let seeds = Int(args[4]), iterations > 0, seeds > 0 else {
    fatalError("usage: pcprobe <node|anode|sonode|hbnode|ghbnode> <tol> <iterations> <seeds>")
}
let data: PointCloudTraining.Data<Float> = try PointCloudTraining.loadReference(
    "/work/shared/data/point_cloud/reference-pointcloud-2d.csv")
var forward = [Double](repeating: 0, count: iterations), backward = forward, loss = forward
for seed in 0..<seeds {
    var model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: UInt64(seed))
    let reports = try PointCloudTraining.train(
        &model, data: data, iterations: iterations, solver: SolverConfiguration(tolerance: tol))
    for (i, r) in reports.enumerated() {
        forward[i] += Double(r.forwardEvaluations) / Double(seeds)
        backward[i] += Double(r.backwardEvaluations) / Double(seeds)
        loss[i] += r.loss / Double(seeds)
    }
}
for i in Array(stride(from: 0, to: iterations, by: max(1, iterations / 10))) + [iterations - 1] {
    print("\(family.rawValue) tol \(tol) iter \(i): forward \(forward[i]) backward \(backward[i]) loss \(loss[i])")
}
print("\(family.rawValue) tol \(tol) max forward \(forward.max()!) max backward \(backward.max()!) final loss \(loss.last!)")

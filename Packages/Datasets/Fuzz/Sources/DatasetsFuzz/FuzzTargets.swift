import Datasets
import Foundation

/// One fuzz target: a Datasets loader fed a file holding the fuzzer's bytes. Loaders are called through
/// the same file-path entry points the experiments use, so format sniffing (gzip or raw) is fuzzed too.
struct FuzzTarget {
    /// The name given on the command line.
    var name: String
    /// What the bytes become.
    var load: (_ file: String) throws -> Void
}

/// Every loader of the Datasets package.
let fuzzTargets: [FuzzTarget] = [
    FuzzTarget(name: "idx") { _ = try IDXFile(contentsOf: $0) },
    FuzzTarget(name: "mnist") { _ = try MNIST.load(imagesFile: $0, labelsFile: $0) },
    FuzzTarget(name: "cifar-batch") { _ = try CIFAR10.load(batchFiles: [$0]) },
    FuzzTarget(name: "cifar-archive") { _ = try CIFAR10.load(archive: $0, split: .test) },
    FuzzTarget(name: "npy") { _ = try NumpyArray(contentsOf: $0) },
    FuzzTarget(name: "walker-rollout") { file in
        var rng = NumpyRandomState(seed: Walker2D.maskSeed)
        _ = try Walker2D.windows(files: [file], rng: &rng)
    },
    FuzzTarget(name: "numeric-csv") { _ = try NumericCSV(parsing: FileBytes.read($0), file: $0, columns: [0, 1], textColumns: [2]) },
    FuzzTarget(name: "pv-csv") { _ = try PlaneVibration.zScoredSeries(csv: $0) },
    FuzzTarget(name: "pv-dropped-indices") { _ = try PlaneVibration.droppedIndices(file: $0) },
    FuzzTarget(name: "pointcloud") { _ = try NestedSpheres.loadReference(csv: $0) },
    FuzzTarget(name: "silverbox") { _ = try Silverbox.load(csv: $0) },
]

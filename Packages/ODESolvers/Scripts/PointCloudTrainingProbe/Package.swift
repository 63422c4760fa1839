// swift-tools-version:6.0
import PackageDescription

/// Out-of-tree probe: trains the NeuralODEModels point-cloud models (ExperimentModels.pointCloud) on the
/// reference set at a chosen tolerance and prints the mean forward/backward NFE and loss per iteration.
/// Build: swift build -c release --package-path Packages/ODESolvers/Scripts/PointCloudTrainingProbe
/// Run:   OPENBLAS_NUM_THREADS=1 .build/release/pcprobe sonode 1e-3 300 50
let package = Package(
    name: "pcprobe",
    dependencies: [.package(path: "../../../NeuralODEModels"), .package(path: "../../../Tensor")],
    targets: [.executableTarget(name: "pcprobe", dependencies: [
        .product(name: "NeuralODEModels", package: "NeuralODEModels"), .product(name: "Tensors", package: "Tensor")])],
    swiftLanguageModes: [.v5]
)

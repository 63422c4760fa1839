// swift-tools-version:6.0
import PackageDescription

/// NeuralODEModels: layers with a flat named parameter registry, the five continuous-depth families
/// (NODE, ANODE, SONODE, HBNODE, GHBNODE), ODE blocks, ODE-RNN hybrids, Adam with clipping and schedules,
/// losses, training steps and atomic checkpoints. No experiment lives here: the paper's model
/// configurations are in the repository's Reproductions.
let package = Package(
    name: "NeuralODEModels",
    products: [
        .library(name: "NeuralODEModels", targets: ["NeuralODEModels"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
        .package(path: "../ODESolvers"),
        .package(path: "../Adjoint"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),

    ],
    targets: [
        .target(
            name: "NeuralODEModels",
            dependencies: [
                .product(name: "Tensors", package: "Tensor"),
                .product(name: "ODESolvers", package: "ODESolvers"),
                .product(name: "Adjoint", package: "Adjoint"),
                .product(name: "Numerics", package: "swift-numerics"),

            ]
        ),
        .testTarget(
            name: "NeuralODEModelsTests",
            dependencies: [
                "NeuralODEModels",
                .product(name: "TensorTestSupport", package: "Tensor"),
                .product(name: "ODESolvers", package: "ODESolvers"),
                .product(name: "Adjoint", package: "Adjoint"),
            ]),
    ],
    swiftLanguageModes: [.v5]
)

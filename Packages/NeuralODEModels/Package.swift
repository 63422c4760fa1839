// swift-tools-version:6.0
import PackageDescription

/// NeuralODEModels: layers with a flat named parameter registry, the five continuous-depth families
/// (NODE, ANODE, SONODE, HBNODE, GHBNODE), ODE-RNN hybrids, every experiment's model configuration,
/// Adam with clipping and schedules, losses, training steps and atomic checkpoints.
let package = Package(
    name: "NeuralODEModels",
    products: [
        .library(name: "NeuralODEModels", targets: ["NeuralODEModels"]),
        // Release timings of realistic training steps (see Sources/NeuralODEBenchmarks/main.swift).
        .executable(name: "neuralode-bench", targets: ["NeuralODEBenchmarks"]),
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
        .executableTarget(
            name: "NeuralODEBenchmarks",
            dependencies: ["NeuralODEModels", .product(name: "Tensors", package: "Tensor")]
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

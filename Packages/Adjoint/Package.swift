// swift-tools-version:6.0
import PackageDescription

/// Adjoint: gradients of losses on ODE solutions with respect to the initial state, the vector field's
/// parameters and the output times, by three interchangeable methods (backsolve adjoint, direct
/// backpropagation through the solver steps, checkpointed adjoint), each with its own backward statistics.
let package = Package(
    name: "Adjoint",
    products: [
        .library(name: "Adjoint", targets: ["Adjoint"]),
        .executable(name: "adjoint-bench", targets: ["AdjointBenchmarks"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
        .package(path: "../ODESolvers"),
    ],
    targets: [
        .target(
            name: "Adjoint",
            dependencies: [
                .product(name: "Tensors", package: "Tensor"),
                .product(name: "ODESolvers", package: "ODESolvers"),
            ]),
        .executableTarget(name: "AdjointBenchmarks", dependencies: ["Adjoint"]),
        .testTarget(name: "AdjointTests", dependencies: ["Adjoint", .product(name: "TensorTestSupport", package: "Tensor")]),
    ],
    swiftLanguageModes: [.v5]
)

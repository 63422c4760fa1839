// swift-tools-version:6.0
import PackageDescription

/// ODESolvers: explicit Runge-Kutta solvers (fixed and adaptive) over any vector-like state, with
/// torchdiffeq-compatible dopri5 semantics and per-solve statistics.
let package = Package(
    name: "ODESolvers",
    products: [
        .library(name: "ODESolvers", targets: ["ODESolvers"]),
        .executable(name: "odesolvers-bench", targets: ["ODESolversBenchmarks"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
    ],
    targets: [
        .target(name: "ODESolvers", dependencies: [.product(name: "Tensors", package: "Tensor")]),
        .executableTarget(name: "ODESolversBenchmarks", dependencies: ["ODESolvers"]),
        .testTarget(name: "ODESolversTests", dependencies: ["ODESolvers", .product(name: "TensorTestSupport", package: "Tensor")]),
    ],
    swiftLanguageModes: [.v5]
)

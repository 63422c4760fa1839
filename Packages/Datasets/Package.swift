// swift-tools-version:6.0
import PackageDescription

/// Datasets: loaders, exact preprocessing and splits for every HBNODE experiment (MNIST, CIFAR-10, plane
/// vibration, Walker2D, silverbox, nested spheres), plus seeded batching and numpy-compatible random numbers.
let package = Package(
    name: "Datasets",
    products: [
        .library(name: "Datasets", targets: ["Datasets"]),
        .executable(name: "datasets-bench", targets: ["DatasetsBenchmarks"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "Datasets", dependencies: ["CZlib", .product(name: "Tensors", package: "Tensor")]),
        .executableTarget(
            name: "DatasetsBenchmarks",
            dependencies: ["Datasets", .product(name: "Tensors", package: "Tensor")]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", .product(name: "TensorTestSupport", package: "Tensor")]),
    ],
    swiftLanguageModes: [.v5]
)

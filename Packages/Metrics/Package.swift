// swift-tools-version:6.0
import PackageDescription

/// The Metrics package: evaluation metrics, NFE meters, timers, run logs, progress lines, markdown tables
/// and PNG figures for the HeavyBallNODE reproductions.
///
/// The library deliberately depends on nothing but libpng: inputs are plain `[Double]`, so data loaders,
/// solvers and reports can all use it without pulling in the Tensor package. Only the sample and the tests
/// use the Tensor package, for its seeded generator (the project's one RNG).
let package = Package(
    name: "Metrics",
    products: [
        .library(name: "Metrics", targets: ["Metrics"]),
        .executable(name: "metrics-sample", targets: ["MetricsSample"]),
    ],
    dependencies: [.package(path: "../Tensor")],
    targets: [
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .target(name: "Metrics", dependencies: ["CLibPNG"]),
        .executableTarget(name: "MetricsSample", dependencies: ["Metrics", .product(name: "Tensors", package: "Tensor")]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", .product(name: "Tensors", package: "Tensor"), .product(name: "TensorTestSupport", package: "Tensor")]),
    ],
    swiftLanguageModes: [.v5]
)

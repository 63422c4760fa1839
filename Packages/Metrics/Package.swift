// swift-tools-version:6.0
import PackageDescription

/// The Metrics package: evaluation metrics, NFE meters, timers, run logs, progress lines, markdown tables
/// and PNG figures for the HeavyBallNODE reproductions.
///
/// It deliberately depends on nothing but libpng: inputs are plain `[Double]`, so data loaders, solvers
/// and reports can all use it without pulling in the Tensor package.
let package = Package(
    name: "Metrics",
    products: [
        .library(name: "Metrics", targets: ["Metrics"]),
        .executable(name: "metrics-sample", targets: ["MetricsSample"]),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .target(name: "Metrics", dependencies: ["CLibPNG"]),
        .executableTarget(name: "MetricsSample", dependencies: ["Metrics"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
    ],
    swiftLanguageModes: [.v5]
)

// swift-tools-version:6.0
import PackageDescription

/// The Tensor package: dense row-major tensors on OpenBLAS with reverse-mode automatic differentiation.
///
/// The module is called `Tensors` (not `Tensor`) so that `Tensors.Tensor` stays unambiguous, the same
/// convention as swift-numerics' `RealModule` exporting `Real`.
let package = Package(
    name: "Tensor",
    products: [
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "TensorTestSupport", targets: ["TensorTestSupport"]),
        .executable(name: "tensor-bench", targets: ["TensorBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // AVX2 + FMA kernels for products too small for BLAS, behind a run-time CPU check.
        .target(name: "CSmallMatrixKernels"),
        .target(
            name: "Tensors",
            dependencies: ["COpenBLAS", "CSmallMatrixKernels", .product(name: "Numerics", package: "swift-numerics")]
        ),
        .target(name: "TensorTestSupport", dependencies: ["Tensors"]),
        .executableTarget(name: "TensorBenchmarks", dependencies: ["Tensors", "COpenBLAS"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TensorTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

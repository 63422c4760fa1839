// swift-tools-version:6.1
import PackageDescription

/// HeavyBallNODE: the reproduction suite of *Heavy Ball Neural Ordinary Differential Equations* (Xia et al.,
/// NeurIPS 2021), composed from the standalone packages under `Packages/`. One executable per paper section;
/// the cross-package tests live under `Tests/`.
///
/// The `MPI` trait (off by default; `swift build --traits MPI`) compiles the Open MPI binding for
/// data-parallel training (`reproduce-section-5 --data-parallel` under `mpirun`, `mpi-check`); without it
/// nothing here needs MPI, and the libraries under `Packages/` never do.
let package = Package(
    name: "HeavyBallNODE",
    products: [
        .executable(name: "reproduce-section-2", targets: ["Section2"]),
        .executable(name: "reproduce-section-3", targets: ["Section3"]),
        .executable(name: "reproduce-section-4", targets: ["Section4"]),
        .executable(name: "reproduce-section-5", targets: ["Section5"]),
        // Release timings of the experiments' training steps (see Reproductions/ModelBenchmarks/main.swift).
        .executable(name: "neuralode-bench", targets: ["ModelBenchmarks"]),
        .executable(name: "bench-compare", targets: ["BenchCompare"]),
        // Data-parallel training under mpirun against one process (Reproductions/Tools/MPICheck; needs the MPI trait).
        .executable(name: "mpi-check", targets: ["MPICheck"]),
        // Small programs that use the packages the way a user would (Examples/, run by `make examples`).
        .executable(name: "spiral-example", targets: ["SpiralExample"]),
        .executable(name: "oscillator-example", targets: ["DampedOscillatorExample"]),
        .executable(name: "mnist-example", targets: ["MNISTExample"]),
        .executable(name: "irregular-series-example", targets: ["IrregularSeriesExample"]),
    ],
    traits: [
        .trait(name: "MPI", description: "Open MPI binding for data-parallel training (needs libopenmpi-dev: make deps-mpi)"),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(path: "Packages/Tensor"),
        .package(path: "Packages/ODESolvers"),
        .package(path: "Packages/Adjoint"),
        .package(path: "Packages/NeuralODEModels"),
        .package(path: "Packages/Datasets"),
        .package(path: "Packages/Metrics"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The shared framework: options, run folders, config.json, checkpoints, claims and REPORT.md.
        // It depends only on Metrics so a broken model package never blocks the framework.
        .target(
            name: "ReproductionKit",
            dependencies: [
                .product(name: "Metrics", package: "Metrics"),
                .product(name: "Datasets", package: "Datasets"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Reproductions/ReproductionKit"
        ),
        // Open MPI through pkg-config `ompi`; compiled only with the MPI trait.
        .systemLibrary(
            name: "CMPI", path: "Reproductions/MPI/CMPI", pkgConfig: "ompi", providers: [.apt(["libopenmpi-dev"])]),
        // The MPI world as a NeuralODEModels Communicator; without the MPI trait only `MPIRuntime`, which
        // reports that MPI is missing.
        .target(
            name: "MPICommunicator",
            dependencies: [
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .target(name: "CMPI", condition: .when(traits: ["MPI"])),
            ],
            path: "Reproductions/MPI/MPICommunicator"),
        // Every section's experiments as a library, so the root tests can run them in-process.
        .target(
            name: "Experiments",
            dependencies: [
                "ReproductionKit", "MPICommunicator",
                .product(name: "Tensors", package: "Tensor"),
                .product(name: "ODESolvers", package: "ODESolvers"),
                .product(name: "Adjoint", package: "Adjoint"),
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .product(name: "Datasets", package: "Datasets"),
                .product(name: "Metrics", package: "Metrics"),
            ],
            path: "Reproductions/Experiments"
        ),
        .executableTarget(name: "Section2", dependencies: ["Experiments", "ReproductionKit"], path: "Reproductions/Section2"),
        .executableTarget(
            name: "Section3", dependencies: ["Experiments", "ReproductionKit", .product(name: "Tensors", package: "Tensor")],
            path: "Reproductions/Section3"),
        .executableTarget(
            name: "Section4", dependencies: ["Experiments", "ReproductionKit", .product(name: "Tensors", package: "Tensor")],
            path: "Reproductions/Section4"),
        .executableTarget(name: "Section5", dependencies: ["Experiments", "ReproductionKit", "MPICommunicator"], path: "Reproductions/Section5"),
        .executableTarget(
            name: "ModelBenchmarks",
            dependencies: [
                "Experiments", "ReproductionKit",
                .product(name: "Adjoint", package: "Adjoint"),
                .product(name: "Datasets", package: "Datasets"),
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .product(name: "Tensors", package: "Tensor"),
            ],
            path: "Reproductions/ModelBenchmarks",
            exclude: ["README.md"]
        ),
        // One MNIST/CIFAR-10 training step here and with PyTorch + torchdiffeq, side by side.
        .executableTarget(
            name: "BenchCompare",
            dependencies: [
                "Experiments",
                .product(name: "Tensors", package: "Tensor"),
                .product(name: "ODESolvers", package: "ODESolvers"),
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
            ],
            path: "Reproductions/BenchCompare"),
        .executableTarget(
            name: "MPICheck",
            dependencies: [
                "Experiments", "MPICommunicator",
                .product(name: "Adjoint", package: "Adjoint"),
                .product(name: "Metrics", package: "Metrics"),
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .product(name: "Tensors", package: "Tensor"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Reproductions/Tools/MPICheck"),
        .testTarget(
            name: "HeavyBallNODETests",
            dependencies: [
                "ReproductionKit", "Experiments",
                .product(name: "Tensors", package: "Tensor"),
                .product(name: "ODESolvers", package: "ODESolvers"),
                .product(name: "Adjoint", package: "Adjoint"),
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .product(name: "Datasets", package: "Datasets"),
                .product(name: "Metrics", package: "Metrics"),
            ],
            path: "Tests/HeavyBallNODETests"
        ),
        .executableTarget(
            name: "SpiralExample",
            dependencies: [
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .product(name: "ODESolvers", package: "ODESolvers"),
                .product(name: "Tensors", package: "Tensor"),
                .product(name: "Metrics", package: "Metrics"),
            ],
            path: "Examples/Spiral"),
        .executableTarget(
            name: "DampedOscillatorExample",
            dependencies: [
                .product(name: "ODESolvers", package: "ODESolvers"),
                .product(name: "Tensors", package: "Tensor"),
            ],
            path: "Examples/DampedOscillator"),
        .executableTarget(
            name: "MNISTExample",
            dependencies: [
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .product(name: "Datasets", package: "Datasets"),
                .product(name: "Metrics", package: "Metrics"),
                .product(name: "Tensors", package: "Tensor"),
            ],
            path: "Examples/MNIST"),
        .executableTarget(
            name: "IrregularSeriesExample",
            dependencies: [
                .product(name: "NeuralODEModels", package: "NeuralODEModels"),
                .product(name: "Tensors", package: "Tensor"),
            ],
            path: "Examples/IrregularSeries"),
    ],
    swiftLanguageModes: [.v5]
)

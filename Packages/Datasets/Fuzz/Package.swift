// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for every Datasets loader. Built only by `make fuzz` (scripts/fuzz.sh), with
/// `-sanitize=fuzzer,address`, which instruments this package and Datasets for coverage and memory errors.
let package = Package(
    name: "DatasetsFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "DatasetsFuzz", dependencies: [.product(name: "Datasets", package: "Datasets")]),
    ],
    swiftLanguageModes: [.v5]
)

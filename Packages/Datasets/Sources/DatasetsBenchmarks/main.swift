// Times every loader and one epoch of batch gathering on the real data.
// Run: swift run -c release --package-path Packages/Datasets datasets-bench [data-dir]
import Datasets
import Foundation
import Tensors

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func report(_ label: String, _ time: Double, _ detail: String) {
    print(label.padding(toLength: 52, withPad: " ", startingAt: 0) + String(format: "%8.3f s   ", time) + detail)
}

let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
        usage: datasets-bench [DATA-DIR]
          Times every loader (MNIST, CIFAR-10, plane vibration, Walker2D, …) and one epoch of batch gathering
          on the real data. DATA-DIR defaults to $\(DataDirectory.environmentVariable), then the repository's Datasets/.
        """)
    exit(0)
}
if let option = arguments.first(where: { $0.hasPrefix("-") }) {
    FileHandle.standardError.write(Data("datasets-bench: unknown option \(option) (see --help)\n".utf8))
    exit(2)
}
let root = DataDirectory.repositoryRoot(containing: FileManager.default.currentDirectoryPath + "/.")
    ?? FileManager.default.currentDirectoryPath
guard let data = arguments.first ?? DataDirectory.locate(repositoryRoot: root, containing: "mnist") else {
    print("no data directory found; pass one or set \(DataDirectory.environmentVariable)")
    exit(1)
}
print("data: \(data)")

do {
    var mnist: ImageClassificationSet!
    report("MNIST train (4 .gz IDX files)", try seconds { mnist = try MNIST.load(directory: "\(data)/mnist", split: .train) },
           "\(mnist.count) images")
    let sampler = BatchSampler(count: mnist.count, batchSize: 64, shuffle: true, seed: 0)
    var batch = Tensor<Float>(zeros: [64, 1, 28, 28]), labels: [Int] = []
    var checksum: Float = 0
    report("MNIST epoch: shuffle + gather 938 batches of 64", seconds {
        for indices in sampler.batches(epoch: 0) {
            mnist.gather(indices, into: &batch, labels: &labels)
            checksum += batch.scalars[14 * 28 + 14]  // keeps the gather from being optimised away
        }
    }, "checksum \(checksum)")

    var cifar: ImageClassificationSet!
    let cifarDirectory = "\(data)/cifar10"
    report("CIFAR-10 train (as found: folder or .tar.gz)",
           try seconds { cifar = try CIFAR10.load(directory: cifarDirectory, split: .train) }, "\(cifar.count) images")
    if FileManager.default.fileExists(atPath: "\(cifarDirectory)/\(CIFAR10.archiveName)") {
        report("CIFAR-10 test straight from .tar.gz", try seconds {
            _ = try CIFAR10.load(archive: "\(cifarDirectory)/\(CIFAR10.archiveName)", split: .test)
        }, "inflates the whole archive")
    }
    let cifarSampler = BatchSampler(count: cifar.count, batchSize: 256, shuffle: true, seed: 0)
    var cifarBatch = Tensor<Float>(zeros: [256, 3, 32, 32])
    report("CIFAR-10 epoch: shuffle + gather 196 batches of 256", seconds {
        for indices in cifarSampler.batches(epoch: 0) { cifar.gather(indices, into: &cifarBatch, labels: &labels) }
    }, "")

    var pv: PlaneVibration.Dataset!
    report("plane vibration (csv, z-score, split, sequences)",
           try seconds { pv = try PlaneVibration.load(directory: "\(data)/plane_vibration") },
           "\(pv.train.count)/\(pv.valid.count)/\(pv.test.count) sequences")
    var dropped: [Int] = []
    report("plane vibration dropped indices re-derived", seconds { dropped = PlaneVibration.derivedDroppedIndices() },
           "\(dropped.count) indices")
    var walker: Walker2D.Dataset!
    report("Walker2D (400 npy, split, mask, windows)",
           try seconds { walker = try Walker2D.load(directory: "\(data)/walker") },
           "\(walker.train.count)/\(walker.valid.count)/\(walker.test.count) windows")
    var sb: Silverbox.Series!
    report("silverbox (csv, centre, ×100)", try seconds { sb = try Silverbox.load(csv: "\(data)/silverbox/sb.csv") },
           "\(sb.v1.count) samples")
} catch {
    print("error: \(error)")
    exit(1)
}

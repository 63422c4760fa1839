import Foundation

/// CIFAR-10, binary version: batches of 10,000 records of 1 label byte + 3,072 pixel bytes (1,024 red,
/// 1,024 green, 1,024 blue, each a row-major 32×32 plane, so a record is already CHW).
public enum CIFAR10 {
    /// The class names in label order (`batches.meta.txt`).
    public static let classNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]
    /// Bytes per record: one label plus 3×32×32 pixels.
    public static let recordSize = 3073
    /// The folder the archive extracts to.
    public static let folderName = "cifar-10-batches-bin"
    /// The archive's file name, as downloaded.
    public static let archiveName = "cifar-10-binary.tar.gz"

    /// Which half of CIFAR-10 to load.
    public enum Split: String, Sendable, CaseIterable {
        /// `data_batch_1.bin` … `data_batch_5.bin`, 50,000 images.
        case train
        /// `test_batch.bin`, 10,000 images.
        case test

        /// The batch files of this split, in order.
        public var batchFiles: [String] {
            self == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        }
    }

    /// Parses one batch file: returns its pixels (NCHW bytes) and labels.
    public static func parseBatch(_ data: [UInt8], file: String) throws -> (pixels: [UInt8], labels: [Int]) {
        let count = data.count / recordSize
        let remainder = data.count % recordSize
        if remainder != 0 {
            throw DatasetError.truncated(
                file: file, offset: count * recordSize, needed: recordSize, available: remainder)
        }
        if count == 0 {
            throw DatasetError.truncated(file: file, offset: 0, needed: recordSize, available: 0)
        }
        var pixels = [UInt8](repeating: 0, count: count * 3072)
        var labels = [Int](repeating: 0, count: count)
        try data.withUnsafeBufferPointer { source in
            try pixels.withUnsafeMutableBufferPointer { out in
                for record in 0..<count {
                    let offset = record * recordSize
                    let label = source[offset]
                    guard label < 10 else {
                        throw DatasetError.valueOutOfRange(
                            file: file, offset: offset, detail: "label \(label) of record \(record) is not in 0...9")
                    }
                    labels[record] = Int(label)
                    _ = UnsafeMutableBufferPointer(rebasing: out[record * 3072..<(record + 1) * 3072])
                        .update(fromContentsOf: source[offset + 1..<offset + recordSize])
                }
            }
        }
        return (pixels, labels)
    }

    /// Loads a split from `directory`, which may hold the extracted `cifar-10-batches-bin/` folder, the
    /// `.bin` files themselves, or only `cifar-10-binary.tar.gz` (read without extracting it).
    public static func load(directory: String, split: Split) throws -> ImageClassificationSet {
        let fm = FileManager.default
        for folder in ["\(directory)/\(folderName)", directory]
        where split.batchFiles.allSatisfy({ fm.fileExists(atPath: "\(folder)/\($0)") }) {
            return try load(batchFiles: split.batchFiles.map { "\(folder)/\($0)" })
        }
        let archive = "\(directory)/\(archiveName)"
        guard fm.fileExists(atPath: archive) else {
            throw DatasetError.notFound(candidates: ["\(directory)/\(folderName)/\(split.batchFiles[0])", archive])
        }
        return try load(archive: archive, split: split)
    }

    /// Loads and concatenates batch files.
    public static func load(batchFiles: [String]) throws -> ImageClassificationSet {
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for file in batchFiles {
            let batch = try parseBatch(FileBytes.read(file), file: file)
            pixels.append(contentsOf: batch.pixels)
            labels.append(contentsOf: batch.labels)
        }
        return ImageClassificationSet(pixels: pixels, imageShape: [3, 32, 32], labels: labels, classCount: 10)
    }

    /// Loads a split straight from the `.tar.gz` (or a plain `.tar`), inflating it once as a stream.
    public static func load(archive path: String, split: Split) throws -> ImageClassificationSet {
        let raw = try FileBytes.read(path)
        let stream: ByteStream = raw.starts(with: [0x1f, 0x8b])
            ? try GzipStream(compressed: raw, name: path) : MemoryByteStream(raw, name: path)
        let reader = TarReader(stream: stream)
        var found: [String: (pixels: [UInt8], labels: [Int])] = [:]
        let wanted = Set(split.batchFiles)
        while found.count < wanted.count, let entry = try reader.next() {
            let base = entry.name.split(separator: "/").last.map(String.init) ?? entry.name
            guard entry.isRegularFile, wanted.contains(base) else { continue }
            found[base] = try parseBatch(reader.readContents(of: entry), file: "\(path)!\(entry.name)")
        }
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for name in split.batchFiles {
            guard let batch = found[name] else {
                throw DatasetError.missingMember(file: path, member: "\(folderName)/\(name)")
            }
            pixels.append(contentsOf: batch.pixels)
            labels.append(contentsOf: batch.labels)
        }
        return ImageClassificationSet(pixels: pixels, imageShape: [3, 32, 32], labels: labels, classCount: 10)
    }
}

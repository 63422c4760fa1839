/// MNIST from its four IDX files (gzipped as downloaded, or raw after `gunzip`).
public enum MNIST {
    /// Which half of MNIST to load.
    public enum Split: String, Sendable, CaseIterable {
        /// The 60,000 training images (`train-*`).
        case train
        /// The 10,000 test images (`t10k-*`).
        case test

        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// The candidate paths of one file: gzipped, raw with a hyphen, raw with a dot (`train-images.idx3-ubyte`).
    static func candidates(directory: String, prefix: String, kind: String, rank: Int) -> [String] {
        let base = "\(directory)/\(prefix)-\(kind)"
        return ["\(base)-idx\(rank)-ubyte.gz", "\(base)-idx\(rank)-ubyte", "\(base).idx\(rank)-ubyte"]
    }

    /// Loads one split from `directory` (the folder holding the IDX files, e.g. `<data>/mnist`):
    /// images of shape `[1, 28, 28]`, labels in 0...9.
    public static func load(directory: String, split: Split) throws -> ImageClassificationSet {
        let imagePath = try FileBytes.firstExisting(
            candidates(directory: directory, prefix: split.filePrefix, kind: "images", rank: 3))
        let labelPath = try FileBytes.firstExisting(
            candidates(directory: directory, prefix: split.filePrefix, kind: "labels", rank: 1))
        return try load(imagesFile: imagePath, labelsFile: labelPath)
    }

    /// Loads an images file and a labels file, checking that they agree.
    public static func load(imagesFile: String, labelsFile: String) throws -> ImageClassificationSet {
        let images = try IDXFile(contentsOf: imagesFile)
        let labels = try IDXFile(contentsOf: labelsFile)
        guard images.shape.count == 3 else {
            throw DatasetError.malformedHeader(
                file: imagesFile, offset: 3, detail: "images must have rank 3, header says \(images.shape)")
        }
        guard labels.shape.count == 1 else {
            throw DatasetError.malformedHeader(
                file: labelsFile, offset: 3, detail: "labels must have rank 1, header says \(labels.shape)")
        }
        guard images.shape[0] == labels.shape[0] else {
            throw DatasetError.inconsistentCount(
                file: labelsFile, offset: 4,
                detail: "\(labels.shape[0]) labels but \(images.shape[0]) images in \(imagesFile)")
        }
        if let bad = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw DatasetError.valueOutOfRange(
                file: labelsFile, offset: 8 + bad, detail: "label \(labels.bytes[bad]) is not a digit 0...9")
        }
        return ImageClassificationSet(
            pixels: images.bytes, imageShape: [1, images.shape[1], images.shape[2]],
            labels: labels.bytes.map { Int($0) }, classCount: 10)
    }
}

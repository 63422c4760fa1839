import Foundation
@testable import Datasets

/// Locates the real data for tests with ``DataDirectory``: `$HBNODE_DATA_DIR`, else `<repo>/Datasets`.
enum TestData {
    static let repositoryRoot: String = DataDirectory.repositoryRoot(containing: #filePath)
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The data folder holding `probe`, or nil (tests that need it are then skipped).
    static func folder(containing probe: String) -> String? {
        DataDirectory.locate(repositoryRoot: repositoryRoot, containing: probe)
    }

    static var mnist: String? { folder(containing: "mnist/t10k-labels-idx1-ubyte.gz").map { "\($0)/mnist" } }
    static var cifar: String? {
        folder(containing: "cifar10/cifar-10-binary.tar.gz").map { "\($0)/cifar10" }
            ?? folder(containing: "cifar10/cifar-10-batches-bin/test_batch.bin").map { "\($0)/cifar10" }
    }
    static var planeVibration: String? { folder(containing: "plane_vibration/pv.csv").map { "\($0)/plane_vibration" } }
    static var silverbox: String? { folder(containing: "silverbox/sb.csv").map { "\($0)/silverbox" } }
    static var walker: String? { folder(containing: "walker/rollout_000.npy").map { "\($0)/walker" } }
    static var pointCloud: String? {
        folder(containing: "point_cloud/reference-pointcloud-2d.csv").map { "\($0)/point_cloud" }
    }
}

/// A fresh temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "hbnode-datasets-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` inside the directory and returns the full path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// Builders of small well-formed files that tests then corrupt.
enum Fixtures {
    /// An unsigned-byte IDX file with the given shape and bytes.
    static func idx(shape: [Int], bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, 0, 8, UInt8(shape.count)]
        for extent in shape { out += withUnsafeBytes(of: UInt32(extent).bigEndian, Array.init) }
        return out + bytes
    }

    /// A `.npy` v1 (or v2) file with the given header fields and raw payload.
    static func npy(descr: String = "<f8", fortran: Bool = false, shape: [Int], payload: [UInt8], version: UInt8 = 1) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
        let lengthWidth = version == 1 ? 2 : 4
        while (10 + (lengthWidth - 2) + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = header.utf8.count
        out += version == 1 ? [UInt8(length & 0xff), UInt8(length >> 8)]
            : [UInt8(length & 0xff), UInt8((length >> 8) & 0xff), UInt8((length >> 16) & 0xff), UInt8(length >> 24)]
        return out + Array(header.utf8) + payload
    }

    /// Little-endian float64 payload.
    static func float64(_ values: [Double]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
    }

    /// Little-endian float32 payload.
    static func float32(_ values: [Float]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
    }

    /// A ustar archive of regular files (with a correct header checksum and end-of-archive blocks).
    static func tar(_ members: [(name: String, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for member in members {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int) {
                for (i, byte) in text.utf8.enumerated() { header[offset + i] = byte }
            }
            put(member.name, at: 0)
            put("0000644", at: 100)
            put("0000000", at: 108)
            put("0000000", at: 116)
            put(String(format: "%011o", member.data.count), at: 124)
            put("00000000000", at: 136)
            header[156] = UInt8(ascii: "0")
            put("ustar", at: 257)
            put("00", at: 263)
            for i in 148..<156 { header[i] = UInt8(ascii: " ") }
            let sum = header.reduce(0) { $0 + Int($1) }
            put(String(format: "%06o", sum), at: 148)
            header[154] = 0
            out += header + member.data
            out += [UInt8](repeating: 0, count: (512 - member.data.count % 512) % 512)
        }
        return out + [UInt8](repeating: 0, count: 1024)
    }

    /// A CIFAR-style batch of `labels.count` records with pixel value `(record + channel) % 256`.
    static func cifarBatch(labels: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for (record, label) in labels.enumerated() {
            out.append(label)
            for channel in 0..<3 { out += [UInt8](repeating: UInt8((record + channel) % 256), count: 1024) }
        }
        return out
    }
}

/// Runs `body` and returns the ``DatasetError`` it throws, or nil when it throws nothing.
func datasetError<T>(_ body: () throws -> T) -> DatasetError? {
    do {
        _ = try body()
        return nil
    } catch let error as DatasetError {
        return error
    } catch {
        return .unreadable(file: "?", reason: "unexpected error type \(error)")
    }
}

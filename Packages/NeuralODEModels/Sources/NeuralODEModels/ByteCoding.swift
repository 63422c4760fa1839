import Tensors

/// Appends little-endian integers, strings and raw tensor bytes to a buffer (the checkpoint format).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func write(_ value: Int) { write(UInt64(bitPattern: Int64(value))) }
    mutating func write(_ value: Double) { write(value.bitPattern) }
    mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    mutating func write<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        tensor.withUnsafeBufferPointer { buffer in bytes.append(contentsOf: UnsafeRawBufferPointer(buffer)) }
    }
}

/// Reads what ``ByteWriter`` wrote, throwing ``CheckpointError/truncated(path:offset:needed:)`` with the
/// offset when the data ends early.
struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0

    mutating func take(_ count: Int) throws(CheckpointError) -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw .truncated(path: path, offset: offset, needed: count) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }
    mutating func readUInt64() throws(CheckpointError) -> UInt64 {
        let slice = try take(8)
        var value: UInt64 = 0
        for (k, byte) in slice.enumerated() { value |= UInt64(byte) << (8 * UInt64(k)) }
        return value
    }
    mutating func readInt() throws(CheckpointError) -> Int { Int(Int64(bitPattern: try readUInt64())) }
    mutating func readDouble() throws(CheckpointError) -> Double { Double(bitPattern: try readUInt64()) }
    mutating func readString() throws(CheckpointError) -> String {
        let start = offset
        let count = try readInt()
        guard count >= 0 && count < 1 << 20 else { throw .corruptHeader(path: path, offset: start, reason: "string length \(count)") }
        return String(decoding: try take(count), as: UTF8.self)
    }
    mutating func readTensor<Scalar: TensorScalar>(shape: [Int]) throws(CheckpointError) -> Tensor<Scalar> {
        let count = shape.reduce(1, *)
        let raw = try take(count * MemoryLayout<Scalar>.stride)
        var scalars = [Scalar](repeating: 0, count: count)
        scalars.withUnsafeMutableBytes { target in
            raw.withUnsafeBytes { source in target.copyMemory(from: source) }
        }
        return Tensor(shape: shape, scalars: scalars)
    }
}

/// 64-bit FNV-1a over `bytes` (detects truncation and bit rot; not cryptographic).
func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}

import Foundation

/// A stable fingerprint of an encodable configuration (FNV-1a over its sorted-key JSON).
public func configurationFingerprint<Configuration: Encodable>(_ configuration: Configuration) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes = (try? encoder.encode(configuration)) ?? Data()
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16)
}

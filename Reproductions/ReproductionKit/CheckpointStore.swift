import Foundation
import Metrics

/// Per-epoch checkpoints of a long experiment, stored as JSON next to its logs.
///
/// A checkpoint carries a fingerprint of the run's configuration, so `--resume` refuses one written by a
/// different configuration instead of silently mixing runs. Saves are atomic: an interrupted save leaves
/// the previous checkpoint intact. Non-finite numbers (a diverged loss, the +∞ minimum of empty running
/// statistics) are stored as the strings `"nan"`, `"inf"` and `"-inf"`, so any state can be saved.
public struct CheckpointStore<State: Codable>: Sendable {
    /// The checkpoint file.
    public let url: URL
    /// Identifies the configuration that owns the checkpoint.
    public let fingerprint: String

    private struct Envelope: Codable {
        var fingerprint: String
        var state: State
    }

    /// A store at `<run>/<name>.checkpoint.json` for the configuration described by `fingerprint`.
    public init(run: RunDirectory, name: String, fingerprint: String) {
        self.url = run.file(name + ".checkpoint.json")
        self.fingerprint = fingerprint
    }

    /// Saves the state atomically.
    public func save(_ state: State) throws(ReproductionError) {
        let data: Data
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = Self.nonFiniteEncoding
        do { data = try encoder.encode(Envelope(fingerprint: fingerprint, state: state)) } catch {
            throw .cannotWrite(path: url.path, reason: "encoding failed: \(error)")
        }
        do { try writeAtomically(data, to: url) } catch {
            throw .cannotWrite(path: url.path, reason: error.description)
        }
    }

    /// The saved state, or `nil` when no checkpoint exists.
    ///
    /// - Throws: ``ReproductionError/badCheckpoint(path:reason:)`` for an undecodable file or one written
    ///   by another configuration.
    public func load() throws(ReproductionError) -> State? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let envelope: Envelope
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = Self.nonFiniteDecoding
            envelope = try decoder.decode(Envelope.self, from: Data(contentsOf: url))
        } catch {
            throw .badCheckpoint(path: url.path, reason: "\(error)")
        }
        guard envelope.fingerprint == fingerprint else {
            throw .badCheckpoint(
                path: url.path,
                reason: "written for configuration \(envelope.fingerprint), this run is \(fingerprint)")
        }
        return envelope.state
    }

    private static var nonFiniteEncoding: JSONEncoder.NonConformingFloatEncodingStrategy {
        .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    }

    private static var nonFiniteDecoding: JSONDecoder.NonConformingFloatDecodingStrategy {
        .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    }

    /// Removes the checkpoint once a run has completed.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

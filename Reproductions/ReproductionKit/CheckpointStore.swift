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
    /// The checkpoint format and model layout the state belongs to (e.g. `epoch-checkpoint 2; hbnode;
    /// [5, 21] [21]`), or `nil` when the state needs none. Kept beside the fingerprint rather than mixed
    /// into it so a checkpoint written before layouts were recorded still resumes (its contents are then
    /// checked by the caller), while a checkpoint of another layout is refused by name.
    public let layout: String?

    private struct Envelope: Codable {
        var fingerprint: String
        var layout: String?
        var state: State
    }

    /// A store at `<run>/<name>.checkpoint.json` for the configuration described by `fingerprint` and the
    /// model `layout`.
    public init(run: RunDirectory, name: String, fingerprint: String, layout: String? = nil) {
        self.init(url: run.file(name + ".checkpoint.json"), fingerprint: fingerprint, layout: layout)
    }

    /// A store at `url` (a sweep unit's `result.json`, which the same envelope ties to its configuration).
    public init(url: URL, fingerprint: String, layout: String? = nil) {
        self.url = url
        self.fingerprint = fingerprint
        self.layout = layout
    }

    /// Saves the state atomically.
    public func save(_ state: State) throws(ReproductionError) {
        let data: Data
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = nonFiniteAsText
        do { data = try encoder.encode(Envelope(fingerprint: fingerprint, layout: layout, state: state)) } catch {
            throw .cannotWrite(path: url.path, reason: "encoding failed: \(error)")
        }
        do { try writeAtomically(data, to: url) } catch {
            throw .cannotWrite(path: url.path, reason: error.description)
        }
    }

    /// The saved state, or `nil` when no checkpoint exists.
    ///
    /// - Throws: ``ReproductionError/badCheckpoint(path:reason:)`` for an undecodable file or one written
    ///   by another configuration or for another model layout.
    public func load() throws(ReproductionError) -> State? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let envelope: Envelope
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = nonFiniteFromText
            envelope = try decoder.decode(Envelope.self, from: Data(contentsOf: url))
        } catch {
            throw .badCheckpoint(path: url.path, reason: "\(error)")
        }
        guard envelope.fingerprint == fingerprint else {
            throw .badCheckpoint(
                path: url.path,
                reason: "written for configuration \(envelope.fingerprint), this run is \(fingerprint)")
        }
        if let saved = envelope.layout, let layout, saved != layout {
            throw .badCheckpoint(path: url.path, reason: "written for checkpoint format and model \(saved), this run's is \(layout)")
        }
        return envelope.state
    }

    /// Removes the checkpoint once a run has completed.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// How checkpoints and `config.json` write NaN and infinities, which plain JSON cannot hold.
let nonFiniteAsText = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
/// The matching decoding strategy.
let nonFiniteFromText = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

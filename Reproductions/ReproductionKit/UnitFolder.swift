import Foundation

/// A sweep unit's folder, `<output>/section-N/<experiment>/units/<name>/`, open for the unit's run: created,
/// checked for free space and locked (``RunDirectory``), with the experiment's configuration in its
/// `config.json` (a resume with other settings is refused) and the unit's finished result in
/// `result.json`.
///
/// `result.json` is the unit's commit point: it is written atomically once the unit is done, a unit
/// without it is unfinished, and a merge builds the experiment's outputs from these files alone. It
/// carries the configuration's fingerprint, so a merge never mixes units of other settings.
public struct UnitFolder<Result: Codable> {
    /// The unit.
    public let unit: SweepUnit
    /// The locked folder, for the unit's logs and checkpoints.
    public let run: RunDirectory
    /// Where the result is stored.
    public let result: CheckpointStore<Result>

    /// The result file's name.
    public static var resultFileName: String { "result.json" }

    /// Opens `unit`'s folder under `root` for a run with `configuration`. Without `resume` an earlier
    /// result is removed first, so a unit that fails this time is never merged with a stale result.
    ///
    /// - Throws: what ``RunDirectory/init(root:section:experiment:exclusive:minimumFreeBytes:)`` and
    ///   ``RunDirectory/writeConfiguration(_:resume:)`` throw.
    public init<Configuration: Encodable>(
        root: String, section: Int, unit: SweepUnit, configuration: Configuration, resume: Bool
    ) throws(ReproductionError) {
        self.unit = unit
        run = try RunDirectory(root: root, section: section, experiment: unit.folder)
        try run.writeConfiguration(configuration, resume: resume)
        result = CheckpointStore(url: run.file(Self.resultFileName), fingerprint: configurationFingerprint(configuration))
        if !resume { result.remove() }
    }

    /// The result an earlier process finished, or `nil`.
    public func finished() throws(ReproductionError) -> Result? { try result.load() }

    /// Records the unit as finished.
    public func complete(_ value: Result) throws(ReproductionError) { try result.save(value) }

    /// The results of `units`, in their order, for a merge. Unit folders are read, not locked: a unit still
    /// running has no result yet and counts as unfinished.
    ///
    /// - Throws: ``SweepError/unfinishedUnits(experiment:units:folder:)`` naming every unit without a
    ///   result; ``ReproductionError/badCheckpoint(path:reason:)`` for a result of other settings.
    public static func results<Configuration: Encodable>(
        root: String, section: Int, experiment: String, units: [SweepUnit], configuration: Configuration
    ) throws -> [Result] {
        let fingerprint = configurationFingerprint(configuration)
        var values: [Result] = [], missing: [String] = []
        for unit in units {
            let store = CheckpointStore<Result>(url: unit.resultURL(root: root, section: section), fingerprint: fingerprint)
            if let value = try store.load() { values.append(value) } else { missing.append(unit.name) }
        }
        guard missing.isEmpty else {
            let folder = URL(fileURLWithPath: root).appendingPathComponent("section-\(section)").appendingPathComponent(experiment)
            throw SweepError.unfinishedUnits(experiment: experiment, units: missing, folder: folder.standardizedFileURL.path)
        }
        return values
    }
}

extension SweepUnit {
    /// Where the unit's result file is under `root` (nothing is opened or locked).
    public func resultURL(root: String, section: Int) -> URL {
        URL(fileURLWithPath: root).appendingPathComponent("section-\(section)").appendingPathComponent(folder)
            .appendingPathComponent(UnitFolder<Int>.resultFileName).standardizedFileURL
    }

    /// Whether the unit has a result file (a resumed sweep starts no process for it).
    public func isFinished(root: String, section: Int) -> Bool {
        FileManager.default.fileExists(atPath: resultURL(root: root, section: section).path)
    }
}

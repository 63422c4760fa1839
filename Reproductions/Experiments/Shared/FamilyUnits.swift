import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit

/// The sweep units of an experiment that trains one run per family from one seed (plane vibration,
/// Walker2D, MNIST, CIFAR-10): unit `<family>-seed<seed>` per family, in the configuration's family order.
enum FamilyUnits {
    /// The units, in family order, each family's estimated to last `estimatedSeconds(family)` (see
    /// ``SweepUnit/estimatedSeconds``).
    static func units(
        experiment: String, families: [ModelFamily], seed: UInt64, cores: SweepUnit.Cores,
        estimatedSeconds: (ModelFamily) -> Double = { _ in 1 }
    ) -> [SweepUnit] {
        families.map {
            SweepUnit(experiment: experiment, name: name(family: $0, seed: seed), cores: cores, estimatedSeconds: estimatedSeconds($0))
        }
    }

    /// `<family>-seed<seed>`, the name the family's checkpoints already carry.
    static func name(family: ModelFamily, seed: UInt64) -> String { "\(family.rawValue)-seed\(seed)" }

    /// The family a unit of ``units(experiment:families:seed:cores:estimatedSeconds:)`` trains.
    static func family(of unit: SweepUnit, families: [ModelFamily], seed: UInt64) -> ModelFamily {
        guard let family = families.first(where: { name(family: $0, seed: seed) == unit.name }) else {
            preconditionFailure("FamilyUnits: \(unit.id) is no unit of families \(families.map(\.rawValue)) with seed \(seed)")
        }
        return family
    }

    /// Runs one unit in this process: opens its folder, skips it when `--resume` finds it finished, trains
    /// its family with `train` (given the family, the unit's folder and a progress line over its epochs)
    /// and records the outcome as the unit's result.
    static func run<Configuration: Encodable>(
        _ unit: SweepUnit, options: CommonOptions, configuration: Configuration, families: [ModelFamily], seed: UInt64,
        epochs: Int, batchesPerEpoch: Int,
        train: (_ family: ModelFamily, _ run: RunDirectory, _ progress: inout ProgressReporter) throws -> FamilyEpochOutcome
    ) throws {
        let family = family(of: unit, families: families, seed: seed)
        let folder = try UnitFolder<FamilyEpochOutcome>(
            root: options.output, section: 5, unit: unit, configuration: configuration, resume: options.resume)
        if options.resume, try folder.finished() != nil {
            print("\(unit.id): finished earlier, kept")
            return
        }
        var progress = ProgressReporter(totalEpochs: epochs, batchesPerEpoch: batchesPerEpoch)
        progress.epochsPerRun = epochs
        let outcome = try train(family, folder.run, &progress)
        progress.finish()
        try folder.complete(outcome)
    }

    /// The merge of an experiment's units: every unit's outcome (or an error naming the unfinished ones),
    /// the experiment folder (locked) with the configuration and each family's epoch log rebuilt from its
    /// outcome, for the experiment's report.
    static func merge<Configuration: Encodable>(
        experiment: String, options: CommonOptions, configuration: Configuration, families: [ModelFamily], seed: UInt64,
        cores: SweepUnit.Cores
    ) throws -> (results: FamilyEpochResults, run: RunDirectory) {
        let units = units(experiment: experiment, families: families, seed: seed, cores: cores)
        let outcomes = try UnitFolder<FamilyEpochOutcome>.results(
            root: options.output, section: 5, experiment: experiment, units: units, configuration: configuration)
        let run = try RunDirectory(root: options.output, section: 5, experiment: experiment)
        try run.writeConfiguration(configuration)
        for outcome in outcomes {
            let loop = EpochLoop(run: run, tag: name(family: outcome.family, seed: seed), configuration: configuration)
            _ = try loop.openLog(family: outcome.family, history: outcome.history)
        }
        return (FamilyEpochResults(outcomes), run)
    }
}

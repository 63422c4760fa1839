import Datasets
import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit
import Tensors

/// Section 5.4 / Fig. 8: Walker2D kinematic simulation with the five ODE-RNN hybrids:
/// 64-step windows with 10 % of the steps dropped, MSE against the next original step, batch 256 in file
/// order, clip 1.0; NODE/ANODE Adam 3e-3 throughout, SONODE/HBNODE/GHBNODE 1e-3 then a fresh Adam at
/// 3e-3 from epoch 50 (as run). NODE/ANODE read `h_rnn[0…63]` (mode B), the others `h_ode[1…64]`.
public enum WalkerExperiment: SequenceSplitExperiment {
    /// The run's configuration (written to `config.json`).
    public struct Configuration: SequenceSplitConfiguration, Sendable {
        /// Profile name.
        public var profile: String
        /// Families run.
        public var families: [ModelFamily]
        /// Initialisation seed (one run per family).
        public var seed: UInt64
        /// Epochs.
        public var epochs: Int
        /// Batch size (256, file order).
        public var batchSize: Int
        /// Training windows used (`nil` = all).
        public var trainWindows: Int?
        /// Validation/test windows used (`nil` = all).
        public var evaluationWindows: Int?
        /// Global gradient-norm clip.
        public var clipNorm: Double
        /// How every solve runs and is differentiated (dopri5, rtol = atol = 1e-7, backsolve adjoint).
        public var solver: SolverConfiguration
        /// Test every this many epochs (and at the last); validation every epoch.
        public var testEvery: Int
        /// What differs from the paper's protocol.
        public var reductions: [String]
    }

    /// The configuration for a profile.
    public static func configuration(profile: Profile) -> Configuration {
        // An epoch over all 9,684 training windows takes 3-5 s per family on one core with the compiled dense
        // fields (NFE about 1,300-1,700 per batch), so the default trains the paper's 500 epochs: about 2.5-3 h
        // of one core for the five families, beside the plane-vibration units on the other core.
        let epochs = profile.pick(quick: 1, default: 500, paper: 500)
        let train = profile.pick(quick: 16 as Int?, default: nil, paper: nil)
        let evaluation = profile.pick(quick: 16 as Int?, default: nil, paper: nil)
        var reductions: [String] = []
        if epochs < 500 { reductions.append("\(counted(epochs, "epoch")) instead of 500") }
        if let train { reductions.append("\(train) training windows instead of all") }
        if let evaluation { reductions.append("\(evaluation) validation/test windows instead of all") }
        if profile == .quick { reductions.append("batch 16 instead of 256") }
        return Configuration(
            profile: profile.rawValue, families: ModelFamily.allCases, seed: 0, epochs: epochs,
            batchSize: profile == .quick ? 16 : 256, trainWindows: train, evaluationWindows: evaluation, clipNorm: 1,
            solver: SolverConfiguration(tolerance: 1e-7), testEvery: profile.pick(quick: 1, default: 1, paper: 20), reductions: reductions)
    }

    /// The learning rate of a family at an epoch.
    static func schedule(_ family: ModelFamily) -> LearningRateSchedule {
        family == .node || family == .anode ? .constant(3e-3) : .piecewise(starts: [0, 50], rates: [1e-3, 3e-3])
    }

    /// A batch in the model's layout.
    struct Batch {
        var sequences: SequenceBatch<Float>
        var y: Tensor<Float>
    }

    /// Gathers windows `indices`, transposing `[W, T, C]` to per-step `[B, C]`; time input = gap / 64.
    static func batch(_ split: Walker2D.Windows, _ indices: [Int]) -> Batch {
        let steps = split.x.shape[1]
        let x = timeMajor(split.x, indices: indices, length: steps)
        let observations = stepSlices(x)
        let gaps = (0..<steps).map { t in indices.map { Double(split.gaps.scalars[$0 * steps + t]) / Double(Walker2D.windowLength) } }
        return Batch(sequences: SequenceBatch(observations: observations, gaps: gaps), y: timeMajor(split.y, indices: indices, length: steps))
    }

    /// The training loss of a batch on the tape: MSE of the per-step predictions.
    static func loss(
        _ model: ODERNNModel<Float>, _ batch: Batch, _ p: [Variable<Float>], solver: SolverConfiguration, _ log: SolveLog
    ) throws -> Variable<Float> {
        let trajectory = try model.trajectory(batch.sequences, p, solver: solver, log: log)
        return Losses.meanSquaredError(model.predictions(trajectory, p), batch.y)
    }

    /// MSE of the per-step predictions and the forward NFE, on constants.
    static func evaluate(_ model: ODERNNModel<Float>, _ batch: Batch, solver: SolverConfiguration) throws -> (mse: Double, nfe: Int) {
        let pass = try model.evaluateForward(batch.sequences, solver: solver) { trajectory, p in model.predictions(trajectory, p) }
        return (meanSquaredDifference(pass.output, batch.y), pass.nfe)
    }

    /// The experiment's folder name.
    public static let folder = "walker"

    /// The data file the experiment needs (checked before a sweep starts).
    public static let dataFile = "walker/rollout_000.npy"

    static let label = "walker"
    static let section = "5.4"
    static let secondsPerEpoch = 4.0
    static let fullTrainCount = 9_684

    static func load(_ options: CommonOptions) throws -> (train: Walker2D.Windows, valid: Walker2D.Windows, test: Walker2D.Windows) {
        let data = try Walker2D.load(directory: try options.dataLocator.folder(containing: dataFile).appendingPathComponent("walker").path)
        return (data.train, data.valid, data.test)
    }

    static func model(_ family: ModelFamily, _ configuration: Configuration) -> ODERNNModel<Float> {
        ExperimentModels.walker2D(family, seed: configuration.seed)
    }

    static func learningRate(_ family: ModelFamily, _ configuration: Configuration) -> LearningRatePolicy {
        .perEpochWithFreshPhases(schedule(family))
    }

    /// Validation every epoch; test every `testEvery` epochs and at the last.
    static func evaluationDue(epoch: Int, _ configuration: Configuration) -> (validation: Bool, test: Bool) {
        (true, epoch % configuration.testEvery == 0 || epoch == configuration.epochs - 1)
    }

    static func summary(_ family: ModelFamily, _ record: EpochRecord) -> String {
        "walker \(family.rawValue) epoch \(record.epoch): "
            + "train \(fixed(record.trainLoss, 4)), test \(record.testLoss.map { fixed($0, 4) } ?? "–"), "
            + "NFE \(fixed(record.forwardNFE, 0))/\(fixed(record.backwardNFE, 0))"
    }

    /// Figures and the report.
    static func writeReport(
        configuration: Configuration, results: FamilyEpochResults,
        counts: (train: Int, valid: Int, test: Int), run: RunDirectory
    ) throws -> Report {
        let families = configuration.families
        try drawEpochCurves(results, families: families, run: run, name: "curves.png",
                            lossLabel: "train loss", evalLabel: "test MSE")
        var report = Report(title: "Section 5.4 / Fig. 8: Walker2D")
        report.paragraph(
            "Profile `\(configuration.profile)`: one run per family (seed \(configuration.seed)), \(counted(configuration.epochs, "epoch")), "
                + "\(counts.train) training, \(counts.valid) validation and \(counts.test) test windows, batch \(configuration.batchSize) in file order, "
                + "clip \(configuration.clipNorm), solver: \(configuration.solver); as-run ξ (raw corr, trainable) for HB/GHB; "
                + "NODE/ANODE predict from h_rnn (one observation less), as the official code does.")
        report.reductions(configuration.reductions)
        report.paragraph(
            "Split: the documented one (files shuffled with RandomState(125487), 15 % test, 10 % validation, 75 % train; "
                + "windows of 64 with stride 16), which gives the official 1,937 test windows but 9,684 training windows, "
                + "whereas the official logs' 19 batches of 256 per epoch imply about 4,600–4,900: the as-run trainer saw "
                + "about half as many windows per epoch. We keep the documented split, so an epoch here is "
                + "about twice as many optimiser steps as an official one.")
        var table = MarkdownTable(columns: ["family", "params", "fwd NFE / batch (last epoch)", "bwd NFE / batch (last epoch)",
                                            "last train loss", "min valid loss", "last test MSE", "time / epoch"])
        var lastForward: [ModelFamily: Double] = [:], lastBackward: [ModelFamily: Double] = [:], lastTest: [ModelFamily: Double] = [:]
        var lastTrain: [ModelFamily: Double] = [:]
        for family in families {
            let history = results.histories[family] ?? []
            guard let last = history.last else { continue }
            lastForward[family] = last.forwardNFE
            lastBackward[family] = last.backwardNFE
            lastTest[family] = history.compactMap(\.testLoss).last
            lastTrain[family] = last.trainLoss
            table.addRow([
                family.displayName, "\(results.parameterCounts[family] ?? 0)", fixed(last.forwardNFE, 0), fixed(last.backwardNFE, 0),
                fixed(last.trainLoss, 4), fixed(history.compactMap(\.validLoss).min() ?? .nan, 4), fixed(lastTest[family] ?? .nan, 4),
                duration(MeanAndDeviation(history.map(\.epochSeconds)).mean),
            ])
        }
        report.heading("Measurements")
        report.table(table)
        report.figure("curves.png", caption: "Training loss, test MSE, forward and backward NFE per batch vs epoch (cf. Fig. 8).")
        let comparable = configuration.epochs >= 100 && configuration.trainWindows == nil
        // The loss gap opens early (official test loss at epoch 19: NODE 3.047, ANODE 2.937, HB 2.018,
        // GHB 2.015), so twenty full epochs make the loss ordering comparable; the NFE gap needs ~100 epochs.
        let lossComparable = configuration.epochs >= 20 && configuration.trainWindows == nil
        func worst(_ d: [ModelFamily: Double], _ f: [ModelFamily]) -> MeanAndDeviation? { f.compactMap { d[$0] }.max().map { MeanAndDeviation([$0]) } }
        func best(_ d: [ModelFamily: Double], _ f: [ModelFamily]) -> MeanAndDeviation? { f.compactMap { d[$0] }.min().map { MeanAndDeviation([$0]) } }
        let hb: [ModelFamily] = [.hbnode, .ghbnode], base: [ModelFamily] = [.node, .anode]
        report.stoppedEarly(results.failures)
        if results.failures[.sonode] != nil {
            report.paragraph(
                "The paper reports no SONODE-RNN result for Walker2D. Its cell integrates every gap over unit "
                    + "time, and the size of the cotangent arriving at the failed solve (in the message above) shows the "
                    + "gradient exploding through the 64 steps; the adjoint's first step then underflows, as torchdiffeq's would.")
        }
        report.heading("Claims")
        report.claims([
            Claim.less(statement: "HBNODE/GHBNODE-RNN need fewer backward NFEs than ODE-RNN/ANODE-RNN",
                       source: "paper §5.4, Fig. 8", paperValue: "1664 vs 3006/2867 at epoch 499",
                       smaller: ("max(HB, GHB)", worst(lastBackward, hb)), larger: ("min(NODE, ANODE)", best(lastBackward, base)),
                       comparable: comparable, digits: 0),
            Claim.less(statement: "HBNODE/GHBNODE-RNN need fewer forward NFEs than ODE-RNN/ANODE-RNN",
                       source: "paper §5.4, Fig. 8", paperValue: "1664 vs 2708/2657 at epoch 499",
                       smaller: ("max(HB, GHB)", worst(lastForward, hb)), larger: ("min(NODE, ANODE)", best(lastForward, base)),
                       comparable: comparable, digits: 0),
            Claim.less(statement: "HBNODE/GHBNODE-RNN reach a lower test loss than ODE-RNN/ANODE-RNN",
                       source: "paper §5.4, Fig. 8", paperValue: "1.168/1.181 vs 2.470/2.344 at epoch 499; 2.018/2.015 vs 3.047/2.937 at epoch 19",
                       smaller: ("max(HB, GHB)", worst(lastTest, hb)), larger: ("min(NODE, ANODE)", best(lastTest, base)),
                       comparable: lossComparable, digits: 3),
            Claim.near(statement: "HBNODE-RNN test loss after 20 epochs", source: "official log, epoch 19",
                       reference: 2.018, band: 0.3, measured: results.testLoss(.hbnode, atEpoch: 19),
                       comparable: configuration.epochs >= 20 && configuration.trainWindows == nil),
            Claim.near(statement: "ODE-RNN test loss after 20 epochs", source: "official log, epoch 19",
                       reference: 3.047, band: 0.3, measured: results.testLoss(.node, atEpoch: 19),
                       comparable: configuration.epochs >= 20 && configuration.trainWindows == nil),
            Claim.near(statement: "HBNODE-RNN test loss at the last epoch", source: "official log, epoch 499",
                       reference: 1.168, band: 0.15, measured: lastTest[.hbnode].map { MeanAndDeviation([$0]) },
                       comparable: configuration.epochs >= 500 && configuration.trainWindows == nil),
        ])
        try report.write(to: run)
        return report
    }
}

extension WalkerExperiment.Configuration {
    /// Training windows used (`nil` = all).
    var trainLimit: Int? { trainWindows }
    /// Validation and test windows used (`nil` = all).
    var evaluationLimit: Int? { evaluationWindows }
}

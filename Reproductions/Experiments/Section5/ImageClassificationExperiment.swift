import Datasets
import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit
import Tensors

/// Section 5.2 / Figs. 1 and 5: MNIST and CIFAR-10 classification with the five families: time-channel
/// conv vector field, ODE block on [0, 1] (dopri5 + backsolve adjoint), linear
/// classifier; test accuracy, forward/backward NFE per batch and training time per epoch.
public enum ImageClassificationExperiment {
    /// The run's configuration (written to `config.json`).
    public struct Configuration: Encodable, Sendable {
        /// "mnist" or "cifar".
        public var dataset: String
        /// Profile name.
        public var profile: String
        /// Families run.
        public var families: [ModelFamily]
        /// Initialisation and shuffling seed.
        public var seed: UInt64
        /// Epochs.
        public var epochs: Int
        /// Batch size (MNIST 64; CIFAR 256 as the code and logs).
        public var batchSize: Int
        /// Training images used (`nil` = all).
        public var trainImages: Int?
        /// Test images used (`nil` = all).
        public var testImages: Int?
        /// Learning-rate schedule per iteration (MNIST constant 5e-4 as run; CIFAR StepLR 1000/0.95 from 1e-3).
        public var learningRate: LearningRateSchedule
        /// Global gradient-norm clip (MNIST 10, CIFAR 1).
        public var clipNorm: Double
        /// How every solve runs and is differentiated: dopri5 with rtol = atol (MNIST 1e-4 as run, CIFAR 1e-3
        /// for the 5-run set), backsolve adjoint.
        public var solver: SolverConfiguration
        /// Evaluate the test set every this many epochs.
        public var testEvery: Int
        /// Images are average-pooled by this factor per side before use (1 = the paper's resolution; the
        /// quick smoke test uses 2 so that it fits in minutes).
        public var poolFactor: Int
        /// What differs from the paper's protocol.
        public var reductions: [String]
    }

    /// The configuration for a dataset and profile.
    public static func configuration(dataset: String, profile: Profile, tolerance: Double?) -> Configuration {
        let isMNIST = dataset == "mnist"
        let fullTrain = fullTrainCount(dataset)
        let epochs = profile.pick(quick: 1, default: 1, paper: 40)
        // MNIST at the paper's resolution costs 3-9 s per training batch of 64 on one core (HBNODE 3 s, NODE
        // 9 s with the Winograd convolutions; ``secondsPerTrainingImage(_:)``), so a full epoch of all five
        // families is ≈ 7.4 h of one core, ≈ 4 h on 2 cores with two families side by side. The default trains 50 batches per family so that the
        // whole section stays within hours; `full-epoch` trains the whole first epoch (checkpointed within
        // the epoch, so it can span several sessions with --resume).
        let subset = profile == .fullEpoch || profile == .paper
        let train: Int? = subset ? nil : (profile == .quick ? 8 : (isMNIST ? 3_200 : 64))
        let test: Int? = subset ? nil : (profile == .quick ? 8 : (isMNIST ? 1_000 : 64))
        let batchSize = profile.pick(quick: 8, default: 64, fullEpoch: isMNIST ? 64 : 256, paper: isMNIST ? 64 : 256)
        let pool = profile == .quick ? (isMNIST ? 2 : 4) : 1
        var reductions: [String] = []
        if epochs < 40 { reductions.append("\(counted(epochs, "epoch")) instead of 40") }
        if let train { reductions.append("\(train) of \(fullTrain) training images") }
        if let test { reductions.append("\(test) of 10,000 test images") }
        if !isMNIST && batchSize != 256 { reductions.append("batch \(batchSize) instead of 256") }
        if pool > 1 { reductions.append("images average-pooled \(pool)×\(pool) (smoke test only)") }
        return Configuration(
            dataset: dataset, profile: profile.rawValue, families: ModelFamily.allCases, seed: 0, epochs: epochs,
            batchSize: batchSize, trainImages: train, testImages: test,
            learningRate: isMNIST ? .constant(5e-4) : .step(initial: 1e-3, every: 1000, factor: 0.95),
            clipNorm: isMNIST ? 10 : 1, solver: SolverConfiguration(tolerance: tolerance ?? (isMNIST ? 1e-4 : 1e-3)),
            testEvery: isMNIST ? 1 : 2, poolFactor: pool, reductions: reductions)
    }

    /// Training images in the whole data set (MNIST 60,000, CIFAR-10 50,000; both test sets have 10,000).
    static func fullTrainCount(_ dataset: String) -> Int { dataset == "mnist" ? 60_000 : 50_000 }

    /// Loads the training and test sets.
    static func load(_ dataset: String, _ locator: DataLocator) throws -> (train: ImageClassificationSet, test: ImageClassificationSet) {
        if dataset == "mnist" {
            let folder = try locator.folder(containing: "mnist/train-images-idx3-ubyte.gz").appendingPathComponent("mnist").path
            return (try MNIST.load(directory: folder, split: .train), try MNIST.load(directory: folder, split: .test))
        }
        let archive = try locator.url(for: "cifar10/cifar-10-binary.tar.gz").path
        return (try CIFAR10.load(archive: archive, split: .train), try CIFAR10.load(archive: archive, split: .test))
    }

    /// `[B, C, H, W]` average-pooled by `factor` per side (identity for 1).
    static func pooled(_ images: Tensor<Float>, factor: Int) -> Tensor<Float> {
        guard factor > 1 else { return images }
        let (b, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let (ph, pw) = (h / factor, w / factor)
        var out = [Float](repeating: 0, count: b * c * ph * pw)
        let s = images.scalars, scale = 1 / Float(factor * factor)
        for plane in 0..<(b * c) {
            for i in 0..<ph {
                for j in 0..<pw {
                    var sum: Float = 0
                    for di in 0..<factor { for dj in 0..<factor { sum += s[(plane * h + i * factor + di) * w + j * factor + dj] } }
                    out[(plane * ph + i) * pw + j] = sum * scale
                }
            }
        }
        return Tensor(shape: [b, c, ph, pw], scalars: out)
    }

    /// Index of the largest logit per row of `[B, classes]` logits.
    static func predictedClasses(_ logits: Tensor<Float>) -> [Int] {
        Evaluation.argmaxRows(logits.scalars.map(Double.init), columns: logits.shape[1])
    }

    /// The data file a dataset needs (checked before a sweep starts).
    public static func dataFile(_ dataset: String) -> String {
        dataset == "mnist" ? "mnist/train-images-idx3-ubyte.gz" : "cifar10/cifar-10-binary.tar.gz"
    }

    /// The sweep units of a dataset's run in `folder` (default: the dataset's name): one per family, each on
    /// one core, so that `--jobs N` trains N families side by side. On two cores, two units on one core
    /// each train 1.4x faster in total than one unit whose convolutions split each batch over both cores
    /// (the many small products of a convolution scale poorly across threads); the numbers are the same
    /// either way (the convolutions' sums do not depend on the worker count).
    public static func units(dataset: String, profile: Profile, tolerance: Double? = nil, folder: String? = nil) -> [SweepUnit] {
        let configuration = configuration(dataset: dataset, profile: profile, tolerance: tolerance)
        let images = Double(configuration.trainImages ?? (dataset == "mnist" ? 60_000 : 50_000))
        let pixels = Double(configuration.poolFactor * configuration.poolFactor)
        return FamilyUnits.units(experiment: folder ?? dataset, families: configuration.families, seed: configuration.seed, cores: .one) {
            // The training images plus the test images at a third of their cost (scheduling and ETA only:
            // the longest start first).
            let perImage = secondsPerTrainingImage($0) / pixels
            return max(Double(configuration.epochs) * images * perImage + Double(configuration.testImages ?? 10_000) * perImage / 3, 1)
        }
    }

    /// Seconds per training image of one family on one core, from the full-epoch MNIST run (dopri5 at
    /// 1e-4, batch 64, two units side by side on a 2-core Xeon): NODE (92 channels, NFE 32/34) and ANODE
    /// are the longest, the stacked-state families with 50 channels about a third of that.
    static func secondsPerTrainingImage(_ family: ModelFamily) -> Double {
        switch family {
        case .node: 0.14
        case .anode: 0.125
        case .sonode: 0.052
        case .hbnode: 0.048
        case .ghbnode: 0.05
        }
    }

    /// The sizes of the options' run: the configuration, the data sets and how many images are used.
    struct Prepared {
        var configuration: Configuration
        var trainSet: ImageClassificationSet
        var testSet: ImageClassificationSet
        var trainCount: Int
        var testCount: Int
    }

    static func prepare(dataset: String, options: CommonOptions, tolerance: Double?) throws -> Prepared {
        let configuration = configuration(dataset: dataset, profile: options.profile, tolerance: tolerance)
        let (trainSet, testSet) = try load(dataset, options.dataLocator)
        return Prepared(configuration: configuration, trainSet: trainSet, testSet: testSet,
                        trainCount: min(configuration.trainImages ?? trainSet.count, trainSet.count),
                        testCount: min(configuration.testImages ?? testSet.count, testSet.count))
    }

    /// A batch's cross-entropy on the tape and its accuracy, both scaled by `share` (a data-parallel
    /// rank's share of the whole batch, ``DataParallelRun/share(ofBatch:)``; 1 in a single process).
    public static func batchLoss(
        _ model: ContinuousDepthModel<Float>, images: Tensor<Float>, labels: [Int], parameters p: [Variable<Float>],
        solver: SolverConfiguration, log: SolveLog, share: Double = 1
    ) throws -> (loss: Variable<Float>, accuracy: Double) {
        let logits = try model(Variable(constant: images), p, solver: solver, log: log)
        let accuracy = Evaluation.accuracy(predictions: predictedClasses(logits.value), labels: labels)
        let loss = Losses.crossEntropy(logits, labels: labels)
        return (share == 1 ? loss : loss * Float(share), accuracy * share)
    }

    /// Trains one unit's family (resuming from its checkpoint with `--resume`) in its unit folder. With
    /// `dataParallel`, every rank of the launch trains on its slice of each batch and only rank 0 writes
    /// (the others write into a private folder, `DataParallelRun.outputRoot(_:)`).
    public static func runUnit(
        _ unit: SweepUnit, dataset: String, options: CommonOptions, tolerance: Double? = nil, dataParallel parallel: DataParallelRun? = nil
    ) throws {
        // Every step allocates the same large activations again: keep freed memory instead of faulting it in.
        AllocatorTuning.keepFreedMemory()
        let prepared = try prepare(dataset: dataset, options: options, tolerance: tolerance)
        let configuration = prepared.configuration, trainSet = prepared.trainSet, testSet = prepared.testSet
        let testCount = prepared.testCount
        var solver = configuration.solver
        var rankOptions = options
        if let parallel {
            // A resumed rank would need every rank's view of the checkpoint, which only rank 0 writes.
            if options.resume {
                throw DataParallelError.unsupportedOption(option: "--resume", reason: "not with --data-parallel: only rank 0 keeps checkpoints; resume such a run in one process")
            }
            try parallel.checkConfiguration(configuration, batchSize: configuration.batchSize)
            solver = parallel.solver(solver)
            rankOptions.output = parallel.outputRoot(options.output)
            print("\(dataset) \(unit.id): data-parallel over \(parallel.communicator.size) ranks (rank 0 writes \(options.output))")
        }
        let sampler = BatchSampler(count: prepared.trainCount, batchSize: configuration.batchSize, shuffle: true, seed: UInt32(configuration.seed))
        let testBatches = fileOrderBatches(count: testCount, batchSize: configuration.batchSize)
        var images = Tensor<Float>(zeros: [1]), labels: [Int] = []
        let side = (dataset == "mnist" ? 28 : 32) / configuration.poolFactor
        try FamilyUnits.run(
            unit, options: rankOptions, configuration: configuration, families: configuration.families, seed: configuration.seed,
            epochs: configuration.epochs, batchesPerEpoch: sampler.batchesPerEpoch
        ) { family, run, progress in
            try trainFamilyByEpoch(
                label: dataset, family: family, seed: configuration.seed, epochs: configuration.epochs,
                clipNorm: configuration.clipNorm, batchesPerEpoch: sampler.batchesPerEpoch, configuration: configuration, run: run,
                resume: options.resume, progress: &progress,
                makeModel: { family -> ContinuousDepthModel<Float> in
                    ExperimentModels.image(dataset == "mnist" ? .mnist : .cifar10, family, seed: configuration.seed, imageSize: side)
                },
                learningRate: { _ in .perIteration(configuration.learningRate) },
                batches: { sampler.batches(epoch: $0) },
                loss: { model, indices, p, log in
                    trainSet.gather(parallel?.localPart(of: indices) ?? Array(indices), into: &images, labels: &labels)
                    return try batchLoss(model, images: pooled(images, factor: configuration.poolFactor), labels: labels, parameters: p,
                                         solver: solver, log: log, share: parallel?.share(ofBatch: indices.count) ?? 1)
                },
                evaluate: { model, epoch, record in
                    guard epoch % configuration.testEvery == 0 || epoch == configuration.epochs - 1 else { return }
                    var accuracy = AccuracyMeter(), nfe = 0, lossSum = 0.0
                    for range in testBatches {
                        testSet.gather(parallel?.localPart(of: range) ?? Array(range), into: &images, labels: &labels)
                        let log = SolveLog()
                        let logits = try model(Variable(constant: pooled(images, factor: configuration.poolFactor)),
                                               model.parameters.values.map { Variable(constant: $0) },
                                               solver: solver, log: log)
                        accuracy.add(predictions: predictedClasses(logits.value), labels: labels)
                        lossSum += Double(Losses.crossEntropy(logits, labels: labels).value.scalars[0]) * Double(labels.count)
                        nfe += log.forwardEvaluations
                    }
                    if let parallel {
                        // Each rank saw its slice of every test batch (with the NFE of the whole batch).
                        let totals = parallel.communicator.summed([Double(accuracy.correct), Double(accuracy.total), lossSum])
                        record.testAccuracy = totals[1] == 0 ? 0 : totals[0] / totals[1]
                        lossSum = totals[2]
                    } else {
                        record.testAccuracy = accuracy.accuracy
                    }
                    record.testLoss = lossSum / Double(max(testCount, 1))
                    record.testNFE = Double(nfe) / Double(max(testBatches.count, 1))
                },
                summary: { family, record in
                    "\(dataset) \(family.rawValue) epoch \(record.epoch): "
                        + "train loss \(fixed(record.trainLoss, 4)), test acc \(record.testAccuracy.map { fixed($0 * 100, 2) } ?? "–") %, "
                        + "NFE \(fixed(record.forwardNFE, 1))/\(fixed(record.backwardNFE, 1)), \(duration(record.epochSeconds))"
                },
                communicator: parallel?.communicator)
        }
    }

    /// Builds `<output>/section-5/<folder>/` (default folder: the dataset's name) from the finished unit
    /// folders; returns the report and the per-epoch histories.
    @discardableResult
    public static func merge(dataset: String, options: CommonOptions, tolerance: Double? = nil, folder: String? = nil) throws
        -> (report: Report, histories: [ModelFamily: [EpochRecord]])
    {
        // A merge reads the unit folders only: the image counts follow from the configuration and the data
        // set's fixed sizes (every unit that trained has loaded and checked the files).
        let configuration = configuration(dataset: dataset, profile: options.profile, tolerance: tolerance)
        let counts = (train: min(configuration.trainImages ?? .max, fullTrainCount(dataset)), test: min(configuration.testImages ?? .max, 10_000))
        let (results, run) = try FamilyUnits.merge(
            experiment: folder ?? dataset, options: options, configuration: configuration, families: configuration.families,
            seed: configuration.seed, cores: .one)
        let report = try writeReport(configuration: configuration, results: results,
                                     trainCount: counts.train, testCount: counts.test, run: run)
        print("section 5.2: wrote \(run.url.path)/REPORT.md")
        return (report, results.histories)
    }

    /// Figures and the report.
    static func writeReport(
        configuration: Configuration, results: FamilyEpochResults,
        trainCount: Int, testCount: Int, run: RunDirectory
    ) throws -> Report {
        let isMNIST = configuration.dataset == "mnist"
        let families = configuration.families
        try drawEpochCurves(results, families: families, run: run, name: "curves.png",
                            lossLabel: "train loss", evalLabel: "test accuracy %",
                            evaluation: { $0.testAccuracy.map { $0 * 100 } }, logLoss: false)
        var report = Report(title: isMNIST ? "Section 5.2 / Fig. 5: MNIST" : "Section 5.2 / Fig. 1: CIFAR-10")
        report.paragraph(
            "Profile `\(configuration.profile)`: one run per family (seed \(configuration.seed)), \(counted(configuration.epochs, "epoch")) on "
                + "\(trainCount) training images, test on \(testCount) images, batch \(configuration.batchSize), clip \(configuration.clipNorm), "
                + "solver: \(configuration.solver).")
        report.reductions(configuration.reductions)
        var table = MarkdownTable(columns: ["family", "params", "fwd NFE / batch (epoch 1 → last)", "bwd NFE / batch (epoch 1 → last)",
                                            "bwd/fwd (last)", "test acc % (last)", "best test acc %", "time / epoch"])
        var lastForward: [ModelFamily: Double] = [:], lastBackward: [ModelFamily: Double] = [:], best: [ModelFamily: Double] = [:]
        for family in families {
            let history = results.histories[family] ?? []
            guard let first = history.first, let last = history.last else { continue }
            lastForward[family] = last.forwardNFE
            lastBackward[family] = last.backwardNFE
            best[family] = history.compactMap(\.testAccuracy).max()
            table.addRow([
                family.displayName, "\(results.parameterCounts[family] ?? 0)",
                "\(fixed(first.forwardNFE, 1)) → \(fixed(last.forwardNFE, 1))", "\(fixed(first.backwardNFE, 1)) → \(fixed(last.backwardNFE, 1))",
                fixed(last.backwardNFE / last.forwardNFE, 2), fixed((last.testAccuracy ?? .nan) * 100, 2),
                fixed((best[family] ?? .nan) * 100, 2), duration(MeanAndDeviation(history.map(\.epochSeconds)).mean),
            ])
        }
        report.heading("Measurements")
        report.table(table)
        report.figure("curves.png", caption: "Training loss, test accuracy, forward and backward NFE per batch vs epoch (cf. \(isMNIST ? "Fig. 5" : "Fig. 1")).")
        let comparable = configuration.epochs >= 10 && configuration.trainImages == nil
        func one(_ d: [ModelFamily: Double], _ f: ModelFamily) -> MeanAndDeviation? { d[f].map { MeanAndDeviation([$0]) } }
        var claims = [
            Claim.less(statement: "HBNODE needs fewer backward NFEs than NODE", source: isMNIST ? "paper §5.2, Fig. 5" : "paper Fig. 1",
                       paperValue: isMNIST ? "38.4 vs 196.8 at epoch 40 (logs)" : "85.9 vs 642.6 at epoch 40, tol 1e-5",
                       smaller: ("HBNODE", one(lastBackward, .hbnode)), larger: ("NODE", one(lastBackward, .node)),
                       comparable: comparable, digits: 1),
            Claim.less(statement: "GHBNODE needs fewer backward NFEs than NODE", source: isMNIST ? "paper §5.2, Fig. 5" : "paper Fig. 1",
                       paperValue: isMNIST ? "49.7 vs 196.8 at epoch 40" : "82.6 vs 642.6",
                       smaller: ("GHBNODE", one(lastBackward, .ghbnode)), larger: ("NODE", one(lastBackward, .node)),
                       comparable: comparable, digits: 1),
            Claim.less(statement: "HBNODE needs fewer forward NFEs than NODE", source: isMNIST ? "paper §5.2, Fig. 5" : "paper Fig. 1",
                       paperValue: isMNIST ? "33.9 vs 81.0 at epoch 40" : "64.1 vs 74.0",
                       smaller: ("HBNODE", one(lastForward, .hbnode)), larger: ("NODE", one(lastForward, .node)),
                       comparable: comparable, digits: 1),
        ]
        if isMNIST {
            claims.append(Claim.near(statement: "HBNODE best test accuracy (%)", source: "official logs, mean of 3 runs",
                                     reference: 98.30, band: 0.5, measured: one(best, .hbnode).map { MeanAndDeviation(mean: $0.mean * 100, standardDeviation: 0, count: 1) },
                                     comparable: configuration.epochs >= 40 && configuration.trainImages == nil, digits: 2))
            claims.append(Claim.near(statement: "NODE best test accuracy (%)", source: "official logs, mean of 3 runs",
                                     reference: 97.20, band: 0.6, measured: one(best, .node).map { MeanAndDeviation(mean: $0.mean * 100, standardDeviation: 0, count: 1) },
                                     comparable: configuration.epochs >= 40 && configuration.trainImages == nil, digits: 2))
        } else {
            claims.append(Claim.near(statement: "HBNODE best test accuracy (%)", source: "official logs, 5 runs at tol 1e-3",
                                     reference: 61.16, band: 1.5, measured: one(best, .hbnode).map { MeanAndDeviation(mean: $0.mean * 100, standardDeviation: 0, count: 1) },
                                     comparable: configuration.epochs >= 40 && configuration.trainImages == nil, digits: 2))
        }
        if isMNIST { claims += epochOneClaims(configuration: configuration, results: results, report: &report) }
        report.stoppedEarly(results.failures)
        report.heading("Claims")
        report.claims(claims)
        try report.write(to: run)
        return report
    }

    /// MNIST's first epoch beside the official logs' first epoch: a table per family and the claims the
    /// logs support after one epoch. Comparable when the epoch ran on every training image and was tested
    /// on the whole test set at the as-run tolerance (the `full-epoch` and `paper` profiles).
    static func epochOneClaims(configuration: Configuration, results: FamilyEpochResults, report: inout Report) -> [Claim] {
        let firstEpoch = Dictionary(uniqueKeysWithValues: configuration.families.compactMap { family in
            results.histories[family]?.first.map { (family, $0) }
        })
        var asRunTolerance = false
        if case .adaptive(let control) = configuration.solver.controller { asRunTolerance = control.rtol == 1e-4 && control.atol == 1e-4 }
        let comparable = configuration.trainImages == nil && configuration.testImages == nil && configuration.poolFactor == 1
            && asRunTolerance && configuration.batchSize == 64
        var table = MarkdownTable(columns: ["family", "fwd NFE / batch (here · logs)", "bwd NFE / batch (here · logs)",
                                            "test acc % (here · logs)", "train loss (here · logs)"])
        for family in configuration.families {
            guard let logged = MNISTOfficialLog.epochOne[family] else { continue }
            let here = firstEpoch[family]
            func pair(_ value: Double?, _ reference: Double, _ digits: Int) -> String {
                "\(value.map { fixed($0, digits) } ?? "–") · \(fixed(reference, digits))"
            }
            table.addRow([family.displayName, pair(here?.forwardNFE, logged.forwardNFE, 1), pair(here?.backwardNFE, logged.backwardNFE, 1),
                          pair(here?.testAccuracy.map { $0 * 100 }, logged.testAccuracy, 2), pair(here?.trainLoss, logged.trainLoss, 3)])
        }
        report.heading("Epoch 1 beside the official logs")
        report.paragraph("One run here (seed \(configuration.seed)) against the mean of the logs' three runs"
            + (comparable ? "." : "; this run is reduced (see the profile), so the rows are not comparable."))
        report.table(table)
        func measured(_ family: ModelFamily, _ value: (EpochRecord) -> Double?) -> MeanAndDeviation? {
            firstEpoch[family].flatMap(value).map { MeanAndDeviation([$0]) }
        }
        let source = MNISTOfficialLog.source
        func reference(_ family: ModelFamily) -> MNISTOfficialLog.EpochOne { MNISTOfficialLog.epochOne[family]! }
        var claims: [Claim] = []
        for family in [ModelFamily.hbnode, .ghbnode] {
            claims.append(Claim.less(
                statement: "\(family.displayName) needs fewer forward NFEs than NODE in epoch 1", source: source,
                paperValue: "\(fixed(reference(family).forwardNFE, 1)) vs \(fixed(reference(.node).forwardNFE, 1))",
                smaller: (family.displayName, measured(family, \.forwardNFE)), larger: ("NODE", measured(.node, \.forwardNFE)),
                comparable: comparable, digits: 1))
            claims.append(Claim.less(
                statement: "\(family.displayName) needs fewer backward NFEs than NODE in epoch 1", source: source,
                paperValue: "\(fixed(reference(family).backwardNFE, 1)) vs \(fixed(reference(.node).backwardNFE, 1))",
                smaller: (family.displayName, measured(family, \.backwardNFE)), larger: ("NODE", measured(.node, \.backwardNFE)),
                comparable: comparable, digits: 1))
        }
        for family in configuration.families {
            guard let logged = MNISTOfficialLog.epochOne[family] else { continue }
            claims.append(Claim.near(
                statement: "\(family.displayName) test accuracy after epoch 1 (%)", source: source,
                reference: logged.testAccuracy, band: MNISTOfficialLog.accuracyBand,
                measured: measured(family) { $0.testAccuracy.map { $0 * 100 } }, comparable: comparable, digits: 2))
        }
        return claims
    }
}

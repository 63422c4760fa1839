import Datasets
import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit
import Tensors

/// Section 5.1 / Fig. 4: point-cloud separation with all five families, averaged over
/// seeded runs, with snapshots of the 120 visualisation points and the test MSE.
public enum PointCloudExperiment {
    /// The run's configuration (written to `config.json`).
    public struct Configuration: Encodable, Sendable {
        /// Profile name.
        public var profile: String
        /// Families run.
        public var families: [ModelFamily]
        /// Seeds per family (run k uses seed `baseSeed + k`; the same seeds for every family).
        public var seeds: Int
        /// First seed.
        public var baseSeed: UInt64
        /// Training settings, the solver of every solve included.
        public var training: PointCloudSettings
        /// Data file.
        public var data = "point_cloud/reference-pointcloud-2d.csv (50 train, 10 test, 120 visualisation)"
        /// What differs from the paper's protocol.
        public var reductions: [String]
    }

    /// The solver tolerance (rtol = atol) that produced the official saved point-cloud outputs.
    ///
    /// The notebooks' source shows `tol = 1e-7`, but that cell was re-executed after the 100-run cells
    /// (execution counts and timestamps in the saved notebooks), and only 1e-3 reproduces the saved
    /// figure: SONODE forward NFE 14 → 31.9 and backward 14 → 46.6, final loss 0.274; at 1e-7 the first
    /// solve alone takes 26 evaluations. Evidence: `Reproductions/Tools/pointcloud_nfe_probe.py` and
    /// this experiment's mean curves at `--pointcloud-tolerance 1e-7`. The paper's figures come from the as-run setting, so it is
    /// the default; `--pointcloud-tolerance 1e-7` runs the notebook source's value.
    public static let asRunTolerance = 1e-3

    /// The configuration for a profile.
    public static func configuration(profile: Profile, seeds: Int?, tolerance: Double? = nil) -> Configuration {
        let iterations = profile.pick(quick: 25, default: 300, paper: 300)
        let seedCount = seeds ?? profile.pick(quick: 2, default: 100, paper: 100)
        var reductions: [String] = []
        if iterations < 300 { reductions.append("\(iterations) iterations instead of 300") }
        if seedCount < 100 { reductions.append("\(seedCount) seeded runs per family instead of 100") }
        return Configuration(
            profile: profile.rawValue, families: ModelFamily.allCases, seeds: seedCount, baseSeed: 0,
            training: PointCloudSettings(iterations: iterations, solver: SolverConfiguration(tolerance: tolerance ?? asRunTolerance)),
            reductions: reductions)
    }

    /// The experiment's folder name.
    public static let folder = "pointcloud"

    /// The data file the experiment needs (checked before a sweep starts).
    public static let dataFile = "point_cloud/reference-pointcloud-2d.csv"

    /// The sweep units: every family × seed (family-major, the order of the report's runs), each on one core.
    public static func units(configuration: Configuration) -> [SweepUnit] {
        configuration.families.flatMap { family in
            (0..<UInt64(configuration.seeds)).map {
                // About 0.9 ms per iteration on one core (scheduling and ETA only).
                SweepUnit(experiment: folder, name: unitName(family, seed: configuration.baseSeed + $0), cores: .one,
                          estimatedSeconds: max(Double(configuration.training.iterations) * 0.0009, 0.01))
            }
        }
    }

    /// `<family>-seed<seed>`.
    static func unitName(_ family: ModelFamily, seed: UInt64) -> String { "\(family.rawValue)-seed\(seed)" }

    /// Trains one unit's family and seed (kept as it is when `--resume` finds it finished) in its unit folder.
    public static func runUnit(_ unit: SweepUnit, options: CommonOptions, tolerance: Double? = nil) throws {
        if let tolerance { try requirePositiveFinite(tolerance, option: "--pointcloud-tolerance") }
        let configuration = configuration(profile: options.profile, seeds: options.seeds, tolerance: tolerance)
        let seeds = (0..<UInt64(configuration.seeds)).map { configuration.baseSeed + $0 }
        guard let (family, seed) = configuration.families.lazy.flatMap({ f in seeds.map { (f, $0) } })
            .first(where: { unitName($0.0, seed: $0.1) == unit.name }) else {
            preconditionFailure("PointCloudExperiment: \(unit.id) is no unit of this configuration")
        }
        let data = try NestedSpheres.loadReference(csv: options.dataLocator.url(for: dataFile).path)
        let folder = try UnitFolder<PointCloudRun>(
            root: options.output, section: 5, unit: unit, configuration: configuration, resume: options.resume)
        if options.resume, let done = try folder.finished() {
            try validate([done], configuration: configuration, path: folder.result.url.path)
            print("point cloud: \(unit.id) finished earlier, kept")
            return
        }
        var progress = ProgressReporter(totalEpochs: 1, batchesPerEpoch: configuration.training.iterations)
        progress.epochsPerRun = 1
        progress.batchName = "iteration"
        progress.runName = "\(family.rawValue) seed \(seed)"
        let result = PointCloudTraining.train(
            family: family, seed: seed, data: data, settings: configuration.training,
            recordSnapshots: seed == configuration.baseSeed
        ) { iteration, loss in
            progress.update(epoch: 0, batch: iteration, loss: loss)
        }
        progress.endEpoch(0, summary: "\(family.displayName) seed \(seed): final MSE \(fixed(result.finalLoss, 4)), "
            + "test MSE \(fixed(result.testMSE, 4)), \(duration(result.seconds))"
            + (result.failure.map { ", FAILED: \($0)" } ?? ""))
        progress.finish()
        try folder.complete(result)
    }

    /// Builds `<output>/section-5/pointcloud/` (logs, mean curves, figures, REPORT.md) from the finished
    /// unit folders.
    @discardableResult
    public static func merge(options: CommonOptions, tolerance: Double? = nil) throws -> Report {
        if let tolerance { try requirePositiveFinite(tolerance, option: "--pointcloud-tolerance") }
        let configuration = configuration(profile: options.profile, seeds: options.seeds, tolerance: tolerance)
        let data = try NestedSpheres.loadReference(csv: options.dataLocator.url(for: dataFile).path)
        let runs = try UnitFolder<PointCloudRun>.results(
            root: options.output, section: 5, experiment: folder, units: units(configuration: configuration),
            configuration: configuration)
        let run = try RunDirectory(root: options.output, section: 5, experiment: folder)
        try validate(runs, configuration: configuration, path: run.file("units").path)
        try run.writeConfiguration(configuration)
        let report = try writeOutputs(configuration: configuration, runs: runs, data: data, run: run)
        print("section 5.1: wrote \(run.url.path)/REPORT.md")
        return report
    }

    /// Checks resumed runs against this configuration before they are reported, so a damaged checkpoint is
    /// an error naming the file rather than a crash while writing the logs.
    static func validate(_ runs: [PointCloudRun], configuration: Configuration, path: String) throws(ReproductionError) {
        let iterations = configuration.training.iterations
        let seeds = configuration.baseSeed..<(configuration.baseSeed + UInt64(configuration.seeds))
        for (k, run) in runs.enumerated() {
            func fail(_ reason: String) -> ReproductionError { .badCheckpoint(path: path, reason: "run \(k) (\(run.family.rawValue) seed \(run.seed)): \(reason)") }
            guard configuration.families.contains(run.family), seeds.contains(run.seed) else { throw fail("not a run of this configuration") }
            guard run.losses.count <= iterations, run.forwardNFE.count == run.losses.count, run.backwardNFE.count == run.losses.count else {
                throw fail("\(run.losses.count) losses, \(run.forwardNFE.count) forward and \(run.backwardNFE.count) backward NFE for \(iterations) iterations")
            }
            if let bad = run.snapshots.first(where: { $0.width < 1 || $0.positions.count % $0.width != 0 }) {
                throw fail("snapshot at iteration \(bad.iteration) has \(bad.positions.count) values for width \(bad.width)")
            }
        }
    }

    /// Per-iteration mean over the runs of one family (runs that stopped early contribute while they ran).
    static func meanCurve(_ runs: [PointCloudRun], iterations: Int, _ value: (PointCloudRun, Int) -> Double?) -> [Double] {
        (0..<iterations).map { i in
            let values = runs.compactMap { value($0, i) }
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
    }

    /// Logs, figures and the report from the completed runs.
    static func writeOutputs(
        configuration: Configuration, runs: [PointCloudRun], data: NestedSpheres.Reference, run: RunDirectory
    ) throws -> Report {
        let iterations = configuration.training.iterations
        let byFamily = Dictionary(grouping: runs, by: \.family)
        // Per-run, per-iteration log.
        let log = try run.openLog("iterations", columns: ["family", "seed", "iteration", "loss", "forward_nfe", "backward_nfe"])
        for result in runs {
            for i in result.losses.indices {
                try log.append(LogRecord([
                    ("family", .string(result.family.displayName)), ("seed", .int(Int(result.seed))), ("iteration", .int(i)),
                    ("loss", .double(result.losses[i])), ("forward_nfe", .int(result.forwardNFE[i])),
                    ("backward_nfe", .int(result.backwardNFE[i])),
                ]))
            }
        }
        // Mean curves.
        var curveColumns = ["iteration"]
        var curves: [[Double]] = []
        var forwardSeries: [FigureSeries] = [], backwardSeries: [FigureSeries] = [], lossSeries: [FigureSeries] = []
        let x = (0..<iterations).map(Double.init)
        for family in configuration.families {
            let familyRuns = byFamily[family] ?? []
            let forward = meanCurve(familyRuns, iterations: iterations) { $1 < $0.forwardNFE.count ? Double($0.forwardNFE[$1]) : nil }
            let backward = meanCurve(familyRuns, iterations: iterations) { $1 < $0.backwardNFE.count ? Double($0.backwardNFE[$1]) : nil }
            let loss = meanCurve(familyRuns, iterations: iterations) { $1 < $0.losses.count ? $0.losses[$1] : nil }
            let name = family.rawValue
            curveColumns += ["\(name)_forward_nfe", "\(name)_backward_nfe", "\(name)_loss"]
            curves += [forward, backward, loss]
            forwardSeries.append(FigureSeries(name: family.displayName, x: x, y: forward))
            backwardSeries.append(FigureSeries(name: family.displayName, x: x, y: backward))
            lossSeries.append(FigureSeries(name: family.displayName, x: x, y: loss))
        }
        try run.writeCSV("mean-curves.csv", columns: curveColumns, rows: x.indices.map { i in [x[i]] + curves.map { $0[i] } })
        try drawFigure(FigureLayout(panels: [
            FigurePanel(title: "Forward NFE (mean of \(configuration.seeds) runs)", xLabel: "iteration", yLabel: "NFE", series: forwardSeries),
            FigurePanel(title: "Backward NFE", xLabel: "iteration", yLabel: "NFE", series: backwardSeries),
            FigurePanel(title: "Training loss (MSE)", xLabel: "iteration", yLabel: "loss", series: lossSeries),
        ], columns: 3, panelWidth: 460, panelHeight: 360), to: run, name: "nfe-loss.png")

        // Snapshots (first seed of each family), Fig. 4's top row.
        let inner = (0..<data.visualisation.count).map { data.visualisation.labels.scalars[$0] < 0 ? 0 : 1 }
        var snapshotRows: [[Double]] = []
        for family in configuration.families {
            guard let first = (byFamily[family] ?? []).min(by: { $0.seed < $1.seed }), !first.snapshots.isEmpty else { continue }
            let panels = first.snapshots.map { snapshot -> FigurePanel in
                let points = snapshot.positions.count / snapshot.width
                let xs = (0..<points).map { Double(snapshot.positions[$0 * snapshot.width]) }
                let ys = (0..<points).map { Double(snapshot.positions[$0 * snapshot.width + 1]) }
                for p in 0..<points {
                    snapshotRows.append([Double(ModelFamily.allCases.firstIndex(of: family)!), Double(snapshot.iteration),
                                         Double(p), xs[p], ys[p], Double(inner[p])])
                }
                return FigurePanel(
                    title: "\(family.displayName), iteration \(snapshot.iteration)", xLabel: "h1(T)", yLabel: "h2(T)", legend: false,
                    series: [FigureSeries(name: "points", x: xs, y: ys, style: .markers, classes: Array(inner.prefix(points)))])
            }
            try drawFigure(FigureLayout(panels: panels, columns: 3, panelWidth: 340, panelHeight: 320),
                           to: run, name: "snapshots-\(family.rawValue).png")
        }
        try run.writeCSV("snapshots.csv", columns: ["family_index", "iteration", "point", "x", "y", "outer"], rows: snapshotRows)

        // Report.
        var report = Report(title: "Section 5.1 / Fig. 4: point-cloud separation")
        report.paragraph(
            "Profile `\(configuration.profile)`: \(configuration.seeds) seeded runs per family (seeds \(configuration.baseSeed)…"
                + "\(configuration.baseSeed + UInt64(configuration.seeds) - 1)), \(iterations) full-batch Adam iterations "
                + "(lr \(configuration.training.learningRate)); solver: \(configuration.training.solver). "
                + "Data: the official 50/10/120-point reference set.")
        if !configuration.reductions.isEmpty {
            report.paragraph("Reduced relative to the paper: " + configuration.reductions.joined(separator: "; ") + ".")
        }
        let comparable = iterations == 300 && configuration.seeds >= 10
        var table = MarkdownTable(columns: [
            "family", "params", "runs", "fwd NFE (mean over iters)", "bwd NFE (mean over iters)", "fwd/bwd NFE last iter",
            "train MSE last iter", "runs at MSE 0", "test MSE", "time / run",
        ])
        var summaries: [ModelFamily: FamilySummary] = [:]
        for family in configuration.families {
            let familyRuns = (byFamily[family] ?? []).filter { !$0.losses.isEmpty }
            func perRunMean(_ values: (PointCloudRun) -> [Int]) -> MeanAndDeviation {
                MeanAndDeviation(familyRuns.map { Double(values($0).reduce(0, +)) / Double(max(values($0).count, 1)) })
            }
            let forward = perRunMean(\.forwardNFE), backward = perRunMean(\.backwardNFE)
            let final = MeanAndDeviation(familyRuns.map(\.finalLoss))
            let test = MeanAndDeviation(familyRuns.map(\.testMSE).filter(\.isFinite))
            let zero = familyRuns.isEmpty ? .nan : Double(familyRuns.filter { $0.finalLoss < 1e-10 }.count) / Double(familyRuns.count)
            let lastForward = MeanAndDeviation(familyRuns.map { Double($0.forwardNFE.last!) })
            let lastBackward = MeanAndDeviation(familyRuns.map { Double($0.backwardNFE.last!) })
            summaries[family] = FamilySummary(
                forward: forward, backward: backward, final: final, test: test, zero: zero, lastForward: lastForward,
                lastBackward: lastBackward)
            let model: ContinuousDepthModel<Float> = ExperimentModels.pointCloud(family, seed: configuration.baseSeed)
            let parameters = model.parameterCount
            let failures = (byFamily[family] ?? []).filter { $0.failure != nil }.count
            table.addRow([
                family.displayName, "\(parameters) (code \(PaperExperiment.pointCloud.referenceParameterCount(family)))",
                "\(familyRuns.count)" + (failures > 0 ? " (\(failures) failed)" : ""),
                forward.formatted(fractionDigits: 1), backward.formatted(fractionDigits: 1),
                "\(fixed(lastForward.mean, 1)) / \(fixed(lastBackward.mean, 1))", final.formatted(fractionDigits: 3),
                familyRuns.isEmpty ? "–" : "\(Int((zero * 100).rounded())) %", test.formatted(fractionDigits: 3),
                duration(MeanAndDeviation(familyRuns.map(\.seconds)).mean),
            ])
        }
        report.heading("Measurements (mean ± std over seeds)")
        report.table(table)
        report.figure("nfe-loss.png", caption: "Forward NFE, backward NFE and training loss per iteration, averaged over the seeded runs (cf. Fig. 4, bottom).")
        for family in configuration.families where FileManager.default.fileExists(atPath: run.file("snapshots-\(family.rawValue).png").path) {
            report.figure("snapshots-\(family.rawValue).png",
                          caption: "\(family.displayName): the 120 visualisation points at T (blue inner, orange outer) during training (seed \(configuration.baseSeed); cf. Fig. 4, top).")
        }

        // Claims.
        func ratio(_ a: ModelFamily, _ b: ModelFamily) -> MeanAndDeviation? {
            // Per-seed ratio of mean backward NFE (same seeds across families).
            let left = Dictionary(uniqueKeysWithValues: (byFamily[a] ?? []).map { ($0.seed, $0) })
            let values = (byFamily[b] ?? []).compactMap { other -> Double? in
                guard let mine = left[other.seed], !mine.backwardNFE.isEmpty, !other.backwardNFE.isEmpty else { return nil }
                let m = Double(mine.backwardNFE.reduce(0, +)) / Double(mine.backwardNFE.count)
                let o = Double(other.backwardNFE.reduce(0, +)) / Double(other.backwardNFE.count)
                return m / o
            }
            return values.isEmpty ? nil : MeanAndDeviation(values)
        }
        var claims: [Claim] = []
        let baselines: [ModelFamily] = [.node, .anode, .sonode]
        let metrics: [(String, (FamilySummary) -> MeanAndDeviation)] = [("forward", { $0.forward }), ("backward", { $0.backward })]
        for (metric, pick) in metrics {
            let hb = [ModelFamily.hbnode, .ghbnode].compactMap { summaries[$0].map(pick) }
            let base = baselines.compactMap { summaries[$0].map(pick) }
            let worstHB = hb.max { $0.mean < $1.mean }, bestBase = base.min { $0.mean < $1.mean }
            claims.append(Claim.less(
                statement: "HBNODE and GHBNODE need fewer \(metric) NFEs than NODE, ANODE and SONODE",
                source: "paper §5.1, Fig. 4", paperValue: "qualitative (HB/GHB curves lowest)",
                smaller: ("max(HB, GHB)", worstHB), larger: ("min(NODE, ANODE, SONODE)", bestBase),
                comparable: comparable, digits: 1))
        }
        if let r = ratio(.hbnode, .node) {
            claims.append(Claim.holds(
                r.mean < 1, statement: "Backward-NFE ratio HBNODE / NODE is below 1",
                source: "paper §5.1, Fig. 4", paperValue: "< 1 (the notebooks saved no NODE numbers)",
                measuredValue: r.formatted(fractionDigits: 2) + " (per-seed ratio of mean backward NFE)",
                rule: "rule: mean ratio < 1", comparable: comparable))
        }
        for family in [ModelFamily.hbnode, .ghbnode, .sonode] {
            guard let s = summaries[family] else { continue }
            claims.append(Claim.near(
                statement: "\(family.displayName) mean training MSE at the last iteration",
                source: PointCloudReference.source, reference: PointCloudReference.finalTrainMSE[family]!,
                band: 0.05 + 2 * s.final.standardDeviation / Double(max(s.final.count, 1)).squareRoot(),
                measured: s.final, comparable: comparable))
            claims.append(Claim.near(
                statement: "\(family.displayName) mean test MSE",
                source: PointCloudReference.source, reference: PointCloudReference.testMSE[family]!,
                band: 0.1 + 2 * s.test.standardDeviation / Double(max(s.test.count, 1)).squareRoot(),
                measured: s.test, comparable: comparable))
        }
        if let hb = summaries[.hbnode], let so = summaries[.sonode] {
            claims.append(Claim.holds(
                hb.zero > so.zero,
                statement: "HBNODE converges to zero loss more consistently than SONODE",
                source: "paper §5.1; \(PointCloudReference.source)",
                paperValue: "\(fixed(PointCloudReference.zeroLossShare[.hbnode]! * 100, 0)) % vs "
                    + "\(fixed(PointCloudReference.zeroLossShare[.sonode]! * 100, 0)) % of runs at MSE 0",
                measuredValue: "\(fixed(hb.zero * 100, 0)) % vs \(fixed(so.zero * 100, 0)) %",
                rule: "rule: HBNODE's share of runs ending at MSE < 1e-10 exceeds SONODE's", comparable: comparable))
            claims.append(Claim.near(
                statement: "SONODE mean forward NFE at the last iteration",
                source: PointCloudReference.source, reference: PointCloudReference.sonodeFinalNFE.forward,
                band: 0.25 * PointCloudReference.sonodeFinalNFE.forward,
                measured: so.lastForward,
                comparable: comparable, digits: 1))
            claims.append(Claim.near(
                statement: "SONODE mean backward NFE at the last iteration",
                source: PointCloudReference.source, reference: PointCloudReference.sonodeFinalNFE.backward,
                band: 0.25 * PointCloudReference.sonodeFinalNFE.backward,
                measured: so.lastBackward,
                comparable: comparable, digits: 1))
        }
        if let node = summaries[.node], let hb = summaries[.hbnode] {
            claims.append(Claim.less(
                statement: "NODE cannot separate the nested spheres (its final loss stays above HBNODE's)",
                source: "paper §5.1 (topology preservation)", paperValue: "qualitative (no NODE outputs saved)",
                smaller: ("HBNODE", hb.final), larger: ("NODE", node.final), comparable: comparable))
        }
        report.heading("Claims")
        if !comparable {
            report.paragraph("This profile is too reduced (fewer than 300 iterations or 10 seeds) for the verdicts to count: every claim is marked *not comparable*; the rules show what would be checked.")
        }
        report.claims(claims)
        try report.write(to: run)
        return report
    }
}


/// One family's figures over its seeded runs.
struct FamilySummary {
    /// Per-run mean forward NFE per iteration, summarised over runs.
    var forward: MeanAndDeviation
    /// Per-run mean backward NFE per iteration, summarised over runs.
    var backward: MeanAndDeviation
    /// Training MSE at the last iteration.
    var final: MeanAndDeviation
    /// Test MSE after training.
    var test: MeanAndDeviation
    /// Share of runs ending at MSE < 1e-10.
    var zero: Double
    /// Forward NFE at the last iteration, over runs.
    var lastForward: MeanAndDeviation
    /// Backward NFE at the last iteration, over runs.
    var lastBackward: MeanAndDeviation
}

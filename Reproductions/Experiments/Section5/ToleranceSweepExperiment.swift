import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit

/// Fig. 6: CIFAR-10 forward vs backward NFE per epoch for every family trained at several tolerances,
/// one scatter panel per family coloured by tolerance on a log colour bar, with the dashed y = x line.
/// Each tolerance is a full CIFAR run of the profile (its own folder `cifar-tol-<tol>/` with REPORT.md).
public enum ToleranceSweepExperiment {
    /// The sweep's `config.json`: the solver of every tolerance's run and where each run's full configuration is.
    struct SweepConfiguration: Encodable {
        var profile: String
        var solvers: [SolverConfiguration]
        var perToleranceConfiguration: String
    }

    /// The tolerances of the paper's study: 1 … 1e-5 for `paper`; three for `default`, two for `quick`.
    public static func tolerances(profile: Profile) -> [Double] {
        profile.pick(quick: [1e-1, 1e-3], default: [1e-1, 1e-3, 1e-5], paper: [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5])
    }

    /// The folder of one tolerance's CIFAR run.
    static func folder(tolerance: Double) -> String { "cifar-tol-\(scientific(tolerance, 0))" }

    /// The sweep units: every tolerance × family (a full CIFAR unit each, with every core).
    public static func units(profile: Profile) -> [SweepUnit] {
        tolerances(profile: profile).flatMap {
            ImageClassificationExperiment.units(dataset: "cifar", profile: profile, tolerance: $0, folder: folder(tolerance: $0))
        }
    }

    /// Trains one unit (a family at one tolerance) in its unit folder.
    public static func runUnit(_ unit: SweepUnit, options: CommonOptions) throws {
        guard let tolerance = tolerances(profile: options.profile).first(where: { folder(tolerance: $0) == unit.experiment }) else {
            preconditionFailure("ToleranceSweepExperiment: \(unit.id) is no unit of profile \(options.profile.rawValue)")
        }
        try ImageClassificationExperiment.runUnit(unit, dataset: "cifar", options: options, tolerance: tolerance)
    }

    /// Merges every tolerance's CIFAR run (its own `cifar-tol-<tol>/REPORT.md`) and writes
    /// `<output>/section-5/cifar-tolerance/`.
    @discardableResult
    public static func merge(options: CommonOptions) throws -> Report {
        let tolerances = tolerances(profile: options.profile)
        var points: [ModelFamily: [(forward: Double, backward: Double, tolerance: Double)]] = [:]
        var rows: [[Double]] = []
        var histories: [[ModelFamily: [EpochRecord]]] = []
        for tolerance in tolerances {
            histories.append(try ImageClassificationExperiment.merge(
                dataset: "cifar", options: options, tolerance: tolerance, folder: folder(tolerance: tolerance)).histories)
        }
        let run = try RunDirectory(root: options.output, section: 5, experiment: "cifar-tolerance")
        // One solver per tolerance: each run's own config.json (in `cifar-tol-<tol>/`) records it in full.
        try run.writeConfiguration(SweepConfiguration(
            profile: options.profile.rawValue,
            solvers: tolerances.map { ImageClassificationExperiment.configuration(dataset: "cifar", profile: options.profile, tolerance: $0).solver },
            perToleranceConfiguration: "cifar-tol-<tol>/config.json"))
        for (tolerance, outcome) in zip(tolerances, histories) {
            // Family order, not the dictionary's (which changes from run to run), so the CSV is reproducible.
            for family in ModelFamily.allCases {
                guard let history = outcome[family] else { continue }
                for record in history {
                    points[family, default: []].append((record.forwardNFE, record.backwardNFE, tolerance))
                    rows.append([Double(ModelFamily.allCases.firstIndex(of: family)!), tolerance, Double(record.epoch),
                                 record.forwardNFE, record.backwardNFE])
                }
            }
        }
        try run.writeCSV("nfe-by-tolerance.csv", columns: ["family_index", "tolerance", "epoch", "forward_nfe", "backward_nfe"], rows: rows)
        let panels = ModelFamily.allCases.compactMap { family -> FigurePanel? in
            guard let p = points[family], !p.isEmpty else { return nil }
            let top = max(p.map(\.forward).max()!, p.map(\.backward).max()!)
            return FigurePanel(
                title: family.displayName, xLabel: "forward NFE", yLabel: "backward NFE", colorLabel: "tolerance",
                logColor: true, legend: false,
                series: [
                    FigureSeries(name: "y = x", x: [0, top], y: [0, top], style: .dashed),
                    FigureSeries(name: "epochs", x: p.map(\.forward), y: p.map(\.backward), style: .markers, colorValues: p.map(\.tolerance)),
                ])
        }
        try drawFigure(FigureLayout(panels: panels, columns: panels.count, panelWidth: 360, panelHeight: 340), to: run, name: "nfe-vs-tolerance.png")
        var report = Report(title: "Section 5.2 / Fig. 6: CIFAR-10 NFE against tolerance")
        report.paragraph("Profile `\(options.profile.rawValue)`; tolerances \(tolerances.map { scientific($0, 0) }.joined(separator: ", ")); "
            + "each point is one epoch's mean forward and backward NFE per batch. Per-tolerance runs and their reports are in `../cifar-tol-*/`.")
        var table = MarkdownTable(columns: ["family"] + tolerances.map { "tol \(scientific($0, 0)): fwd / bwd" })
        var slopes: [ModelFamily: Double] = [:]
        for family in ModelFamily.allCases {
            guard let p = points[family] else { continue }
            table.addRow([family.displayName] + tolerances.map { tol in
                let at = p.filter { $0.tolerance == tol }
                guard !at.isEmpty else { return "–" }
                return "\(fixed(at.map(\.forward).reduce(0, +) / Double(at.count), 1)) / \(fixed(at.map(\.backward).reduce(0, +) / Double(at.count), 1))"
            })
            slopes[family] = p.map(\.backward).reduce(0, +) / max(p.map(\.forward).reduce(0, +), 1)
        }
        report.table(table)
        report.figure("nfe-vs-tolerance.png", caption: "Backward vs forward NFE per epoch, coloured by tolerance (log colour bar); dashed y = x (cf. Fig. 6).")
        let comparable = options.profile == .paper
        let hbRatio = [ModelFamily.hbnode, .ghbnode].compactMap { slopes[$0] }.max()
        let baseRatio = [ModelFamily.node, .anode].compactMap { slopes[$0] }.min()
        report.heading("Claims")
        report.claims([Claim.less(
            statement: "Across tolerances HB/GHB keep backward NFE close to forward NFE, while NODE/ANODE's backward NFE ≫ forward",
            source: "paper Fig. 6; tolerance study logs", paperValue: "bwd/fwd at tol 1e-5, epoch 40: HB 1.3, GHB 1.5, NODE 8.7, ANODE 7.2",
            smaller: ("max bwd/fwd (HB, GHB)", hbRatio.map { MeanAndDeviation([$0]) }),
            larger: ("min bwd/fwd (NODE, ANODE)", baseRatio.map { MeanAndDeviation([$0]) }), comparable: comparable)])
        try report.write(to: run)
        print("section 5.2 (Fig. 6): wrote \(run.url.path)/REPORT.md")
        return report
    }
}

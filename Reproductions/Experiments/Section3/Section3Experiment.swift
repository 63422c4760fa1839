import Datasets
import Foundation
import Metrics
import NeuralODEModels
import ReproductionKit
import Tensors

/// Section 3 / Fig. 2: the silverbox initialisation test of the official script. No training: for each family, ten
/// random initialisations of the linear vector field `f(t, z) = W[z, V1(t)] + b` (`ExperimentModels.silverbox`)
/// are integrated from the first V2 sample over t = 0…63, and log10 of the mean ℓ2 norm of the whole state
/// is plotted, with log10|V2(t)| as "Exact".
public enum Section3Experiment {
    /// The run's configuration (written to `config.json`).
    public struct Configuration: Encodable, Sendable {
        /// Profile name.
        public var profile: String
        /// Random initialisations per family.
        public var initialisations: Int
        /// First seed; initialisation k of family j uses seed `baseSeed + 1000 j + k`.
        public var baseSeed: UInt64
        /// Output times 0…horizon.
        public var horizon: Int
        /// How every solve runs (forward only: there is no training).
        public var solver: SolverConfiguration
        /// How V1 is read between samples: the reference code's extrapolation bug, or interpolation.
        public var forcing: SampledSignal.Reading
        /// Training samples used for V1 (the code's first 1000).
        public var trainingSamples: Int
    }

    /// The configuration for the options.
    public static func configuration(profile: Profile, initialisations: Int?, fixForcing: Bool) -> Configuration {
        Configuration(
            profile: profile.rawValue, initialisations: initialisations ?? 10, baseSeed: 2021, horizon: 63,
            solver: SolverConfiguration(tolerance: 1e-7), forcing: fixForcing ? .interpolate : .referenceExtrapolation,
            trainingSamples: Silverbox.trainLength)
    }

    /// Loads sb.csv through Datasets: both columns mean-centred over the whole file and multiplied by 100.
    static func loadSilverbox(_ locator: DataLocator) throws -> (v1: [Double], v2: [Double]) {
        let series = try Silverbox.load(csv: locator.url(for: "silverbox/sb.csv").path)
        return (series.v1, series.v2)
    }

    /// Mean over the initialisations of ‖z(t)‖₂ for one family at t = 0…horizon (∞ where a solve failed).
    static func meanNorms(family: ModelFamily, familyIndex: Int, configuration: Configuration, v1: [Double], x0: Double)
        -> (means: [Double], nfe: [Int])
    {
        let forcing = SampledSignal(values: Array(v1.prefix(configuration.trainingSamples)), reading: configuration.forcing)
        let times = (0...configuration.horizon).map(Double.init)
        let start = Variable(constant: Tensor<Double>(shape: [1, 1], scalars: [x0]))
        var sums = [Double](repeating: 0, count: times.count)
        var nfe: [Int] = []
        for k in 0..<configuration.initialisations {
            let seed = configuration.baseSeed + UInt64(1000 * familyIndex + k)
            let model: ContinuousDepthModel<Double> = ExperimentModels.silverbox(family, seed: seed, forcing: forcing)
            let log = SolveLog()
            do {
                let states = try model.trajectory(
                    start, model.parameters.values.map { Variable(constant: $0) }, times: times, solver: configuration.solver, log: log)
                for (i, state) in states.enumerated() { sums[i] += state.value.squaredNorm.squareRoot() }
                nfe.append(log.forwardEvaluations)
            } catch {
                // A blow-up past Double range ends the trajectory: count it as unbounded from the start of
                // the failure so the mean reflects it instead of silently dropping the initialisation.
                for i in sums.indices { sums[i] = .infinity }
                print("section 3: \(family.displayName) init \(k) failed: \(error)")
            }
        }
        return (sums.map { $0 / Double(configuration.initialisations) }, nfe)
    }

    /// Runs the test and writes `<output>/section-3/silverbox/`.
    @discardableResult
    public static func run(options: CommonOptions, fixForcing: Bool) throws -> Report {
        try options.requireNoResume(experiment: "section 3")
        let configuration = configuration(profile: options.profile, initialisations: options.seeds, fixForcing: fixForcing)
        let (v1, v2) = try loadSilverbox(options.dataLocator)
        let run = try RunDirectory(
            root: options.output, section: 3, experiment: fixForcing ? "silverbox-fixed-forcing" : "silverbox")
        try run.writeConfiguration(configuration)
        var columns = ["t", "exact_abs_v2"]
        var series: [[Double]] = []
        var nfes: [ModelFamily: [Int]] = [:]
        let families = ModelFamily.allCases
        for (j, family) in families.enumerated() {
            let (means, nfe) = meanNorms(family: family, familyIndex: j, configuration: configuration, v1: v1, x0: v2[0])
            series.append(means)
            nfes[family] = nfe
            columns.append(family.rawValue + "_mean_norm")
        }
        let times = (0...configuration.horizon).map(Double.init)
        let exact = times.indices.map { abs(v2[$0]) }
        try run.writeCSV("norms.csv", columns: columns, rows: times.indices.map { i in
            [times[i], exact[i]] + series.map { $0[i] }
        })
        var panelSeries = families.indices.map { j in
            FigureSeries(name: families[j].displayName, x: times, y: series[j].map { Foundation.log10($0) })
        }
        panelSeries.append(FigureSeries(name: "Exact |V2|", x: times, y: exact.map { Foundation.log10(max($0, 1e-12)) }, style: .dashed))
        try drawFigure(FigureLayout(panels: [FigurePanel(
            title: "Silverbox: mean state norm at initialisation (\(configuration.forcing.rawValue) forcing)",
            xLabel: "t", yLabel: "log10 |h(t)|", series: panelSeries)], columns: 1, panelWidth: 760, panelHeight: 480),
            to: run, name: "norms.png")

        var report = Report(title: "Section 3 / Fig. 2: silverbox state norm at initialisation")
        report.paragraph(
            "Profile `\(configuration.profile)`; \(configuration.initialisations) random initialisations per family "
                + "(seeds \(configuration.baseSeed) + 1000·family + k); forcing mode `\(configuration.forcing.rawValue)`"
                + (configuration.forcing == .referenceExtrapolation
                    ? " (the official code's extrapolation bug; `--fix-forcing` interpolates instead)."
                    : " (linear interpolation of the training V1 series; the paper's figure used the buggy extrapolation).")
                + " Solver: \(configuration.solver). The plotted norm is the ℓ2 norm of the whole state (velocity and zero channels included), as the "
                + "code does, averaged over the initialisations.")
        var table = MarkdownTable(columns: ["family", "log10 mean norm t=0", "t=16", "t=32", "t=63", "mean NFE per solve"])
        for (j, family) in families.enumerated() {
            let nfe = nfes[family] ?? []
            table.addRow([family.displayName] + [0, 16, 32, 63].map { fixed(Foundation.log10(series[j][$0]), 2) }
                + [nfe.isEmpty ? "–" : fixed(Double(nfe.reduce(0, +)) / Double(nfe.count), 1)])
        }
        table.addRow(["Exact |V2|"] + [0, 16, 32, 63].map { fixed(Foundation.log10(max(exact[$0], 1e-12)), 2) } + ["–"])
        report.table(table)
        report.figure("norms.png", caption: "log10 of the mean state norm vs t (cf. the paper's Fig. 2).")
        let final = Dictionary(uniqueKeysWithValues: families.enumerated().map { ($1, series[$0].last ?? .nan) })
        let grows: [ModelFamily] = [.anode, .sonode, .hbnode]
        let growthText = families.map { "\($0.displayName) \(fixed(Foundation.log10(final[$0]!), 2))" }.joined(separator: ", ")
        report.heading("Claims")
        report.claims([
            Claim.holds(
                grows.allSatisfy { Foundation.log10(final[$0]!) >= Foundation.log10(final[.node]!) + 1 },
                statement: "‖h(t)‖ grows much faster for ANODE, SONODE and HBNODE than for NODE",
                source: "paper §3, Fig. 2 (the official repository saved no numbers)", paperValue: "qualitative (figure)",
                measuredValue: "log10 mean norm at t=63: " + growthText,
                rule: "rule: each of ANODE, SONODE, HBNODE ends at least one decade above NODE"),
            Claim.holds(
                grows.allSatisfy { Foundation.log10(final[.ghbnode]!) + 1 <= Foundation.log10(final[$0]!) },
                statement: "GHBNODE controls the growth of ‖h(t)‖",
                source: "paper §3, Fig. 2", paperValue: "qualitative (figure)",
                measuredValue: "log10 mean norm at t=63: " + growthText,
                rule: "rule: GHBNODE ends at least one decade below ANODE, SONODE and HBNODE"),
        ])
        try report.write(to: run)
        print("section 3: wrote \(run.url.path)/REPORT.md")
        return report
    }
}

import Foundation
import Metrics
import NeuralODEModels
import ODESolvers
import ReproductionKit
import Tensors

/// Section 2 / Appendix E.6: the heavy-ball ODE `x'' + γx' = −∇F(x)` against the gradient flow
/// `x' = −∇F(x)` on Rosenbrock and Beale. The paper gives no initial point, γ or horizon, so
/// every setting here is ours and is written to `config.json` and the report.
public enum Section2Experiment {
    /// One problem's settings.
    public struct Problem: Codable, Sendable {
        /// "Rosenbrock" or "Beale".
        public var function: String
        /// Initial point (the heavy-ball ODE starts at rest).
        public var start: [Double]
        /// Damping γ of the headline comparison.
        public var gamma: Double
        /// Extra damping values for the sensitivity table.
        public var gammaSweep: [Double]
        /// Integration horizon.
        public var horizon: Double
    }

    /// The run's configuration (written to `config.json`).
    public struct Configuration: Encodable, Sendable {
        /// Profile name.
        public var profile: String
        /// The two problems.
        public var problems: [Problem]
        /// Output grid size on [0, horizon].
        public var outputPoints: Int
        /// How every solve runs (dopri5, rtol = atol = 1e-9; forward only, so the gradient method is unused).
        public var solver: SolverConfiguration
        /// Distance to the minimiser that counts as "reached".
        public var reachThreshold: Double
    }

    /// Measurements of one trajectory.
    public struct Trajectory: Sendable {
        /// Output times.
        public var times: [Double]
        /// Positions (x, y) at the output times.
        public var points: [(Double, Double)]
        /// Distance to the minimiser at the output times.
        public var distances: [Double]
        /// Solver statistics.
        public var statistics: SolverStatistics
        /// First output time at which the distance falls below the threshold and stays below it.
        public func timeToReach(_ threshold: Double) -> Double? {
            guard let last = distances.lastIndex(where: { $0 >= threshold }) else { return times.first }
            return last + 1 < times.count ? times[last + 1] : nil
        }
    }

    /// The configuration for a profile: the problems do not change with the profile (they are cheap), only
    /// the output grid.
    public static func configuration(profile: Profile) -> Configuration {
        Configuration(
            profile: profile.rawValue,
            problems: [
                Problem(function: "Rosenbrock", start: [-1.2, 1.0], gamma: 1.0, gammaSweep: [0.5, 1, 2, 3], horizon: 30),
                Problem(function: "Beale", start: [0.5, 1.5], gamma: 1.0, gammaSweep: [0.5, 1, 2, 3], horizon: 30),
            ],
            outputPoints: profile.pick(quick: 3001, default: 3001, paper: 6001),
            solver: SolverConfiguration(tolerance: 1e-9), reachThreshold: 1e-2)
    }

    /// Integrates the heavy-ball ODE (`heavyBall: true`, damping `gamma`) or the gradient flow.
    public static func integrate(
        _ function: TestFunction, start: [Double], gamma: Double, heavyBall: Bool, horizon: Double,
        points: Int, solver: SolverConfiguration
    ) throws -> Trajectory {
        let times = (0..<points).map { horizon * Double($0) / Double(points - 1) }
        let solution: Solution<Tensor<Double>>
        if heavyBall {
            // First-order form: x' = v, v' = −γv − ∇F(x); the state is (x, y, vx, vy), starting at rest.
            solution = try solve(
                { _, s in
                    let (gx, gy) = function.gradient(s.scalars[0], s.scalars[1])
                    return Tensor(shape: [4], scalars: [s.scalars[2], s.scalars[3],
                                                        -gamma * s.scalars[2] - gx, -gamma * s.scalars[3] - gy])
                },
                y0: Tensor(shape: [4], scalars: [start[0], start[1], 0, 0]), times: times, method: solver.method,
                controller: solver.controller)
        } else {
            solution = try solve(
                { _, s in
                    let (gx, gy) = function.gradient(s.scalars[0], s.scalars[1])
                    return Tensor(shape: [2], scalars: [-gx, -gy])
                },
                y0: Tensor(shape: [2], scalars: start), times: times, method: solver.method,
                controller: solver.controller)
        }
        let positions = solution.states.map { ($0.scalars[0], $0.scalars[1]) }
        return Trajectory(
            times: times, points: positions,
            distances: positions.map { function.distanceToMinimum($0.0, $0.1) },
            statistics: solution.statistics)
    }

    /// Runs the section and writes `<output>/section-2/optimization/`.
    @discardableResult
    public static func run(options: CommonOptions) throws -> Report {
        try options.requireNoSeeds(experiment: "section 2")
        try options.requireNoResume(experiment: "section 2")
        let configuration = configuration(profile: options.profile)
        let run = try RunDirectory(root: options.output, section: 2, experiment: "optimization")
        try run.writeConfiguration(configuration)
        var report = Report(title: "Section 2 / Appendix E.6: heavy-ball ODE vs gradient flow")
        report.paragraph(
            "Profile `\(configuration.profile)`. The paper gives no initial points, γ, horizon or tolerances for this "
                + "experiment: **all settings below are ours**. "
                + "Solver of both ODEs: \(configuration.solver); the heavy-ball ODE starts at rest (v(0) = 0).")
        var claims: [Claim] = []
        var trajectoryPanels: [FigurePanel] = []
        var distancePanels: [FigurePanel] = []
        for problem in configuration.problems {
            let function: TestFunction = problem.function == "Beale" ? .beale : .rosenbrock
            let heavyBall = try integrate(
                function, start: problem.start, gamma: problem.gamma, heavyBall: true, horizon: problem.horizon,
                points: configuration.outputPoints, solver: configuration.solver)
            let flow = try integrate(
                function, start: problem.start, gamma: 0, heavyBall: false, horizon: problem.horizon,
                points: configuration.outputPoints, solver: configuration.solver)
            let slug = problem.function.lowercased()
            try run.writeCSV(
                "\(slug)-trajectories.csv",
                columns: ["t", "hb_x", "hb_y", "hb_distance", "gf_x", "gf_y", "gf_distance"],
                rows: heavyBall.times.indices.map { i in
                    [heavyBall.times[i], heavyBall.points[i].0, heavyBall.points[i].1, heavyBall.distances[i],
                     flow.points[i].0, flow.points[i].1, flow.distances[i]]
                })
            report.heading("\(problem.function): start (\(problem.start[0]), \(problem.start[1])), γ = \(problem.gamma), horizon \(problem.horizon)")
            var table = MarkdownTable(columns: [
                "ODE", "γ", "distance at T", "time to distance < \(configuration.reachThreshold)", "NFE", "steps (acc/rej)",
            ])
            func addRow(_ name: String, _ gamma: String, _ trajectory: Trajectory) {
                table.addRow([
                    name, gamma, scientific(trajectory.distances.last ?? .nan),
                    trajectory.timeToReach(configuration.reachThreshold).map { fixed($0, 2) } ?? "not reached",
                    "\(trajectory.statistics.functionEvaluations)",
                    "\(trajectory.statistics.acceptedSteps)/\(trajectory.statistics.rejectedSteps)",
                ])
            }
            addRow("gradient flow", "–", flow)
            addRow("heavy ball (headline)", "\(problem.gamma)", heavyBall)
            for gamma in problem.gammaSweep where gamma != problem.gamma {
                let sweep = try integrate(
                    function, start: problem.start, gamma: gamma, heavyBall: true, horizon: problem.horizon,
                    points: configuration.outputPoints, solver: configuration.solver)
                addRow("heavy ball (sweep)", "\(gamma)", sweep)
            }
            report.table(table)
            let hbTime = heavyBall.timeToReach(configuration.reachThreshold)
            let gfTime = flow.timeToReach(configuration.reachThreshold)
            claims.append(Claim.holds(
                hbTime.map { hb in gfTime.map { hb < $0 } ?? true },
                statement: "\(problem.function): the heavy-ball ODE approaches the minimum faster than gradient flow",
                source: "paper §2 and Appendix E.6 (no numbers given)",
                paperValue: "qualitative (figure only)",
                measuredValue: "time to distance < \(configuration.reachThreshold): HB \(hbTime.map { fixed($0, 2) } ?? "never"), "
                    + "GF \(gfTime.map { fixed($0, 2) } ?? "never")",
                rule: "rule: HB reaches the threshold strictly earlier (at our γ = \(problem.gamma); see the sweep for other γ)"))
            trajectoryPanels.append(FigurePanel(
                title: "\(problem.function) trajectories", xLabel: "x", yLabel: "y",
                series: [
                    FigureSeries(name: "heavy ball gamma=\(problem.gamma)", x: heavyBall.points.map(\.0), y: heavyBall.points.map(\.1)),
                    FigureSeries(name: "gradient flow", x: flow.points.map(\.0), y: flow.points.map(\.1)),
                    FigureSeries(name: "minimum", x: [function.minimum.x], y: [function.minimum.y], style: .markers),
                    FigureSeries(name: "start", x: [problem.start[0]], y: [problem.start[1]], style: .markers),
                ]))
            distancePanels.append(FigurePanel(
                title: "\(problem.function): distance to minimum", xLabel: "t", yLabel: "|x(t) - x*|", logY: true,
                series: [
                    FigureSeries(name: "heavy ball gamma=\(problem.gamma)", x: heavyBall.times, y: heavyBall.distances),
                    FigureSeries(name: "gradient flow", x: flow.times, y: flow.distances),
                ]))
        }
        try drawFigure(FigureLayout(panels: trajectoryPanels + distancePanels, columns: 2), to: run, name: "trajectories.png")
        report.heading("Figure")
        report.figure("trajectories.png", caption: "Top: trajectories in the plane; bottom: distance to the minimiser vs time (log scale).")
        report.heading("Claims")
        report.claims(claims)
        try report.write(to: run)
        print("section 2: wrote \(run.url.path)/REPORT.md")
        return report
    }
}

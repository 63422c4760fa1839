import ArgumentParser
import Experiments
import ReproductionKit

/// `reproduce-section-2`: heavy-ball ODE vs gradient flow on Rosenbrock and Beale (paper §2, Appendix E.6).
struct ReproduceSection2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce-section-2",
        abstract: "Section 2 / Appendix E.6: heavy-ball ODE vs gradient-flow ODE on Rosenbrock and Beale.",
        discussion: """
            Integrates x'' + γx' = −∇F(x) and x' = −∇F(x) with dopri5 and writes trajectories, distance to the \
            minimum vs time, a γ sweep and REPORT.md to <output>/section-2/optimization/. The paper gives no \
            initial points, γ or horizon; ours are recorded in config.json and the report. Takes seconds.
            """)

    @OptionGroup var common: CommonOptions

    func run() throws {
        try Section2Experiment.run(options: common)
    }
}

ReproduceSection2.main()

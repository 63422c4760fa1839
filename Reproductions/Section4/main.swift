import ArgumentParser
import Experiments
import ReproductionKit

/// `reproduce-section-4`: Prop. 4 eigenvalue pairing and adjoint decay.
struct ReproduceSection4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce-section-4",
        abstract: "Section 4: Prop. 4 eigenvalue pairing on trained and random (G)HBNODE Jacobians; adjoint norm vs T - t.",
        discussion: """
            Trains point-cloud NODE, HBNODE and GHBNODE (quick: 20 iterations; default/paper: 300), checks that the \
            eigenvalues of the integrated linearised adjoint operator pair up with sums (t - T)·gamma (LAPACK), and \
            plots the adjoint norm against T - t. Writes <output>/section-4/prop4/. The paper's Fig. 3 (Walker2D \
            ODE-RNN gradient listener) is not reproduced by this executable.
            """)

    @OptionGroup var common: CommonOptions

    func run() throws {
        try Section4Experiment.run(options: common)
    }
}

ReproduceSection4.main()

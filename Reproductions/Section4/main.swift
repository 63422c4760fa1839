import ArgumentParser
import Experiments
import ReproductionKit
import Tensors

/// `reproduce-section-4`: Prop. 4 eigenvalue pairing, the adjoint-decay stand-in, and Fig. 3 on Walker2D.
struct ReproduceSection4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce-section-4",
        abstract: "Section 4: Prop. 4 eigenvalue pairing; adjoint norm vs T - t; Fig. 3 gradient listener on Walker2D.",
        discussion: """
            prop4: trains point-cloud NODE, HBNODE and GHBNODE (quick: 20 iterations; default/paper: 300), checks that \
            the eigenvalues of the integrated linearised adjoint operator pair up with sums (t - T)·gamma (LAPACK), and \
            plots the adjoint norm against T - t. Writes <output>/section-4/prop4/. \
            fig3: the paper's Fig. 3: the norm of the gradient of the last-step loss at every RNN-updated state of \
            ODE-RNN, HBNODE-RNN and GHBNODE-RNN on Walker2D, at initialisation and after training (quick: 1 epoch on \
            8 windows; default: 10 epochs on all windows, batch 256; paper: 500 epochs). Writes <output>/section-4/fig3/.
            """)

    @OptionGroup var common: CommonOptions

    /// Which experiments to run.
    @Option(name: .long, parsing: .upToNextOption, help: "Experiments to run: prop4, fig3 (default: both).")
    var experiments: [String] = ["prop4", "fig3"]

    func validate() throws {
        for name in experiments where !["prop4", "fig3"].contains(name) {
            throw ValidationError("unknown experiment '\(name)' (expected prop4 or fig3)")
        }
    }

    func run() throws {
        // One OpenBLAS thread: these models' products are too small for a second thread to pay.
        try BLASThreads.with(1) {
            if experiments.contains("prop4") { try Section4Experiment.run(options: common) }
            if experiments.contains("fig3") { try Fig3Experiment.run(options: common) }
        }
    }
}

ReproduceSection4.main()

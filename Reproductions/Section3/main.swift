import ArgumentParser
import Experiments
import ReproductionKit
import Tensors

/// `reproduce-section-3`: the silverbox initialisation test of Fig. 2.
struct ReproduceSection3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce-section-3",
        abstract: "Section 3 / Fig. 2: silverbox ‖h(t)‖ at random initialisation for NODE, ANODE, SONODE, HBNODE, GHBNODE.",
        discussion: """
            No training (as in the official script): --seeds random initialisations per family (default 10) \
            are integrated over t = 0..63 and the mean state norm is plotted on a log scale. By default the \
            forcing input V1(t) reproduces the official code's extrapolation bug; --fix-forcing \
            interpolates the training series instead. Writes <output>/section-3/silverbox[-fixed-forcing]/. \
            Takes seconds for every profile.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "Interpolate V1(t) over the training series instead of the official code's extrapolation.")
    var fixForcing = false

    func run() throws {
        // One OpenBLAS thread: these models' products are too small for a second thread to pay.
        try BLASThreads.with(1) { try Section3Experiment.run(options: common, fixForcing: fixForcing) }
    }
}

ReproduceSection3.main()

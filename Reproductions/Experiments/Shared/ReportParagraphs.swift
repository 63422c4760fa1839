import NeuralODEModels
import ReproductionKit

/// The report paragraphs every reproduction writes the same way, so their wording stays identical across
/// experiments.
extension Report {
    /// "Reduced relative to the paper: …." when the profile reduced anything; nothing otherwise.
    mutating func reductions(_ reductions: [String]) {
        if !reductions.isEmpty {
            paragraph("Reduced relative to the paper: " + reductions.joined(separator: "; ") + ".")
        }
    }

    /// Names the families that stopped early and why (sorted by family), when any did.
    mutating func stoppedEarly(_ failures: [ModelFamily: String]) {
        if !failures.isEmpty {
            paragraph("**Stopped early:** " + failures.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.key.displayName) (\($0.value))" }.joined(separator: "; ")
                + ". Their rows show the epochs completed before the failure.")
        }
    }
}

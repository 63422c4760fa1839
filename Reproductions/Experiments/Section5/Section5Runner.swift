import ArgumentParser
import Foundation
import ReproductionKit

/// Runs the selected §5 experiments in order and writes `<output>/section-5/REPORT.md`, an index of their
/// reports and verdict counts.
public enum Section5Runner {
    /// The experiments this executable can run.
    public enum Experiment: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
        /// §5.1 point-cloud separation.
        case pointcloud
        /// §5.3 plane vibration.
        case pv
        /// §5.2 MNIST.
        case mnist
        /// §5.2 CIFAR-10.
        case cifar
        /// §5.4 Walker2D.
        case walker
        /// Fig. 6: CIFAR-10 NFE against tolerance.
        case cifarTolerance = "cifar-tolerance"
    }

    /// Runs `only` (or every experiment) and writes the section index.
    public static func run(options: CommonOptions, only: Experiment?) throws {
        var index = Report(title: "Section 5 reproduction: index")
        index.paragraph("Profile `\(options.profile.rawValue)`. Each experiment has its own folder and REPORT.md.")
        for experiment in Experiment.allCases where only == nil || only == experiment {
            let report: Report
            switch experiment {
            case .pointcloud: report = try PointCloudExperiment.run(options: options)
            case .mnist: report = try ImageClassificationExperiment.run(dataset: "mnist", options: options)
            case .cifar: report = try ImageClassificationExperiment.run(dataset: "cifar", options: options)
            case .pv: report = try PlaneVibrationExperiment.run(options: options)
            case .walker: report = try WalkerExperiment.run(options: options)
            case .cifarTolerance: report = try ToleranceSweepExperiment.run(options: options)
            }
            let counts = Dictionary(grouping: report.claims, by: \.verdict).mapValues(\.count)
            index.bullets([
                "[\(experiment.rawValue)](\(experiment.rawValue)/REPORT.md): "
                    + Verdict.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "),
            ])
        }
        let root = try RunDirectory(root: options.output, section: 5, experiment: ".")
        try root.writeText(index.markdown, to: "REPORT.md")
    }
}

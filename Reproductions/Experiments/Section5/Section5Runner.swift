import ArgumentParser
import Foundation
import NeuralODEModels
import ReproductionKit
import Tensors

/// Runs the selected §5 experiments in order and writes `<output>/section-5/REPORT.md`, an index of their
/// reports and verdict counts.
public enum Section5Runner {
    /// The experiments this executable can run (the `--experiment` choices).
    public enum Selection: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
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

        /// OpenBLAS threads for this experiment (unless the environment fixes them): one for every
        /// experiment. The small dense models' products are too small to share; the image models' heavy
        /// products are convolutions, which split the batch over every core themselves and call OpenBLAS
        /// single-threaded (its idle threads would only spin beside them).
        var blasThreads: Int? { 1 }
    }

    /// Refuses options that do not apply to the selection: `--seeds` is taken by the point cloud only.
    public static func validate(options: CommonOptions, only: Selection?) throws(ReproductionError) {
        guard let seeds = options.seeds, only != .pointcloud else { return }
        if let only { try options.requireNoSeeds(experiment: "--experiment \(only.rawValue)") }
        throw .invalidOption(
            "--seeds \(seeds) applies only to section 5's point cloud (the other experiments train one run per model "
                + "from seed 0); pass --experiment pointcloud with it")
    }

    /// Refuses `--data-parallel` for anything but one image experiment (the others' models are too small
    /// to split, or sweep several trainings).
    public static func validateDataParallel(only: Selection?) throws(DataParallelError) {
        guard only == .mnist || only == .cifar else {
            throw .unsupportedOption(
                option: DataParallelRun.option, reason: "trains one image experiment: pass --experiment mnist or --experiment cifar")
        }
    }

    /// Runs `only` (or every experiment) and writes the section index. `pointCloudTolerance` overrides the
    /// point cloud's as-run solver tolerance (``PointCloudExperiment/asRunTolerance``); `dataParallel`
    /// trains the selected image experiment over the ranks of an `mpirun` launch.
    ///
    /// An experiment whose data is missing is skipped with a message naming the file and the command that
    /// fetches it, and the others still run; the first such error is thrown at the end, so the command
    /// fails once everything it could do is done.
    public static func run(
        options: CommonOptions, only: Selection?, pointCloudTolerance: Double? = nil, dataParallel: DataParallelRun? = nil
    ) throws {
        try validate(options: options, only: only)
        if dataParallel != nil { try validateDataParallel(only: only) }
        var missingData: [ReproductionError] = []
        for experiment in Selection.allCases where only == nil || only == experiment {
            do {
                try BLASThreads.with(experiment.blasThreads) {
                    switch experiment {
                    case .pointcloud: try PointCloudExperiment.run(options: options, tolerance: pointCloudTolerance)
                    case .mnist: try ImageClassificationExperiment.run(dataset: "mnist", options: options, dataParallel: dataParallel)
                    case .cifar: try ImageClassificationExperiment.run(dataset: "cifar", options: options, dataParallel: dataParallel)
                    case .pv: try PlaneVibrationExperiment.run(options: options)
                    case .walker: try WalkerExperiment.run(options: options)
                    case .cifarTolerance: try ToleranceSweepExperiment.run(options: options)
                    }
                }
            } catch let error as ReproductionError {
                guard case .dataNotFound = error else { throw error }
                print("section 5: skipped \(experiment.rawValue): \(error)")
                missingData.append(error)
            }
        }
        if dataParallel?.isLeader == false { return }
        try writeIndex(options: options)
        print("section 5: wrote \(options.output)/section-5/REPORT.md")
        if let first = missingData.first { throw first }
    }

    /// `<output>/section-5/REPORT.md`: every experiment report present in the folder (from this or an
    /// earlier `--experiment` run) with its verdict counts, read back from the reports themselves.
    static func writeIndex(options: CommonOptions) throws {
        let root = try RunDirectory(root: options.output, section: 5, experiment: ".", exclusive: false)
        var index = Report(title: "Section 5 reproduction: index")
        index.paragraph("Each experiment has its own folder with config.json, logs, figures and REPORT.md. "
            + "The profile of each run is stated at the top of its report.")
        var lines: [String] = []
        for experiment in Selection.allCases {
            let url = root.file(experiment.rawValue).appendingPathComponent("REPORT.md")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let counts = Verdict.allCases.map { verdict in
                "\(text.components(separatedBy: "**\(verdict.rawValue)**").count - 1) \(verdict.rawValue)"
            }
            lines.append("[\(experiment.rawValue)](\(experiment.rawValue)/REPORT.md): " + counts.joined(separator: ", "))
        }
        index.bullets(lines.isEmpty ? ["no experiment has been run yet"] : lines)
        try root.writeText(index.markdown, to: "REPORT.md")
    }
}

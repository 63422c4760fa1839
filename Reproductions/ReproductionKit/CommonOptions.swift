import ArgumentParser
import Foundation

/// Command-line options shared by every section's executable.
public struct CommonOptions: ParsableArguments {
    /// Run size: quick (smoke test), default (a few hours on 2 cores) or paper (the paper's settings).
    @Option(help: "Run size: quick (minutes, CI smoke test), default (hours on 2 cores), paper (the paper's settings).")
    public var profile: Profile = .default

    /// Root folder of the results; each experiment writes `<output>/section-N/<experiment>/`.
    @Option(help: "Results root; runs go to <output>/section-N/<experiment>/.")
    public var output: String = "results"

    /// Number of seeded runs per model; `nil` keeps the profile's choice.
    @Option(help: "Seeded runs per model (default: the profile's choice).")
    public var seeds: Int?

    /// Continue from the last per-epoch checkpoint of an interrupted run (section 5 only; the other
    /// sections finish in minutes, keep no checkpoints and refuse it).
    @Flag(help: "Resume from the last per-epoch checkpoint of an interrupted run (section 5; sections 2-4 keep no checkpoints and refuse it).")
    public var resume = false

    /// Folder with the datasets; `nil` means env `HBNODE_DATA_DIR`, then the repository's `Datasets/`.
    @Option(help: "Data folder (default: $HBNODE_DATA_DIR, then the repository's Datasets/, which `make data` fills).")
    public var data: String?

    /// Creates the options with their defaults (ArgumentParser fills them from the command line).
    public init() {}

    /// Validates the numeric options.
    public func validate() throws {
        if let seeds, seeds < 1 { throw ValidationError("--seeds must be at least 1 (got \(seeds))") }
    }

    /// Refuses `--seeds` for an experiment that trains one fixed seed, so the option is never silently
    /// ignored.
    ///
    /// - Throws: ``ReproductionError/invalidOption(_:)`` naming the experiment.
    public func requireNoSeeds(experiment: String) throws(ReproductionError) {
        guard let seeds else { return }
        throw .invalidOption(
            "--seeds \(seeds) does not apply to \(experiment): it trains one run per model from seed 0 "
                + "(only section 3 and section 5's --experiment pointcloud average over seeds)")
    }

    /// Refuses `--resume` for an experiment that keeps no checkpoints.
    ///
    /// - Throws: ``ReproductionError/invalidOption(_:)`` naming the experiment.
    public func requireNoResume(experiment: String) throws(ReproductionError) {
        guard resume else { return }
        throw .invalidOption("--resume does not apply to \(experiment), which keeps no checkpoints (it runs in minutes); run it again without --resume")
    }

    /// The data locator these options describe.
    public var dataLocator: DataLocator {
        DataLocator(explicit: data, environment: ProcessInfo.processInfo.environment)
    }

    /// The seed count: the command line's if given, else the profile's.
    public func seedCount(quick: Int, default defaultValue: Int, paper: Int) -> Int {
        seeds ?? profile.pick(quick: quick, default: defaultValue, paper: paper)
    }
}

/// Checks a numeric option that must be a finite positive number (a solver tolerance, a rate), so an
/// impossible value stops the run at parse time instead of failing every solve or leaving empty folders.
///
/// - Throws: ``ReproductionError/invalidOption(_:)`` naming the option and the value.
public func requirePositiveFinite(_ value: Double, option: String) throws(ReproductionError) {
    guard value.isFinite, value > 0 else {
        throw .invalidOption("\(option) must be a finite number greater than 0 (got \(value))")
    }
}

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

    /// Continue from the last per-epoch checkpoint of an interrupted run.
    @Flag(help: "Resume from the last per-epoch checkpoint of an interrupted run.")
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

    /// The data locator these options describe.
    public var dataLocator: DataLocator {
        DataLocator(explicit: data, environment: ProcessInfo.processInfo.environment)
    }

    /// The seed count: the command line's if given, else the profile's.
    public func seedCount(quick: Int, default defaultValue: Int, paper: Int) -> Int {
        seeds ?? profile.pick(quick: quick, default: defaultValue, paper: paper)
    }
}

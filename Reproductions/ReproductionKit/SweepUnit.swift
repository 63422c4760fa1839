/// One independent piece of an experiment's sweep (one family × seed × tolerance …): it has its own
/// deterministic seed and its own folder, `<output>/section-N/<experiment>/units/<name>/`, so it gives the
/// same numbers whichever shard, process or machine runs it, and a merge can build the experiment's
/// report from the unit folders alone.
public struct SweepUnit: Sendable, Hashable, CustomStringConvertible {
    /// How many of a machine's cores one unit uses.
    public enum Cores: Sendable, Hashable {
        /// One core: the small dense models (point cloud, plane vibration, Walker2D), whose products are too
        /// small to share; `--jobs N` runs N such units side by side, each on one OpenBLAS thread.
        case one
        /// Every core: the image models (MNIST, CIFAR-10), whose convolutions split each batch over the
        /// cores themselves; such a unit runs alone.
        case all
    }

    /// The experiment's folder name under `section-N/` (`pv`, `cifar-tol-1e-03`).
    public let experiment: String
    /// The unit's name within the experiment (`hbnode-seed0`), which is also its folder's name.
    public let name: String
    /// The cores the unit uses.
    public let cores: Cores

    /// A unit of `experiment` named `name`.
    public init(experiment: String, name: String, cores: Cores) {
        precondition(!experiment.isEmpty && !name.isEmpty && !name.contains("/"),
                     "SweepUnit: experiment \"\(experiment)\" and name \"\(name)\" must be non-empty and the name free of /")
        self.experiment = experiment
        self.name = name
        self.cores = cores
    }

    /// `<experiment>/<name>`: what `--unit` takes and messages print.
    public var id: String { "\(experiment)/\(name)" }

    /// The id.
    public var description: String { id }

    /// The unit's folder relative to the section folder (the `experiment` argument of ``RunDirectory``).
    public var folder: String { "\(experiment)/units/\(name)" }
}

/// One independent piece of an experiment's sweep (one family × seed × tolerance …): it has its own
/// deterministic seed and its own folder, `<output>/section-N/<experiment>/units/<name>/`, so it gives the
/// same numbers whichever shard, process or machine runs it, and a merge can build the experiment's
/// report from the unit folders alone.
public struct SweepUnit: Sendable, Hashable, CustomStringConvertible {
    /// How many of a machine's cores one unit uses.
    public enum Cores: Sendable, Hashable {
        /// One core: every experiment's units (the small dense models, whose products are too small to share,
        /// and the image models, whose convolutions scale better as separate units than as threads of one);
        /// `--jobs N` runs N such units side by side, each on one OpenBLAS thread.
        case one
        /// Every core: a unit that splits its own work over the machine's cores; such a unit runs alone.
        case all
    }

    /// The experiment's folder name under `section-N/` (`pv`, `cifar-tol-1e-03`).
    public let experiment: String
    /// The unit's name within the experiment (`hbnode-seed0`), which is also its folder's name.
    public let name: String
    /// The cores the unit uses.
    public let cores: Cores
    /// A rough estimate of the unit's length in seconds (on the cores it uses, on a 2-core development
    /// machine). It only orders a sweep (longest first, so the last units to finish are short ones and no
    /// core idles through a long tail) and weighs its ETA; it is no part of the unit's identity or result.
    public let estimatedSeconds: Double

    /// A unit of `experiment` named `name`, estimated to last `estimatedSeconds`.
    public init(experiment: String, name: String, cores: Cores, estimatedSeconds: Double = 1) {
        precondition(!experiment.isEmpty && !name.isEmpty && !name.contains("/"),
                     "SweepUnit: experiment \"\(experiment)\" and name \"\(name)\" must be non-empty and the name free of /")
        precondition(estimatedSeconds.isFinite && estimatedSeconds > 0,
                     "SweepUnit: estimatedSeconds \(estimatedSeconds) of \(experiment)/\(name) must be positive and finite")
        self.experiment = experiment
        self.name = name
        self.cores = cores
        self.estimatedSeconds = estimatedSeconds
    }

    /// Units are the same when their experiment, name and cores are (the estimate is not compared).
    public static func == (a: SweepUnit, b: SweepUnit) -> Bool {
        a.experiment == b.experiment && a.name == b.name && a.cores == b.cores
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(experiment)
        hasher.combine(name)
        hasher.combine(cores)
    }

    /// The order in which a pool starts `units`: the units that take every core first, in list order (each
    /// runs alone, so their order does not change the total), then the one-core units longest first (the
    /// "longest processing time" rule, which keeps every slot busy to within the shortest units of the end).
    /// The sort is stable, so units of equal estimate keep their list order.
    public static func schedulingOrder(_ units: [SweepUnit]) -> [SweepUnit] {
        let whole = units.filter { $0.cores == .all }
        let single = units.enumerated().filter { $0.element.cores == .one }
            .sorted { $0.element.estimatedSeconds != $1.element.estimatedSeconds
                ? $0.element.estimatedSeconds > $1.element.estimatedSeconds : $0.offset < $1.offset }
            .map(\.element)
        return whole + single
    }

    /// The child processes a pool starts for `units` (in that order): one per unit, except that one-core
    /// units estimated below `target` seconds are gathered, consecutively, into one process until their
    /// estimates reach `target`, so that a process's start-up and data load stay a small share of its
    /// work (the 500 point-cloud units of a quarter of a second each would otherwise spend about a sixth
    /// of their time starting).
    public static func processGroups(_ units: [SweepUnit], target: Double = 10) -> [[SweepUnit]] {
        var groups: [[SweepUnit]] = []
        var open: [SweepUnit] = [], openSeconds = 0.0
        for unit in units {
            guard unit.cores == .one && unit.estimatedSeconds < target else {
                groups.append([unit])
                continue
            }
            open.append(unit)
            openSeconds += unit.estimatedSeconds
            if openSeconds >= target {
                groups.append(open)
                open = []
                openSeconds = 0
            }
        }
        if !open.isEmpty { groups.append(open) }
        return groups
    }

    /// `<experiment>/<name>`: what `--unit` takes and messages print.
    public var id: String { "\(experiment)/\(name)" }

    /// The id.
    public var description: String { id }

    /// The unit's folder relative to the section folder (the `experiment` argument of ``RunDirectory``).
    public var folder: String { "\(experiment)/units/\(name)" }
}

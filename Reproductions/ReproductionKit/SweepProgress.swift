#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Metrics

/// The one progress line of a sweep whose units run in child processes: units done, running and failed,
/// elapsed time and an ETA (the children's own progress lines go to their logs).
///
/// The ETA weighs every unit by its share of the sweep's wall time: its estimate (``SweepUnit/estimatedSeconds``)
/// for a unit that takes every core, its estimate divided by the slots for a one-core unit (`jobs` of them run
/// side by side). The rate at which the finished units' weights were done calibrates the estimates to the
/// machine, so neither one long unit finished early nor a change from every-core to one-core units skews it.
///
/// On a terminal the line is redrawn in place; otherwise a line is printed when a unit ends and every
/// `plainInterval` seconds.
struct SweepProgress {
    let label: String
    let total: Int
    let plainInterval: Double
    /// Slots a one-core unit shares the machine with.
    let jobs: Int
    /// The sum of every unit's weight, and of the finished ones'.
    private let totalWeight: Double
    private var doneWeight = 0.0
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = monotonicSeconds()
    private var done = 0, failed = 0
    private var lastPlain = -Double.infinity
    private var lineIsOpen = false, lastWidth = 0

    init(label: String, units: [SweepUnit], jobs: Int, plainInterval: Double) {
        self.label = label
        self.total = units.count
        self.jobs = jobs
        self.plainInterval = plainInterval
        totalWeight = units.reduce(0) { $0 + Self.weight($1, jobs: jobs) }
    }

    /// A unit's share of the sweep's wall time, in estimated seconds.
    static func weight(_ unit: SweepUnit, jobs: Int) -> Double {
        unit.cores == .all ? unit.estimatedSeconds : unit.estimatedSeconds / Double(jobs)
    }

    mutating func ended(_ unit: SweepUnit, failed unitFailed: Bool) {
        done += 1
        doneWeight += Self.weight(unit, jobs: jobs)
        if unitFailed { failed += 1 }
        if !isTerminal { lastPlain = -.infinity }
    }

    /// The line's text.
    func line(running: [SweepUnit]) -> String {
        let elapsed = monotonicSeconds() - start
        let eta = done == 0 ? Double.nan : elapsed / doneWeight * (totalWeight - doneWeight)
        var text = "\(label): \(done)/\(total) units done"
        if failed > 0 { text += " (\(failed) failed)" }
        text += ", \(running.count) running"
        if let first = running.first { text += " (\(first.id)" + (running.count > 1 ? ", …)" : ")") }
        return text + ", elapsed \(duration(elapsed)), eta \(done == total ? duration(0) : duration(eta))"
    }

    mutating func draw(running: [SweepUnit]) {
        let text = line(running: running)
        if isTerminal {
            print("\r" + text + String(repeating: " ", count: max(0, lastWidth - text.count)), terminator: "")
            lastWidth = text.count
            lineIsOpen = true
        } else {
            let now = monotonicSeconds()
            guard now - lastPlain >= plainInterval else { return }
            lastPlain = now
            print(text)
        }
        fflush(stdout)
    }

    mutating func finish() {
        if lineIsOpen { print("") }
        lineIsOpen = false
    }
}

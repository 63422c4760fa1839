#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Metrics

/// The one progress line of a sweep whose units run in child processes: units done, running and failed,
/// elapsed time and an ETA from the rate at which the finished units' estimates
/// (``SweepUnit/estimatedSeconds``) were done, so one long unit finished early does not make the rest look
/// long (the children's own progress lines go to their logs).
///
/// On a terminal the line is redrawn in place; otherwise a line is printed when a unit ends and every
/// `plainInterval` seconds.
struct SweepProgress {
    let label: String
    let total: Int
    let plainInterval: Double
    /// The sum of every unit's estimate, and of the finished ones'.
    private let totalEstimate: Double
    private var doneEstimate = 0.0
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = monotonicSeconds()
    private var done = 0, failed = 0
    private var lastPlain = -Double.infinity
    private var lineIsOpen = false, lastWidth = 0

    init(label: String, units: [SweepUnit], plainInterval: Double) {
        self.label = label
        self.total = units.count
        self.totalEstimate = units.reduce(0) { $0 + $1.estimatedSeconds }
        self.plainInterval = plainInterval
    }

    mutating func ended(_ unit: SweepUnit, failed unitFailed: Bool) {
        done += 1
        doneEstimate += unit.estimatedSeconds
        if unitFailed { failed += 1 }
        if !isTerminal { lastPlain = -.infinity }
    }

    /// The line's text.
    func line(running: [SweepUnit]) -> String {
        let elapsed = monotonicSeconds() - start
        let eta = done == 0 ? Double.nan : elapsed / doneEstimate * (totalEstimate - doneEstimate)
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

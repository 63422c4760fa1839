#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Metrics

/// How to start the child process of one unit.
public struct UnitCommand: Sendable {
    /// The executable.
    public var executable: URL
    /// Its arguments.
    public var arguments: [String]
    /// Variables set (or replaced) in the child's environment, over the parent's.
    public var environment: [String: String]
    /// The file the child's standard output and error are appended to.
    public var log: URL

    /// A command.
    public init(executable: URL, arguments: [String], environment: [String: String], log: URL) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.log = log
    }
}

/// Runs a sweep's units as child processes, at most `jobs` cores' worth at a time, with one progress line
/// (units done, running, elapsed, ETA) for the whole sweep.
///
/// A unit with ``SweepUnit/Cores/one`` takes one of the `jobs` slots; one with ``SweepUnit/Cores/all``
/// waits until nothing else runs and then has the machine to itself. Units start in
/// ``SweepUnit/schedulingOrder(_:)``: the every-core units first, then the one-core units longest first, the
/// shortest of them several to a process (``SweepUnit/processGroups(_:target:)``). A child that
/// fails does not stop the others (their results are kept for `--resume`); the failures are thrown at the
/// end, each naming its unit and log. SIGINT or SIGTERM to the parent stops every child (SIGTERM, then
/// SIGKILL after a grace period) before the parent returns, so no child outlives the sweep.
public struct UnitProcessPool {
    /// Cores' worth of units run at once.
    public let jobs: Int
    /// Prefix of the progress line (`section 5`).
    public let label: String
    /// Seconds a child is given to exit after SIGTERM before it is killed.
    public var gracePeriod = 10.0
    /// Seconds between progress lines when output is not a terminal.
    public var plainInterval = 30.0

    /// A pool of `jobs` slots.
    public init(jobs: Int, label: String) {
        precondition(jobs >= 1, "UnitProcessPool: jobs \(jobs) must be at least 1")
        self.jobs = jobs
        self.label = label
    }

    /// Runs every unit, each process started with `command(units)` for the units it runs (one, or several
    /// short ones one after the other).
    ///
    /// - Throws: ``SweepError/interrupted(signal:)`` after SIGINT/SIGTERM; ``SweepError/unitsFailed(_:)``
    ///   when children failed; ``SweepError/cannotStart(unit:reason:)`` when one could not be started (the
    ///   running ones are stopped first).
    public func run(_ units: [SweepUnit], command: ([SweepUnit]) throws -> UnitCommand) throws(SweepError) {
        guard !units.isEmpty else { return }
        let events = DispatchSemaphore(value: 0)
        // SIGINT/SIGTERM set a flag that the loop below polls (a handler may do no more than that); the
        // previous handlers are restored afterwards.
        poolSignal = 0
        let previous = [SIGINT, SIGTERM].map { signal($0) { number in poolSignal = number } }
        defer { for (number, handler) in zip([SIGINT, SIGTERM], previous) { signal(number, handler) } }

        var pending = SweepUnit.processGroups(SweepUnit.schedulingOrder(units))[...]
        var running: [Int32: (units: [SweepUnit], process: Process, log: String)] = [:]
        var failures: [SweepError.Failure] = []
        var progress = SweepProgress(label: label, units: units, jobs: jobs, plainInterval: plainInterval)
        func usedCores() -> Int { running.values.reduce(0) { $0 + ($1.units[0].cores == .all ? jobs : 1) } }

        func stopAll() {
            for entry in running.values { kill(entry.process.processIdentifier, SIGTERM) }
            let deadline = monotonicSeconds() + gracePeriod
            while running.values.contains(where: { $0.process.isRunning }) && monotonicSeconds() < deadline { usleep(50_000) }
            for entry in running.values where entry.process.isRunning { kill(entry.process.processIdentifier, SIGKILL) }
            for entry in running.values { entry.process.waitUntilExit() }
            running.removeAll()
        }

        while !pending.isEmpty || !running.isEmpty {
            if poolSignal != 0 {
                let number = poolSignal
                stopAll()
                progress.finish()
                throw .interrupted(signal: number)
            }
            for (pid, entry) in running where !entry.process.isRunning {
                running[pid] = nil
                let process = entry.process
                if process.terminationReason != .exit || process.terminationStatus != 0 {
                    failures.append(.init(unit: entry.units.map(\.id).joined(separator: ", "), status: process.terminationStatus,
                                          signal: process.terminationReason == .uncaughtSignal, log: entry.log))
                }
                for unit in entry.units {
                    progress.ended(unit, failed: process.terminationReason != .exit || process.terminationStatus != 0)
                }
            }
            // Start what fits, in scheduling order.
            while let next = pending.first, (next[0].cores == .all ? running.isEmpty : usedCores() < jobs) {
                pending.removeFirst()
                do {
                    let (process, log) = try start(next, command: command) { events.signal() }
                    running[process.processIdentifier] = (next, process, log)
                } catch {
                    stopAll()
                    progress.finish()
                    throw error
                }
            }
            progress.draw(running: running.values.flatMap(\.units))
            if !running.isEmpty { _ = events.wait(timeout: .now() + 0.2) }
        }
        progress.finish()
        if !failures.isEmpty { throw .unitsFailed(failures) }
    }

    /// Starts one child with its output appended to its log.
    private func start(
        _ units: [SweepUnit], command: ([SweepUnit]) throws -> UnitCommand, ended: @escaping @Sendable () -> Void
    ) throws(SweepError) -> (Process, String) {
        do {
            let spec = try command(units)
            try createDirectories(at: spec.log.deletingLastPathComponent())
            if !FileManager.default.fileExists(atPath: spec.log.path) {
                guard FileManager.default.createFile(atPath: spec.log.path, contents: nil) else {
                    throw SweepError.cannotStart(unit: units.map(\.id).joined(separator: ", "), reason: "cannot create its log \(spec.log.path)")
                }
            }
            let log = try FileHandle(forWritingTo: spec.log)
            log.seekToEndOfFile()
            let process = Process()
            process.executableURL = spec.executable
            process.arguments = spec.arguments
            process.environment = ProcessInfo.processInfo.environment.merging(spec.environment) { $1 }
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            process.terminationHandler = { _ in ended() }
            try process.run()
            try? log.close()
            return (process, spec.log.path)
        } catch let error as SweepError {
            throw error
        } catch {
            throw .cannotStart(unit: units.map(\.id).joined(separator: ", "), reason: "\(error)")
        }
    }
}

/// The signal a running pool received (0: none), set by its signal handler.
nonisolated(unsafe) private var poolSignal: Int32 = 0

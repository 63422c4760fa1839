#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on the monotonic clock, which never jumps with NTP or manual clock changes (unlike wall time).
public func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Measures elapsed wall-clock time on the monotonic clock.
public struct Stopwatch: Sendable {
    /// The monotonic time at which the stopwatch was started or last restarted.
    public private(set) var startTime: Double
    private var lapStart: Double

    /// Creates a stopwatch that starts now.
    public init() {
        startTime = monotonicSeconds()
        lapStart = startTime
    }

    /// Seconds since the stopwatch was started or restarted.
    public var elapsed: Double { monotonicSeconds() - startTime }

    /// Restarts the stopwatch and returns the seconds elapsed before the restart.
    @discardableResult
    public mutating func restart() -> Double {
        let now = monotonicSeconds()
        defer { startTime = now; lapStart = now }
        return now - startTime
    }

    /// Seconds since the previous lap (or the start), and starts a new lap.
    public mutating func lap() -> Double {
        let now = monotonicSeconds()
        defer { lapStart = now }
        return now - lapStart
    }
}

/// Accumulates the time spent in a repeated section (a forward pass, a backward pass, an epoch).
public struct TimeAccumulator: Sendable, Equatable {
    /// Total seconds measured.
    public private(set) var totalSeconds = 0.0
    /// Number of measurements.
    public private(set) var count = 0

    /// Creates an empty accumulator.
    public init() {}

    /// Mean seconds per measurement, 0 when empty.
    public var meanSeconds: Double { count == 0 ? 0 : totalSeconds / Double(count) }

    /// Adds one externally measured duration.
    public mutating func add(seconds: Double) {
        totalSeconds += seconds
        count += 1
    }

    /// Runs `body`, adds its duration and returns its result.
    public mutating func measure<Result>(_ body: () throws -> Result) rethrows -> Result {
        let start = monotonicSeconds()
        defer { add(seconds: monotonicSeconds() - start) }
        return try body()
    }

    /// Forgets all measurements.
    public mutating func reset() { self = TimeAccumulator() }
}

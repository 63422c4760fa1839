#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line for long training loops: epoch, batch, loss, NFE, rate and ETA.
///
/// On a terminal the line is redrawn in place with `\r` (at most `redrawInterval` apart, so printing
/// never dominates a fast loop). When output is a file or pipe (CI logs, `nohup`), `\r` redraws would
/// pile up into one unreadable line, so it degrades to plain lines: one every `plainInterval` seconds
/// and one at the end of every epoch.
///
/// The ETA divides the remaining batches by an exponential moving average of the batch rate, which
/// follows slow drifts (NFE growing during training) without jumping on every noisy batch.
public struct ProgressReporter {
    /// Epochs in the whole run.
    public let totalEpochs: Int
    /// Batches in each epoch.
    public let batchesPerEpoch: Int
    /// Whether output is redrawn in place (a terminal) or printed as plain lines.
    public let isTerminal: Bool
    /// Minimum seconds between two in-place redraws on a terminal.
    public var redrawInterval = 0.1
    /// Seconds between two plain lines when not on a terminal.
    public var plainInterval = 30.0
    /// Weight of the newest rate sample in the moving average, in (0, 1].
    public var smoothing = 0.1
    /// Smoothed batches per second, `nil` before the first timed batch.
    public private(set) var batchesPerSecond: Double?
    /// When the reporter covers several runs one after another (families, seeds), the epochs of one run:
    /// the line then counts "run r/R" and the epoch within the run (no epoch at all for one-epoch runs)
    /// instead of an epoch count that silently spans the runs. `nil`: one run of `totalEpochs` epochs.
    public var epochsPerRun: Int? {
        didSet { precondition(epochsPerRun.map { $0 > 0 && totalEpochs % $0 == 0 } ?? true,
                              "ProgressReporter: epochsPerRun \(epochsPerRun ?? 0) must divide totalEpochs \(totalEpochs)") }
    }
    /// Name of the run in progress (a family, a seed), shown after the run count.
    public var runName: String?
    /// What one step of an epoch is called in the line ("batch", "iteration").
    public var batchName = "batch"

    private let output: (String) -> Void
    private let clock: () -> Double
    private var lastUpdateTime: Double?
    private var lastBatchIndex: Int?
    /// When the reporter was created: the first batch's rate is timed from here, so the ETA is known
    /// from the first batch on.
    private let startTime: Double
    private var lastEmitTime = -Double.infinity
    private var lineIsOpen = false
    private var lastWidth = 0

    /// Creates a reporter writing to standard output, detecting a terminal with `isatty`.
    public init(totalEpochs: Int, batchesPerEpoch: Int) {
        self.init(
            totalEpochs: totalEpochs, batchesPerEpoch: batchesPerEpoch,
            isTerminal: isatty(STDOUT_FILENO) != 0,
            output: { text in
                fputs(text, stdout)
                fflush(stdout)
            },
            clock: monotonicSeconds)
    }

    /// Creates a reporter with an explicit terminal flag, sink and clock (tests use a fake clock).
    public init(
        totalEpochs: Int, batchesPerEpoch: Int, isTerminal: Bool,
        output: @escaping (String) -> Void, clock: @escaping () -> Double
    ) {
        precondition(totalEpochs > 0 && batchesPerEpoch > 0,
                     "ProgressReporter: totalEpochs \(totalEpochs) and batchesPerEpoch \(batchesPerEpoch) must be positive")
        self.totalEpochs = totalEpochs
        self.batchesPerEpoch = batchesPerEpoch
        self.isTerminal = isTerminal
        self.output = output
        self.clock = clock
        startTime = clock()
    }

    /// Seconds left at the current smoothed rate after finishing `batch` of `epoch`, `nil` if unknown.
    public func estimatedSecondsRemaining(epoch: Int, batch: Int) -> Double? {
        guard let rate = batchesPerSecond, rate > 0 else { return nil }
        let done = epoch * batchesPerEpoch + batch + 1
        return Double(max(0, totalEpochs * batchesPerEpoch - done)) / rate
    }

    /// Reports that `batch` (zero-based) of `epoch` (zero-based) has finished.
    public mutating func update(epoch: Int, batch: Int, loss: Double, nfe: NFECounts? = nil) {
        let now = clock()
        let index = epoch * batchesPerEpoch + batch
        if let lastUpdateTime, let lastBatchIndex, index > lastBatchIndex, now > lastUpdateTime {
            let sample = Double(index - lastBatchIndex) / (now - lastUpdateTime)
            batchesPerSecond = batchesPerSecond.map { smoothing * sample + (1 - smoothing) * $0 } ?? sample
        } else if lastUpdateTime == nil, now > startTime {
            // The first batch since the start (of the run, or of a resumed run): one batch in that time.
            batchesPerSecond = 1 / (now - startTime)
        }
        lastUpdateTime = now
        lastBatchIndex = index

        let interval = isTerminal ? redrawInterval : plainInterval
        let isLastBatch = batch == batchesPerEpoch - 1
        guard now - lastEmitTime >= interval || (isTerminal && isLastBatch) else { return }
        lastEmitTime = now
        emit(line(epoch: epoch, batch: batch, loss: loss, nfe: nfe))
    }

    /// Reports the end of an epoch with a summary (e.g. validation accuracy), always on its own line.
    public mutating func endEpoch(_ epoch: Int, summary: String) {
        let text = "\(position(epoch: epoch)) done: \(summary)"
        if isTerminal {
            emit(text)
            output("\n")
            lineIsOpen = false
            lastWidth = 0
        } else {
            output(text + "\n")
        }
    }

    /// Ends an open terminal line so later output starts on a fresh line.
    public mutating func finish() {
        if isTerminal && lineIsOpen { output("\n") }
        lineIsOpen = false
        lastWidth = 0
    }

    /// The progress text for a batch, without any line control characters.
    public func line(epoch: Int, batch: Int, loss: Double, nfe: NFECounts?) -> String {
        var parts = [
            position(epoch: epoch),
            "\(batchName) \(batch + 1)/\(batchesPerEpoch)",
            "loss \(formatCompact(loss))",
        ]
        if let nfe { parts.append("nfe \(nfe.forward)/\(nfe.backward)") }
        if let rate = batchesPerSecond { parts.append("\(formatCompact(rate, significantDigits: 3)) batch/s") }
        parts.append("eta \(formatDuration(estimatedSecondsRemaining(epoch: epoch, batch: batch) ?? .nan))")
        return parts.joined(separator: "  ")
    }

    /// "epoch e/E", or "run r/R (name)  epoch e/E" over several runs.
    private func position(epoch: Int) -> String {
        guard let perRun = epochsPerRun, perRun < totalEpochs || runName != nil else { return "epoch \(epoch + 1)/\(totalEpochs)" }
        let run = "run \(epoch / perRun + 1)/\(totalEpochs / perRun)" + (runName.map { " (\($0))" } ?? "")
        return perRun == 1 ? run : run + "  epoch \(epoch % perRun + 1)/\(perRun)"
    }

    private mutating func emit(_ text: String) {
        if isTerminal {
            // Pad with spaces so a shorter line fully covers the previous, longer one.
            let padding = String(repeating: " ", count: max(0, lastWidth - text.count))
            output("\r" + text + padding)
            lastWidth = text.count
            lineIsOpen = true
        } else {
            output(text + "\n")
        }
    }
}

import Foundation
import Tensors

/// Plane vibration (F-16 ground vibration test, `pv.csv`) exactly as the official HBNODE pipeline
/// prepares it: 5 channels z-scored with the population standard deviation, 10 % of the
/// first 73,628 time stamps dropped, kept stamps split 2:1:1, and cut into non-overlapping 65-label
/// sequences with an 8-step forecast target on the regular grid.
public enum PlaneVibration {
    /// Number of channels kept (Force, Voltage, Acceleration1-3; `Fs` and the empty column are dropped).
    public static let channelCount = 5
    /// Time stamps eligible for sampling: 73,728 rows minus 100 (so the forecast never runs off the end).
    public static let fullLength = 73_628
    /// Kept stamps: `int(0.9 · fullLength)`.
    public static let keptCount = 66_265
    /// Labels per sequence: 64 inputs plus the final target.
    public static let sequenceLabels = 65
    /// Steps per sequence (inputs and targets).
    public static let sequenceSteps = 64
    /// Forecast horizon on the regular grid.
    public static let forecastSteps = 8

    /// One split cut into sequences. Each sequence `s` covers kept stamps `lab[0] … lab[64]`.
    public struct Sequences: Sendable {
        /// Inputs `data[lab[0..<64]]`, shape `[S, 64, 5]`.
        public var x: Tensor<Float>
        /// Targets `data[lab[1...64]]`, shape `[S, 64, 5]`.
        public var y: Tensor<Float>
        /// Gaps `lab[i+1] − lab[i]` in original steps (1…6, not rescaled), shape `[S, 64]`.
        public var gaps: Tensor<Float>
        /// Forecast targets `data[lab[64] + k]` for k = 0..<8 on the regular grid, shape `[S, 8, 5]`.
        public var forecast: Tensor<Float>
        /// The time stamp `lab[0]` of each sequence.
        public var startTimes: [Int]
        /// All 65 labels of each sequence (time stamps into the z-scored series).
        public var labels: [[Int]]

        /// Number of sequences.
        public var count: Int { startTimes.count }
    }

    /// The whole prepared dataset.
    public struct Dataset: Sendable {
        /// Training sequences (509 with the official split).
        public var train: Sequences
        /// Validation sequences (254).
        public var valid: Sequences
        /// Test sequences (254).
        public var test: Sequences
        /// Per-channel means used for the z-score (over all 73,728 rows).
        public var means: [Double]
        /// Per-channel population standard deviations used for the z-score.
        public var stds: [Double]
        /// The z-scored series, `[73728, 5]` as Double.
        public var series: [[Double]]
    }

    /// Reads `pv.csv` and returns the 5 z-scored channels (row-major `[rows][5]`) with their means and
    /// population standard deviations.
    public static func zScoredSeries(csv path: String) throws -> (series: [[Double]], means: [Double], stds: [Double]) {
        let table = try NumericCSV(contentsOf: path, columns: Array(0..<channelCount))
        let rows = table.rowCount
        guard rows >= fullLength + forecastSteps else {
            throw DatasetError.inconsistentCount(
                file: path, offset: 0, detail: "\(rows) data rows, need at least \(fullLength + forecastSteps)")
        }
        var means: [Double] = [], stds: [Double] = []
        var normalised = table.columns
        for c in 0..<channelCount {
            let column = table.columns[c]
            // An infinite value would make the mean and deviation NaN and be reported as a constant column.
            if let row = column.firstIndex(where: { !$0.isFinite }) {
                throw DatasetError.valueOutOfRange(
                    file: path, offset: 0, detail: "data row \(row + 1), column \(c + 1) is \(column[row]); every value must be finite")
            }
            let mean = column.reduce(0, +) / Double(rows)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows)
            let std = variance.squareRoot()
            guard std > 0 else {
                throw DatasetError.valueOutOfRange(file: path, offset: 0, detail: "column \(c + 1) is constant")
            }
            means.append(mean)
            stds.append(std)
            normalised[c] = column.map { ($0 - mean) / std }
        }
        let series = (0..<rows).map { r in (0..<channelCount).map { normalised[$0][r] } }
        return (series, means, stds)
    }

    /// Reads the dropped-indices file: a comment line starting with `#`, then one ascending index per line.
    public static func droppedIndices(file path: String) throws -> [Int] {
        let bytes = try FileBytes.read(path)
        var result: [Int] = []
        for (number, line) in textLines(bytes).enumerated() {
            let trimmed = String(decoding: bytes[line], as: UTF8.self).trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let value = Int(trimmed) else {
                throw DatasetError.nonNumericCell(file: path, line: number + 1, column: 1, text: String(trimmed.prefix(40)))
            }
            guard value >= 0 && value < fullLength, result.last.map({ $0 < value }) ?? true else {
                throw DatasetError.valueOutOfRange(
                    file: path, offset: 0,
                    detail: "line \(number + 1): index \(value) is not ascending within 0..<\(fullLength)")
            }
            result.append(value)
        }
        guard result.count == fullLength - keptCount else {
            throw DatasetError.inconsistentCount(
                file: path, offset: bytes.count,
                detail: "\(result.count) dropped indices, the official split drops \(fullLength - keptCount)")
        }
        return result
    }

    /// Re-derives the dropped indices from the official seeded draw instead of reading them:
    /// `seed(1)`, `randn(73728, 5)` (noise of variance 0, drawn only to advance the generator), then
    /// `choice(73628, 66265, replace=False)` = the first 66,265 entries of `permutation(73628)`.
    public static func derivedDroppedIndices() -> [Int] {
        var rng = NumpyRandomState(seed: 1)
        for _ in 0..<(73_728 * channelCount) { _ = rng.standardNormal() }
        let kept = rng.permutation(fullLength).prefix(keptCount)
        var isKept = [Bool](repeating: false, count: fullLength)
        for index in kept { isKept[index] = true }
        return (0..<fullLength).filter { !isKept[$0] }
    }

    /// Loads `pv.csv` and the dropped-indices file and builds the official split.
    public static func load(csv: String, droppedIndicesFile: String) throws -> Dataset {
        try load(csv: csv, dropped: droppedIndices(file: droppedIndicesFile))
    }

    /// Loads `<directory>/pv.csv` and `<directory>/dropped-indices.txt`.
    public static func load(directory: String) throws -> Dataset {
        try load(csv: "\(directory)/pv.csv", droppedIndicesFile: "\(directory)/dropped-indices.txt")
    }

    /// Builds the split from `pv.csv` and an explicit list of dropped time stamps.
    public static func load(csv: String, dropped: [Int]) throws -> Dataset {
        let (series, means, stds) = try zScoredSeries(csv: csv)
        var isDropped = [Bool](repeating: false, count: fullLength)
        for index in dropped { isDropped[index] = true }
        let kept = (0..<fullLength).filter { !isDropped[$0] }
        // Ratios 2:1:1 as in the official code: train = first half, valid = next quarter, test = the rest.
        let trainCount = kept.count * 2 / 4
        let validCount = kept.count / 4
        let train = sequences(series: series, labels: Array(kept[0..<trainCount]))
        let valid = sequences(series: series, labels: Array(kept[trainCount..<trainCount + validCount]))
        let test = sequences(series: series, labels: Array(kept[(trainCount + validCount)...]))
        return Dataset(train: train, valid: valid, test: test, means: means, stds: stds, series: series)
    }

    /// Cuts one split's kept labels into non-overlapping groups of 65 (a short tail is dropped).
    static func sequences(series: [[Double]], labels: [Int]) -> Sequences {
        let count = labels.count / sequenceLabels
        let c = channelCount, steps = sequenceSteps
        var x = [Float](repeating: 0, count: count * steps * c)
        var y = x
        var gaps = [Float](repeating: 0, count: count * steps)
        var forecast = [Float](repeating: 0, count: count * forecastSteps * c)
        var starts: [Int] = [], groups: [[Int]] = []
        for s in 0..<count {
            let lab = Array(labels[s * sequenceLabels..<(s + 1) * sequenceLabels])
            groups.append(lab)
            starts.append(lab[0])
            for i in 0..<steps {
                gaps[s * steps + i] = Float(lab[i + 1] - lab[i])
                for ch in 0..<c {
                    x[(s * steps + i) * c + ch] = Float(series[lab[i]][ch])
                    y[(s * steps + i) * c + ch] = Float(series[lab[i + 1]][ch])
                }
            }
            for k in 0..<forecastSteps {
                for ch in 0..<c { forecast[(s * forecastSteps + k) * c + ch] = Float(series[lab[steps] + k][ch]) }
            }
        }
        return Sequences(
            x: Tensor(shape: [count, steps, c], scalars: x), y: Tensor(shape: [count, steps, c], scalars: y),
            gaps: Tensor(shape: [count, steps], scalars: gaps),
            forecast: Tensor(shape: [count, forecastSteps, c], scalars: forecast),
            startTimes: starts, labels: groups)
    }
}

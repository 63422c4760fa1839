import Foundation
import Tensors

/// Walker2D kinematic rollouts (ODE-LSTM's `walker` data) prepared as the official loader does:
/// a seeded file split, a seeded 90 % keep-mask that makes the series irregular, and
/// 64-step windows with stride 16.
public enum Walker2D {
    /// Features per time step.
    public static let featureCount = 17
    /// Window length.
    public static let windowLength = 64
    /// Window stride (`seq_len // 4`).
    public static let windowStride = 16
    /// Seed of the `RandomState` that shuffles the sorted file names.
    public static let fileSplitSeed: UInt32 = 125_487
    /// Seed of the `RandomState` that draws the keep-mask over train, then valid, then test.
    public static let maskSeed: UInt32 = 891_374
    /// Probability of keeping a time step.
    public static let keepProbability = 0.9

    /// The windows of one split.
    public struct Windows: Sendable {
        /// Inputs: kept rows of `arr[:-1]`, shape `[W, 64, 17]`.
        public var x: Tensor<Float>
        /// Gap of each kept step in original steps (first kept index k gets k + 1), shape `[W, 64]`.
        /// The models take `gap / 64` as their time input.
        public var gaps: Tensor<Float>
        /// Targets: the next *original* step `arr[i + 1]` of each kept step, shape `[W, 64, 17]`.
        public var y: Tensor<Float>

        /// Number of windows.
        public var count: Int { x.shape[0] }
    }

    /// The three splits and which files went where.
    public struct Dataset: Sendable {
        /// Training windows (from the last 75 % of the shuffled files).
        public var train: Windows
        /// Validation windows (shuffled files `int(0.15 N) ..< int(0.25 N)`).
        public var valid: Windows
        /// Test windows (the first `int(0.15 N)` shuffled files).
        public var test: Windows
        /// File names of each split, in the order they were read.
        public var trainFiles: [String], validFiles: [String], testFiles: [String]
    }

    /// The official file split: sort the names, shuffle with `RandomState(125487)`, then test = first 15 %,
    /// valid = up to 25 %, train = the rest.
    public static func splitFiles(_ names: [String]) -> (train: [String], valid: [String], test: [String]) {
        var files = names.sorted()
        var rng = NumpyRandomState(seed: fileSplitSeed)
        rng.shuffle(&files)
        let testEnd = Int(0.15 * Double(files.count)), validEnd = Int(0.25 * Double(files.count))
        return (Array(files[validEnd...]), Array(files[testEnd..<validEnd]), Array(files[..<testEnd]))
    }

    /// Loads every `*.npy` in `directory` and builds the three splits.
    public static func load(directory: String) throws -> Dataset {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".npy") }
        } catch {
            throw DatasetError.unreadable(file: directory, reason: "cannot list directory")
        }
        guard !names.isEmpty else { throw DatasetError.notFound(candidates: ["\(directory)/*.npy"]) }
        let split = splitFiles(names)
        var rng = NumpyRandomState(seed: maskSeed)
        // One generator runs over train, then valid, then test, exactly in that order.
        let train = try windows(files: split.train.map { "\(directory)/\($0)" }, rng: &rng)
        let valid = try windows(files: split.valid.map { "\(directory)/\($0)" }, rng: &rng)
        let test = try windows(files: split.test.map { "\(directory)/\($0)" }, rng: &rng)
        // An empty split would reach the models as a zero-row batch; name the shortfall here instead.
        for (name, part, files) in [("training", train, split.train), ("validation", valid, split.valid), ("test", test, split.test)]
        where part.count == 0 {
            throw DatasetError.inconsistentCount(
                file: directory, offset: 0,
                detail: "the \(name) split has no \(windowLength)-step window (\(files.count) of \(names.count) rollouts; "
                    + "each needs more than \(windowLength + 1) steps after the 10 % drop, and the split needs enough rollouts "
                    + "for 15 % test and 10 % validation files)")
        }
        return Dataset(train: train, valid: valid, test: test,
                       trainFiles: split.train, validFiles: split.valid, testFiles: split.test)
    }

    /// Reads one rollout and checks it is a `(T, 17)` float array with T ≥ 2.
    public static func rollout(file: String) throws -> NumpyArray {
        let array = try NumpyArray(contentsOf: file)
        guard array.shape.count == 2, array.shape[1] == featureCount, array.shape[0] >= 2 else {
            throw DatasetError.unsupportedNumpy(
                file: file, offset: 0, detail: "shape \(array.shape), expected (T, \(featureCount)) with T ≥ 2")
        }
        return array
    }

    /// Applies the keep-mask to each file in order and cuts the kept series into windows (`rng` draws
    /// one keep decision per step, continuing across files as the official loader's one generator does).
    public static func windows(files: [String], rng: inout NumpyRandomState) throws -> Windows {
        let f = featureCount, length = windowLength
        var xs: [Float] = [], ys: [Float] = [], gaps: [Float] = []
        var windowCount = 0
        for file in files {
            let array = try rollout(file: file)
            let steps = array.shape[0] - 1
            var keptX: [Float] = [], keptY: [Float] = [], keptGap: [Float] = []
            keptX.reserveCapacity(steps * f)
            keptY.reserveCapacity(steps * f)
            var skip = 0
            array.values.withUnsafeBufferPointer { values in
                for i in 0..<steps {
                    skip += 1
                    if rng.randomSample() < keepProbability {
                        for k in 0..<f {
                            keptX.append(Float(values[i * f + k]))
                            keptY.append(Float(values[(i + 1) * f + k]))
                        }
                        keptGap.append(Float(skip))
                        skip = 0
                    }
                }
            }
            let kept = keptGap.count
            // `range(0, len - 64, 16)`: the window starting exactly at len − 64 is not taken.
            for start in stride(from: 0, to: kept - length, by: windowStride) {
                xs.append(contentsOf: keptX[start * f..<(start + length) * f])
                ys.append(contentsOf: keptY[start * f..<(start + length) * f])
                gaps.append(contentsOf: keptGap[start..<start + length])
                windowCount += 1
            }
        }
        return Windows(
            x: Tensor(shape: [windowCount, length, f], scalars: xs),
            gaps: Tensor(shape: [windowCount, length], scalars: gaps),
            y: Tensor(shape: [windowCount, length, f], scalars: ys))
    }
}

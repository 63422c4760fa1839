import Tensors

#if canImport(Glibc)
import Glibc
#endif

/// The point-cloud experiment's data and full-batch training loop (spec §3.1), small enough to serve as
/// the worked example of how to train any model here.
public enum PointCloudTraining {
    /// Points `[N, 2]` with labels `[N, 1]` in {−1, +1}.
    public struct Data<Scalar: TensorScalar>: Sendable {
        /// Coordinates.
        public var points: Tensor<Scalar>
        /// Labels (−1 inner, +1 outer).
        public var labels: Tensor<Scalar>
    }

    /// Why the reference CSV could not be read.
    public enum DataError: Error, CustomStringConvertible {
        /// The file is missing or unreadable.
        case unreadable(path: String, reason: String)
        /// A row does not have the `split,index,x,y,label` form.
        case malformedRow(path: String, line: Int, text: String)

        /// Names the file and line.
        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
            case .malformedRow(let path, let line, let text): return "\(path):\(line): malformed row \"\(text)\""
            }
        }
    }

    /// Reads one split (`train`, `test` or `vis`) of `reference-pointcloud-2d.csv`
    /// (columns split, index, x, y, label).
    public static func loadReference<Scalar>(_ path: String, split: String = "train") throws(DataError) -> Data<Scalar> {
        let bytes: [UInt8]
        do { bytes = try AtomicFile.read(path) } catch { throw .unreadable(path: path, reason: error.description) }
        var coordinates = [Scalar](), labels = [Scalar]()
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() where number > 0 {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 5, let x = Double(fields[2]), let y = Double(fields[3]), let label = Double(fields[4]) else {
                throw .malformedRow(path: path, line: number + 1, text: String(line))
            }
            guard fields[0] == split else { continue }
            coordinates += [Scalar(x), Scalar(y)]
            labels.append(Scalar(label))
        }
        return Data(points: Tensor(shape: [labels.count, 2], scalars: coordinates), labels: Tensor(shape: [labels.count, 1], scalars: labels))
    }

    /// Nested spheres drawn like SONODE's `make_data.py` (rejection sampling of uniform points in
    /// [−1, 1]²: inner r² ≤ 0.25 labelled −1, outer 0.7225 ≤ r² ≤ 1 labelled +1), from a seeded generator.
    public static func synthetic<Scalar>(inner: Int = 22, outer: Int = 28, seed: UInt64) -> Data<Scalar> {
        var rng = SeededGenerator(seed: seed)
        var coordinates = [Scalar](), labels = [Scalar]()
        for (count, range, label) in [(inner, 0.0...0.25, -1.0), (outer, 0.7225...1.0, 1.0)] {
            var accepted = 0
            while accepted < count {
                let x = 2 * rng.nextUnitInterval(Double.self) - 1, y = 2 * rng.nextUnitInterval(Double.self) - 1
                guard range.contains(x * x + y * y) else { continue }
                coordinates += [Scalar(x), Scalar(y)]
                labels.append(Scalar(label))
                accepted += 1
            }
        }
        return Data(points: Tensor(shape: [labels.count, 2], scalars: coordinates), labels: Tensor(shape: [labels.count, 1], scalars: labels))
    }

    /// Full-batch training as in the reference notebooks: MSE(decoder(h(T)), label), Adam (lr 0.01 by
    /// default), no clipping. Returns one report per iteration (loss before the update, forward and
    /// backward NFE) and updates `model.parameters` in place.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func train<Scalar>(
        _ model: inout ContinuousDepthModel<Scalar>, data: Data<Scalar>, iterations: Int, learningRate: Double = 0.01,
        solver: SolverConfiguration? = nil
    ) throws -> [StepReport] {
        var optimizer = Adam<Scalar>(learningRate: learningRate)
        let configuration = solver ?? model.defaultSolver
        var reports = [StepReport]()
        let frozen = model
        for iteration in 0..<iterations {
            reports.append(try trainingStep(
                parameters: &model.parameters, optimizer: &optimizer, learningRate: learningRate,
                modelName: model.name, iteration: iteration
            ) { p, log in
                Losses.meanSquaredError(try frozen(Variable(constant: data.points), p, solver: configuration, log: log), data.labels)
            })
        }
        return reports
    }
}

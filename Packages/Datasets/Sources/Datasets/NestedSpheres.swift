import Tensors

/// The nested-spheres point cloud of the point-cloud experiment: an inner ball of radius 0.5
/// labelled −1 and an outer shell 0.85 ≤ r ≤ 1 labelled +1, inside [−1, 1]^d.
public enum NestedSpheres {
    /// Squared radius bound of the inner ball (0.5²).
    public static let innerRadiusSquared = 0.25
    /// Squared inner radius of the outer shell (0.85²).
    public static let outerRadiusSquaredMin = 0.7225

    /// Labelled points.
    public struct Points: Sendable {
        /// Coordinates, `[N, d]`.
        public var points: Tensor<Float>
        /// Labels ±1, `[N, 1]` (the models regress them with MSE).
        public var labels: Tensor<Float>

        /// Number of points.
        public var count: Int { points.shape[0] }
    }

    /// The fixed reference data of the official notebooks.
    public struct Reference: Sendable {
        /// The 50 training points.
        public var train: Points
        /// The 10 test points.
        public var test: Points
        /// The 120 visualisation points (40 inner, then 80 outer).
        public var visualisation: Points
    }

    /// Generates `innerCount` inner and `outerCount` outer points (inner first) by rejection sampling of
    /// uniform points in [−1, 1]^dimension, as SONODE's `make_data` does, with a seeded generator.
    public static func generate(innerCount: Int, outerCount: Int, dimension: Int = 2, seed: UInt32) -> Points {
        precondition(dimension >= 1 && innerCount >= 0 && outerCount >= 0,
                     "nested spheres need dimension ≥ 1 and non-negative counts, got \(dimension), \(innerCount), \(outerCount)")
        var rng = NumpyRandomState(seed: seed)
        var coordinates: [Float] = []
        var labels: [Float] = []
        func sample(accept: (Double) -> Bool) {
            while true {
                let point = (0..<dimension).map { _ in 2 * rng.randomSample() - 1 }
                let r2 = point.reduce(0) { $0 + $1 * $1 }
                if accept(r2) {
                    coordinates.append(contentsOf: point.map { Float($0) })
                    return
                }
            }
        }
        for _ in 0..<innerCount {
            sample { $0 <= innerRadiusSquared }
            labels.append(-1)
        }
        for _ in 0..<outerCount {
            sample { $0 >= outerRadiusSquaredMin && $0 <= 1 }
            labels.append(1)
        }
        let n = innerCount + outerCount
        return Points(points: Tensor(shape: [n, dimension], scalars: coordinates),
                      labels: Tensor(shape: [n, 1], scalars: labels))
    }

    /// Reads `reference-pointcloud-2d.csv` (columns split,index,x,y,label; split ∈ train/test/vis…).
    public static func loadReference(csv path: String) throws -> Reference {
        let bytes = try FileBytes.read(path)
        let table = try NumericCSV(parsing: bytes, file: path, columns: [1, 2, 3, 4], textColumns: [0])
        var groups: [String: (xy: [Float], labels: [Float])] = [:]
        for row in 0..<table.rowCount {
            let split = table.texts[0][row]
            let label = table.columns[3][row]
            guard label == 1 || label == -1 else {
                throw DatasetError.valueOutOfRange(file: path, offset: 0, detail: "data row \(row + 1): label \(label) is not ±1")
            }
            groups[split, default: ([], [])].xy += [Float(table.columns[1][row]), Float(table.columns[2][row])]
            groups[split, default: ([], [])].labels.append(Float(label))
        }
        func points(_ names: [String]) throws -> Points {
            guard let name = names.first(where: { groups[$0] != nil }), let group = groups[name] else {
                throw DatasetError.inconsistentCount(
                    file: path, offset: 0, detail: "no rows for split \(names[0]); found \(groups.keys.sorted())")
            }
            return Points(points: Tensor(shape: [group.labels.count, 2], scalars: group.xy),
                          labels: Tensor(shape: [group.labels.count, 1], scalars: group.labels))
        }
        return Reference(train: try points(["train"]), test: try points(["test"]),
                         visualisation: try points(["vis", "visualisation", "visualization", "viz"]))
    }
}

import Tensors

/// The silverbox benchmark (`sb.csv`: input V1, output V2) prepared as in the official initialisation
/// test: each column mean-centred over the whole file and multiplied by 100.
public enum Silverbox {
    /// Samples the official script treats as "train".
    public static let trainLength = 1000

    /// The prepared series.
    public struct Series: Sendable {
        /// Input voltage, centred and ×100, every sample.
        public var v1: [Double]
        /// Output voltage, centred and ×100, every sample.
        public var v2: [Double]
        /// The raw column means that were subtracted (V1, V2).
        public var means: [Double]

        /// The first ``Silverbox/trainLength`` samples as `[1000, 2]` (columns V1, V2).
        public var train: Tensor<Float> {
            let n = min(trainLength, v1.count)
            var scalars: [Float] = []
            scalars.reserveCapacity(2 * n)
            for i in 0..<n { scalars.append(Float(v1[i])); scalars.append(Float(v2[i])) }
            return Tensor(shape: [n, 2], scalars: scalars)
        }
    }

    /// Reads `sb.csv` (header `"V1","V2",`, trailing commas) and centres and scales both columns.
    public static func load(csv path: String) throws -> Series {
        let table = try NumericCSV(contentsOf: path, columns: [0, 1])
        guard table.rowCount >= trainLength else {
            throw DatasetError.inconsistentCount(
                file: path, offset: 0, detail: "\(table.rowCount) data rows, need at least \(trainLength)")
        }
        let means = table.columns.map { $0.reduce(0, +) / Double($0.count) }
        let centred = zip(table.columns, means).map { column, mean in column.map { ($0 - mean) * 100 } }
        return Series(v1: centred[0], v2: centred[1], means: means)
    }
}

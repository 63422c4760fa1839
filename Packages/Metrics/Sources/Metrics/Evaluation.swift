/// Scalar evaluation metrics on plain arrays.
///
/// A caseless enum rather than free functions so that `Evaluation.meanSquaredError` never collides with
/// a differentiable loss of the same name in the Tensor package when a file imports both.
public enum Evaluation {
    /// The fraction of `predictions` equal to the corresponding `labels`, in [0, 1].
    ///
    /// An empty batch has accuracy 0 rather than NaN, so that summing into a log never poisons a run.
    public static func accuracy(predictions: [Int], labels: [Int]) -> Double {
        precondition(
            predictions.count == labels.count,
            "accuracy: \(predictions.count) predictions but \(labels.count) labels")
        guard !labels.isEmpty else { return 0 }
        return Double(correctCount(predictions: predictions, labels: labels)) / Double(labels.count)
    }

    /// The number of `predictions` equal to the corresponding `labels`.
    public static func correctCount(predictions: [Int], labels: [Int]) -> Int {
        precondition(
            predictions.count == labels.count,
            "correctCount: \(predictions.count) predictions but \(labels.count) labels")
        var correct = 0
        for index in labels.indices where predictions[index] == labels[index] { correct += 1 }
        return correct
    }

    /// The accuracy of row-major `[batch, classCount]` scores (logits or probabilities) against `labels`.
    public static func accuracy(scores: [Double], classCount: Int, labels: [Int]) -> Double {
        accuracy(predictions: argmaxRows(scores, columns: classCount), labels: labels)
    }

    /// The index of the largest entry of each row of a row-major `[rows, columns]` matrix.
    ///
    /// Ties go to the lowest index and NaN entries never win, matching the usual `argmax` convention.
    public static func argmaxRows(_ matrix: [Double], columns: Int) -> [Int] {
        precondition(columns > 0, "argmaxRows: column count \(columns) must be positive")
        precondition(
            matrix.count % columns == 0,
            "argmaxRows: \(matrix.count) values do not form rows of \(columns)")
        let rows = matrix.count / columns
        var result = [Int](repeating: 0, count: rows)
        for row in 0..<rows {
            var best = 0
            var bestValue = -Double.infinity
            for column in 0..<columns {
                let value = matrix[row * columns + column]
                if value > bestValue { best = column; bestValue = value }
            }
            result[row] = best
        }
        return result
    }

    /// The mean of the squared differences between `prediction` and `target`.
    public static func meanSquaredError(_ prediction: [Double], _ target: [Double]) -> Double {
        precondition(
            prediction.count == target.count,
            "meanSquaredError: prediction has \(prediction.count) values, target \(target.count)")
        guard !target.isEmpty else { return 0 }
        var sum = 0.0
        for index in target.indices {
            let difference = prediction[index] - target[index]
            sum += difference * difference
        }
        return sum / Double(target.count)
    }

    /// The mean of the absolute differences between `prediction` and `target`.
    public static func meanAbsoluteError(_ prediction: [Double], _ target: [Double]) -> Double {
        precondition(
            prediction.count == target.count,
            "meanAbsoluteError: prediction has \(prediction.count) values, target \(target.count)")
        guard !target.isEmpty else { return 0 }
        var sum = 0.0
        for index in target.indices { sum += abs(prediction[index] - target[index]) }
        return sum / Double(target.count)
    }
}

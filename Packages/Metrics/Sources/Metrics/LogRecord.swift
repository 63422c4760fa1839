/// One row of a run log: named cells in a fixed column order.
///
/// Written as a dictionary literal, which keeps the order it was written in:
/// `let row: LogRecord = ["epoch": 3, "loss": 0.41, "nfe_forward": 26]`.
public struct LogRecord: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// Column names, in order.
    public private(set) var columns: [String]
    /// Cells, parallel to `columns`.
    public private(set) var values: [LogValue]

    /// Creates an empty record.
    public init() {
        columns = []
        values = []
    }

    /// Creates a record from (column, value) pairs in order.
    public init(_ fields: [(String, LogValue)]) {
        precondition(
            Set(fields.map(\.0)).count == fields.count,
            "LogRecord: duplicate column in \(fields.map(\.0))")
        columns = fields.map(\.0)
        values = fields.map(\.1)
    }

    /// Creates a record from a dictionary literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, LogValue)...) { self.init(elements) }

    /// The cell of `column`; setting a new column appends it at the end.
    public subscript(column: String) -> LogValue? {
        get { columns.firstIndex(of: column).map { values[$0] } }
        set {
            if let index = columns.firstIndex(of: column) {
                if let newValue { values[index] = newValue } else {
                    columns.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                columns.append(column)
                values.append(newValue)
            }
        }
    }

    /// The record as one CSV line (no line terminator), cells in column order.
    public var csvLine: String { values.map(\.csvField).joined(separator: ",") }

    /// The record as one compact JSON object (no line terminator), keys in column order.
    public var jsonLine: String {
        "{" + zip(columns, values).map { jsonQuoted($0) + ":" + $1.jsonValue }.joined(separator: ",") + "}"
    }
}

/// A numeric CSV table with one header line, as in `pv.csv` and `sb.csv`.
///
/// Those files quote their header names, end every line with a comma (so there is one empty trailing
/// column), and leave some columns sparse (`Fs` appears on the first data row only). Only the columns
/// the caller asks for must be numeric in every row; the others are ignored, however sparse.
public struct NumericCSV: Sendable {
    /// Header names with surrounding quotes removed, including the empty name of a trailing comma.
    public var header: [String]
    /// The requested columns, each as a full column of values (`columns[k]` is column `selected[k]`).
    public var columns: [[Double]]
    /// The zero-based indices of the requested columns.
    public var selected: [Int]
    /// The requested text columns, each as a full column of cells (`texts[k]` is column `textSelected[k]`),
    /// row for row beside ``columns``.
    public var texts: [[String]]

    /// Number of data rows.
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Parses CSV text; `file` is named in errors, `columns` lists the zero-based numeric columns to keep
    /// and `textColumns` the zero-based columns kept as text (e.g. a split name). Blank lines are skipped;
    /// `\n` and `\r\n` line ends are accepted, mixed in one file too.
    public init(parsing bytes: [UInt8], file: String, columns wanted: [Int], textColumns: [Int] = []) throws {
        let lines = textLines(bytes)
        guard let headerLine = lines.first(where: { !$0.isEmpty }) else {
            throw DatasetError.truncated(file: file, offset: 0, needed: 1, available: 0)
        }
        let names = NumericCSV.split(bytes, headerLine).map { range -> String in
            var name = String(decoding: bytes[range], as: UTF8.self)
            if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return name
        }
        if let bad = (wanted + textColumns).first(where: { $0 < 0 || $0 >= names.count }) {
            throw DatasetError.inconsistentCount(
                file: file, offset: 0, detail: "column \(bad + 1) requested but the header has \(names.count) columns")
        }
        header = names
        selected = wanted
        var values = [[Double]](repeating: [], count: wanted.count)
        for k in values.indices { values[k].reserveCapacity(lines.count) }
        var texts = [[String]](repeating: [], count: textColumns.count)
        let headerIndex = lines.firstIndex(of: headerLine)!
        for lineIndex in (headerIndex + 1)..<lines.count where !lines[lineIndex].isEmpty {
            let cells = NumericCSV.split(bytes, lines[lineIndex])
            for (k, column) in wanted.enumerated() {
                let lineNumber = lineIndex + 1
                guard column < cells.count, !cells[column].isEmpty else {
                    throw DatasetError.missingCell(file: file, line: lineNumber, column: column + 1)
                }
                let value = try NumericCSV.number(bytes, cells[column], file: file, line: lineNumber, column: column + 1)
                values[k].append(value)
            }
            for (k, column) in textColumns.enumerated() {
                guard column < cells.count else {
                    throw DatasetError.missingCell(file: file, line: lineIndex + 1, column: column + 1)
                }
                texts[k].append(String(decoding: bytes[cells[column]], as: UTF8.self))
            }
        }
        columns = values
        self.texts = texts
    }

    /// Reads and parses a CSV file from disk.
    public init(contentsOf path: String, columns: [Int]) throws {
        try self.init(parsing: FileBytes.read(path), file: path, columns: columns)
    }

    /// Byte ranges of the comma-separated cells of one line (no quoting inside numeric files).
    static func split(_ bytes: [UInt8], _ line: Range<Int>) -> [Range<Int>] {
        var cells: [Range<Int>] = []
        var start = line.lowerBound
        for i in line where bytes[i] == UInt8(ascii: ",") {
            cells.append(start..<i)
            start = i + 1
        }
        cells.append(start..<line.upperBound)
        return cells
    }

    /// Parses one cell as a finite-or-infinite Double; NaN and non-numbers are errors.
    static func number(_ bytes: [UInt8], _ cell: Range<Int>, file: String, line: Int, column: Int) throws -> Double {
        let text = String(decoding: bytes[cell], as: UTF8.self).trimmingSpaces()
        guard !text.isEmpty else { throw DatasetError.missingCell(file: file, line: line, column: column) }
        guard let value = Double(text) else {
            throw DatasetError.nonNumericCell(file: file, line: line, column: column, text: String(text.prefix(40)))
        }
        guard !value.isNaN else { throw DatasetError.nanCell(file: file, line: line, column: column) }
        return value
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// A GitHub-flavoured markdown table for reports.
///
/// ```
/// var table = MarkdownTable(columns: ["model", "accuracy"], alignments: [.left, .right])
/// table.addRow(["HBNODE", "0.981 ± 0.002"])
/// print(table.markdown)
/// ```
public struct MarkdownTable: Sendable, Equatable {
    /// Horizontal alignment of a column.
    public enum Alignment: Sendable, Equatable {
        /// Left-aligned (`:---`).
        case left
        /// Centred (`:---:`).
        case center
        /// Right-aligned (`---:`), the usual choice for numbers.
        case right
    }

    /// Header cells.
    public var columns: [String]
    /// One alignment per column.
    public var alignments: [Alignment]
    /// Body rows; each has one cell per column.
    public private(set) var rows: [[String]] = []

    /// Creates an empty table; alignments default to left.
    public init(columns: [String], alignments: [Alignment]? = nil) {
        precondition(!columns.isEmpty, "MarkdownTable needs at least one column")
        let alignments = alignments ?? Array(repeating: .left, count: columns.count)
        precondition(
            alignments.count == columns.count,
            "MarkdownTable: \(alignments.count) alignments for \(columns.count) columns")
        self.columns = columns
        self.alignments = alignments
    }

    /// Appends a row of exactly one cell per column.
    public mutating func addRow(_ cells: [String]) {
        precondition(
            cells.count == columns.count,
            "MarkdownTable.addRow: \(cells.count) cells for \(columns.count) columns \(columns)")
        rows.append(cells)
    }

    /// The table as markdown text, columns padded to equal width so the source reads as a table too.
    /// Pipes and line breaks inside cells are escaped so they cannot break the layout.
    public var markdown: String {
        let header = columns.map(Self.escape)
        let body = rows.map { $0.map(Self.escape) }
        var widths = header.map { max(3, $0.count) }
        for row in body { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }

        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return alignments[index] == .right ? padding + cell : cell + padding
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + alignments.enumerated().map { index, alignment in
            // The rule spans the cell plus its two padding spaces, so the pipes line up.
            let dashes = String(repeating: "-", count: widths[index])
            switch alignment {
            case .left: return ":" + dashes + "-"
            case .center: return ":" + dashes + ":"
            case .right: return "-" + dashes + ":"
            }
        }.joined(separator: "|") + "|"
        return ([line(header), rule] + body.map(line)).joined(separator: "\n") + "\n"
    }

    static func escape(_ cell: String) -> String {
        var result = ""
        for character in cell {
            switch character {
            case "|": result += "\\|"
            case "\n", "\r\n", "\r": result += "<br>"
            default: result.append(character)
            }
        }
        return result
    }
}

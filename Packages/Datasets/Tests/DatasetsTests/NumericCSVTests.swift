import Testing
@testable import Datasets

@Suite struct NumericCSVTests {
    let sample = """
    "Force","Voltage","Fs",
    1.5,-2e-3,400,
    -0.25,7,,

    3,4,,
    """

    @Test func readsQuotedHeaderTrailingCommasAndSparseColumns() throws {
        let table = try NumericCSV(parsing: Array(sample.utf8), file: "s.csv", columns: [0, 1])
        #expect(table.header == ["Force", "Voltage", "Fs", ""])
        #expect(table.rowCount == 3)
        #expect(table.columns[0] == [1.5, -0.25, 3])
        #expect(table.columns[1] == [-2e-3, 7, 4])
    }

    @Test func acceptsCRLFLineEnds() throws {
        let text = "\"a\",\"b\",\r\n1,2,\r\n3,4,\r\n"
        let table = try NumericCSV(parsing: Array(text.utf8), file: "crlf.csv", columns: [1])
        #expect(table.columns[0] == [2, 4])
    }

    @Test func sparseColumnIsAMissingCellWhenRequested() {
        // Fs (column 3) is empty on line 3.
        #expect(datasetError { try NumericCSV(parsing: Array(sample.utf8), file: "s.csv", columns: [2]) }
            == .missingCell(file: "s.csv", line: 3, column: 3))
    }

    @Test func namesLineAndColumnOfBadCells() {
        let short = "a,b\n1,2\n3\n"
        #expect(datasetError { try NumericCSV(parsing: Array(short.utf8), file: "x", columns: [0, 1]) }
            == .missingCell(file: "x", line: 3, column: 2))
        let text = "a,b\n1,2\n3,abc\n"
        #expect(datasetError { try NumericCSV(parsing: Array(text.utf8), file: "x", columns: [0, 1]) }
            == .nonNumericCell(file: "x", line: 3, column: 2, text: "abc"))
        let nan = "a,b\n1,nan\n"
        #expect(datasetError { try NumericCSV(parsing: Array(nan.utf8), file: "x", columns: [1]) }
            == .nanCell(file: "x", line: 2, column: 2))
        guard case .inconsistentCount("x", 0, _)? = datasetError({
            try NumericCSV(parsing: Array(nan.utf8), file: "x", columns: [5])
        }) else {
            Issue.record("asking for a column the header lacks must be an inconsistent count")
            return
        }
        #expect(datasetError { try NumericCSV(parsing: [], file: "empty", columns: [0]) }
            == .truncated(file: "empty", offset: 0, needed: 1, available: 0))
    }
}

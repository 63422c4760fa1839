import Foundation
import Metrics

/// A `REPORT.md` assembled from a run: headings, prose, tables, figures and the claims table. Only the
/// structure is fixed here; every number comes from the run that builds the report.
public struct Report: Sendable {
    /// The markdown built so far.
    public private(set) var markdown: String
    /// Every claim added, in order (for summaries and tests).
    public private(set) var claims: [Claim] = []

    /// Starts a report with a title.
    public init(title: String) {
        markdown = "# \(title)\n\n"
    }

    /// Adds a heading (`level` 2 = `##`).
    public mutating func heading(_ text: String, level: Int = 2) {
        markdown += String(repeating: "#", count: max(1, level)) + " \(text)\n\n"
    }

    /// Adds a paragraph.
    public mutating func paragraph(_ text: String) {
        markdown += text + "\n\n"
    }

    /// Adds a bullet list.
    public mutating func bullets(_ items: [String]) {
        markdown += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
    }

    /// Adds a table.
    public mutating func table(_ table: MarkdownTable) {
        markdown += table.markdown + "\n"
        if !markdown.hasSuffix("\n\n") { markdown += "\n" }
    }

    /// Adds an image link to a figure file in the run folder.
    public mutating func figure(_ file: String, caption: String) {
        markdown += "![\(caption)](\(file))\n\n*\(caption)*\n\n"
    }

    /// Adds the claims table: claim, source, paper, measured, verdict, rule.
    public mutating func claims(_ newClaims: [Claim]) {
        claims += newClaims
        var table = MarkdownTable(columns: ["claim", "source", "paper", "measured", "verdict", "rule / note"])
        for claim in newClaims {
            table.addRow([claim.statement, claim.source, claim.paperValue, claim.measuredValue,
                          "**\(claim.verdict.rawValue)**", claim.note])
        }
        self.table(table)
    }

    /// Writes the report as `REPORT.md` into the run folder.
    public func write(to run: RunDirectory) throws(ReproductionError) {
        try run.writeText(markdown, to: "REPORT.md")
    }
}

/// Formats a duration in seconds as `1h 02m`, `3m 05s` or `12.3 s`.
public func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "–" }
    if seconds >= 3600 {
        let minutes = Int((seconds / 60).rounded())
        return "\(minutes / 60)h \(String(format: "%02d", minutes % 60))m"
    }
    if seconds >= 60 {
        let whole = Int(seconds.rounded())
        return "\(whole / 60)m \(String(format: "%02d", whole % 60))s"
    }
    return String(format: "%.1f s", seconds)
}

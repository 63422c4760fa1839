import Metrics

/// The outcome of checking one of the paper's claims against this run's measurements.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    /// The measurements agree with the claim.
    case reproduced = "reproduced"
    /// The measurements contradict the claim.
    case notReproduced = "not reproduced"
    /// The run cannot decide the claim (reduced profile, missing data, too few seeds, a diverged run).
    case notComparable = "not comparable"
}

/// One claim of the paper beside what this run measured, with a verdict computed from the measurement.
public struct Claim: Sendable, Equatable {
    /// What the paper claims, in a sentence.
    public var statement: String
    /// Where the claim and its reference numbers come from (paper figure/table and spec section).
    public var source: String
    /// The paper's (or the official logs') figure, as text.
    public var paperValue: String
    /// What this run measured, as text (mean ± std over seeds where there are seeds).
    public var measuredValue: String
    /// The verdict.
    public var verdict: Verdict
    /// Why the verdict is what it is (the rule applied, or why the run is not comparable).
    public var note: String

    /// A claim with every field given.
    public init(
        statement: String, source: String, paperValue: String, measuredValue: String, verdict: Verdict,
        note: String
    ) {
        self.statement = statement
        self.source = source
        self.paperValue = paperValue
        self.measuredValue = measuredValue
        self.verdict = verdict
        self.note = note
    }

    /// "`smaller` is below `larger`" claims (fewer NFEs, lower loss): reproduced when the mean of `smaller`
    /// is below the mean of `larger` by more than `margin` (relative), not comparable when either side
    /// is missing or not finite or the run is flagged incomparable.
    public static func less(
        statement: String, source: String, paperValue: String,
        smaller: (name: String, value: MeanAndDeviation?), larger: (name: String, value: MeanAndDeviation?),
        margin: Double = 0, comparable: Bool = true, digits: Int = 2
    ) -> Claim {
        let measured = "\(smaller.name) \(smaller.value.map { $0.formatted(fractionDigits: digits) } ?? "–"); "
            + "\(larger.name) \(larger.value.map { $0.formatted(fractionDigits: digits) } ?? "–")"
        guard let a = smaller.value, let b = larger.value, a.mean.isFinite, b.mean.isFinite, a.count > 0, b.count > 0
        else {
            return Claim(statement: statement, source: source, paperValue: paperValue, measuredValue: measured,
                         verdict: .notComparable, note: "a side was not measured or is not finite")
        }
        let verdict: Verdict
        if !comparable {
            verdict = .notComparable
        } else {
            verdict = a.mean < b.mean * (1 - margin) ? .reproduced : .notReproduced
        }
        let rule = margin > 0
            ? "rule: mean(\(smaller.name)) < (1 − \(margin))·mean(\(larger.name))"
            : "rule: mean(\(smaller.name)) < mean(\(larger.name))"
        return Claim(statement: statement, source: source, paperValue: paperValue, measuredValue: measured,
                     verdict: verdict, note: comparable ? rule : rule + "; run too reduced to compare (see profile)")
    }

    /// "the value is about `reference`" claims (accuracy, test MSE): reproduced when the measured mean is
    /// within `band` (an absolute half-width) of the reference.
    public static func near(
        statement: String, source: String, reference: Double, band: Double,
        measured: MeanAndDeviation?, comparable: Bool = true, digits: Int = 3
    ) -> Claim {
        let paperText = fixed(reference, digits)
        guard let measured, measured.count > 0, measured.mean.isFinite else {
            return Claim(statement: statement, source: source, paperValue: paperText, measuredValue: "–",
                         verdict: .notComparable, note: "not measured")
        }
        let within = abs(measured.mean - reference) <= band
        let rule = "rule: |measured − \(paperText)| ≤ \(fixed(band, digits))"
        return Claim(
            statement: statement, source: source, paperValue: paperText,
            measuredValue: measured.formatted(fractionDigits: digits),
            verdict: comparable ? (within ? .reproduced : .notReproduced) : .notComparable,
            note: comparable ? rule : rule + "; run too reduced to compare (see profile)")
    }

    /// A qualitative claim decided by a boolean computed from the measurements.
    public static func holds(
        _ condition: Bool?, statement: String, source: String, paperValue: String, measuredValue: String,
        rule: String, comparable: Bool = true
    ) -> Claim {
        let verdict: Verdict
        if let condition, comparable { verdict = condition ? .reproduced : .notReproduced } else { verdict = .notComparable }
        let note = condition == nil ? rule + "; not measured" : (comparable ? rule : rule + "; run too reduced to compare (see profile)")
        return Claim(statement: statement, source: source, paperValue: paperValue, measuredValue: measuredValue,
                     verdict: verdict, note: note)
    }
}

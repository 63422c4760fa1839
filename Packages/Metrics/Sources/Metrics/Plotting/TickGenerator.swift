import Foundation

/// One axis tick: its data value, working-space coordinate and label (empty for minor ticks).
public struct Tick: Sendable, Equatable {
    /// The data value at the tick.
    public var value: Double
    /// The label text (may contain `^{...}` superscripts); empty for an unlabelled minor tick.
    public var label: String
    /// Whether the tick is a major (labelled) tick.
    public var isMajor: Bool
}

/// "Nice" tick positions and labels for linear and log10 axes.
public enum TickGenerator {
    /// Major ticks at 1, 2, 2.5 or 5 times a power of ten, about `targetCount` intervals apart, inside
    /// [`low`, `high`] (data values).
    public static func linearTicks(low: Double, high: Double, targetCount: Int) -> [Tick] {
        guard low.isFinite, high.isFinite, high > low else { return [] }
        let step = niceStep((high - low) / Double(max(1, targetCount)))
        let first = (low / step - 1e-9).rounded(.up)
        let last = (high / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [] }
        let values = stride(from: first, through: last, by: 1).map { index -> Double in
            let value = index * step
            // Multiples like 3 * 0.1 come out as 0.30000000000000004; snap exact zero at least.
            return abs(value) < step * 1e-9 ? 0 : value
        }
        let labels = linearLabels(values, step: step)
        return zip(values, labels).map { Tick(value: $0, label: $1, isMajor: true) }
    }

    /// Ticks for a log10 axis spanning data values [`low`, `high`] (both positive): labelled decades
    /// (every k-th decade when there are many) with unlabelled minor ticks at 2-9; within less than a
    /// decade or two, labelled 1-2-5 or linear ticks instead.
    public static func logTicks(low: Double, high: Double, targetCount: Int) -> [Tick] {
        guard low > 0, high > low, low.isFinite, high.isFinite else { return [] }
        let lowExponent = log10(low), highExponent = log10(high)
        let firstDecade = Int((lowExponent - 1e-9).rounded(.up))
        let lastDecade = Int((highExponent + 1e-9).rounded(.down))
        let decadeCount = lastDecade - firstDecade + 1

        if decadeCount >= 2 {
            let every = max(1, Int((Double(decadeCount) / Double(max(1, targetCount))).rounded(.up)))
            var ticks: [Tick] = []
            for exponent in (firstDecade - 1)...lastDecade {
                let decade = pow(10, Double(exponent))
                if exponent >= firstDecade, (exponent - firstDecade) % every == 0 {
                    ticks.append(Tick(value: decade, label: "10^{\(exponent)}", isMajor: true))
                }
                // Minor ticks only when decades are labelled one by one; otherwise they clutter.
                if every == 1 {
                    for multiple in 2...9 {
                        let value = Double(multiple) * decade
                        if value >= low, value <= high {
                            ticks.append(Tick(value: value, label: "", isMajor: false))
                        }
                    }
                }
            }
            return ticks.sorted { $0.value < $1.value }
        }

        // Less than two decades visible: 1-2-5 multiples, or plain linear ticks when even those are few.
        var values: [Double] = []
        for exponent in (firstDecade - 1)...(lastDecade + 1) {
            for multiple in [1.0, 2.0, 5.0] {
                let value = multiple * pow(10, Double(exponent))
                if value >= low * (1 - 1e-9), value <= high * (1 + 1e-9) { values.append(value) }
            }
        }
        if values.count >= 3 {
            return values.map { Tick(value: $0, label: scientificLabel($0), isMajor: true) }
        }
        return linearTicks(low: low, high: high, targetCount: targetCount)
    }

    /// The 1, 2, 2.5, 5 or 10 x 10^k nearest to `rough` on a log scale, so the tick count stays close
    /// to the target from either side (always rounding up would leave as few as half the ticks asked).
    static func niceStep(_ rough: Double) -> Double {
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let candidates = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }
        return candidates.min { abs(log(rough / $0)) < abs(log(rough / $1)) } ?? magnitude
    }

    /// Labels with the same number of decimals for all ticks (so 0.5, 1.0, 1.5 line up), switching to
    /// `m×10^{e}` for very large or very small magnitudes.
    static func linearLabels(_ values: [Double], step: Double) -> [String] {
        let largest = values.map(abs).max() ?? 0
        if largest >= 1e5 || (largest > 0 && largest < 1e-3) {
            return values.map { value in
                guard value != 0 else { return "0" }
                let exponent = Int(log10(abs(value)).rounded(.down))
                let digits = max(0, exponent - Int(log10(step).rounded(.down)))
                return mantissaLabel(value / pow(10, Double(exponent)), digits: min(digits, 6), exponent: exponent)
            }
        }
        var decimals = max(0, -Int(log10(step).rounded(.down)))
        // A 2.5 x 10^k step needs one more digit than its power of ten suggests (0.25, 2.5).
        let leading = step / pow(10, log10(step).rounded(.down))
        if abs(leading - 2.5) < 1e-9 { decimals += 1 }
        return values.map { formatFixed($0, fractionDigits: decimals) }
    }

    /// A compact label for a single value: plain for moderate magnitudes, `m×10^{e}` otherwise.
    static func scientificLabel(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        let exponent = Int(log10(abs(value)).rounded(.down))
        let mantissa = value / pow(10, Double(exponent))
        if (-2...3).contains(exponent) {
            return formatFixed(value, fractionDigits: max(0, -exponent))
        }
        return mantissaLabel(mantissa, digits: 0, exponent: exponent)
    }

    static func mantissaLabel(_ mantissa: Double, digits: Int, exponent: Int) -> String {
        let text = formatFixed(mantissa, fractionDigits: digits)
        if text == "1" { return "10^{\(exponent)}" }
        if text == "-1" { return "-10^{\(exponent)}" }
        return "\(text)\u{00D7}10^{\(exponent)}"
    }
}

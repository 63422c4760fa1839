import Foundation

/// `value` with exactly `fractionDigits` digits after the point ("nan", "inf", "-inf" for non-finite).
///
/// Goes through C's `%.*f`, which rounds correctly (round-half-even on the exact binary value), instead
/// of hand-rolled scaling that misrounds values such as 0.125.
func formatFixed(_ value: Double, fractionDigits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    let text = String(format: "%.*f", max(0, fractionDigits), value)
    // "-0.000" reads as a sign error in a table; print zero unsigned.
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
        return String(text.dropFirst())
    }
    return text
}

/// `value` in `%g` style with `significantDigits` significant digits, for compact progress lines.
func formatCompact(_ value: Double, significantDigits: Int = 4) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    return String(format: "%.*g", max(1, significantDigits), value)
}

/// A duration as `h:mm:ss` (or `m:ss` under an hour), for ETAs; "--:--" when unknown.
func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--:--" }
    let total = Int(seconds.rounded())
    let hours = total / 3600
    let minutes = (total % 3600) / 60
    let secs = total % 60
    let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
}

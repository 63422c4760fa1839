import Foundation

/// `value` with exactly `digits` digits after the decimal point ("–" for NaN, "∞" for infinities), for
/// report tables.
public func fixed(_ value: Double, _ digits: Int = 3) -> String {
    if value.isNaN { return "–" }
    if value.isInfinite { return value > 0 ? "∞" : "−∞" }
    return String(format: "%.\(max(0, digits))f", value)
}

/// `value` in scientific notation with `digits` significant digits after the point (e.g. `1.23e-04`).
public func scientific(_ value: Double, _ digits: Int = 2) -> String {
    if !value.isFinite { return fixed(value) }
    return String(format: "%.\(max(0, digits))e", value)
}

/// A duration for reports and console summaries, with its unit and about two significant digits where
/// that matters: `49 ms`, `3.2 s`, `48 s`, `12 min 05 s`, `2 h 07 min` ("–" when not finite).
public func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "–" }
    if seconds < 0 { return "−" + duration(-seconds) }
    if seconds < 1 { return String(format: seconds < 0.01 ? "%.1f ms" : "%.0f ms", seconds * 1000) }
    if seconds < 10 { return String(format: "%.1f s", seconds) }
    if seconds < 60 { return String(format: "%.0f s", seconds) }
    let whole = Int(seconds.rounded())
    if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
    return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
}

/// `count` with its noun in the right number: `1 epoch`, `20 epochs` (plural by adding `s` unless given).
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}

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

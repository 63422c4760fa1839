/// One cell of a run log: a number, a string or a boolean.
public enum LogValue: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    /// An integer such as an epoch or an NFE count.
    case int(Int)
    /// A real number such as a loss; NaN and infinities are allowed (a diverged run must still log).
    case double(Double)
    /// Free text such as a model name.
    case string(String)
    /// A flag.
    case bool(Bool)

    /// Creates an integer cell.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// Creates a real cell.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// Creates a text cell.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates a boolean cell.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The cell as a CSV field: numbers in Swift's shortest round-trip form, non-finite numbers as
    /// `nan`/`inf`/`-inf`, text quoted only when it contains a comma, quote or line break.
    public var csvField: String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return Self.roundTripText(value)
        case .bool(let value): return value ? "true" : "false"
        case .string(let value):
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
                return value
            }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    /// The cell as a JSON value. JSON has no NaN or infinity, so non-finite numbers become `null`
    /// (the CSV twin keeps the exact value).
    public var jsonValue: String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? Self.roundTripText(value) : "null"
        case .bool(let value): return value ? "true" : "false"
        case .string(let value): return jsonQuoted(value)
        }
    }

    static func roundTripText(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return "\(value)"
    }
}

/// `text` as a JSON string literal, escaping quotes, backslashes and control characters.
func jsonQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

extension String {
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

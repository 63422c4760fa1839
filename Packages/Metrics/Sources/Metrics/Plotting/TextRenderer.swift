/// Where a text's anchor point sits horizontally relative to the text.
public enum HorizontalAnchor: Sendable {
    /// The anchor is at the left edge.
    case left
    /// The anchor is at the centre.
    case center
    /// The anchor is at the right edge.
    case right
}

/// Where a text's anchor point sits vertically relative to the text.
public enum VerticalAnchor: Sendable {
    /// The anchor is at the top of the capitals (and of any superscript).
    case top
    /// The anchor is halfway up the capitals.
    case middle
    /// The anchor is on the baseline.
    case baseline
    /// The anchor is at the bottom of the descenders.
    case bottom
}

/// Draws and measures text in `BitmapFont`, with `^{...}` marking a superscript (as in `10^{-3}`).
///
/// Superscripts are drawn at the same pixel scale, raised by four font pixels: at 1x a smaller font
/// would be unreadable, and the raise alone reads clearly as an exponent.
public enum TextRenderer {
    /// Font pixels a superscript is raised above the baseline.
    static let superscriptRaise = 4

    struct Run {
        var text: [Character]
        var isSuperscript: Bool
    }

    /// Splits `text` into normal and superscript runs.
    static func runs(_ text: String) -> [Run] {
        var result: [Run] = []
        var current: [Character] = []
        var inSuperscript = false
        var characters = Array(text)[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            if !inSuperscript, character == "^", characters.first == "{" {
                if !current.isEmpty { result.append(Run(text: current, isSuperscript: false)) }
                current = []
                characters = characters.dropFirst()
                inSuperscript = true
            } else if inSuperscript, character == "}" {
                result.append(Run(text: current, isSuperscript: true))
                current = []
                inSuperscript = false
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(Run(text: current, isSuperscript: inSuperscript)) }
        return result
    }

    /// Whether `text` contains a superscript.
    static func hasSuperscript(_ text: String) -> Bool { runs(text).contains { $0.isSuperscript } }

    /// Width of `text` in canvas pixels at `scale`.
    public static func width(of text: String, scale: Int = 1) -> Int {
        let characters = runs(text).reduce(0) { $0 + $1.text.count }
        return characters == 0 ? 0 : (characters * BitmapFont.advance - 1) * scale
    }

    /// Height from the top of the tallest part (superscript included) to the bottom of the descenders.
    public static func height(of text: String, scale: Int = 1) -> Int {
        (ascent(of: text) + BitmapFont.descent) * scale
    }

    /// Font pixels above the baseline, superscripts included.
    static func ascent(of text: String) -> Int {
        BitmapFont.ascent + (hasSuperscript(text) ? superscriptRaise : 0)
    }

    /// Draws `text` with its anchor at (`x`, `y`); `rotated` turns it 90° anticlockwise (reading bottom
    /// to top, as on a y-axis label), the anchors then refer to the unrotated text.
    public static func draw(
        _ text: String, on canvas: inout Canvas, x: Int, y: Int, scale: Int = 1, color: Color = .black,
        horizontal: HorizontalAnchor = .left, vertical: VerticalAnchor = .baseline, rotated: Bool = false
    ) {
        let textWidth = width(of: text, scale: scale)
        let ascentPixels = ascent(of: text) * scale
        // Offsets of the text's left end and baseline from the anchor, along and across the text.
        let along: Int
        switch horizontal {
        case .left: along = 0
        case .center: along = -textWidth / 2
        case .right: along = -textWidth
        }
        let baselineOffset: Int
        switch vertical {
        case .top: baselineOffset = ascentPixels
        case .middle: baselineOffset = BitmapFont.ascent * scale / 2
        case .baseline: baselineOffset = 0
        case .bottom: baselineOffset = -BitmapFont.descent * scale
        }

        var pen = along
        for run in runs(text) {
            let raise = run.isSuperscript ? superscriptRaise : 0
            for character in run.text {
                let rows = BitmapFont.rows(for: character)
                for (row, bits) in rows.enumerated() where bits != 0 {
                    for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                        // Position in text space: u along the text, v downwards from the baseline.
                        let u = pen + column * scale
                        let v = baselineOffset + (row - BitmapFont.ascent - raise) * scale
                        for dy in 0..<scale {
                            for dx in 0..<scale {
                                if rotated {
                                    canvas.blend(x: x + v + dy, y: y - (u + dx), color: color)
                                } else {
                                    canvas.blend(x: x + u + dx, y: y + v + dy, color: color)
                                }
                            }
                        }
                    }
                }
                pen += BitmapFont.advance * scale
            }
        }
    }
}

/// An integer pixel rectangle: `x`, `y` of the top-left corner, `width`, `height`.
public struct PixelRect: Sendable, Equatable {
    /// Left edge (inclusive).
    public var x: Int
    /// Top edge (inclusive).
    public var y: Int
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a rectangle.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// One past the right edge.
    public var maxX: Int { x + width }
    /// One past the bottom edge.
    public var maxY: Int { y + height }

    /// The overlap with `other` (possibly empty).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        return PixelRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    /// Whether the rectangles share at least one pixel.
    public func intersects(_ other: PixelRect) -> Bool {
        let overlap = intersection(other)
        return overlap.width > 0 && overlap.height > 0
    }
}

/// An 8-bit RGBA raster (row-major, top row first) with anti-aliased drawing primitives.
///
/// Coordinates are in pixels with the centre of pixel (i, j) at (i + 0.5, j + 0.5). Shapes are drawn by
/// coverage: each pixel gets the fraction of it that the shape covers (approximated by distance to the
/// shape's edge), which gives clean anti-aliased lines and discs without supersampling.
public struct Canvas: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height * 4` bytes, RGBA, non-premultiplied.
    public private(set) var pixels: [UInt8]

    /// Creates a canvas filled with `background`.
    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "Canvas size \(width)x\(height) must be positive")
        self.width = width
        self.height = height
        let rgba = Self.bytes(background)
        pixels = [UInt8](repeating: 0, count: width * height * 4)
        for offset in stride(from: 0, to: pixels.count, by: 4) {
            pixels[offset] = rgba.0
            pixels[offset + 1] = rgba.1
            pixels[offset + 2] = rgba.2
            pixels[offset + 3] = rgba.3
        }
    }

    /// Wraps existing RGBA bytes (e.g. a decoded PNG).
    public init(width: Int, height: Int, rgba: [UInt8]) {
        precondition(
            width > 0 && height > 0 && rgba.count == width * height * 4,
            "Canvas \(width)x\(height) needs \(width * height * 4) RGBA bytes, got \(rgba.count)")
        self.width = width
        self.height = height
        self.pixels = rgba
    }

    /// The whole canvas as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The colour of pixel (`x`, `y`).
    public subscript(x: Int, y: Int) -> Color {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        let offset = (y * width + x) * 4
        return Color(
            red: Double(pixels[offset]) / 255, green: Double(pixels[offset + 1]) / 255,
            blue: Double(pixels[offset + 2]) / 255, alpha: Double(pixels[offset + 3]) / 255)
    }

    /// The raw RGBA bytes of pixel (`x`, `y`).
    public func rgba(x: Int, y: Int) -> (UInt8, UInt8, UInt8, UInt8) {
        let offset = (y * width + x) * 4
        return (pixels[offset], pixels[offset + 1], pixels[offset + 2], pixels[offset + 3])
    }

    /// Composites `color` over pixel (`x`, `y`) with the given coverage in [0, 1]; out-of-range pixels
    /// are ignored so callers can draw shapes that cross the border.
    public mutating func blend(x: Int, y: Int, color: Color, coverage: Double = 1) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let sourceAlpha = color.alpha * min(max(coverage, 0), 1)
        guard sourceAlpha > 0 else { return }
        let offset = (y * width + x) * 4
        let destinationAlpha = Double(pixels[offset + 3]) / 255
        let outAlpha = sourceAlpha + destinationAlpha * (1 - sourceAlpha)
        guard outAlpha > 0 else { return }
        func channel(_ source: Double, _ index: Int) -> UInt8 {
            let destination = Double(pixels[offset + index]) / 255
            let value = (source * sourceAlpha + destination * destinationAlpha * (1 - sourceAlpha)) / outAlpha
            return UInt8((value * 255).rounded())
        }
        pixels[offset] = channel(color.red, 0)
        pixels[offset + 1] = channel(color.green, 1)
        pixels[offset + 2] = channel(color.blue, 2)
        pixels[offset + 3] = UInt8((outAlpha * 255).rounded())
    }

    /// Fills a rectangle (clipped to the canvas).
    public mutating func fill(_ rect: PixelRect, color: Color) {
        let area = rect.intersection(bounds)
        guard area.width > 0, area.height > 0 else { return }
        for y in area.y..<area.maxY { for x in area.x..<area.maxX { blend(x: x, y: y, color: color) } }
    }

    /// Draws a rectangle outline `lineWidth` pixels thick, inside the rectangle.
    public mutating func strokeRect(_ rect: PixelRect, color: Color, lineWidth: Int = 1) {
        let t = max(1, min(lineWidth, rect.width / 2, rect.height / 2))
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), color: color)
        fill(PixelRect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), color: color)
        fill(PixelRect(x: rect.x, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
        fill(PixelRect(x: rect.maxX - t, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
    }

    /// Fills an anti-aliased disc centred at (`cx`, `cy`), clipped to `clip` (default: the canvas).
    public mutating func fillCircle(cx: Double, cy: Double, radius: Double, color: Color, clip: PixelRect? = nil) {
        guard cx.isFinite, cy.isFinite, radius > 0 else { return }
        let area = PixelRect(
            x: Int((cx - radius - 1).rounded(.down)), y: Int((cy - radius - 1).rounded(.down)),
            width: Int(2 * radius + 3), height: Int(2 * radius + 3)
        ).intersection(clip ?? bounds).intersection(bounds)
        guard area.width > 0, area.height > 0 else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                let coverage = radius + 0.5 - (dx * dx + dy * dy).squareRoot()
                if coverage > 0 { blend(x: x, y: y, color: color, coverage: coverage) }
            }
        }
    }

    /// Strokes an anti-aliased polyline of the given width, optionally dashed, clipped to `clip`.
    ///
    /// Coverage is first gathered into a mask as the maximum over all segments and blended once, so
    /// joints and overlapping dashes are not painted twice (which would leave dark beads along a
    /// translucent line). `dash` is an on/off pattern in pixels measured along the line.
    public mutating func strokePolyline(
        _ points: [(x: Double, y: Double)], color: Color, lineWidth: Double = 1.5,
        dash: [Double]? = nil, clip: PixelRect? = nil
    ) {
        guard points.count >= 2, lineWidth > 0 else { return }
        let area = (clip ?? bounds).intersection(bounds)
        guard area.width > 0, area.height > 0 else { return }
        var mask = [Float](repeating: 0, count: area.width * area.height)
        let halfWidth = lineWidth / 2

        func addSegment(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) {
            let reach = halfWidth + 1
            // Clamp before converting to Int: far off-screen points (large data) must not overflow.
            let limit = 1e7
            let minX = max(Double(area.x), min(limit, min(a.x, b.x) - reach)).rounded(.down)
            let maxX = min(Double(area.maxX), max(-limit, max(a.x, b.x) + reach)).rounded(.up)
            let minY = max(Double(area.y), min(limit, min(a.y, b.y) - reach)).rounded(.down)
            let maxY = min(Double(area.maxY), max(-limit, max(a.y, b.y) + reach)).rounded(.up)
            guard minX < maxX, minY < maxY else { return }
            let dx = b.x - a.x, dy = b.y - a.y
            let lengthSquared = dx * dx + dy * dy
            for y in Int(minY)..<Int(maxY) {
                for x in Int(minX)..<Int(maxX) {
                    let px = Double(x) + 0.5 - a.x, py = Double(y) + 0.5 - a.y
                    let t = lengthSquared > 0 ? min(max((px * dx + py * dy) / lengthSquared, 0), 1) : 0
                    let ex = px - t * dx, ey = py - t * dy
                    let coverage = Float(min(1, halfWidth + 0.5 - (ex * ex + ey * ey).squareRoot()))
                    let index = (y - area.y) * area.width + (x - area.x)
                    if coverage > mask[index] { mask[index] = coverage }
                }
            }
        }

        if let dash, dash.count >= 2, dash.allSatisfy({ $0 > 0 }) {
            var patternIndex = 0
            var remaining = dash[0]
            for (a, b) in zip(points, points.dropFirst()) {
                let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                guard length.isFinite else { continue }
                var travelled = 0.0
                while travelled < length {
                    let step = min(remaining, length - travelled)
                    if patternIndex % 2 == 0 {
                        // Strokes have round caps reaching half the width past each end; pull the ends
                        // in by that much so dashes and gaps keep the lengths the pattern asks for.
                        let inset = min(halfWidth, step / 2)
                        let t0 = (travelled + inset) / length, t1 = (travelled + step - inset) / length
                        addSegment(
                            (a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0),
                            (a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1))
                    }
                    travelled += step
                    remaining -= step
                    if remaining <= 1e-9 {
                        patternIndex = (patternIndex + 1) % dash.count
                        remaining = dash[patternIndex]
                    }
                }
            }
        } else {
            for (a, b) in zip(points, points.dropFirst()) { addSegment(a, b) }
        }

        for y in 0..<area.height {
            for x in 0..<area.width {
                let coverage = mask[y * area.width + x]
                if coverage > 0 { blend(x: area.x + x, y: area.y + y, color: color, coverage: Double(coverage)) }
            }
        }
    }

    /// Strokes one anti-aliased straight line.
    public mutating func strokeLine(
        from start: (x: Double, y: Double), to end: (x: Double, y: Double), color: Color,
        lineWidth: Double = 1, clip: PixelRect? = nil
    ) {
        strokePolyline([start, end], color: color, lineWidth: lineWidth, clip: clip)
    }

    static func bytes(_ color: Color) -> (UInt8, UInt8, UInt8, UInt8) {
        (
            UInt8((color.red * 255).rounded()), UInt8((color.green * 255).rounded()),
            UInt8((color.blue * 255).rounded()), UInt8((color.alpha * 255).rounded())
        )
    }
}

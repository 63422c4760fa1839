/// How a line is stroked.
public enum LineStyle: Sendable, Equatable {
    /// A continuous line.
    case solid
    /// Long dashes.
    case dashed
    /// Short dots.
    case dotted

    /// The on/off pattern in pixels for a line of the given width, `nil` for solid.
    func dashPattern(lineWidth: Double) -> [Double]? {
        switch self {
        case .solid: return nil
        case .dashed: return [max(4, 4 * lineWidth), max(3, 2.5 * lineWidth)]
        case .dotted: return [max(1, lineWidth), max(2, 1.8 * lineWidth)]
        }
    }
}

/// A line through (x, y) points. Non-finite points (and non-positive ones on a log axis) break the line
/// rather than being joined across, so a diverged stretch shows as a gap.
public struct LineSeries: Sendable, Equatable {
    /// Horizontal data values.
    public var x: [Double]
    /// Vertical data values, one per `x`.
    public var y: [Double]
    /// Legend text; unlabelled series are not listed in the legend.
    public var label: String?
    /// Stroke colour.
    public var color: Color
    /// Solid, dashed or dotted.
    public var style: LineStyle
    /// Stroke width in pixels at figure scale 1.
    public var lineWidth: Double
    /// Radius of a disc drawn at every point, `nil` for none.
    public var markerRadius: Double?

    /// Creates a line series.
    public init(
        x: [Double], y: [Double], label: String? = nil, color: Color, style: LineStyle = .solid,
        lineWidth: Double = 1.5, markerRadius: Double? = nil
    ) {
        precondition(x.count == y.count, "LineSeries: x has \(x.count) values, y has \(y.count)")
        self.x = x
        self.y = y
        self.label = label
        self.color = color
        self.style = style
        self.lineWidth = lineWidth
        self.markerRadius = markerRadius
    }
}

/// How scatter points are coloured.
public enum ScatterColoring: Sendable, Equatable {
    /// Every point in one colour.
    case solid(Color)
    /// Point i in the palette colour of `classes[i]`; `names` label the classes in the legend.
    case classes([Int], names: [String]?)
    /// Point i by `values[i]` through the axes' colour scale, explained by a colour bar.
    case values([Double])
}

/// A set of (x, y) points drawn as discs. Non-finite points are skipped.
public struct ScatterSeries: Sendable, Equatable {
    /// Horizontal data values.
    public var x: [Double]
    /// Vertical data values, one per `x`.
    public var y: [Double]
    /// Legend text for a solid-coloured series.
    public var label: String?
    /// How points are coloured.
    public var coloring: ScatterColoring
    /// Disc radius in pixels at figure scale 1.
    public var radius: Double
    /// Point opacity; below 1 shows density where points overlap.
    public var opacity: Double

    /// Creates a scatter series.
    public init(
        x: [Double], y: [Double], label: String? = nil, coloring: ScatterColoring, radius: Double = 2.5,
        opacity: Double = 0.85
    ) {
        precondition(x.count == y.count, "ScatterSeries: x has \(x.count) values, y has \(y.count)")
        switch coloring {
        case .classes(let classes, _):
            precondition(classes.count == x.count, "ScatterSeries: \(classes.count) classes for \(x.count) points")
        case .values(let values):
            precondition(values.count == x.count, "ScatterSeries: \(values.count) values for \(x.count) points")
        case .solid:
            break
        }
        self.x = x
        self.y = y
        self.label = label
        self.coloring = coloring
        self.radius = radius
        self.opacity = opacity
    }
}

/// The mapping from values to colours shared by an axes' value-coloured scatter series, and the
/// description of its colour bar.
public struct ColorScale: Sendable, Equatable {
    /// The colour map.
    public var colorMap: ColorMap
    /// Linear or log10 mapping of values onto the map.
    public var scale: AxisScale
    /// Fixed value limits, or `nil` to span the data.
    public var limits: ClosedRange<Double>?
    /// Text beside the colour bar.
    public var label: String?
    /// Whether to draw the colour bar.
    public var showsColorBar: Bool

    /// Creates a colour scale.
    public init(
        colorMap: ColorMap = .viridis, scale: AxisScale = .linear, limits: ClosedRange<Double>? = nil,
        label: String? = nil, showsColorBar: Bool = true
    ) {
        self.colorMap = colorMap
        self.scale = scale
        self.limits = limits
        self.label = label
        self.showsColorBar = showsColorBar
    }
}

/// Where the legend goes inside the plot area.
public enum LegendPlacement: Sendable, Equatable {
    /// The corner that hides the fewest data points.
    case best
    /// Top right corner.
    case upperRight
    /// Top left corner.
    case upperLeft
    /// Bottom right corner.
    case lowerRight
    /// Bottom left corner.
    case lowerLeft
    /// No legend.
    case hidden
}

/// One panel of a figure: series, scales, limits, labels and legend.
///
/// ```
/// var axes = Axes(title: "Training loss", xLabel: "epoch", yLabel: "loss")
/// axes.yScale = .log10
/// axes.plot(epochs, hbnodeLoss, label: "HBNODE")
/// axes.plot(epochs, nodeLoss, label: "NODE", style: .dashed)
/// ```
public struct Axes: Sendable, Equatable {
    /// Text above the panel.
    public var title: String?
    /// Text below the x axis.
    public var xLabel: String?
    /// Text left of the y axis, drawn rotated.
    public var yLabel: String?
    /// Horizontal scale.
    public var xScale: AxisScale = .linear
    /// Vertical scale.
    public var yScale: AxisScale = .linear
    /// Fixed horizontal limits, or `nil` to fit the data.
    public var xLimits: ClosedRange<Double>?
    /// Fixed vertical limits, or `nil` to fit the data.
    public var yLimits: ClosedRange<Double>?
    /// Legend position.
    public var legend: LegendPlacement = .best
    /// Whether one unit spans the same number of pixels on both axes (in working space, so decades on
    /// log axes), as for point clouds; the limits are widened on one axis to achieve it.
    public var equalAspect = false
    /// Whether to draw light grid lines at the major ticks.
    public var showsGrid = true
    /// Line series, drawn in order.
    public var lines: [LineSeries] = []
    /// Scatter series, drawn in order after the lines.
    public var scatters: [ScatterSeries] = []
    /// Colour mapping for value-coloured scatter series.
    public var colorScale = ColorScale()

    private var nextColorIndex = 0

    /// Creates an empty panel.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Adds a line; without an explicit colour it takes the next palette colour.
    public mutating func plot(
        _ x: [Double], _ y: [Double], label: String? = nil, color: Color? = nil, style: LineStyle = .solid,
        lineWidth: Double = 1.5, markerRadius: Double? = nil
    ) {
        lines.append(LineSeries(
            x: x, y: y, label: label, color: color ?? takeColor(), style: style, lineWidth: lineWidth,
            markerRadius: markerRadius))
    }

    /// Adds points in one colour; without an explicit colour they take the next palette colour.
    public mutating func scatter(
        _ x: [Double], _ y: [Double], label: String? = nil, color: Color? = nil, radius: Double = 2.5,
        opacity: Double = 0.85
    ) {
        scatters.append(ScatterSeries(
            x: x, y: y, label: label, coloring: .solid(color ?? takeColor()), radius: radius, opacity: opacity))
    }

    /// Adds points coloured by class (palette colour of the class index), listed per class in the legend
    /// when `classNames` is given.
    public mutating func scatter(
        _ x: [Double], _ y: [Double], classes: [Int], classNames: [String]? = nil, radius: Double = 2.5,
        opacity: Double = 0.85
    ) {
        scatters.append(ScatterSeries(
            x: x, y: y, coloring: .classes(classes, names: classNames), radius: radius, opacity: opacity))
    }

    /// Adds points coloured by a continuous value through `colorScale`, explained by a colour bar.
    public mutating func scatter(
        _ x: [Double], _ y: [Double], values: [Double], radius: Double = 2.5, opacity: Double = 0.9
    ) {
        scatters.append(ScatterSeries(x: x, y: y, coloring: .values(values), radius: radius, opacity: opacity))
    }

    private mutating func takeColor() -> Color {
        defer { nextColorIndex += 1 }
        return Color.paletteColor(nextColorIndex)
    }

    /// Whether any series is coloured through the colour scale.
    var usesColorScale: Bool {
        scatters.contains { if case .values = $0.coloring { return true } else { return false } }
    }

    /// The colour scale's limits in working space: fixed ones, or the span of the values.
    func colorRange() -> (low: Double, high: Double)? {
        if let limits = colorScale.limits,
           let low = colorScale.scale.transform(limits.lowerBound),
           let high = colorScale.scale.transform(limits.upperBound), high > low {
            return (low, high)
        }
        var values: [Double] = []
        for series in scatters { if case .values(let v) = series.coloring { values += v } }
        var low = Double.infinity, high = -Double.infinity
        for value in values {
            guard let coordinate = colorScale.scale.transform(value) else { continue }
            low = min(low, coordinate)
            high = max(high, coordinate)
        }
        guard low <= high else { return nil }
        return high > low ? (low, high) : (low - 0.5, high + 0.5)
    }
}

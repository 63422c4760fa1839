/// How a series is drawn.
public enum SeriesStyle: String, Codable, Sendable {
    /// A polyline through the points.
    case line
    /// A dashed polyline (reference lines such as y = x).
    case dashed
    /// One marker per point.
    case markers
}

/// One data series of a panel. `colorValues` (same count as `x`) colours markers through the panel's
/// colour bar instead of the series colour (e.g. NFE scatter coloured by tolerance); `classColors`
/// colours each marker by an integer class (e.g. point-cloud labels).
public struct FigureSeries: Codable, Sendable {
    /// Legend entry.
    public var name: String
    /// Abscissae.
    public var x: [Double]
    /// Ordinates.
    public var y: [Double]
    /// Drawing style.
    public var style: SeriesStyle
    /// Per-point values mapped through the panel's colour bar, if any.
    public var colorValues: [Double]?
    /// Per-point class indices, if any.
    public var classes: [Int]?

    /// A series; `x` and `y` must have the same count.
    public init(name: String, x: [Double], y: [Double], style: SeriesStyle = .line, colorValues: [Double]? = nil,
                classes: [Int]? = nil) {
        precondition(x.count == y.count, "FigureSeries \(name): \(x.count) x values for \(y.count) y values")
        if let colorValues { precondition(colorValues.count == x.count, "FigureSeries \(name): colour values count") }
        if let classes { precondition(classes.count == x.count, "FigureSeries \(name): class count") }
        self.name = name
        self.x = x
        self.y = y
        self.style = style
        self.colorValues = colorValues
        self.classes = classes
    }
}

/// One subplot.
public struct FigurePanel: Codable, Sendable {
    /// Panel title.
    public var title: String
    /// X-axis label.
    public var xLabel: String
    /// Y-axis label.
    public var yLabel: String
    /// Logarithmic x axis.
    public var logX: Bool
    /// Logarithmic y axis.
    public var logY: Bool
    /// Fixed x range, else fitted to the data.
    public var xRange: ClosedRange<Double>?
    /// Fixed y range, else fitted to the data.
    public var yRange: ClosedRange<Double>?
    /// Colour-bar label for series with `colorValues` (log scale when `logColor`).
    public var colorLabel: String?
    /// Logarithmic colour bar.
    public var logColor: Bool
    /// Whether to draw the legend.
    public var legend: Bool
    /// The data.
    public var series: [FigureSeries]

    /// A panel.
    public init(
        title: String, xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false,
        xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, colorLabel: String? = nil,
        logColor: Bool = false, legend: Bool = true, series: [FigureSeries]
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.xRange = xRange
        self.yRange = yRange
        self.colorLabel = colorLabel
        self.logColor = logColor
        self.legend = legend
        self.series = series
    }
}

/// A figure: panels on a grid, filled row by row.
public struct FigureLayout: Codable, Sendable {
    /// The panels.
    public var panels: [FigurePanel]
    /// Panels per row.
    public var columns: Int
    /// Pixel size of one panel.
    public var panelWidth: Int
    /// Pixel size of one panel.
    public var panelHeight: Int

    /// A layout.
    public init(panels: [FigurePanel], columns: Int, panelWidth: Int = 520, panelHeight: Int = 400) {
        precondition(columns > 0, "FigureLayout needs at least one column")
        self.panels = panels
        self.columns = columns
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
    }
}

import Foundation

/// A figure: a grid of `Axes` panels (the paper's figures are 3-4 panels side by side), rendered to a
/// PNG without any plotting library.
///
/// ```
/// var figure = Figure(rows: 1, columns: 3)
/// figure[0, 0].plot(epochs, loss, label: "HBNODE")
/// figure[0, 0].yScale = .log10
/// try figure.write(to: URL(fileURLWithPath: "results/loss.png"))
/// ```
public struct Figure: Sendable, Equatable {
    /// Rows of panels.
    public let rows: Int
    /// Columns of panels.
    public let columns: Int
    /// Width of one panel in points.
    public var panelWidth: Int
    /// Height of one panel in points.
    public var panelHeight: Int
    /// Pixels per point: 2 renders everything twice as large (and sharp) for print or high-DPI screens.
    public var scale: Int
    /// Text across the top of the whole figure.
    public var title: String?
    /// Background colour.
    public var background: Color = .white
    /// The panels in row-major order.
    public var panels: [Axes]

    /// Creates a figure of `rows` x `columns` empty panels of `panelWidth` x `panelHeight` points.
    public init(rows: Int = 1, columns: Int = 1, panelWidth: Int = 400, panelHeight: Int = 300, scale: Int = 1,
                title: String? = nil) {
        precondition(rows > 0 && columns > 0, "Figure needs a positive grid, got \(rows)x\(columns)")
        precondition(panelWidth >= 100 && panelHeight >= 80,
                     "Figure panels of \(panelWidth)x\(panelHeight) points are too small to lay out")
        precondition(scale >= 1, "Figure scale \(scale) must be at least 1")
        self.rows = rows
        self.columns = columns
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.scale = scale
        self.title = title
        self.panels = Array(repeating: Axes(), count: rows * columns)
    }

    /// The panel at (`row`, `column`).
    public subscript(row: Int, column: Int) -> Axes {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Figure panel (\(row), \(column)) outside the \(rows)x\(columns) grid")
            return panels[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Figure panel (\(row), \(column)) outside the \(rows)x\(columns) grid")
            panels[row * columns + column] = newValue
        }
    }

    private var titleHeight: Int {
        guard let title, !title.isEmpty else { return 0 }
        return TextRenderer.height(of: title, scale: titleScale(title)) + 12 * scale
    }

    /// Double-size title text when it fits across the figure, else normal size.
    private func titleScale(_ title: String) -> Int {
        TextRenderer.width(of: title, scale: 2 * scale) <= pixelWidth - 16 * scale ? 2 * scale : scale
    }

    /// Output width in pixels.
    public var pixelWidth: Int { columns * panelWidth * scale }
    /// Output height in pixels.
    public var pixelHeight: Int { rows * panelHeight * scale + titleHeight }

    /// Renders the figure to a canvas.
    public func render() -> Canvas {
        var canvas = Canvas(width: pixelWidth, height: pixelHeight, background: background)
        if let title, !title.isEmpty {
            TextRenderer.draw(title, on: &canvas, x: pixelWidth / 2, y: 8 * scale, scale: titleScale(title),
                              color: AxesRenderer.textColor, horizontal: .center, vertical: .top)
        }
        for row in 0..<rows {
            for column in 0..<columns {
                let rect = PixelRect(x: column * panelWidth * scale, y: titleHeight + row * panelHeight * scale,
                                     width: panelWidth * scale, height: panelHeight * scale)
                AxesRenderer(axes: self[row, column], scale: scale).draw(on: &canvas, in: rect)
            }
        }
        return canvas
    }

    /// The figure encoded as PNG bytes.
    public func pngData() throws(MetricsIOError) -> [UInt8] {
        try PNGCodec.encode(render())
    }

    /// Renders the figure and writes it atomically as a PNG file.
    public func write(to url: URL) throws(MetricsIOError) {
        try PNGCodec.write(render(), to: url)
    }
}

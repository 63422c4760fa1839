/// Lays out and draws one `Axes` into a rectangle of a canvas.
///
/// Layout works outwards from the text: tick labels are generated and measured first, and the plot area
/// is whatever remains after the margins they, the axis labels, the title and the colour bar need, so
/// nothing overlaps whatever the numbers' magnitudes. All lengths are in points multiplied by `scale`.
struct AxesRenderer {
    let axes: Axes
    let scale: Int

    // Layout constants in points, chosen by eye at 400x300 panels.
    private var padding: Int { 8 * scale }
    private var tickLength: Int { 4 * scale }
    private var tickGap: Int { 3 * scale }
    private var labelGap: Int { 6 * scale }
    private var textHeight: Int { (BitmapFont.ascent + BitmapFont.descent) * scale }

    static let frameColor = Color(hex: 0x333333)
    static let gridColor = Color(hex: 0xE6E6E6)
    static let textColor = Color(hex: 0x111111)

    /// Working-space limits of both axes.
    struct Limits {
        var xLow: Double, xHigh: Double, yLow: Double, yHigh: Double
    }

    func limits() -> Limits {
        var xs: [Double] = [], ys: [Double] = []
        for line in axes.lines { xs += line.x; ys += line.y }
        for scatter in axes.scatters { xs += scatter.x; ys += scatter.y }
        // Points count for the automatic range only where both coordinates can be shown.
        var shownX: [Double] = [], shownY: [Double] = []
        for (x, y) in zip(xs, ys) where axes.xScale.transform(x) != nil && axes.yScale.transform(y) != nil {
            shownX.append(x)
            shownY.append(y)
        }
        func resolve(_ fixed: ClosedRange<Double>?, _ scale: AxisScale, _ values: [Double]) -> (Double, Double) {
            if let fixed, let low = scale.transform(fixed.lowerBound), let high = scale.transform(fixed.upperBound),
               high > low {
                return (low, high)
            }
            return scale.automaticRange(values) ?? (scale == .log10 ? (0, 1) : (0, 1))
        }
        let x = resolve(axes.xLimits, axes.xScale, shownX)
        let y = resolve(axes.yLimits, axes.yScale, shownY)
        return Limits(xLow: x.0, xHigh: x.1, yLow: y.0, yHigh: y.1)
    }

    func ticks(_ scale: AxisScale, low: Double, high: Double, target: Int) -> [Tick] {
        let all: [Tick]
        switch scale {
        case .linear: all = TickGenerator.linearTicks(low: low, high: high, targetCount: target)
        case .log10:
            all = TickGenerator.logTicks(low: scale.inverse(low), high: scale.inverse(high), targetCount: target)
        }
        return all.filter { tick in
            guard let coordinate = scale.transform(tick.value) else { return false }
            let tolerance = (high - low) * 1e-9
            return coordinate >= low - tolerance && coordinate <= high + tolerance
        }
    }

    /// The plot area and the ticks of a panel: everything that depends on the limits.
    struct Layout {
        var plot: PixelRect
        var xTicks: [Tick]
        var yTicks: [Tick]
        var colorTicks: [Tick]
    }

    /// The scale of the title: double size when it fits the panel, else normal size.
    func titleScale(_ title: String, width: Int) -> Int {
        TextRenderer.width(of: title, scale: 2 * scale) <= width - 2 * padding ? 2 * scale : scale
    }

    /// Lays the panel out in `rect` for the given limits.
    func layout(in rect: PixelRect, limits: Limits, colorRange: (low: Double, high: Double)?) -> Layout {
        // Vertical layout.
        var top = rect.y + padding
        if let title = axes.title, !title.isEmpty {
            top += TextRenderer.height(of: title, scale: titleScale(title, width: rect.width)) + labelGap
        }
        top += textHeight / 2  // room for the top y tick label, centred on its tick
        var bottom = rect.maxY - padding
        if let xLabel = axes.xLabel, !xLabel.isEmpty { bottom -= textHeight + labelGap }
        let xTickLabelHeight = (BitmapFont.ascent + TextRenderer.superscriptRaise + BitmapFont.descent) * scale
        bottom -= tickLength + tickGap + xTickLabelHeight
        let plotHeight = max(10, bottom - top)

        // Y ticks depend only on the height, so they fix the left margin.
        let yTicks = ticks(axes.yScale, low: limits.yLow, high: limits.yHigh,
                           target: max(2, plotHeight / (32 * scale)))
        let yLabelWidth = yTicks.filter(\.isMajor).map { TextRenderer.width(of: $0.label, scale: scale) }.max() ?? 0
        var left = rect.x + padding
        if let yLabel = axes.yLabel, !yLabel.isEmpty { left += textHeight + labelGap }
        left += yLabelWidth + tickGap + tickLength

        var right = rect.maxX - padding
        var colorTicks: [Tick] = []
        if let colorRange {
            colorTicks = ticks(axes.colorScale.scale, low: colorRange.low, high: colorRange.high,
                               target: max(2, plotHeight / (32 * scale)))
            let widest = colorTicks.filter(\.isMajor).map { TextRenderer.width(of: $0.label, scale: scale) }.max() ?? 0
            right -= colorBarWidth + tickLength + tickGap + widest + labelGap
            if let label = axes.colorScale.label, !label.isEmpty { right -= textHeight + labelGap }
        }

        // X ticks: fewer until the labels (plus a gap) no longer overlap.
        var plotWidth = max(10, right - left)
        var xTicks: [Tick] = []
        var target = max(2, plotWidth / (70 * scale))
        while true {
            xTicks = ticks(axes.xScale, low: limits.xLow, high: limits.xHigh, target: target)
            if target <= 2 || !xLabelsOverlap(xTicks, left: left, width: plotWidth, limits: limits) { break }
            target -= 1
        }
        // Keep the last x tick label inside the panel.
        if let last = xTicks.last(where: \.isMajor), let coordinate = axes.xScale.transform(last.value) {
            let position = Double(left) + (coordinate - limits.xLow) / (limits.xHigh - limits.xLow) * Double(plotWidth)
            let overhang = Int(position) + TextRenderer.width(of: last.label, scale: scale) / 2 - (rect.maxX - scale)
            if overhang > 0 && colorRange == nil { plotWidth = max(10, plotWidth - overhang) }
        }
        return Layout(plot: PixelRect(x: left, y: top, width: plotWidth, height: plotHeight),
                      xTicks: xTicks, yTicks: yTicks, colorTicks: colorTicks)
    }

    /// `limits` widened on one axis so a unit spans as many pixels horizontally as vertically in `plot`
    /// (matplotlib's "equal" aspect, adjusting the data limits rather than the box).
    func equalized(_ limits: Limits, plot: PixelRect) -> Limits {
        var result = limits
        let xPerPixel = (limits.xHigh - limits.xLow) / Double(plot.width)
        let yPerPixel = (limits.yHigh - limits.yLow) / Double(plot.height)
        if xPerPixel < yPerPixel {
            let half = yPerPixel * Double(plot.width) / 2, middle = (limits.xLow + limits.xHigh) / 2
            result.xLow = middle - half
            result.xHigh = middle + half
        } else {
            let half = xPerPixel * Double(plot.height) / 2, middle = (limits.yLow + limits.yHigh) / 2
            result.yLow = middle - half
            result.yHigh = middle + half
        }
        return result
    }

    /// Draws the panel into `rect` of `canvas`.
    func draw(on canvas: inout Canvas, in rect: PixelRect) {
        let dataLimits = limits()
        let colorRange = axes.usesColorScale && axes.colorScale.showsColorBar ? axes.colorRange() : nil
        var limits = dataLimits
        var layout = layout(in: rect, limits: limits, colorRange: colorRange)
        if axes.equalAspect {
            // Widening the limits changes the tick labels and so the margins: iterate to a fixed point
            // (two passes settle to within a pixel in practice).
            for _ in 0..<3 {
                limits = equalized(dataLimits, plot: layout.plot)
                layout = self.layout(in: rect, limits: limits, colorRange: colorRange)
            }
        }
        let plot = layout.plot
        let map = CoordinateMap(plot: plot, limits: limits, xScale: axes.xScale, yScale: axes.yScale)
        let xTicks = layout.xTicks, yTicks = layout.yTicks, colorTicks = layout.colorTicks

        drawGridAndTicks(on: &canvas, map: map, xTicks: xTicks, yTicks: yTicks)
        drawSeries(on: &canvas, map: map, colorRange: colorRange)
        canvas.strokeRect(PixelRect(x: plot.x - 1, y: plot.y - 1, width: plot.width + 2, height: plot.height + 2),
                          color: Self.frameColor, lineWidth: scale)
        drawLabels(on: &canvas, rect: rect, plot: plot)
        if let colorRange {
            drawColorBar(on: &canvas, plot: plot, range: colorRange, ticks: colorTicks)
        }
        if axes.legend != .hidden {
            Legend(axes: axes, scale: scale).draw(on: &canvas, plot: plot, map: map)
        }
    }

    private var colorBarWidth: Int { 12 * scale + labelGap * 2 }

    private func xLabelsOverlap(_ ticks: [Tick], left: Int, width: Int, limits: Limits) -> Bool {
        var previousRight = -Double.infinity
        for tick in ticks where tick.isMajor {
            guard let coordinate = axes.xScale.transform(tick.value) else { continue }
            let center = Double(left) + (coordinate - limits.xLow) / (limits.xHigh - limits.xLow) * Double(width)
            let half = Double(TextRenderer.width(of: tick.label, scale: scale)) / 2
            if center - half < previousRight + Double(8 * scale) { return true }
            previousRight = center + half
        }
        return false
    }

    private func drawGridAndTicks(on canvas: inout Canvas, map: CoordinateMap, xTicks: [Tick], yTicks: [Tick]) {
        let plot = map.plot
        for tick in xTicks {
            guard let px = map.pixelX(tick.value) else { continue }
            let column = min(plot.maxX - 1, max(plot.x, Int(px.rounded(.down))))
            if tick.isMajor && axes.showsGrid {
                canvas.fill(PixelRect(x: column, y: plot.y, width: 1, height: plot.height), color: Self.gridColor)
            }
            let length = tick.isMajor ? tickLength : tickLength / 2
            canvas.fill(PixelRect(x: column, y: plot.maxY + 1, width: scale, height: length), color: Self.frameColor)
            if tick.isMajor {
                TextRenderer.draw(tick.label, on: &canvas, x: column, y: plot.maxY + 1 + tickLength + tickGap,
                                  scale: scale, color: Self.textColor, horizontal: .center, vertical: .top)
            }
        }
        for tick in yTicks {
            guard let py = map.pixelY(tick.value) else { continue }
            let row = min(plot.maxY - 1, max(plot.y, Int(py.rounded(.down))))
            if tick.isMajor && axes.showsGrid {
                canvas.fill(PixelRect(x: plot.x, y: row, width: plot.width, height: 1), color: Self.gridColor)
            }
            let length = tick.isMajor ? tickLength : tickLength / 2
            canvas.fill(PixelRect(x: plot.x - 1 - length, y: row, width: length, height: scale), color: Self.frameColor)
            if tick.isMajor {
                TextRenderer.draw(tick.label, on: &canvas, x: plot.x - 1 - tickLength - tickGap, y: row,
                                  scale: scale, color: Self.textColor, horizontal: .right, vertical: .middle)
            }
        }
    }

    private func drawSeries(on canvas: inout Canvas, map: CoordinateMap, colorRange: (low: Double, high: Double)?) {
        let plot = map.plot
        let s = Double(scale)
        for line in axes.lines {
            // Split at points that cannot be shown, so gaps stay gaps.
            var pieces: [[(x: Double, y: Double)]] = [[]]
            for (x, y) in zip(line.x, line.y) {
                if let px = map.pixelX(x), let py = map.pixelY(y) {
                    pieces[pieces.count - 1].append((px, py))
                } else if !pieces[pieces.count - 1].isEmpty {
                    pieces.append([])
                }
            }
            let width = line.lineWidth * s
            for piece in pieces {
                if piece.count == 1 && line.markerRadius == nil {
                    canvas.fillCircle(cx: piece[0].x, cy: piece[0].y, radius: width, color: line.color, clip: plot)
                }
                canvas.strokePolyline(piece, color: line.color, lineWidth: width,
                                      dash: line.style.dashPattern(lineWidth: width), clip: plot)
                if let radius = line.markerRadius {
                    for point in piece {
                        canvas.fillCircle(cx: point.x, cy: point.y, radius: radius * s, color: line.color, clip: plot)
                    }
                }
            }
        }
        for scatter in axes.scatters {
            for index in scatter.x.indices {
                guard let px = map.pixelX(scatter.x[index]), let py = map.pixelY(scatter.y[index]) else { continue }
                let color: Color
                switch scatter.coloring {
                case .solid(let solid): color = solid
                case .classes(let classes, _): color = Color.paletteColor(classes[index])
                case .values(let values):
                    guard let coordinate = axes.colorScale.scale.transform(values[index]) else { continue }
                    let range = colorRange ?? axes.colorRange() ?? (0, 1)
                    color = axes.colorScale.colorMap.color(at: (coordinate - range.low) / (range.high - range.low))
                }
                canvas.fillCircle(cx: px, cy: py, radius: scatter.radius * s,
                                  color: color.withAlpha(color.alpha * scatter.opacity), clip: plot)
            }
        }
    }

    private func drawLabels(on canvas: inout Canvas, rect: PixelRect, plot: PixelRect) {
        if let title = axes.title, !title.isEmpty {
            TextRenderer.draw(title, on: &canvas, x: plot.x + plot.width / 2, y: rect.y + padding,
                              scale: titleScale(title, width: rect.width), color: Self.textColor,
                              horizontal: .center, vertical: .top)
        }
        if let xLabel = axes.xLabel, !xLabel.isEmpty {
            TextRenderer.draw(xLabel, on: &canvas, x: plot.x + plot.width / 2, y: rect.maxY - padding,
                              scale: scale, color: Self.textColor, horizontal: .center, vertical: .bottom)
        }
        if let yLabel = axes.yLabel, !yLabel.isEmpty {
            // Rotated: the text's top faces left, so its top anchor sits at the panel's left padding.
            TextRenderer.draw(yLabel, on: &canvas, x: rect.x + padding, y: plot.y + plot.height / 2,
                              scale: scale, color: Self.textColor, horizontal: .center, vertical: .top,
                              rotated: true)
        }
    }

    private func drawColorBar(
        on canvas: inout Canvas, plot: PixelRect, range: (low: Double, high: Double), ticks: [Tick]
    ) {
        let bar = PixelRect(x: plot.maxX + 1 + labelGap * 2, y: plot.y, width: 12 * scale, height: plot.height)
        for row in 0..<bar.height {
            let t = 1 - Double(row) / Double(max(1, bar.height - 1))
            canvas.fill(PixelRect(x: bar.x, y: bar.y + row, width: bar.width, height: 1),
                        color: axes.colorScale.colorMap.color(at: t))
        }
        canvas.strokeRect(PixelRect(x: bar.x - 1, y: bar.y - 1, width: bar.width + 2, height: bar.height + 2),
                          color: Self.frameColor, lineWidth: scale)
        var widest = 0
        for tick in ticks {
            guard let coordinate = axes.colorScale.scale.transform(tick.value) else { continue }
            let fraction = (coordinate - range.low) / (range.high - range.low)
            let row = bar.y + min(bar.height - 1, max(0, Int((1 - fraction) * Double(bar.height - 1))))
            let length = tick.isMajor ? tickLength : tickLength / 2
            canvas.fill(PixelRect(x: bar.maxX + 1, y: row, width: length, height: scale), color: Self.frameColor)
            if tick.isMajor {
                TextRenderer.draw(tick.label, on: &canvas, x: bar.maxX + 1 + tickLength + tickGap, y: row,
                                  scale: scale, color: Self.textColor, horizontal: .left, vertical: .middle)
                widest = max(widest, TextRenderer.width(of: tick.label, scale: scale))
            }
        }
        if let label = axes.colorScale.label, !label.isEmpty {
            TextRenderer.draw(label, on: &canvas, x: bar.maxX + 1 + tickLength + tickGap + widest + labelGap,
                              y: bar.y + bar.height / 2, scale: scale, color: Self.textColor,
                              horizontal: .center, vertical: .top, rotated: true)
        }
    }
}

/// Data value to pixel position inside a plot area.
struct CoordinateMap {
    let plot: PixelRect
    let limits: AxesRenderer.Limits
    let xScale: AxisScale
    let yScale: AxisScale

    /// The pixel x of a data value, `nil` if the scale cannot show it.
    func pixelX(_ value: Double) -> Double? {
        guard let coordinate = xScale.transform(value) else { return nil }
        return Double(plot.x) + (coordinate - limits.xLow) / (limits.xHigh - limits.xLow) * Double(plot.width)
    }

    /// The pixel y of a data value (larger values higher up), `nil` if the scale cannot show it.
    func pixelY(_ value: Double) -> Double? {
        guard let coordinate = yScale.transform(value) else { return nil }
        return Double(plot.maxY) - (coordinate - limits.yLow) / (limits.yHigh - limits.yLow) * Double(plot.height)
    }
}

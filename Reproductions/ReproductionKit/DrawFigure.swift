import Foundation
import Metrics

/// Renders a ``FigureLayout`` with the Metrics package's PNG plotting and writes it atomically into the
/// run folder as `name`. Series colours follow the palette in series order, so the same family gets the
/// same colour in every panel of a figure.
public func drawFigure(_ layout: FigureLayout, to run: RunDirectory, name: String) throws(ReproductionError) {
    let rows = max(1, (layout.panels.count + layout.columns - 1) / layout.columns)
    var figure = Figure(rows: rows, columns: layout.columns, panelWidth: layout.panelWidth, panelHeight: layout.panelHeight)
    for (index, panel) in layout.panels.enumerated() {
        var axes = Axes(title: panel.title, xLabel: panel.xLabel, yLabel: panel.yLabel)
        axes.xScale = panel.logX ? .log10 : .linear
        axes.yScale = panel.logY ? .log10 : .linear
        axes.xLimits = panel.xRange
        axes.yLimits = panel.yRange
        axes.legend = panel.legend ? .best : .hidden
        if let label = panel.colorLabel {
            axes.colorScale = ColorScale(colorMap: .viridis, scale: panel.logColor ? .log10 : .linear, label: label)
        }
        for (k, series) in panel.series.enumerated() {
            let color = Color.paletteColor(k)
            if let values = series.colorValues {
                axes.scatter(series.x, series.y, values: values)
            } else if let classes = series.classes {
                axes.scatter(series.x, series.y, classes: classes)
            } else {
                switch series.style {
                case .line: axes.plot(series.x, series.y, label: series.name, color: color)
                case .dashed: axes.plot(series.x, series.y, label: series.name, color: color, style: .dashed)
                case .markers: axes.scatter(series.x, series.y, label: series.name, color: color, radius: 3.5, opacity: 1)
                }
            }
        }
        figure[index / layout.columns, index % layout.columns] = axes
    }
    let url = run.file(name)
    do { try figure.write(to: url) } catch {
        throw .cannotWrite(path: url.path, reason: error.description)
    }
}

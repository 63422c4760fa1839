/// The legend box of an axes: one row per labelled series (and per named class).
struct Legend {
    enum Sample {
        case line(Color, LineStyle, Double, Double?)
        case marker(Color, Double)
    }

    struct Entry {
        var label: String
        var sample: Sample
    }

    let axes: Axes
    let scale: Int

    var entries: [Entry] {
        var result: [Entry] = []
        for line in axes.lines {
            if let label = line.label, !label.isEmpty {
                result.append(Entry(label: label, sample: .line(line.color, line.style, line.lineWidth, line.markerRadius)))
            }
        }
        for scatter in axes.scatters {
            switch scatter.coloring {
            case .solid(let color):
                if let label = scatter.label, !label.isEmpty {
                    result.append(Entry(label: label, sample: .marker(color, scatter.radius)))
                }
            case .classes(let classes, let names):
                guard let names else { continue }
                for classIndex in Set(classes).sorted() where classIndex >= 0 && classIndex < names.count {
                    result.append(Entry(label: names[classIndex],
                                        sample: .marker(Color.paletteColor(classIndex), scatter.radius)))
                }
            case .values:
                continue
            }
        }
        return result
    }

    private var padding: Int { 5 * scale }
    private var sampleWidth: Int { 22 * scale }
    private var rowHeight: Int { (BitmapFont.ascent + BitmapFont.descent + 4) * scale }

    func size(_ entries: [Entry]) -> (width: Int, height: Int) {
        let textWidth = entries.map { TextRenderer.width(of: $0.label, scale: scale) }.max() ?? 0
        return (padding * 2 + sampleWidth + 4 * scale + textWidth, padding * 2 + rowHeight * entries.count - 4 * scale)
    }

    /// The legend rectangle for a placement inside the plot area, inset by a margin.
    func rect(for placement: LegendPlacement, size: (width: Int, height: Int), plot: PixelRect) -> PixelRect {
        let inset = 6 * scale
        let left = plot.x + inset, right = plot.maxX - inset - size.width
        let top = plot.y + inset, bottom = plot.maxY - inset - size.height
        switch placement {
        case .upperLeft: return PixelRect(x: left, y: top, width: size.width, height: size.height)
        case .lowerRight: return PixelRect(x: right, y: bottom, width: size.width, height: size.height)
        case .lowerLeft: return PixelRect(x: left, y: bottom, width: size.width, height: size.height)
        case .upperRight, .best, .hidden: return PixelRect(x: right, y: top, width: size.width, height: size.height)
        }
    }

    /// The corner whose legend box would cover the fewest data points (line segments are sampled
    /// densely so a line passing through a corner counts, not just its vertices).
    func bestPlacement(size: (width: Int, height: Int), plot: PixelRect, map: CoordinateMap) -> LegendPlacement {
        var points: [(Double, Double)] = []
        for line in axes.lines {
            var previous: (Double, Double)?
            for (x, y) in zip(line.x, line.y) {
                guard let px = map.pixelX(x), let py = map.pixelY(y) else { previous = nil; continue }
                if let previous {
                    let steps = min(50, Int(max(abs(px - previous.0), abs(py - previous.1)) / 4) + 1)
                    for step in 1...steps {
                        let t = Double(step) / Double(steps)
                        points.append((previous.0 + (px - previous.0) * t, previous.1 + (py - previous.1) * t))
                    }
                } else {
                    points.append((px, py))
                }
                previous = (px, py)
            }
        }
        for scatter in axes.scatters {
            for (x, y) in zip(scatter.x, scatter.y) {
                if let px = map.pixelX(x), let py = map.pixelY(y) { points.append((px, py)) }
            }
        }
        let candidates: [LegendPlacement] = [.upperRight, .upperLeft, .lowerRight, .lowerLeft]
        var best = LegendPlacement.upperRight
        var fewest = Int.max
        for candidate in candidates {
            let box = rect(for: candidate, size: size, plot: plot)
            let covered = points.reduce(0) { count, point in
                let inside = point.0 >= Double(box.x) && point.0 <= Double(box.maxX)
                    && point.1 >= Double(box.y) && point.1 <= Double(box.maxY)
                return count + (inside ? 1 : 0)
            }
            if covered < fewest {
                fewest = covered
                best = candidate
            }
        }
        return best
    }

    func draw(on canvas: inout Canvas, plot: PixelRect, map: CoordinateMap) {
        let entries = entries
        guard !entries.isEmpty else { return }
        let size = size(entries)
        let placement = axes.legend == .best ? bestPlacement(size: size, plot: plot, map: map) : axes.legend
        let box = rect(for: placement, size: size, plot: plot)
        canvas.fill(box, color: Color.white.withAlpha(0.88))
        canvas.strokeRect(box, color: Color(hex: 0xBBBBBB), lineWidth: scale)
        let s = Double(scale)
        for (index, entry) in entries.enumerated() {
            let baseline = box.y + padding + index * rowHeight + BitmapFont.ascent * scale
            let middle = Double(baseline) - Double(BitmapFont.ascent * scale) / 2
            let sampleLeft = Double(box.x + padding)
            switch entry.sample {
            case let .line(color, style, width, marker):
                canvas.strokePolyline([(sampleLeft, middle), (sampleLeft + Double(sampleWidth), middle)],
                                      color: color, lineWidth: width * s,
                                      dash: style.dashPattern(lineWidth: width * s))
                if let marker {
                    canvas.fillCircle(cx: sampleLeft + Double(sampleWidth) / 2, cy: middle, radius: marker * s, color: color)
                }
            case let .marker(color, radius):
                canvas.fillCircle(cx: sampleLeft + Double(sampleWidth) / 2, cy: middle,
                                  radius: max(radius, 2.5) * s, color: color)
            }
            TextRenderer.draw(entry.label, on: &canvas, x: box.x + padding + sampleWidth + 4 * scale, y: baseline,
                              scale: scale, color: AxesRenderer.textColor)
        }
    }
}

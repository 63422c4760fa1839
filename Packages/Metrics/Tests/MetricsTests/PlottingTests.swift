import Foundation
import Tensors
import Testing
@testable import Metrics

/// Whether a pixel is clearly red (the test series colour) rather than grid, frame or text.
func isReddish(_ color: Color) -> Bool { color.red > 0.75 && color.green < 0.45 && color.blue < 0.45 }

@Suite struct PNGCodecTests {
    @Test func roundTripsPixelsExactly() throws {
        var canvas = Canvas(width: 7, height: 5, background: Color(red: 0.2, green: 0.4, blue: 0.6, alpha: 0.5))
        canvas.fill(PixelRect(x: 1, y: 1, width: 2, height: 3), color: .red)
        let bytes = try PNGCodec.encode(canvas)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let decoded = try PNGCodec.decode(bytes)
        #expect(decoded == canvas)
    }

    @Test func incompressibleNoiseTakesTheSecondPass() throws {
        // Random bytes do not compress, so the first output buffer (half the raw size) is too small.
        var generator = SystemRandomNumberGenerator()
        let rgba = (0..<(64 * 48 * 4)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let canvas = Canvas(width: 64, height: 48, rgba: rgba)
        let bytes = try PNGCodec.encode(canvas)
        #expect(bytes.count > rgba.count / 2)
        #expect(try PNGCodec.decode(bytes) == canvas)
    }

    @Test func corruptDataThrowsNamingThePath() {
        #expect(throws: MetricsIOError.self) { try PNGCodec.decode([1, 2, 3, 4], path: "/tmp/bad.png") }
        do {
            _ = try PNGCodec.decode(Array("not a png at all".utf8), path: "/tmp/bad.png")
        } catch {
            guard case let .pngDecodingFailed(path, message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == "/tmp/bad.png" && !message.isEmpty)
            #expect(error.description.contains("/tmp/bad.png"))
        }
    }

    @Test func truncatedFileFailsCleanly() throws {
        let bytes = try PNGCodec.encode(Canvas(width: 40, height: 30, background: .blue))
        #expect(throws: MetricsIOError.self) { try PNGCodec.decode(Array(bytes.prefix(bytes.count / 2))) }
    }

    @Test func randomMutationsOfAValidFileNeverCrash() throws {
        var figure = Figure(panelWidth: 120, panelHeight: 90)
        figure[0, 0].plot([0, 1, 2], [2, 0, 1])
        let valid = try figure.pngData()
        var generator = SeededGenerator(seed: 7)
        var decodedCount = 0
        for _ in 0..<60 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            // Either outcome is fine; what matters is a typed error or a sane image, never a crash.
            if let image = try? PNGCodec.decode(bytes) {
                #expect(image.pixels.count == image.width * image.height * 4)
                decodedCount += 1
            }
        }
        #expect(decodedCount < 60)
    }

    @Test func missingFileIsCannotRead() {
        let url = URL(fileURLWithPath: "/nonexistent-metrics-dir/x.png")
        #expect(throws: MetricsIOError.cannotRead(path: url.path, errno: ENOENT)) { try PNGCodec.read(url) }
    }
}

@Suite struct CanvasTests {
    @Test func horizontalLineCoversItsRowOnly() {
        var canvas = Canvas(width: 20, height: 10)
        canvas.strokeLine(from: (2, 5), to: (18, 5), color: .red, lineWidth: 2)
        // A 2-px line centred on y = 5 covers pixel rows 4 and 5 fully and nothing two rows away.
        #expect(canvas[10, 4] == .red && canvas[10, 5] == .red)
        #expect(canvas[10, 2] == .white && canvas[10, 7] == .white)
        #expect(canvas[0, 5] == .white && canvas[19, 5] == .white)
    }

    @Test func dashedLineHasGaps() {
        var canvas = Canvas(width: 100, height: 10)
        canvas.strokePolyline([(0, 5), (100, 5)], color: .black, lineWidth: 2, dash: [6, 4])
        let inked = (0..<100).map { canvas[$0, 5].red < 0.5 }
        #expect(inked[2] && !inked[8] && inked[12] && !inked[18])
        #expect(inked.filter { $0 }.count > 45 && inked.filter { $0 }.count < 75)
    }

    @Test func clipKeepsStrokesInside() {
        var canvas = Canvas(width: 30, height: 30)
        let clip = PixelRect(x: 10, y: 10, width: 10, height: 10)
        canvas.strokeLine(from: (0, 15), to: (30, 15), color: .red, lineWidth: 3, clip: clip)
        canvas.fillCircle(cx: 10, cy: 10, radius: 5, color: .blue, clip: clip)
        #expect(canvas[5, 15] == .white && canvas[25, 15] == .white && canvas[15, 15] == .red)
        #expect(canvas[8, 8] == .white && canvas[11, 11] == .blue)
    }

    @Test func translucentBlendMixes() {
        var canvas = Canvas(width: 1, height: 1)
        canvas.blend(x: 0, y: 0, color: Color.black.withAlpha(0.5))
        #expect(canvas.rgba(x: 0, y: 0) == (128, 128, 128, 255))
        canvas.blend(x: 5, y: 5, color: .black)  // outside: ignored, not a crash
    }

    @Test func farOffscreenSegmentsDoNotCrash() {
        var canvas = Canvas(width: 10, height: 10)
        canvas.strokePolyline([(-1e300, -1e300), (1e300, 1e300), (.nan, 3)], color: .red, lineWidth: 1)
        canvas.fillCircle(cx: .infinity, cy: 0, radius: 3, color: .red)
        #expect(canvas.width == 10)
    }
}

@Suite struct TextTests {
    @Test func measuresAndDrawsWithinItsBox() {
        #expect(TextRenderer.width(of: "abc") == 17)
        #expect(TextRenderer.width(of: "abc", scale: 2) == 34)
        #expect(TextRenderer.width(of: "10^{-3}") == TextRenderer.width(of: "10-3"))
        #expect(TextRenderer.height(of: "10^{-3}") > TextRenderer.height(of: "10"))
        var canvas = Canvas(width: 40, height: 20)
        TextRenderer.draw("Hy", on: &canvas, x: 5, y: 10, scale: 1, color: .black)
        var inked: [(Int, Int)] = []
        for y in 0..<20 { for x in 0..<40 where canvas[x, y] != .white { inked.append((x, y)) } }
        // Capitals start 7 px above the baseline; the y descender ends 2 px below it.
        #expect(inked.map(\.1).min() == 3 && inked.map(\.1).max() == 11)
        #expect(inked.map(\.0).min() == 5 && inked.map(\.0).max() == 15)
    }

    @Test func rotatedTextRunsUpwards() {
        var canvas = Canvas(width: 20, height: 40)
        TextRenderer.draw("HHH", on: &canvas, x: 5, y: 35, scale: 1, color: .black, vertical: .top, rotated: true)
        var rows: [Int] = [], columns: [Int] = []
        for y in 0..<40 { for x in 0..<20 where canvas[x, y] != .white { rows.append(y); columns.append(x) } }
        #expect(rows.max()! - rows.min()! + 1 == TextRenderer.width(of: "HHH"))
        #expect(rows.max()! <= 35 && columns.min()! >= 5 && columns.max()! < 5 + 7)
    }

    @Test func everyPrintableASCIICharacterHasAGlyph() {
        for code in 32...126 {
            let character = Character(Unicode.Scalar(UInt8(code)))
            #expect(BitmapFont.hasGlyph(character), "missing glyph for \(character)")
        }
        #expect(BitmapFont.hasGlyph("×") && BitmapFont.hasGlyph("±"))
        #expect(!BitmapFont.hasGlyph("☃"))
        #expect(BitmapFont.rows(for: "☃").count == 7)
    }
}

@Suite struct TickTests {
    @Test func linearTicksAreNiceAndCoverRange() {
        let ticks = TickGenerator.linearTicks(low: 0.03, high: 0.97, targetCount: 5)
        #expect(ticks.map(\.label) == ["0.2", "0.4", "0.6", "0.8"])
        let wide = TickGenerator.linearTicks(low: -13, high: 61, targetCount: 4)
        #expect(wide.map(\.value) == [0, 20, 40, 60])
        #expect(wide.map(\.label) == ["0", "20", "40", "60"])
        let quarter = TickGenerator.linearTicks(low: 0, high: 1, targetCount: 4)
        #expect(quarter.map(\.label) == ["0.00", "0.25", "0.50", "0.75", "1.00"])
    }

    @Test func extremeMagnitudesUseTimesTenLabels() {
        let large = TickGenerator.linearTicks(low: 0, high: 3e6, targetCount: 3)
        #expect(large.map(\.label) == ["0", "10^{6}", "2×10^{6}", "3×10^{6}"])
        let small = TickGenerator.linearTicks(low: 1e-5, high: 4.5e-5, targetCount: 4)
        #expect(small.first?.label == "10^{-5}")
        #expect(small.contains { $0.label == "2×10^{-5}" })
    }

    @Test func logTicksLabelDecadesWithMinorTicks() {
        let ticks = TickGenerator.logTicks(low: 3e-4, high: 2, targetCount: 6)
        #expect(ticks.filter(\.isMajor).map(\.label) == ["10^{-3}", "10^{-2}", "10^{-1}", "10^{0}"])
        #expect(ticks.contains { !$0.isMajor && abs($0.value - 5e-4) < 1e-15 })
        let many = TickGenerator.logTicks(low: 1e-12, high: 1, targetCount: 4)
        #expect(many.filter(\.isMajor).count <= 5 && many.allSatisfy(\.isMajor))
        let narrow = TickGenerator.logTicks(low: 15, high: 400, targetCount: 5)
        #expect(narrow.map(\.label) == ["20", "50", "100", "200"])
    }
}

@Suite struct FigureTests {
    @Test func writtenFigureDecodesWithExpectedSize() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var figure = Figure(rows: 2, columns: 3, panelWidth: 200, panelHeight: 150)
        figure[1, 2].plot([1, 2, 3], [3, 1, 2], label: "a")
        let url = directory.appendingPathComponent("grid.png")
        try figure.write(to: url)
        let decoded = try PNGCodec.read(url)
        #expect(decoded.width == 600 && decoded.height == 300)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["grid.png"])

        var titled = Figure(rows: 1, columns: 4, scale: 2, title: "Four panels")
        titled[0, 0].plot([0, 1], [0, 1])
        let image = try PNGCodec.decode(try titled.pngData())
        #expect(image.width == 4 * 400 * 2 && image.height == titled.pixelHeight && image.height > 600)
    }

    @Test func redDiagonalLineLandsOnTheDiagonal() throws {
        var figure = Figure(panelWidth: 300, panelHeight: 240)
        var axes = Axes()
        axes.plot([0, 1], [0, 1], color: .red, lineWidth: 2)
        axes.xLimits = 0...1
        axes.yLimits = 0...1
        axes.legend = .hidden
        figure[0, 0] = axes
        let image = try PNGCodec.decode(try figure.pngData())
        var redPixels: [(x: Int, y: Int)] = []
        for y in 0..<image.height { for x in 0..<image.width where isReddish(image[x, y]) { redPixels.append((x, y)) } }
        #expect(redPixels.count > 150)
        let minX = redPixels.map(\.x).min()!, maxX = redPixels.map(\.x).max()!
        let minY = redPixels.map(\.y).min()!, maxY = redPixels.map(\.y).max()!
        // The line runs from the plot's bottom-left to top-right corner: every red pixel lies on the
        // straight line between the extreme corners of the red region, within the stroke width.
        for pixel in redPixels {
            let t = Double(pixel.x - minX) / Double(maxX - minX)
            let expectedY = Double(maxY) - t * Double(maxY - minY)
            #expect(abs(Double(pixel.y) - expectedY) < 3.5, "red pixel \(pixel) off the diagonal")
        }
        // The plot area sits inside the panel with room for ticks on the left and below.
        #expect(minX > 20 && maxX < 300 && minY > 5 && maxY < 220)
    }

    @Test func logAxisSkipsNonPositiveAndNonFinitePoints() throws {
        var axes = Axes()
        axes.yScale = .log10
        axes.plot([1, 2, 3, 4, 5, 6], [1, 10, -5, .nan, 1000, .infinity], color: .red)
        let limits = AxesRenderer(axes: axes, scale: 1).limits()
        // Only y = 1, 10, 1000 count: log10 range [0, 3] plus a 5 % margin.
        #expect(abs(limits.yLow - -0.15) < 1e-9 && abs(limits.yHigh - 3.15) < 1e-9)
        // Only x = 1, 2, 5 have a drawable y, so they alone set the x range: [1, 5] plus 5 %.
        #expect(abs(limits.xLow - 0.8) < 1e-9 && abs(limits.xHigh - 5.2) < 1e-9)
        var figure = Figure()
        figure[0, 0] = axes
        let image = figure.render()
        var redColumns = Set<Int>()
        for y in 0..<image.height { for x in 0..<image.width where isReddish(image[x, y]) { redColumns.insert(x) } }
        // Points 1-2 form a segment and point 5 stands alone: the red columns form two separate runs.
        let sorted = redColumns.sorted()
        let runs = zip(sorted, sorted.dropFirst()).filter { $1 - $0 > 1 }.count + 1
        #expect(runs == 2)
    }

    @Test func emptyAndDegenerateAxesStillRender() throws {
        var figure = Figure(rows: 1, columns: 3)
        figure[0, 1].plot([2, 2, 2], [5, 5, 5])
        figure[0, 2].scatter([.nan], [.nan])
        figure[0, 2].xScale = .log10
        let image = try PNGCodec.decode(try figure.pngData())
        #expect(image.width == 1200 && image.height == 300)
    }

    @Test func scatterByClassUsesPaletteAndColorBarSpansValues() throws {
        var classes = Axes()
        classes.scatter([0, 1], [0, 1], classes: [0, 3], classNames: ["a", "b", "c", "d"], radius: 4, opacity: 1)
        classes.legend = .hidden
        var figure = Figure()
        figure[0, 0] = classes
        let image = figure.render()
        var colors = Set<[UInt8]>()
        for y in 0..<image.height {
            for x in 0..<image.width {
                let pixel = image.rgba(x: x, y: y)
                colors.insert([pixel.0, pixel.1, pixel.2])
            }
        }
        for index in [0, 3] {
            let bytes = Canvas.bytes(Color.paletteColor(index))
            #expect(colors.contains([bytes.0, bytes.1, bytes.2]), "class \(index) colour missing")
        }
        #expect(!colors.contains([Canvas.bytes(Color.paletteColor(1)).0, Canvas.bytes(Color.paletteColor(1)).1,
                                  Canvas.bytes(Color.paletteColor(1)).2]))

        var values = Axes()
        values.colorScale = ColorScale(scale: .log10, label: "error")
        values.scatter([1, 2, 3], [1, 2, 3], values: [1e-6, 1e-3, -1])
        let range = try #require(values.colorRange())
        #expect(abs(range.low - -6) < 1e-12 && abs(range.high - -3) < 1e-12)
        var withBar = Figure()
        withBar[0, 0] = values
        let barImage = withBar.render()
        // The colour bar's top row is the map's high end (viridis yellow) near the right edge.
        var foundYellow = false
        for y in 0..<barImage.height {
            for x in (barImage.width - 120)..<barImage.width {
                let color = barImage[x, y]
                if color.red > 0.9 && color.green > 0.85 && color.blue < 0.25 { foundYellow = true }
            }
        }
        #expect(foundYellow)
    }

    @Test func equalAspectDrawsCirclesRound() {
        var axes = Axes()
        let angles = (0...200).map { Double($0) / 200 * 2 * Double.pi }
        axes.plot(angles.map { cos($0) }, angles.map { sin($0) }, color: .red, lineWidth: 2)
        axes.equalAspect = true
        axes.legend = .hidden
        var figure = Figure(panelWidth: 400, panelHeight: 240)
        figure[0, 0] = axes
        let image = figure.render()
        var xs: [Int] = [], ys: [Int] = []
        for y in 0..<image.height {
            for x in 0..<image.width where isReddish(image[x, y]) {
                xs.append(x)
                ys.append(y)
            }
        }
        let width = xs.max()! - xs.min()!, height = ys.max()! - ys.min()!
        #expect(height > 100)
        #expect(abs(width - height) <= 2, "circle drawn \(width) wide and \(height) high")
    }

    @Test func longTitlesFallBackToNormalSize() {
        let renderer = AxesRenderer(axes: Axes(), scale: 1)
        #expect(renderer.titleScale("Loss", width: 400) == 2)
        #expect(renderer.titleScale(String(repeating: "x", count: 40), width: 400) == 1)
    }

    @Test func legendBestAvoidsTheData() {
        var axes = Axes()
        // Data fills the upper half; the legend belongs at the bottom.
        let xs = (0..<50).map(Double.init)
        axes.plot(xs, xs.map { 10 + sin($0) }, label: "series")
        axes.yLimits = 0...11
        let renderer = AxesRenderer(axes: axes, scale: 1)
        let limits = renderer.limits()
        let plot = PixelRect(x: 40, y: 20, width: 340, height: 240)
        let map = CoordinateMap(plot: plot, limits: limits, xScale: .linear, yScale: .linear)
        let legend = Legend(axes: axes, scale: 1)
        let placement = legend.bestPlacement(size: legend.size(legend.entries), plot: plot, map: map)
        #expect(placement == .lowerRight || placement == .lowerLeft)
    }
}

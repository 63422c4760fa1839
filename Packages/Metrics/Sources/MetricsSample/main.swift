import Foundation
import Tensors
import Metrics

// Renders a sample figure in the style of the paper's 4-panel figures (synthetic curves, fixed seed),
// so the plotting code can be checked by eye: `swift run metrics-sample [path] [--scale 2] [--font-sheet]`.

/// Every glyph at 1x and 2x, to check the font's legibility.
func fontSheet() -> Canvas {
    var canvas = Canvas(width: 640, height: 200)
    let lines = [
        " !\"#$%&'()*+,-./0123456789:;<=>?@",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`",
        "abcdefghijklmnopqrstuvwxyz{|}~ ×±°µ",
        "loss 1.5×10^{-3}  10^{4}  NFE ± 2.5  jpqgy",
    ]
    var y = 12
    for scale in 1...2 {
        for line in lines {
            TextRenderer.draw(line, on: &canvas, x: 4, y: y, scale: scale)
            y += BitmapFont.lineHeight * scale + 4
        }
    }
    return canvas
}

func sampleFigure(scale: Int) -> Figure {
    var random = SeededGenerator(seed: 42)
    var figure = Figure(rows: 1, columns: 4, scale: scale, title: "Sample: synthetic training curves")
    let epochs = (1...60).map(Double.init)
    let models: [(String, Double, Double)] = [("NODE", 0.06, 40), ("ANODE", 0.08, 34), ("SONODE", 0.1, 30),
                                               ("HBNODE", 0.14, 22), ("GHBNODE", 0.15, 20)]

    var loss = Axes(title: "Training loss", xLabel: "epoch", yLabel: "loss (MSE)")
    loss.yScale = .log10
    for (index, (name, rate, _)) in models.enumerated() {
        let curve = epochs.map { 2.0 * exp(-rate * $0) + 1e-3 * Double.random(in: 1...1.5, using: &random) }
        loss.plot(epochs, curve, label: name, style: index < 3 ? .dashed : .solid)
    }
    figure[0, 0] = loss

    var nfe = Axes(title: "Forward NFE", xLabel: "epoch", yLabel: "NFE per batch")
    for (name, _, final) in models {
        var curve = epochs.map { 14 + (final - 14) * (1 - exp(-$0 / 15)) + Double.random(in: -1...1, using: &random) }
        if name == "NODE" { curve[30] = .nan }  // a gap, to show that non-finite points are skipped
        nfe.plot(epochs, curve, label: name)
    }
    figure[0, 1] = nfe

    var cloud = Axes(title: "Point cloud, t = 1", xLabel: "x1", yLabel: "x2")
    var xs: [Double] = [], ys: [Double] = [], classes: [Int] = []
    for _ in 0..<300 {
        let angle = Double.random(in: 0..<(2 * .pi), using: &random)
        let inner = Bool.random(using: &random)
        let radius = inner ? Double.random(in: 0...0.5, using: &random) : Double.random(in: 1...1.5, using: &random)
        xs.append(radius * cos(angle))
        ys.append(radius * sin(angle))
        classes.append(inner ? 0 : 1)
    }
    cloud.scatter(xs, ys, classes: classes, classNames: ["inner", "outer"])
    cloud.equalAspect = true
    figure[0, 2] = cloud

    var tolerance = Axes(title: "NFE vs tolerance", xLabel: "tolerance", yLabel: "forward NFE")
    tolerance.xScale = .log10
    tolerance.yScale = .log10
    let tolerances = (0..<13).map { pow(10, -2 - Double($0) * 0.5) }
    var tx: [Double] = [], ty: [Double] = [], error: [Double] = []
    for tol in tolerances {
        for _ in 0..<3 {
            tx.append(tol * Double.random(in: 0.8...1.25, using: &random))
            ty.append(8 * pow(tol, -0.2) * Double.random(in: 0.9...1.1, using: &random))
            error.append(tol * Double.random(in: 0.5...3, using: &random))
        }
    }
    tolerance.colorScale = ColorScale(scale: .log10, label: "final error")
    tolerance.scatter(tx, ty, values: error, radius: 3)
    figure[0, 3] = tolerance
    return figure
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
        usage: metrics-sample [PATH] [--scale N] [--panel I] [--font-sheet]
          Renders a sample 4-panel figure (synthetic curves, fixed seed) to PATH (default
          /tmp/metrics-sample.png) so the plotting code can be checked by eye.
          --scale N      pixel scale (1, 2, …)
          --panel I      one panel on its own, at full size
          --font-sheet   every glyph of the bitmap font instead
        """)
    exit(0)
}
if let option = arguments.first(where: { $0.hasPrefix("-") && !["--scale", "--panel", "--font-sheet"].contains($0) }) {
    FileHandle.standardError.write(Data("metrics-sample: unknown option \(option) (see --help)\n".utf8))
    exit(2)
}
var scale = 1
if let index = arguments.firstIndex(of: "--scale"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    scale = value
}
let positional = arguments.enumerated().filter { index, argument in
    !argument.hasPrefix("-") && (index == 0 || !["--scale", "--panel"].contains(arguments[index - 1]))
}.map(\.element)
let output = URL(fileURLWithPath: positional.first ?? "/tmp/metrics-sample.png")
do {
    var stopwatch = Stopwatch()
    if arguments.contains("--font-sheet") {
        try PNGCodec.write(fontSheet(), to: output)
    } else if let index = arguments.firstIndex(of: "--panel"), index + 1 < arguments.count,
              let panel = Int(arguments[index + 1]) {
        // One panel on its own, to inspect it at full size.
        var single = Figure(rows: 1, columns: 1, scale: scale)
        single[0, 0] = sampleFigure(scale: scale).panels[panel]
        try single.write(to: output)
    } else {
        try sampleFigure(scale: scale).write(to: output)
    }
    print("wrote \(output.path) in \(formatSeconds(stopwatch.lap()))")
} catch {
    print("metrics-sample: \(error)")
    exit(1)
}

func formatSeconds(_ seconds: Double) -> String { String(format: "%.3f s", seconds) }

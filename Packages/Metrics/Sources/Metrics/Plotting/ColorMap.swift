/// A continuous colour map from [0, 1] to colours, for scatter points coloured by a value.
public struct ColorMap: Sendable, Equatable {
    /// Evenly spaced anchor colours; values in between are interpolated linearly.
    public var anchors: [Color]

    /// Creates a map through evenly spaced anchors (at least two).
    public init(anchors: [Color]) {
        precondition(anchors.count >= 2, "ColorMap needs at least two anchors, got \(anchors.count)")
        self.anchors = anchors
    }

    /// The colour at `t` in [0, 1]; values outside are clamped and NaN maps to the low end.
    public func color(at t: Double) -> Color {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let position = clamped * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        return anchors[index].mixed(with: anchors[index + 1], position - Double(index))
    }

    /// Perceptually uniform dark-purple to yellow map (samples of matplotlib's viridis).
    public static let viridis = ColorMap(anchors: [
        0x440154, 0x472C7A, 0x3B518B, 0x2C718E, 0x21908D, 0x27AD81, 0x5CC863, 0xAADC32, 0xFDE725,
    ].map { Color(hex: $0) })

    /// Diverging blue-white-red map for signed values.
    public static let coolWarm = ColorMap(anchors: [
        0x3B4CC0, 0x7396F5, 0xB0CBFC, 0xDDDDDD, 0xF6BFA6, 0xE7745B, 0xB40426,
    ].map { Color(hex: $0) })
}

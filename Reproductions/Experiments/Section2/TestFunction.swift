/// A smooth 2-D objective with a known minimiser, for the heavy-ball ODE vs gradient-flow comparison of
/// the paper's §2 / Appendix E.6.
public struct TestFunction: Sendable {
    /// Display name.
    public var name: String
    /// The unique minimiser.
    public var minimum: (x: Double, y: Double)
    /// F(x, y).
    public var value: @Sendable (Double, Double) -> Double
    /// ∇F(x, y).
    public var gradient: @Sendable (Double, Double) -> (Double, Double)

    /// Rosenbrock F = (1−x)² + 100(y−x²)², minimum (1, 1).
    public static let rosenbrock = TestFunction(
        name: "Rosenbrock", minimum: (1, 1),
        value: { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) },
        gradient: { x, y in
            (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
        })

    /// Beale F = (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)², minimum (3, 0.5).
    public static let beale = TestFunction(
        name: "Beale", minimum: (3, 0.5),
        value: { x, y in
            let a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y
            return a * a + b * b + c * c
        },
        gradient: { x, y in
            let a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y
            let dx = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1)
            let dy = 2 * a * x + 2 * b * (2 * x * y) + 2 * c * (3 * x * y * y)
            return (dx, dy)
        })

    /// Euclidean distance from (x, y) to the minimiser.
    public func distanceToMinimum(_ x: Double, _ y: Double) -> Double {
        ((x - minimum.x) * (x - minimum.x) + (y - minimum.y) * (y - minimum.y)).squareRoot()
    }
}

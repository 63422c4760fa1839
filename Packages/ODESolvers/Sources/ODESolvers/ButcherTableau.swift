/// One explicit Runge–Kutta method as a value: a Butcher tableau plus what adaptivity and dense output
/// it has. The standard methods are static members (`.dopri5`, `.rk4`, …); custom methods can be built
/// with the memberwise initialiser and checked with ``validate()``.
public struct ButcherTableau: Sendable, Equatable {
    /// A short name (`"dopri5"`), used in messages.
    public var name: String
    /// Nodes, one per stage.
    public var c: [Double]
    /// Stage coefficients, strictly lower triangular: `a[i]` has `i` entries and `a[0] == []`.
    public var a: [[Double]]
    /// Solution weights, one per stage.
    public var b: [Double]
    /// `b − b̂`, the weights of the embedded error estimate; `nil` for methods without one (fixed step only).
    public var errorWeights: [Double]?
    /// Order of the propagated solution.
    public var order: Int
    /// Order of the embedded estimate; the step-size exponent is `1/(errorOrder + 1)` (dopri5: 4 → 1/5).
    public var errorOrder: Int?
    /// The last stage is evaluated at `(t0 + dt, y1)` and reused as the next step's first stage.
    public var isFSAL: Bool
    /// How the method interpolates inside a step.
    public var denseOutput: DenseOutput

    /// Creates a tableau; call ``validate()`` before trusting a hand-written one.
    public init(
        name: String, c: [Double], a: [[Double]], b: [Double], errorWeights: [Double]? = nil,
        order: Int, errorOrder: Int? = nil, isFSAL: Bool = false, denseOutput: DenseOutput = .hermite
    ) {
        self.name = name
        self.c = c
        self.a = a
        self.b = b
        self.errorWeights = errorWeights
        self.order = order
        self.errorOrder = errorOrder
        self.isFSAL = isFSAL
        self.denseOutput = denseOutput
    }

    /// Number of stages.
    public var stageCount: Int { c.count }

    /// True when the method has an embedded error estimate, so it can run under adaptive control.
    public var isAdaptive: Bool { errorWeights != nil && errorOrder != nil }

    /// Checks the structure (counts, triangularity, FSAL and dense-output consistency) and the row-sum
    /// condition `c_i = Σ_j a_ij` to 1e-12. Throws `ODESolverError.invalidTableau` naming the problem.
    public func validate() throws {
        func fail(_ message: String) -> ODESolverError { .invalidTableau("\(name): \(message)") }
        let s = c.count
        guard s > 0 else { throw fail("no stages") }
        guard a.count == s else { throw fail("a has \(a.count) rows for \(s) stages") }
        guard b.count == s else { throw fail("b has \(b.count) entries for \(s) stages") }
        for i in 0..<s where a[i].count != i {
            throw fail("a[\(i)] has \(a[i].count) entries, needs \(i)")
        }
        for i in 0..<s where abs(a[i].reduce(0, +) - c[i]) > 1e-12 {
            throw fail("row sum of a[\(i)] is \(a[i].reduce(0, +)), c[\(i)] is \(c[i])")
        }
        if let e = errorWeights, e.count != s { throw fail("errorWeights has \(e.count) entries for \(s) stages") }
        if (errorWeights == nil) != (errorOrder == nil) {
            throw fail("errorWeights and errorOrder must both be set or both be nil")
        }
        if isFSAL {
            guard c[s - 1] == 1, a[s - 1] == Array(b.prefix(s - 1)), b[s - 1] == 0 else {
                throw fail("isFSAL needs c.last == 1, a.last == b without its last entry, and b.last == 0")
            }
        }
        if case .dopri5Quartic(let mid) = denseOutput {
            guard isFSAL, mid.count == s else {
                throw fail("dopri5Quartic dense output needs an FSAL method and \(s) midpoint weights")
            }
        }
    }
}

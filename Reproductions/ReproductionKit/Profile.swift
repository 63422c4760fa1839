import ArgumentParser

/// How much of an experiment to run. Every section maps a profile to concrete sizes (iterations, epochs,
/// subset sizes, seeds) and writes both the profile and the resulting sizes into the run's `config.json`.
public enum Profile: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    /// The whole section in a few minutes on 2 cores: tiny subsets, few iterations (the CI smoke test).
    case quick
    /// Meaningful, comparable numbers within a few hours on a 2-core machine; the report states what it
    /// reduced relative to the paper.
    case `default`
    /// The paper's settings (seeds, epochs, data sizes), as far as the spec gives them.
    case paper

    /// Chooses the value for this profile.
    public func pick<Value>(quick: Value, default defaultValue: Value, paper: Value) -> Value {
        switch self {
        case .quick: return quick
        case .default: return defaultValue
        case .paper: return paper
        }
    }
}

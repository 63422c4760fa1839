import ArgumentParser

/// How much of an experiment to run. Every section maps a profile to concrete sizes (iterations, epochs,
/// subset sizes, seeds) and writes both the profile and the resulting sizes into the run's `config.json`.
public enum Profile: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    /// The whole section in a few minutes on 2 cores: tiny subsets, few iterations (the CI smoke test).
    case quick
    /// Meaningful, comparable numbers within a few hours on a 2-core machine; the report states what it
    /// reduced relative to the paper.
    case `default`
    /// The default profile, except that the image experiments (MNIST, CIFAR-10) train one full epoch on
    /// every training image and test on the whole test set: the first epoch of the paper's runs, whose
    /// NFE and accuracy the official logs record, in hours rather than days.
    case fullEpoch = "full-epoch"
    /// The paper's settings (seeds, epochs, data sizes).
    case paper

    /// Chooses the value for this profile. `fullEpoch` takes the default value unless the experiment
    /// gives one of its own.
    public func pick<Value>(quick: Value, default defaultValue: Value, fullEpoch: Value? = nil, paper: Value) -> Value {
        switch self {
        case .quick: return quick
        case .default: return defaultValue
        case .fullEpoch: return fullEpoch ?? defaultValue
        case .paper: return paper
        }
    }
}

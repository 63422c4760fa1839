/// Which version of the reference's ξ ("corr") semantics a configuration follows (spec §1.5, §5 item 1).
public enum ReferenceVersion: String, Sendable, Codable, CaseIterable {
    /// The code that produced the logged results: ξ = raw corr.
    case asRun
    /// The released code: ξ = softplus(corr) (and Walker HBNODE's corr frozen at 0, ξ = ln 2).
    case finalCode
}

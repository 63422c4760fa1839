/// Which version of the reference's ξ ("corr") semantics a configuration follows: the code that produced
/// the logged results and the released code differ.
public enum ReferenceVersion: String, Sendable, Codable, CaseIterable {
    /// The code that produced the logged results: ξ = raw corr.
    case asRun
    /// The released code: ξ = softplus(corr) (and Walker HBNODE's corr frozen at 0, ξ = ln 2).
    case finalCode
}

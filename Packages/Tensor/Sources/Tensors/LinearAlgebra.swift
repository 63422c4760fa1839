import COpenBLAS
@_exported import ComplexModule  // so that users of `eigenvalues(of:)` get `Complex` without another dependency
import RealModule

/// Failures reported by LAPACK.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// A LAPACK routine returned `info ≠ 0`: negative means argument `-info` was illegal, positive means
    /// the algorithm did not converge (for `dgeev`, the QR iteration failed to compute all eigenvalues).
    case lapackFailure(routine: String, info: Int)
    /// The matrix has a NaN or infinite element, which LAPACK cannot handle.
    case nonFiniteInput

    public var description: String {
        switch self {
        case let .lapackFailure(routine, info):
            return info < 0
                ? "\(routine): argument \(-info) had an illegal value"
                : "\(routine): the QR algorithm failed to converge (info = \(info))"
        case .nonFiniteInput:
            return "eigenvalues: the matrix has NaN or infinite elements"
        }
    }
}

/// The eigenvalues of a general real square matrix (LAPACK `dgeev`, no eigenvectors), in LAPACK's order:
/// complex-conjugate pairs appear consecutively, the one with positive imaginary part first.
///
/// A `Float` matrix is converted to `Double` first. Stops (with a message) if the tensor is not a square
/// rank-2 matrix; throws ``LinearAlgebraError`` if LAPACK fails or the input is not finite.
public func eigenvalues<Scalar: TensorScalar>(of matrix: Tensor<Scalar>) throws -> [Complex<Double>] {
    _require(
        matrix.rank == 2 && matrix.shape[0] == matrix.shape[1],
        "eigenvalues: needs a square matrix, got shape \(matrix.shape)")
    let n = matrix.shape[0]
    if n == 0 { return [] }
    guard matrix.isFinite else { throw LinearAlgebraError.nonFiniteInput }
    // LAPACK is column-major, so it sees the transpose, which has the same eigenvalues: no copy needed
    // beyond the one dgeev overwrites.
    var a = matrix.scalars.map { Double($0) }
    var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
    var jobvl = CChar(UInt8(ascii: "N")), jobvr = CChar(UInt8(ascii: "N"))
    var order = Int32(n), lda = Int32(n), ldv = Int32(1), info: Int32 = 0
    var vl = [Double](repeating: 0, count: 1), vr = [Double](repeating: 0, count: 1)
    // Workspace query.
    var lwork: Int32 = -1
    var optimal = [Double](repeating: 0, count: 1)
    dgeev_(&jobvl, &jobvr, &order, &a, &lda, &wr, &wi, &vl, &ldv, &vr, &ldv, &optimal, &lwork, &info)
    guard info == 0 else { throw LinearAlgebraError.lapackFailure(routine: "dgeev", info: Int(info)) }
    lwork = Int32(Swift.max(Double(3 * n), optimal[0]).rounded(.up))
    var work = [Double](repeating: 0, count: Int(lwork))
    dgeev_(&jobvl, &jobvr, &order, &a, &lda, &wr, &wi, &vl, &ldv, &vr, &ldv, &work, &lwork, &info)
    guard info == 0 else { throw LinearAlgebraError.lapackFailure(routine: "dgeev", info: Int(info)) }
    return (0..<n).map { Complex(wr[$0], wi[$0]) }
}

import Foundation
import NeuralODEModels

#if MPI
import CMPI

/// The processes of an `mpirun` launch (`MPI_COMM_WORLD`) as a ``Communicator``.
///
/// Open MPI's default error handler on the world communicator aborts the whole job on an MPI error, and
/// `mpirun` aborts the job when any rank exits non-zero (an uncaught error, a crash) or exits without
/// finalising, so a rank that dies never leaves the others waiting in a collective.
public final class MPIWorld: Communicator, @unchecked Sendable {
    /// This process's rank in the world communicator.
    public let rank: Int
    /// The number of ranks.
    public let size: Int

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// Initialises MPI (once per process) and returns the world communicator.
    public static func initialize() -> MPIWorld {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 { MPI_Init(nil, nil) }
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(hb_mpi_comm_world(), &rank)
        MPI_Comm_size(hb_mpi_comm_world(), &size)
        return MPIWorld(rank: Int(rank), size: Int(size))
    }

    /// `MPI_Allreduce` in place with `MPI_SUM`.
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) { reduce(buffer, hb_mpi_double(), hb_mpi_sum()) }
    /// `MPI_Allreduce` in place with `MPI_SUM`.
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) { reduce(buffer, hb_mpi_float(), hb_mpi_sum()) }
    /// `MPI_Allreduce` in place with `MPI_MAX`.
    public func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Double>) { reduce(buffer, hb_mpi_double(), hb_mpi_max()) }
    /// `MPI_Allreduce` in place with `MPI_MAX`.
    public func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Float>) { reduce(buffer, hb_mpi_float(), hb_mpi_max()) }

    /// `MPI_Barrier` on the world communicator.
    public func barrier() { MPI_Barrier(hb_mpi_comm_world()) }

    /// `MPI_Finalize`: call once, after the last collective, before a normal exit.
    public func finalize() { MPI_Finalize() }

    /// `MPI_Abort` of the whole job with `code`: for an error on one rank that the others cannot see.
    public func abort(code: Int32) -> Never {
        MPI_Abort(hb_mpi_comm_world(), code)
        fatalError("MPI_Abort returned")
    }

    private func reduce<T>(_ buffer: UnsafeMutableBufferPointer<T>, _ type: MPI_Datatype?, _ op: MPI_Op?) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        precondition(buffer.count <= Int(Int32.max), "MPI_Allreduce of \(buffer.count) elements exceeds Int32")
        let status = MPI_Allreduce(hb_mpi_in_place(), base, Int32(buffer.count), type, op, hb_mpi_comm_world())
        precondition(status == hb_mpi_success(), "MPI_Allreduce failed with \(status)")
    }
}
#endif

/// Whether this build has the MPI binding, and the world communicator when it has.
public enum MPIRuntime {
    /// True in a build with the `MPI` package trait (`swift build --traits MPI`).
    public static var isAvailable: Bool {
        #if MPI
        return true
        #else
        return false
        #endif
    }

    /// The world communicator of an `mpirun` launch, for the command-line `option` that asked for it.
    ///
    /// - Throws: ``DataParallelError/mpiUnavailable(option:)`` in a build without MPI.
    public static func world(option: String) throws(DataParallelError) -> any Communicator {
        #if MPI
        return MPIWorld.initialize()
        #else
        throw .mpiUnavailable(option: option)
        #endif
    }

    /// Ends MPI after a normal run (nothing without MPI or for another communicator).
    public static func finalize(_ communicator: any Communicator) {
        #if MPI
        (communicator as? MPIWorld)?.finalize()
        #endif
    }

    /// Aborts every rank of the job with `code` after an error on this one (exits this process alone
    /// without MPI or for another communicator).
    public static func abort(_ communicator: any Communicator, code: Int32) -> Never {
        #if MPI
        if let world = communicator as? MPIWorld { world.abort(code: code) }
        #endif
        exit(code)
    }
}

import Datasets
import Foundation
import ReproductionKit

/// The repository root, found from this file's path (Tests/HeavyBallNODETests/…).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The data search order the executables use, anchored at the repository root so tests do not depend on
/// the working directory.
let testDataLocator = DataLocator(candidates: DataDirectory.candidates(repositoryRoot: repositoryRoot.path))

/// One folder per test process that holds every test's temporary folder; removed when the process exits,
/// so the tests leave nothing behind in the temporary directory.
let testTemporaryRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hbnode-tests-\(getpid())-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testTemporaryRootPath = url.path
    atexit {
        if let path = testTemporaryRootPath { try? FileManager.default.removeItem(atPath: path) }
    }
    return url
}()

/// The path `atexit` removes (a C callback cannot capture it).
nonisolated(unsafe) var testTemporaryRootPath: String?

/// A fresh temporary folder (inside ``testTemporaryRoot``).
func temporaryFolder(_ name: String) -> URL {
    let url = testTemporaryRoot.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Whether `n` has the 2 + 6k form of a torchdiffeq dopri5 solve (Hairer's 2 evaluations plus 6 per step).
func hasDopri5Form(_ n: Int) -> Bool { n >= 8 && (n - 2) % 6 == 0 }

import Datasets
import Foundation

/// Finds dataset files for the section executables: an explicit `--data` folder, else the packages' one
/// search order (``Datasets/DataDirectory``: `$HBNODE_DATA_DIR`, then the repository's `Datasets/`,
/// which `make data` fills), anchored at the repository that holds the working directory (or at the
/// working directory itself outside a checkout). The first folder holding the requested file wins.
public struct DataLocator: Sendable, Equatable {
    /// The folders searched, in order.
    public var candidates: [String]

    /// Builds the search order from the command line and the environment.
    public init(explicit: String?, environment: [String: String], workingDirectory: String = FileManager.default.currentDirectoryPath) {
        if let explicit {
            candidates = [explicit]
        } else {
            let root = DataDirectory.repositoryRoot(containing: workingDirectory + "/.") ?? workingDirectory
            candidates = DataDirectory.candidates(repositoryRoot: root, environment: environment)
        }
    }

    /// Searches exactly these folders.
    public init(candidates: [String]) { self.candidates = candidates }

    /// The URL of `relativePath` (e.g. `point_cloud/reference-pointcloud-2d.csv`) in the first folder that
    /// has it.
    ///
    /// - Throws: ``ReproductionError/dataNotFound(file:searched:)`` listing every folder searched.
    public func url(for relativePath: String) throws(ReproductionError) -> URL {
        for folder in candidates {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: url.path) { return url.standardizedFileURL }
        }
        throw .dataNotFound(file: relativePath, searched: candidates)
    }

    /// The first folder that holds `relativePath` (a file or a sub-folder).
    public func folder(containing relativePath: String) throws(ReproductionError) -> URL {
        let url = try url(for: relativePath)
        var folder = url
        for _ in relativePath.split(separator: "/") { folder.deleteLastPathComponent() }
        return folder
    }
}

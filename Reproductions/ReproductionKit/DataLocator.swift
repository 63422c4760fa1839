import Foundation

/// Finds dataset files: an explicit `--data` folder, else `$HBNODE_DATA_DIR`, else `Datasets/` (what
/// `make data` fills), else `../shared/data` (the project's mirror). The first folder holding the
/// requested file wins, so a partially fetched `Datasets/` still falls back to the mirror per file.
public struct DataLocator: Sendable, Equatable {
    /// The folders searched, in order.
    public var candidates: [String]

    /// Builds the search order from the command line and the environment.
    public init(explicit: String?, environment: [String: String]) {
        if let explicit {
            candidates = [explicit]
        } else {
            var folders: [String] = []
            if let fromEnvironment = environment["HBNODE_DATA_DIR"], !fromEnvironment.isEmpty {
                folders.append(fromEnvironment)
            }
            folders += ["Datasets", "../shared/data"]
            candidates = folders
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

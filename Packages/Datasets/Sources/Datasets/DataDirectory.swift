import Foundation

/// Where the datasets are looked for: the one search order of the packages, the reproductions and their
/// tests. First `$HBNODE_DATA_DIR` (any folder laid out like `Datasets/`), then the repository's
/// `Datasets/` folder, which `make data` fills. The first folder that holds a requested file wins, so a
/// partly fetched `Datasets/` is completed file by file from `$HBNODE_DATA_DIR` and vice versa.
public enum DataDirectory {
    /// The environment variable naming a data folder searched before `Datasets/`.
    public static let environmentVariable = "HBNODE_DATA_DIR"

    /// The candidate folders in search order: `$HBNODE_DATA_DIR` (when set and not empty), then
    /// `<repositoryRoot>/Datasets`.
    public static func candidates(
        repositoryRoot: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        var result: [String] = []
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            result.append(fromEnvironment)
        }
        result.append(URL(fileURLWithPath: repositoryRoot).standardizedFileURL.appendingPathComponent("Datasets").path)
        return result
    }

    /// The first candidate folder that contains `probe` (a relative path such as `mnist`), or nil.
    public static func locate(repositoryRoot: String, containing probe: String) -> String? {
        candidates(repositoryRoot: repositoryRoot).first { folder in
            FileManager.default.fileExists(atPath: "\(folder)/\(probe)")
        }
    }

    /// The repository root found by walking up from `path` to the first folder with both `Packages/`
    /// and `Package.swift` (pass `#filePath` from a test or the working directory from a tool).
    public static func repositoryRoot(containing path: String) -> String? {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        while url.path != "/" {
            url.deleteLastPathComponent()
            let fm = FileManager.default
            if fm.fileExists(atPath: url.appendingPathComponent("Packages").path),
               fm.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        return nil
    }
}

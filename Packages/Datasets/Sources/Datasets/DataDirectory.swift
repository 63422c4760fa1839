import Foundation

/// Finds the folder holding the datasets (the layout of `Datasets/` and of the shared mirror).
public enum DataDirectory {
    /// The environment variable that overrides every other location.
    public static let environmentVariable = "HBNODE_DATA_DIR"

    /// The candidate folders in priority order: `$HBNODE_DATA_DIR`, `<repo>/../shared/data`, `<repo>/Datasets`.
    public static func candidates(repositoryRoot: String) -> [String] {
        var result: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment[environmentVariable], !fromEnvironment.isEmpty {
            result.append(fromEnvironment)
        }
        let root = URL(fileURLWithPath: repositoryRoot).standardizedFileURL
        result.append(root.deletingLastPathComponent().appendingPathComponent("shared/data").path)
        result.append(root.appendingPathComponent("Datasets").path)
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

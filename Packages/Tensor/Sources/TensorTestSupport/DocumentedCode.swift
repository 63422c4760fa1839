import Foundation
import Testing

/// Records an issue for every line of Swift code in `documents` (paths relative to the package root:
/// a README, a DocC article) that appears in none of the package's tests, so documentation cannot show
/// code that no test compiles. Package manifests (blocks starting `// swift-tools-version`) are skipped.
///
/// - Parameter testFile: pass nothing: `#filePath` of the calling test locates the package (two folders
///   up from the test target's folder) and the test sources (every `.swift` file of that folder).
public func expectDocumentedCodeIsTested(_ documents: [String], testFile: String = #filePath) throws {
    let testFolder = URL(fileURLWithPath: testFile).deletingLastPathComponent()
    let packageRoot = testFolder.deletingLastPathComponent().deletingLastPathComponent()
    let tests = try FileManager.default.contentsOfDirectory(atPath: testFolder.path)
        .filter { $0.hasSuffix(".swift") }
        .map { try String(contentsOf: testFolder.appendingPathComponent($0), encoding: .utf8) }
        .joined(separator: "\n")
    for document in documents {
        let text = try String(contentsOf: packageRoot.appendingPathComponent(document), encoding: .utf8)
        let blocks = text.components(separatedBy: "```swift\n").dropFirst()
            .map { $0.components(separatedBy: "\n```")[0] }
            .filter { !$0.hasPrefix("// swift-tools-version") }
        #expect(!blocks.isEmpty, "\(document) has no Swift code")
        for block in blocks {
            for line in block.split(separator: "\n") {
                let code = line.trimmingCharacters(in: .whitespaces)
                #expect(code.isEmpty || tests.contains(code), "\(document): the line `\(code)` is in no test")
            }
        }
    }
}

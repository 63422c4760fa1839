import Foundation
import Testing
@testable import Datasets

@Suite struct DataDirectoryTests {
    @Test func fallsBackToSharedDataThenTheRepositoryDatasetsFolder() {
        let candidates = DataDirectory.candidates(repositoryRoot: "/some/where/repo")
        #expect(Array(candidates.suffix(2)) == ["/some/where/shared/data", "/some/where/repo/Datasets"])
        if let fromEnvironment = ProcessInfo.processInfo.environment["HBNODE_DATA_DIR"], !fromEnvironment.isEmpty {
            #expect(candidates.first == fromEnvironment)
        } else {
            #expect(candidates.count == 2)
        }
    }

    @Test func findsTheRepositoryRootFromThisFile() throws {
        let root = try #require(DataDirectory.repositoryRoot(containing: #filePath))
        #expect(FileManager.default.fileExists(atPath: "\(root)/Packages/Datasets/Package.swift"))
        #expect(DataDirectory.locate(repositoryRoot: root, containing: "no-such-dataset-\(UUID().uuidString)") == nil)
    }
}

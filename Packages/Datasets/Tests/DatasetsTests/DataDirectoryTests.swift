import Foundation
import Testing
@testable import Datasets

@Suite struct DataDirectoryTests {
    @Test func searchesTheEnvironmentFolderThenTheRepositoryDatasetsFolder() {
        #expect(DataDirectory.candidates(repositoryRoot: "/some/where/repo", environment: [:]) == ["/some/where/repo/Datasets"])
        #expect(DataDirectory.candidates(repositoryRoot: "/some/where/repo", environment: ["HBNODE_DATA_DIR": "/e"])
            == ["/e", "/some/where/repo/Datasets"])
        #expect(DataDirectory.candidates(repositoryRoot: "/r", environment: ["HBNODE_DATA_DIR": ""]) == ["/r/Datasets"])
    }

    @Test func findsTheRepositoryRootFromThisFile() throws {
        let root = try #require(DataDirectory.repositoryRoot(containing: #filePath))
        #expect(FileManager.default.fileExists(atPath: "\(root)/Packages/Datasets/Package.swift"))
        #expect(DataDirectory.locate(repositoryRoot: root, containing: "no-such-dataset-\(UUID().uuidString)") == nil)
    }
}

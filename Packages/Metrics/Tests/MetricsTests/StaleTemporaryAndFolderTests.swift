import Foundation
import Testing
@testable import Metrics

/// Clean-up of a killed writer's temporary files and folder creation with a readable reason.
@Suite struct StaleTemporaryAndFolderTests {
    @Test func recognisesOnlyWriteAtomicallyNames() {
        #expect(AtomicWriteTemporary.writerPID(ofTemporary: ".node.checkpoint.json.tmp-4242-991") == 4242)
        #expect(AtomicWriteTemporary.writerPID(ofTemporary: AtomicWriteTemporary.name(for: "a.csv", pid: 7)) == 7)
        #expect(AtomicWriteTemporary.writerPID(ofTemporary: "node.checkpoint.json") == nil)
        #expect(AtomicWriteTemporary.writerPID(ofTemporary: ".x.tmp-12") == nil)
        #expect(AtomicWriteTemporary.writerPID(ofTemporary: "x.tmp-12-3") == nil)
    }

    @Test func removesTemporariesOfDeadWritersOnly() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // pid_max on Linux is at most 2^22, so this writer cannot be running.
        let dead = ".REPORT.md.tmp-\(Int32.max - 1)-17", mine = ".REPORT.md.tmp-\(getpid())-18", kept = "REPORT.md"
        for name in [dead, mine, kept] { try Data("x".utf8).write(to: directory.appendingPathComponent(name)) }
        #expect(AtomicWriteTemporary.removeStale(in: directory) == [dead])
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == [mine, kept].sorted())
    }

    @Test func folderThroughAFileNamesTheComponentAndErrno() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        do {
            try createDirectories(at: file.appendingPathComponent("section-5/pv"))
            Issue.record("a folder inside a file cannot be created")
        } catch {
            #expect(error == .cannotCreateDirectory(path: file.path, errno: ENOTDIR))
            #expect(error.description.contains("Not a directory (errno 20)"), "got: \(error)")
        }
        try createDirectories(at: directory.appendingPathComponent("a/b/c"))
        try createDirectories(at: directory.appendingPathComponent("a/b/c"))
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("a/b/c").path, isDirectory: &isFolder) && isFolder.boolValue)
    }
}

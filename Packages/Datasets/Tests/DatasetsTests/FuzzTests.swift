import Testing
import Tensors
@testable import Datasets

/// Random byte mutations (flips, truncations, insertions) of small well-formed files must produce either
/// a value or a ``DatasetError``, never a crash, a hang or another error type.
@Suite struct FuzzTests {
    /// Applies 1–4 random edits driven by `rng`.
    static func mutate(_ bytes: [UInt8], rng: inout NumpyRandomState) -> [UInt8] {
        var out = bytes
        for _ in 0...Int(rng.interval(3)) {
            switch rng.interval(3) {
            case 0 where !out.isEmpty:
                out[Int(rng.interval(UInt64(out.count - 1)))] = UInt8(truncatingIfNeeded: rng.nextUInt32())
            case 1 where !out.isEmpty:
                out.removeLast(Int(rng.interval(UInt64(out.count - 1))) + 1)
            case 2:
                out.insert(UInt8(truncatingIfNeeded: rng.nextUInt32()), at: Int(rng.interval(UInt64(out.count))))
            default:
                out.append(0)
            }
        }
        return out
    }

    static func survives(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch is DatasetError {
            return true
        } catch {
            return false
        }
    }

    @Test func mutatedIDXGzipNpyTarAndCSVNeverCrash() throws {
        var rng = NumpyRandomState(seed: 2024)
        let idx = Fixtures.idx(shape: [3, 2, 2], bytes: Array(0..<12))
        let gz = Gzip.compress(idx)
        let npy = Fixtures.npy(shape: [3, 17], payload: Fixtures.float64((0..<51).map(Double.init)))
        let tar = Fixtures.tar([(name: "cifar-10-batches-bin/test_batch.bin", data: Fixtures.cifarBatch(labels: [1, 2]))])
        let csv = Array("\"V1\",\"V2\",\n1.5,2,\n-3e-2,4,\n5,6,\n".utf8)
        for _ in 0..<300 {
            #expect(Self.survives { _ = try IDXFile(parsing: Self.mutate(idx, rng: &rng), file: "idx") })
            #expect(Self.survives { _ = try IDXFile(parsing: Gzip.decompress(Self.mutate(gz, rng: &rng), file: "gz"), file: "gz") })
            #expect(Self.survives { _ = try NumpyArray(parsing: Self.mutate(npy, rng: &rng), file: "npy") })
            #expect(Self.survives { _ = try CIFAR10.parseBatch(Self.mutate(Fixtures.cifarBatch(labels: [1]), rng: &rng), file: "bin") })
            #expect(Self.survives {
                let reader = TarReader(stream: MemoryByteStream(Self.mutate(tar, rng: &rng), name: "tar"))
                while let entry = try reader.next() { if entry.size < 1 << 20 { _ = try reader.readContents(of: entry) } }
            })
            #expect(Self.survives { _ = try NumericCSV(parsing: Self.mutate(csv, rng: &rng), file: "csv", columns: [0, 1]) })
        }
    }

    @Test(.enabled(if: TestData.mnist != nil, "MNIST not found"))
    func mutatedRealLabelFileNeverCrashes() throws {
        let real = try FileBytes.read("\(TestData.mnist!)/t10k-labels-idx1-ubyte.gz")
        var rng = NumpyRandomState(seed: 77)
        // A truncated copy must be an error, never short data.
        let cut = Array(real.prefix(real.count / 2))
        guard case .decompression? = datasetError({ try Gzip.decompress(cut, file: "cut") }) else {
            Issue.record("half a gzip file must not decode")
            return
        }
        for _ in 0..<40 {
            #expect(Self.survives { _ = try IDXFile(parsing: Gzip.decompress(Self.mutate(real, rng: &rng), file: "labels"), file: "labels") })
        }
    }

    @Test(.enabled(if: TestData.walker != nil, "Walker2D rollouts not found"))
    func mutatedRealNpyNeverCrashes() throws {
        let real = try FileBytes.read("\(TestData.walker!)/rollout_279.npy")
        var rng = NumpyRandomState(seed: 78)
        for _ in 0..<100 {
            #expect(Self.survives { _ = try NumpyArray(parsing: Self.mutate(real, rng: &rng), file: "npy") })
        }
    }
}

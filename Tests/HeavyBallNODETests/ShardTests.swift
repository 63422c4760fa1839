import ReproductionKit
import Testing

@Suite struct ShardTests {
    @Test func unitsAreDealtRoundRobinAndEveryUnitHasExactlyOneShard() throws {
        let units = Array(0..<11)
        let shards = try (0..<3).map { try Shard(index: $0, count: 3) }
        #expect(shards[0].select(units) == [0, 3, 6, 9])
        #expect(shards[1].select(units) == [1, 4, 7, 10])
        #expect(shards.flatMap { $0.select(units) }.sorted() == units)
        #expect(Shard.whole.select(units) == units)
    }

    @Test func theFlagReadsIndexSlashCount() {
        #expect(Shard(argument: "1/4") == (try? Shard(index: 1, count: 4)))
        for bad in ["4/4", "-1/2", "1/0", "1", "a/b", "1/2/3", ""] { #expect(Shard(argument: bad) == nil, "\(bad)") }
        #expect(throws: ShardError.self) { try Shard(index: 2, count: 2) }
    }

    @Test func launchersAreReadInOrder() throws {
        #expect(try Shard.fromEnvironment([:]) == nil)
        let slurm = try #require(try Shard.fromEnvironment(
            ["SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "3", "OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "2"]))
        #expect(slurm.shard == (try Shard(index: 1, count: 3)) && slurm.launcher == "Slurm job array")
        let mpi = try #require(try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2", "PMI_RANK": "0", "PMI_SIZE": "2"]))
        #expect(mpi.shard == (try Shard(index: 1, count: 2)) && mpi.launcher == "Open MPI")
        let pmi = try #require(try Shard.fromEnvironment(["PMI_RANK": "0", "PMI_SIZE": "4"]))
        #expect(pmi.shard == (try Shard(index: 0, count: 4)))
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "2"]) }
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "x", "OMPI_COMM_WORLD_SIZE": "2"]) }
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["PMI_RANK": "3", "PMI_SIZE": "2"]) }
    }
}

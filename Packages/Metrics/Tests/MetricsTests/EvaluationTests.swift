import Testing
@testable import Metrics

@Suite struct EvaluationTests {
    @Test func accuracyCountsMatches() {
        #expect(Evaluation.accuracy(predictions: [0, 1, 2, 1], labels: [0, 1, 1, 1]) == 0.75)
        #expect(Evaluation.accuracy(predictions: [], labels: []) == 0)
    }

    @Test func argmaxPicksLargestScoreAndFirstOnTies() {
        let scores: [Double] = [0.1, 0.7, 0.2, 3, 3, -1, .nan, -5, -4]
        #expect(Evaluation.argmaxRows(scores, columns: 3) == [1, 0, 2])
        #expect(Evaluation.accuracy(scores: scores, classCount: 3, labels: [1, 1, 2]) == 2.0 / 3.0)
    }

    @Test func squaredAndAbsoluteErrors() {
        #expect(Evaluation.meanSquaredError([1, 2, 3], [1, 0, 6]) == (0 + 4 + 9) / 3.0)
        #expect(Evaluation.meanAbsoluteError([1, 2, 3], [1, 0, 6]) == (0 + 2 + 3) / 3.0)
    }

    @Test func accuracyMeterIsExactAcrossUnevenBatches() {
        var meter = AccuracyMeter()
        meter.add(predictions: [1, 1, 1, 1], labels: [1, 1, 1, 1])
        meter.add(predictions: [0], labels: [1])
        // Averaging the two batch accuracies would give 0.5; the exact epoch figure is 4/5.
        #expect(meter.accuracy == 0.8)
        meter.add(scores: [0, 1, 1, 0], classCount: 2, labels: [1, 0])
        #expect(meter.correct == 6 && meter.total == 7)
        meter.reset()
        #expect(meter.total == 0 && meter.accuracy == 0)
    }
}

@Suite struct RunningStatisticsTests {
    @Test func matchesTwoPassFormulas() {
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        let statistics = RunningStatistics(values)
        #expect(statistics.count == 8)
        #expect(statistics.mean == 5)
        #expect(abs(statistics.populationVariance - 4) < 1e-12)
        #expect(abs(statistics.variance - 32.0 / 7.0) < 1e-12)
        #expect(statistics.minimum == 2 && statistics.maximum == 9)
    }

    @Test func stableForLargeOffset() {
        // The naive E[x^2] - E[x]^2 loses every digit here; Welford keeps the variance of 1, 2, 3.
        let statistics = RunningStatistics([1e9 + 1, 1e9 + 2, 1e9 + 3])
        #expect(abs(statistics.variance - 1) < 1e-6)
    }

    @Test func mergeEqualsSequentialAdds() {
        let left: [Double] = [0.5, 1.5, -2, 8]
        let right: [Double] = [3, 3.25, 10, -1, 0]
        var merged = RunningStatistics(left)
        merged.merge(RunningStatistics(right))
        let direct = RunningStatistics(left + right)
        #expect(merged.count == direct.count)
        #expect(abs(merged.mean - direct.mean) < 1e-12)
        #expect(abs(merged.variance - direct.variance) < 1e-12)
        #expect(merged.minimum == -2 && merged.maximum == 10)
        var empty = RunningStatistics()
        empty.merge(direct)
        #expect(empty == direct)
    }

    @Test func meanAndDeviationFormatsAsPlusMinus() {
        let summary = MeanAndDeviation([0.97, 0.98, 0.99])
        #expect(summary.count == 3)
        #expect(abs(summary.standardDeviation - 0.01) < 1e-12)
        #expect(summary.formatted(fractionDigits: 3) == "0.980 ± 0.010")
        #expect(MeanAndDeviation([0.5]).description == "0.500 ± 0.000")
    }
}

@Suite struct MeterTests {
    @Test func nfeMeterSeparatesBatchesAndEpochs() {
        var meter = NFEMeter()
        meter.addForward(20)
        meter.addBackward(30)
        #expect(meter.endBatch() == NFECounts(forward: 20, backward: 30))
        meter.addForward(26)
        meter.addForward()
        meter.addBackward(44)
        meter.endBatch()
        #expect(meter.lastBatch == NFECounts(forward: 27, backward: 44))
        let epoch = meter.endEpoch()
        #expect(epoch.epoch == 0 && epoch.batches == 2)
        #expect(epoch.total == NFECounts(forward: 47, backward: 74))
        #expect(epoch.meanForwardPerBatch == 23.5 && epoch.meanBackwardPerBatch == 37)
        meter.addForward(8)
        meter.endBatch()
        #expect(meter.endEpoch().total.total == 8)
        #expect(meter.history.map(\.epoch) == [0, 1])
        #expect(meter.currentEpoch == NFECounts() && meter.batchesInEpoch == 0)
    }

    @Test func stopwatchAndAccumulatorMeasureSleeps() {
        var stopwatch = Stopwatch()
        var accumulator = TimeAccumulator()
        let value = accumulator.measure { () -> Int in
            usleep(20_000)
            return 7
        }
        #expect(value == 7)
        #expect(accumulator.count == 1)
        #expect(accumulator.totalSeconds >= 0.019 && accumulator.totalSeconds < 1)
        let lap = stopwatch.lap()
        #expect(lap >= 0.019)
        #expect(stopwatch.elapsed >= lap)
        let before = stopwatch.restart()
        #expect(before >= lap)
        #expect(stopwatch.elapsed < before)
    }
}

#if canImport(Glibc)
import Glibc
#endif

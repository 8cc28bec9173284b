import Testing
@testable import RandWireStatistics

/// Known-bad generators, each seeded, must fail the test aimed at them at the runner's n.
@Suite struct PowerTests {
    /// K = 11 where 15 is twice as likely as each other value.
    static func favouredValue(_ n: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var values: [Int] = []
        for _ in 0..<n {
            let draw = Int.random(in: 0...11, using: &generator)
            values.append(draw == 11 ? 15 : 10 + draw)
        }
        return values
    }

    @Test func favouredValueFailsUniformity() async {
        let result = RandomnessTests.uniformity(Self.favouredValue(1_000, seed: 1), min: 10, max: 20)
        #expect(result.verdict == .fail, "\(result.summary)")
        #expect(result.statisticName == "chi-square (df 10)")
        // The anchors give 98% power; allow for chance across seeds.
        let fails = await offPool {
            (100..<200).filter { RandomnessTests.uniformity(Self.favouredValue(1_000, seed: UInt64($0)), min: 10, max: 20).verdict == .fail }.count
        }
        #expect(fails >= 90, "power \(fails)%")
    }

    /// `rand() % 10000 + 1` with RAND_MAX 32767: values 1...2768 are 4/3 as likely.
    static func moduloBias(_ n: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var values: [Int] = []
        for _ in 0..<n { values.append(Int.random(in: 0...32767, using: &generator) % 10_000 + 1) }
        return values
    }

    @Test func moduloBiasFailsUniformity() async {
        let result = RandomnessTests.uniformity(Self.moduloBias(5_000, seed: 2), min: 1, max: 10_000)
        #expect(result.verdict == .fail, "\(result.summary)")
        let fails = await offPool {
            (100..<150).filter { RandomnessTests.uniformity(Self.moduloBias(5_000, seed: UInt64($0)), min: 1, max: 10_000).verdict == .fail }.count
        }
        #expect(fails >= 47, "power \(fails) of 50")  // anchors: 99.9%
    }

    /// `srand(time(0))` per connection: one value per second, ~50 connections a second.
    static func clockReseeded(_ n: Int, min: Int, max: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var values: [Int] = []
        while values.count < n {
            let value = Int.random(in: min...max, using: &generator)
            let runLength = Int.random(in: 40...60, using: &generator)
            for _ in 0..<runLength where values.count < n { values.append(value) }
        }
        return values
    }

    @Test(arguments: [(10, 20, 1_000), (1, 10_000, 5_000), (1, 100, 3_000)])
    func clockReseededFailsRepeatsAndRuns(min: Int, max: Int, n: Int) {
        let values = Self.clockReseeded(n, min: min, max: max, seed: 3)
        let repeats = RandomnessTests.adjacentRepeats(values, min: min, max: max)
        let run = RandomnessTests.longestRun(values, min: min, max: max)
        #expect(repeats.verdict == .fail, "\(repeats.summary)")
        #expect(run.verdict == .fail, "\(run.summary)")
    }

    @Test func avoidingTheLastValueFailsRepeats() {
        var generator = SeededGenerator(seed: 4)
        var values = [15]
        while values.count < 1_000 {
            let value = Int.random(in: 10...20, using: &generator)
            if value != values.last! { values.append(value) }
        }
        let result = RandomnessTests.adjacentRepeats(values, min: 10, max: 20)
        #expect(result.verdict == .fail, "\(result.summary)")
        #expect(result.summary.contains("too few"))
    }

    @Test func randomWalkFailsSerialCorrelation() {
        var generator = SeededGenerator(seed: 5)
        var values = [5_000]
        while values.count < 5_000 {
            values.append(Swift.min(10_000, Swift.max(1, values.last! + Int.random(in: -300...300, using: &generator))))
        }
        let result = RandomnessTests.serialCorrelation(values)
        #expect(result.verdict == .fail, "\(result.summary)")
    }

    @Test func offByOneRangeFailsEndpoints() {
        // rand() % (max - min) + min: never yields max.
        let values = uniformSample(1_000, 10, 19, seed: 6)
        let result = try! #require(RandomnessTests.endpoints(values, min: 10, max: 20))
        #expect(result.verdict == .fail, "\(result.summary)")
        #expect(result.summary.contains("20"))
        // A 1-based formula on 1..10000 that never yields the top 1%: caught by the tail bins.
        let short = uniformSample(5_000, 1, 9_900, seed: 7)
        let tail = try! #require(RandomnessTests.endpoints(short, min: 1, max: 10_000))
        #expect(tail.verdict == .fail, "\(tail.summary)")
    }

    @Test func endpointsUndecidableAtSmallN() {
        #expect(RandomnessTests.endpoints(uniformSample(100, 10, 20, seed: 8), min: 10, max: 20) == nil)
        #expect(RandomnessTests.endpoints(uniformSample(1_000, 1, 10_000, seed: 9), min: 1, max: 10_000) == nil)
        #expect(RandomnessTests.endpoints(uniformSample(200, 10, 20, seed: 10), min: 10, max: 20)?.verdict == .pass)
    }

    @Test func sortedBatchesFailBatchSorted() {
        let sorted = batches(uniformSample(3_000, 1, 100, seed: 11), size: 10).map { $0.sorted() }
        let result = RandomnessTests.batchSorted(sorted, min: 1, max: 100)
        #expect(result.verdict == .fail, "\(result.summary)")
        // Two sorted batches are enough on their own.
        #expect(RandomnessTests.batchSorted(Array(sorted.prefix(2)), min: 1, max: 100).verdict == .fail)
        // Descending counts too.
        let descending = sorted.prefix(2).map { Array($0.reversed()) }
        #expect(RandomnessTests.batchSorted(descending, min: 1, max: 100).verdict == .fail)
    }

    @Test func samplingWithoutReplacementFailsBatchDuplicates() {
        var generator = SeededGenerator(seed: 12)
        let dealt = (0..<50).map { _ in Array((1...100).shuffled(using: &generator).prefix(10)) }
        let result = RandomnessTests.batchDuplicates(dealt, min: 1, max: 100)
        #expect(result.verdict == .fail, "\(result.summary)")
        #expect(result.pValue < 1e-9)
    }

    @Test func smallFirstPositionFailsExchangeability() {
        var generator = SeededGenerator(seed: 13)
        let skewed = batches(uniformSample(3_000, 1, 100, seed: 14), size: 10).map { batch -> [Int] in
            var batch = batch
            batch[0] = Int.random(in: 1...10, using: &generator)
            return batch
        }
        let result = RandomnessTests.positionExchangeability(skewed, min: 1, max: 100)
        #expect(result.verdict == .fail, "\(result.summary)")
        #expect(result.summary.contains("position 1"))
    }

    @Test func replayedBatchFailsIdenticalBatches() {
        var replayed = batches(uniformSample(3_000, 1, 100, seed: 15), size: 10)
        replayed[200] = replayed[17]
        let result = RandomnessTests.identicalBatches(replayed, min: 1, max: 100)
        #expect(result.verdict == .fail, "\(result.summary)")
        #expect(result.pValue < 1e-12)
        // With only 8 possible batches repeats are expected, and the exact chain says so.
        let tiny = batches(uniformSample(300, 0, 1, seed: 16), size: 3)
        #expect(RandomnessTests.identicalBatches(tiny, min: 0, max: 1).verdict == .pass)
    }

    @Test func resultsAreReportable() {
        let values = uniformSample(1_000, 10, 20, seed: 17)
        for result in Scenario.bare.runAll(values) {
            #expect(result.verdict == .pass, "\(result.summary)")
            #expect(!result.detectable.isEmpty)
            #expect(result.summary.contains("n = "))
            #expect(result.pValue >= 0 && result.pValue <= 1)
            #expect(result.failThreshold <= Thresholds.fail && result.ambiguousThreshold == Thresholds.ambiguous)
            print("report: \(result.test): \(result.summary) | detects \(result.detectable)")
        }
        for result in Scenario.csv.runAll(uniformSample(3_000, 1, 100, seed: 18)) + Scenario.request.runAll(uniformSample(5_000, 1, 10_000, seed: 19)) {
            print("report: \(result.test) n=\(result.n): \(result.summary) | detects \(result.detectable)")
        }
    }

    @Test func degenerateInputsDoNotTrap() {
        let empty: [Int] = []
        #expect(RandomnessTests.uniformity(empty, min: 1, max: 10).verdict == .pass)
        #expect(RandomnessTests.serialCorrelation([3, 3, 3, 3]).verdict == .pass)
        #expect(RandomnessTests.adjacentRepeats([7], min: 7, max: 7).verdict == .pass)
        #expect(RandomnessTests.longestRun(empty, min: 1, max: 2).verdict == .pass)
        #expect(RandomnessTests.batchDuplicates([[1]], min: 1, max: 10).verdict == .pass)
        #expect(RandomnessTests.batchSorted([[1, 2]], min: 1, max: 10).verdict == .pass)
        #expect(RandomnessTests.positionExchangeability([[], [1, 2]], min: 1, max: 10).verdict == .pass)
        #expect(RandomnessTests.identicalBatches([], min: 1, max: 10).verdict == .pass)
        #expect(RandomnessTests.endpoints(empty, min: 5, max: 5) == nil)
        // Out-of-range values are ignored by uniformity rather than trapping.
        #expect(RandomnessTests.uniformity(uniformSample(1_000, 10, 20, seed: 20) + [99, -5], min: 10, max: 20).n == 1_000)
    }
}
